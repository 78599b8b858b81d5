"""Arbiter's program runner: a job handler of the Python sandbox's zygote (zygote.py).

Job kind "program". The zygote has already forked the child, put the job's stdin on fd 0 and its
stdout and stderr into capped pipes, set the rlimits and entered an empty work directory; here the
child runs the job's program under an audit hook and writes one record to its result fd:

  "PRG1", u8 status, u8 has_value, 2 pad, u32 error_len, u32 value_len, then error, value

`status` says how the program ended (ok, an exception, SystemExit with a non-zero code, a syntax
error, memory, a blocked call); `value` is str() of the first of the job's `variables` the program
defined (e.g. answer, ans), capped. The child exits with the program's exit status.

Unit tests. A test with `assert_src` runs the program, then the test's source in the program's
namespace (with `candidate` bound to the `entry_point` function when one is named, and `check(candidate)`
called when the test defines `check`), under a stricter audit hook. Only when the test's code has run to
its end does the harness write "PASS" + the job's secret; the zygote compares it with the secret it made
before forking (`check`). Exiting early (any status), raising SystemExit, forging output, or patching
anything the harness uses cannot produce that record without the secret, and the hook closes the ways
to read the secret out of the harness's frames (frames, tracing, gc, /proc, ctypes, signal handlers).
A test with an expected stdout (sent to the zygote only after the fork) is compared in the zygote,
outside the program's process: `exact`, `tokens` (whitespace-separated) or `float` (tokens, numbers
within 1e-6 relative or absolute); the program must also exit with status 0.
"""

import builtins
import os
import struct
import sys

JOB_KINDS = ("program",)

STATUS_OK, STATUS_EXCEPTION, STATUS_EXIT, STATUS_SYNTAX, STATUS_MEMORY, STATUS_BLOCKED = range(6)
CHECK_PASSED, CHECK_FAILED = 1, 2
MAX_ERROR = 4096
MAX_VALUE = 64 << 10

BLOCKED_EVENTS = {
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "socket.__new__", "socket.connect", "socket.bind", "os.kill",
    "os.killpg", "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "sys.addaudithook",
    "os.setuid", "os.setsid", "os.setpgid", "resource.prlimit", "signal.pthread_kill",
}
# Under a unit test also: every way to reach a frame (the harness's locals hold the secret) or memory.
INTROSPECTION_EVENTS = {
    "sys._getframe", "sys._current_frames", "sys.settrace", "sys.setprofile", "gc.get_objects",
    "gc.get_referrers", "gc.get_referents", "object.__getattr__", "sys._current_exceptions",
    "cpython._PySys_ClearAuditHooks", "code.__new__", "function.__new__",
}
BLOCKED_IMPORTS = {"ctypes", "_ctypes", "_testcapi", "_testinternalcapi", "_xxsubinterpreters", "gc"}


class Blocked(Exception):
    pass


class BlockedIntrospection(Blocked, AttributeError, ValueError):
    """Raised for frame access: the standard library's own uses (namedtuple, typing, enum, logging)
    catch AttributeError or ValueError there and fall back."""


def make_audit(strict):
    def audit(event, args):
        if event in BLOCKED_EVENTS:
            raise Blocked(f"{event} is not allowed in the program sandbox")
        if event == "import" and args and args[0] in BLOCKED_IMPORTS and (strict or args[0] != "gc"):
            raise Blocked(f"importing {args[0]} is not allowed in the program sandbox")
        if strict:
            if event in INTROSPECTION_EVENTS:
                raise BlockedIntrospection(f"{event} is not allowed under a unit test")
            if event == "open" and args and isinstance(args[0], (str, bytes)):
                path = os.fsdecode(args[0])
                real = os.path.realpath(path)
                if real.startswith("/proc") or path.startswith("/proc") or path.startswith("/dev/fd"):
                    raise Blocked("reading /proc is not allowed under a unit test")
    return audit


def warm_up():
    # What programs commonly import, imported once in the zygote so each forked job starts warm.
    import collections  # noqa: F401
    import decimal  # noqa: F401
    import fractions  # noqa: F401
    import functools  # noqa: F401
    import heapq  # noqa: F401
    import itertools  # noqa: F401
    import json  # noqa: F401
    import math  # noqa: F401
    import random  # noqa: F401
    import re  # noqa: F401
    import statistics  # noqa: F401
    import string  # noqa: F401
    import traceback  # noqa: F401
    try:
        import numpy  # noqa: F401
    except ImportError:
        pass


def record(status, error, value):
    e = error.encode("utf-8", "replace")[:MAX_ERROR]
    v = b"" if value is None else value.encode("utf-8", "replace")[:MAX_VALUE]
    head = struct.pack("<4sBB2xII", b"PRG1", status, 0 if value is None else 1, len(e), len(v))
    return head + e + v


def describe(e):
    try:
        return f"{type(e).__name__}: {e}"
    except BaseException:  # noqa: BLE001
        return "an exception that could not be printed"


