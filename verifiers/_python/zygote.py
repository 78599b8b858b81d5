"""Arbiter's Python sandbox zygote: one warm interpreter that forks a fresh child per job.

Runs inside the bubblewrap sandbox (verifiers/_python/sandbox.ts) as pid 2 under the sandbox's seccomp
filter. At start it puts hard rlimits on itself (inherited by every job), makes itself non-dumpable,
loads the job handlers named on its command line (reviewed scripts mounted read-only, e.g. chart_code's
renderer.py and program_job.py) and lets each warm up (import what its jobs need). Then, per job read
from stdin, it forks a child that runs the handler under tighter rlimits, with stdin from memory,
stdout and stderr into size-capped pipes, in an empty work directory. After the job it kills whatever
is left in the sandbox and wipes every writable place (/tmp, /dev/shm), so no file crosses jobs.

Protocol (little-endian):
  server -> zygote: u32 length + JSON job {"id", "kind", "timeout_ms", "payload_cap", "stdout_cap",
                    "stderr_cap", "stdin"?, "memory_mb"?, ...kind fields}, then u32 length + the
                    job's check bytes (read only after the child is forked: the child never holds them).
  zygote -> server: "RDY1" once warm; per job a 32-byte header "ZYG2", u32 id, u8 outcome, u8 flags,
                    u16 signal, i32 exit_code, u8 check, 3 pad, u32 payload_len, u32 stdout_len,
                    u32 stderr_len, then payload, stdout, stderr.
"""

import importlib.util
import json
import os
import resource
import select
import signal
import stat
import struct
import sys
import time

HANDLER_DIR = "/opt/arbiter/handlers"
WORK = "/tmp/work"
WRITABLE = ("/tmp", "/dev/shm")

OUTCOME_EXITED, OUTCOME_TIMEOUT, OUTCOME_TOO_LARGE = 0, 1, 3
FLAG_LEFTOVER, FLAG_STDOUT_TRUNCATED, FLAG_STDERR_TRUNCATED, FLAG_WIPE_FAILED = 1, 2, 4, 8
CHECK_NONE = 0
MAX_PAYLOAD = 32 << 20
MAX_STREAM = 4 << 20
MAX_CHECK = 16 << 20

# Hard limits of the zygote itself; a job's child lowers them further (it can never raise them).
ZYGOTE_LIMITS = (
    (resource.RLIMIT_NOFILE, 256),
    (resource.RLIMIT_NPROC, 64),
    (resource.RLIMIT_CORE, 0),
    (resource.RLIMIT_FSIZE, 64 << 20),
    (resource.RLIMIT_AS, 6 << 30),
    (resource.RLIMIT_MSGQUEUE, 0),
    (resource.RLIMIT_MEMLOCK, 1 << 20),
)


def read_exact(fd, n):
    chunks = []
    while n > 0:
        b = os.read(fd, min(n, 1 << 20))
        if not b:
            return None
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def read_message(fd, cap):
    head = read_exact(fd, 4)
    if head is None:
        return None
    (n,) = struct.unpack("<I", head)
    if n > cap:
        sys.exit(f"zygote: a message of {n} bytes is over its cap")
    return read_exact(fd, n)


def limit_zygote():
    for res, value in ZYGOTE_LIMITS:
        resource.setrlimit(res, (value, value))


