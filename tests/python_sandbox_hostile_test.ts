/**
 * The Python sandbox against hostile jobs (issue #12, failures 6 and 7): each case runs in a pool of
 * one sandbox, asserts the outcome class the job gets, and then that the next job in that pool finds
 * a clean sandbox (no file, no process, no tmpfs memory left by the previous job). The escapes run
 * outside the job's audit hook on purpose: `_posixsubprocess.fork_exec` starts a fresh python3 that
 * has no hook at all, so only the kernel-level layers (namespaces, seccomp, rlimits, read-only mounts,
 * the zygote's per-job wipe and sweep) stand between it and the host.
 */
import assert from "node:assert/strict";
import { programHandlerPath, PythonPool, runProgram } from "../verifiers/_python/mod.ts";
import { failureOf } from "../verifiers/program/mod.ts";
import { chartCodeVerifier, rendererPath, renderJob } from "../verifiers/chart_code/mod.ts";
import { classifyRender } from "../verifiers/chart_code/outcome.ts";
import { createEngine } from "../verifiers/engine.ts";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";

await ensureChartDeps();
const opts = { sanitizeOps: false, sanitizeResources: false };
const W = 40;
const H = 30;

/** Runs argv outside the job's audit hook and returns its output (stdout and stderr). */
const ESCAPE_KIT = `
import os, _posixsubprocess
def run(argv):
    r, w = os.pipe()
    er, ew = os.pipe()
    pid = _posixsubprocess.fork_exec(argv, [argv[0].encode()], True, (ew,), None, None,
        -1, -1, -1, w, -1, w, er, ew, True, False, -1, None, None, None, -1, None, False)
    os.close(w); os.close(ew)
    out = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode(errors="replace")
def py(src):
    return run(["/usr/bin/python3", "-c", src])
`;

/** What a job reports: it raises RuntimeError("RESULT …"), so its verdict's message carries it. */
const CLEAN_CHECK = `
import os
pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
st = os.statvfs("/tmp")
shm = os.statvfs("/dev/shm")
used = (st.f_blocks - st.f_bfree) * st.f_frsize + (shm.f_blocks - shm.f_bfree) * shm.f_frsize
raise RuntimeError("RESULT " + repr([sorted(os.listdir("/tmp")), os.listdir("/tmp/work"), os.listdir("/dev/shm"), len(pids), used < (1 << 20)]))
`;
const CLEAN = "RuntimeError: RESULT [['work'], [], [], 3, True]";

interface JobEnd {
  reason: string | null;
  problem: unknown;
  message: string;
}

async function runChart(pool: PythonPool, code: string, timeoutMs: number): Promise<JobEnd> {
  const result = await pool.run(renderJob({ kind: "code", code, width: W, height: H, timeoutMs }));
  const end = classifyRender(result, W, H);
  if ("cancelled" in end) throw new Error("cancelled");
  if ("pixels" in end) return { reason: null, problem: "rendered", message: "" };
  return {
    reason: end.details.reason,
    problem: end.details.problem,
    message: String(end.details.message ?? ""),
  };
}

async function runProgramJob(pool: PythonPool, code: string, timeoutMs: number): Promise<JobEnd> {
  const run = await runProgram(pool, { code, timeoutMs });
  const failure = failureOf(run);
  if (failure === null) return { reason: null, problem: "ok", message: "" };
  return { reason: failure[0], problem: failure[1], message: failure[2] };
}

/** The two job kinds the sandbox serves; `crash` is the reason each gives a job that raised. */
const sandboxes = [
  { name: "chart_code", handlers: [rendererPath], run: runChart, crash: "render_failed" },
  { name: "program", handlers: [programHandlerPath], run: runProgramJob, crash: "runtime_error" },
];

/** One hostile case: its job, the outcome class and message it must get, then a clean next job. */
interface Case {
  title: string;
  code: string;
  /** "crash": the job raised (render_failed for charts, runtime_error for programs). */
  reason: "crash" | "too_complex";
  message?: RegExp;
  /** The sandbox must have been replaced (a fault) or kept (the zygote survived unharmed). */
  recycled?: boolean;
  timeoutMs?: number;
}