def run_child(job, wfd, secret):
    """Runs the job's program (and test); writes one record and exits. Never returns."""
    # Everything the harness needs after the untrusted code ran is bound here, before it runs.
    _write, _exit, _exec, _compile, _flush = os.write, os._exit, exec, compile, sys.stdout.flush
    _stderr_flush, _isinstance, _str, _callable = sys.stderr.flush, isinstance, str, callable
    _pass = b"PASS" + secret
    strict = "assert_src" in job
    entry = job.get("entry_point")
    status, error, value, exit_code, passed = STATUS_OK, "", None, 0, False
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    try:
        code = _compile(job["code"], "<program>", "exec")
        test = _compile(job["assert_src"], "<test>", "exec") if strict else None
    except SyntaxError as e:
        status, error, exit_code = STATUS_SYNTAX, f"SyntaxError: {e.msg} (line {e.lineno})", 1
        code = None
    if code is not None:
        if strict:
            import _signal

            def no_signals(*args, **kwargs):
                raise Blocked("signal handlers are not allowed under a unit test")
            _signal.signal = no_signals
            sys.modules["signal"].signal = no_signals
        sys.addaudithook(make_audit(strict))
        try:
            _exec(code, namespace)
            if strict:
                if entry is not None:
                    if entry not in namespace or not _callable(namespace[entry]):
                        raise NameError(f"the program defines no function {entry}")
                    namespace["candidate"] = namespace[entry]
                _exec(test, namespace)
                check = namespace.get("check")
                if entry is not None and _callable(check):
                    check(namespace["candidate"])
                passed = True
        except SystemExit as e:
            if strict:
                status, error, exit_code = STATUS_EXIT, "SystemExit inside a unit test", 1
            elif e.code is None or e.code == 0:
                status, exit_code = STATUS_OK, 0
            else:
                status = STATUS_EXIT
                exit_code = e.code if _isinstance(e.code, int) and 0 <= e.code < 256 else 1
                error = f"SystemExit: {e.code!r}"[:MAX_ERROR]
        except MemoryError:
            status, error, exit_code = STATUS_MEMORY, "MemoryError", 1
        except Blocked as e:
            status, error, exit_code = STATUS_BLOCKED, _str(e), 1
        except BaseException as e:  # noqa: BLE001 - the program's own failure
            status, error, exit_code = STATUS_EXCEPTION, describe(e), 1
            if not strict:
                try:
                    import traceback
                    # The program's frames only (the harness's own frame is dropped).
                    traceback.print_exception(type(e), e, e.__traceback__.tb_next)
                except BaseException:  # noqa: BLE001
                    pass
        if passed:
            try:
                _flush()
                _stderr_flush()
            except BaseException:  # noqa: BLE001
                pass
            _write(wfd, _pass)
            _exit(0)
        if status == STATUS_OK and not strict:
            for name in job.get("variables") or ():
                if name in namespace:
                    try:
                        value = _str(namespace[name])
                    except BaseException as e:  # noqa: BLE001
                        value = f"<unprintable: {describe(e)}>"
                    break
    try:
        _flush()
        _stderr_flush()
    except BaseException:  # noqa: BLE001
        pass
    try:
        _write(wfd, record(status, error, value))
    finally:
        _exit(exit_code)


# In the zygote, after the child is gone: the unit test's verdict, decided outside the program.

def tokens(text):
    return text.split()


def same_number(a, b):
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b
    if x != x or y != y:
        return False
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def outputs_match(got, expected, compare):
    if compare == "exact":
        return got.replace("\r\n", "\n").rstrip("\n") == expected.replace("\r\n", "\n").rstrip("\n")
    a, b = tokens(got), tokens(expected)
    if len(a) != len(b):
        return False
    if compare == "float":
        return all(same_number(x, y) for x, y in zip(a, b))
    return a == b


def check(job, check_bytes, result, secret):
    """Returns (check byte, payload). For an assert test the payload is replaced on a pass (the secret never leaves)."""
    import json

    spec = json.loads(check_bytes)
    finished = result["outcome"] == 0 and result["signal"] == 0
    if spec.get("mode") == "assert":
        ok = finished and result["exit_code"] == 0 and result["payload"] == b"PASS" + secret
        if ok:
            return CHECK_PASSED, record(STATUS_OK, "", None)
        payload = result["payload"]
        if payload.startswith(b"PASS"):
            payload = record(STATUS_EXCEPTION, "the test did not run to its end", None)
        return CHECK_FAILED, payload
    if spec.get("mode") == "stdout":
        got = result["stdout"].decode("utf-8", "replace")
        ok = finished and result["exit_code"] == 0 and not result["truncated"] and \
            outputs_match(got, spec.get("stdout", ""), spec.get("compare", "tokens"))
        return (CHECK_PASSED if ok else CHECK_FAILED), result["payload"]
    return 0, result["payload"]