def make_undumpable():
    """PR_SET_DUMPABLE 0: a job (same uid) can then neither ptrace the zygote nor open its /proc files."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    for name in [m for m in sys.modules if m == "ctypes" or m.startswith("ctypes.") or m == "_ctypes"]:
        del sys.modules[name]


def load_handlers(paths):
    kinds = {}
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(f"arbiter_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.warm_up()
        for kind in module.JOB_KINDS:
            kinds[kind] = module
    return kinds


# The child: descriptors, limits, then the handler (which never returns).

def child_limits(job):
    cpu = max(1, (int(job["timeout_ms"]) + 999) // 1000 + 1)
    memory = min(int(job.get("memory_mb", 3072)), 4096) << 20
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))
    resource.setrlimit(resource.RLIMIT_NPROC, (24, 24))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


def stdin_fd(text):
    if text is None:
        return os.open("/dev/null", os.O_RDONLY)
    fd = os.memfd_create("stdin", 0)
    write_all(fd, text.encode("utf-8", "replace"))
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def run_child(job, handler, pipes, secret):
    """In the forked child: never returns."""
    try:
        os.setpgid(0, 0)
        fd0 = stdin_fd(job.get("stdin"))
        os.dup2(fd0, 0)
        null = os.open("/dev/null", os.O_WRONLY)
        # A stream the job's caller does not want (cap 0) goes to /dev/null, not through the zygote.
        os.dup2(pipes["stdout"][1] if int(job.get("stdout_cap", 0)) > 0 else null, 1)
        os.dup2(pipes["stderr"][1] if int(job.get("stderr_cap", 0)) > 0 else null, 2)
        wfd = os.dup(pipes["result"][1])  # >= 3: 0, 1 and 2 are taken
        os.closerange(3, wfd)
        os.closerange(wfd + 1, 1024)
        os.chdir(WORK)
        child_limits(job)
        handler.run_child(job, wfd, secret)
    finally:
        os._exit(70)


# The zygote's side of a job: deadline, capped reads, then clean-up.

def collect(pid, pipes, job):
    """Reads the child's pipes until it exits (or the deadline): outcome, flags, and the three byte strings."""
    deadline = time.monotonic() + int(job["timeout_ms"]) / 1000
    caps = {
        "result": min(int(job["payload_cap"]), MAX_PAYLOAD),
        "stdout": min(int(job.get("stdout_cap", 0)), MAX_STREAM),
        "stderr": min(int(job.get("stderr_cap", 0)), MAX_STREAM),
    }
    fds = {pipes[name][0]: name for name in caps}
    data = {name: bytearray() for name in caps}
    truncated = set()
    pidfd = os.pidfd_open(pid)
    outcome, exited = OUTCOME_EXITED, False
    while fds and outcome == OUTCOME_EXITED:
        left = deadline - time.monotonic()
        if left <= 0:
            outcome = OUTCOME_TIMEOUT
            break
        watched = [*fds] if exited else [*fds, pidfd]
        ready, _, _ = select.select(watched, [], [], 0 if exited else left)
        if not ready and exited:
            break  # the child is gone and nothing more is buffered (a leftover may hold a pipe)
        for fd in ready:
            if fd == pidfd:
                exited = True
                continue
            chunk = os.read(fd, 1 << 16)
            name = fds[fd]
            if not chunk:
                del fds[fd]
                continue
            room = caps[name] - len(data[name])
            if len(chunk) > room:
                if name == "result":
                    outcome = OUTCOME_TOO_LARGE
                    break
                truncated.add(name)
                chunk = chunk[:max(0, room)]
            data[name] += chunk
        if "stdout" in truncated:
            break  # past its stdout cap the job has failed: it is stopped now, not at its deadline
    os.close(pidfd)
    for name in caps:
        os.close(pipes[name][0])
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    flags = (FLAG_STDOUT_TRUNCATED if "stdout" in truncated else 0) | \
        (FLAG_STDERR_TRUNCATED if "stderr" in truncated else 0)
    return outcome, flags, status, data


def other_processes():
    me = os.getpid()
    return [int(n) for n in os.listdir("/proc") if n.isdigit() and int(n) not in (1, me)]


def kill_leftovers():
    """Kills every process in the sandbox but init and the zygote (daemons, escaped process groups)."""
    left = other_processes()
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    # They are reparented to the sandbox's init, which reaps them: wait until they are gone.
    for _ in range(200):
        if not other_processes():
            break
        time.sleep(0.005)
    return bool(left)


def wipe(path):
    """Removes everything under `path` (the job may have made directories unreadable: chmod first)."""
    ok = True
    try:
        entries = os.listdir(path)
    except OSError:
        try:
            os.chmod(path, 0o700)
            entries = os.listdir(path)
        except OSError:
            return False
    for name in entries:
        full = os.path.join(path, name)
        try:
            mode = os.lstat(full).st_mode
            if stat.S_ISDIR(mode):
                os.chmod(full, 0o700)
                ok = wipe(full) and ok
                os.rmdir(full)
            else:
                os.unlink(full)
        except OSError:
            ok = False
    return ok


def clean_writable():
    ok = all([wipe(path) for path in WRITABLE])
    os.makedirs(WORK, exist_ok=True)
    return ok


def run_job(job, kinds):
    handler = kinds.get(job.get("kind"))
    pipes = {name: os.pipe() for name in ("result", "stdout", "stderr")}
    secret = os.urandom(16)
    pid = os.fork()
    if pid == 0:
        run_child(job, handler, pipes, secret)
    for name in pipes:
        os.close(pipes[name][1])
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    # The check bytes arrive only now: the child was forked without them.
    check_bytes = read_message(0, MAX_CHECK)
    if check_bytes is None:
        sys.exit(0)
    outcome, flags, status, data = collect(pid, pipes, job)
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    if kill_leftovers():
        flags |= FLAG_LEFTOVER
    if not clean_writable():
        flags |= FLAG_WIPE_FAILED
    payload = bytes(data["result"]) if outcome != OUTCOME_TOO_LARGE else b""
    check = CHECK_NONE
    if handler is not None and hasattr(handler, "check") and check_bytes:
        result = {"outcome": outcome, "signal": sig, "exit_code": code, "payload": payload,
                  "stdout": bytes(data["stdout"]), "truncated": bool(flags & FLAG_STDOUT_TRUNCATED)}
        check, payload = handler.check(job, check_bytes, result, secret)
    head = struct.pack("<4sIBBHiB3xIII", b"ZYG2", job["id"], outcome, flags, sig, code, check,
                       len(payload), len(data["stdout"]), len(data["stderr"]))
    write_all(1, head + payload + bytes(data["stdout"]) + bytes(data["stderr"]))


def main():
    limit_zygote()
    make_undumpable()
    # Handlers and the job loop run with SIGPIPE ignored: a vanished server ends the loop on EOF.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    kinds = load_handlers(sys.argv[1:])
    clean_writable()
    write_all(1, b"RDY1")
    while True:
        body = read_message(0, 64 << 20)
        if body is None:
            return
        run_job(json.loads(body), kinds)


if __name__ == "__main__":
    main()