const cases: Case[] = [
  {
    title:
      "a file channel between jobs: /tmp, /tmp/work, /dev/shm and 40 MB of tmpfs are gone for the next job",
    code: `
for p in ["/tmp/chan", "/tmp/work/chan", "/dev/shm/chan", "/tmp/.hidden"]:
    open(p, "w").write("secret")
import os
os.makedirs("/tmp/d/e", exist_ok=True)
open("/tmp/d/e/f", "w").write("x")
os.chmod("/tmp/d", 0)
for i in range(5):
    open(f"/tmp/big{i}", "wb").write(b"x" * (8 << 20))
raise RuntimeError("RESULT wrote")`,
    reason: "crash",
    message: /RESULT wrote/,
    recycled: false,
  },
  {
    title: "filling the tmpfs stops at its cap (64 MiB), not at the host's memory",
    code: `
import os
n = 0
try:
    for i in range(200):
        with open(f"/tmp/fill{i}", "wb") as f:
            f.write(b"x" * (8 << 20))
        n += 1
except OSError as e:
    raise RuntimeError(f"RESULT {n} {e}")
raise RuntimeError("RESULT no limit")`,
    reason: "crash",
    message: /RESULT [0-8] .*No space left on device/,
    recycled: false,
  },
  {
    title: "writes outside /tmp and /dev/shm fail (read-only root, /usr, /dev, the handler scripts)",
    code: ESCAPE_KIT + `
out = py("""
ok = []
for p in ["/x", "/usr/x", "/dev/x", "/opt/arbiter/handlers/renderer.py", "/opt/arbiter/zygote.py", "/etc/x", "/usr/share/fonts/x", "/bin/x"]:
    try:
        open(p, "a").write("x")
        ok.append(p)
    except OSError:
        pass
print("wrote", ok)
""")
raise RuntimeError("RESULT " + out)`,
    reason: "crash",
    message: /RESULT wrote \[\]/,
    recycled: false,
  },
  {
    title: "unshare -r (a nested user namespace, uid 0 inside) is refused",
    code: ESCAPE_KIT + `
raise RuntimeError("RESULT " + run(["/usr/bin/unshare", "-r", "id"]) + run(["/usr/bin/unshare", "-U", "id"]))`,
    reason: "crash",
    message:
      /RESULT unshare: unshare failed: Operation not permitted\s+unshare: unshare failed: Operation not permitted/,
    recycled: false,
  },
  {
    title: "network: no inet socket at all (seccomp), only AF_UNIX",
    code: ESCAPE_KIT + `
out = py("""
import socket
for fam in (socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK, socket.AF_PACKET):
    try:
        socket.socket(fam, socket.SOCK_DGRAM if fam != socket.AF_PACKET else socket.SOCK_RAW)
        print("opened", fam)
    except OSError as e:
        print("refused", e.errno)
""")
raise RuntimeError("RESULT " + " ".join(out.split()))`,
    reason: "crash",
    message: /RESULT refused 97 refused 97 refused 97 refused 97$/,
    recycled: false,
  },
  {
    title: "signals to the zygote, the sandbox's init, their group and everyone are refused; ptrace too",
    code: ESCAPE_KIT + `
out = py("""
import os, ctypes
res = []
for pid in (2, 1, -1, -2):
    try:
        os.kill(pid, 9)
        res.append("sent")
    except OSError as e:
        res.append(e.errno)
libc = ctypes.CDLL(None, use_errno=True)
res.append(libc.ptrace(16, 2, 0, 0))  # PTRACE_ATTACH to the zygote
try:
    open("/proc/2/mem", "rb").read(1)
    res.append("mem")
except OSError as e:
    res.append(e.errno)
print(res)
""")
raise RuntimeError("RESULT " + out)`,
    reason: "crash",
    message: /RESULT \[1, 1, 1, 1, -1, 13\]/,
    recycled: false,
  },
  {
    title: "a fork bomb outside the audit hook is capped (RLIMIT_NPROC) and swept at the deadline",
    code: ESCAPE_KIT + `
run(["/usr/bin/python3", "-c", "import os\\nwhile True:\\n    try:\\n        os.fork()\\n    except OSError:\\n        pass"])`,
    reason: "too_complex",
    recycled: true,
    timeoutMs: 3000,
  },
  {
    title: "a 10 GB allocation outside the audit hook fails (RLIMIT_AS is inherited across exec)",
    code: ESCAPE_KIT + `
raise RuntimeError("RESULT " + py("x = bytearray(10 * 1024 ** 3)").strip().splitlines()[-1])`,
    reason: "crash",
    message: /RESULT MemoryError/,
    recycled: false,
  },
  {
    title: "a daemon (new session, outlives the job) is killed after the job and the sandbox replaced",
    code: ESCAPE_KIT + `
r, w = os.pipe()
pid = _posixsubprocess.fork_exec(["/usr/bin/sleep", "600"], [b"/usr/bin/sleep"], True, (), None, None,
    -1, -1, -1, -1, -1, -1, r, w, True, True, -1, None, None, None, -1, None, False)
raise RuntimeError("RESULT daemon started")`,
    reason: "crash",
    message: /RESULT daemon started/,
    recycled: true,
  },
];

/** Program-only cases: the job's own process exhausting its limits. */
const programCases: Case[] = [
  {
    title: "an endless loop",
    code: "while True:\n    pass",
    reason: "too_complex",
    timeoutMs: 1500,
    recycled: true,
  },
  { title: "a 10 GB allocation in the job", code: "x = bytearray(10 * 1024 ** 3)", reason: "too_complex" },
  {
    title: "printing 1 GB (stdout is capped)",
    code: "import sys\nfor i in range(1024):\n    sys.stdout.write('x' * (1 << 20))",
    reason: "too_complex",
  },
  {
    title: "a fork bomb in the job (audit hook, then RLIMIT_NPROC)",
    code: "import os\nwhile True:\n    os.fork()",
    reason: "crash",
  },
  {
    title: "reading /etc/shadow",
    code: `print(open("/etc/shadow").read())`,
    reason: "crash",
    message: /No such file/,
  },
];

for (const sandbox of sandboxes) {
  Deno.test(
    `Python sandbox (${sandbox.name}): hostile jobs get their outcome class and leave a clean sandbox`,
    opts,
    async (t) => {
      const pool = new PythonPool({ handlers: sandbox.handlers, size: 1 });
      try {
        const first = await sandbox.run(pool, CLEAN_CHECK, 5000);
        assert.equal(first.message, CLEAN, "a fresh sandbox is clean");
        for (const c of [...cases, ...(sandbox.name === "program" ? programCases : [])]) {
          await t.step(c.title, async () => {
            const recycledBefore = pool.stats.recycled;
            const end = await sandbox.run(pool, c.code, c.timeoutMs ?? 5000);
            assert.equal(end.reason, c.reason === "crash" ? sandbox.crash : c.reason, JSON.stringify(end));
            if (c.message) assert.match(end.message, c.message);
            if (c.recycled !== undefined) {
              assert.equal(
                pool.stats.recycled > recycledBefore,
                c.recycled,
                `recycled: ${JSON.stringify(end)}`,
              );
            }
            const next = await sandbox.run(pool, CLEAN_CHECK, 5000);
            assert.equal(next.message, CLEAN, "the next job finds a clean sandbox");
          });
        }
      } finally {
        await pool.close();
      }
    },
  );
}

Deno.test(
  "chart_code: budget_ms cancels queued renders (overloaded) and answers at the budget",
  opts,
  async () => {
    const engine = await createEngine({ chart_code: chartCodeVerifier }, { workers: 1 });
    try {
      const slow = (i: number) =>
        `import time\ntime.sleep(2.5)\nimport matplotlib.pyplot as plt\nplt.plot([0, ${i}])`;
      const items = Array.from({ length: 12 }, (_, i) => ({
        verifier: "chart_code",
        response: "```python\n" + slow(i) + "\n```",
        reference: { code: "import matplotlib.pyplot as plt\nplt.plot([0, 1])" },
        options: { timeout_ms: 5000 },
      }));
      const started = performance.now();
      const results = await engine.verifyBatch(items, { budgetMs: 2000 });
      const ms = performance.now() - started;
      assert.ok(ms < 4000, `answered after ${Math.round(ms)} ms (budget 2000 ms)`);
      const overloaded = results.filter((r) => r.error?.code === "overloaded");
      assert.ok(
        overloaded.length >= 8,
        JSON.stringify(results.map((r) => r.error?.code ?? r.details?.reason)),
      );
      for (const r of results) assert.ok(r.reward === null ? r.error !== null : r.error === null);
    } finally {
      await engine.close();
    }
  },
);
