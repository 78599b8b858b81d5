/**
 * The WASM sandbox processes' memory cgroups (wasm/sandbox_cgroup.ts), on this machine's real
 * cgroup filesystem: where the server can make cgroups (root, a writable memory hierarchy), a
 * process that passes its limit is killed by the kernel and its job ends as a no-verdict that says
 * so, the pool recovers, and the cgroups are gone after close; where it cannot, the pool says why
 * and goes on with RLIMIT_DATA alone.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createProbeEngine, sandboxChildren } from "./_probe.ts";
import { startServer } from "./_server.ts";
import {
  type CgroupSource,
  DEFAULT_CGROUP_MEMORY_BYTES,
  locateMemoryCgroup,
  sandboxLaunch,
  WorkerPool,
} from "../wasm/mod.ts";
import { ConfigError, engineOptions, loadConfig } from "../config.ts";

const probe = (response: string) => ({ verifier: "probe", response, options: {} });
const kernels = { probe: new URL("../wasm/test/probe.wasm", import.meta.url).pathname };
const encoder = new TextEncoder();

const realSource = (): CgroupSource => ({
  cgroup: Deno.readTextFileSync("/proc/self/cgroup"),
  mountinfo: Deno.readTextFileSync("/proc/self/mountinfo"),
});

/** Whether this machine should give the sandbox cgroups: a usable memory hierarchy, and root. */
const expectCgroups = !("problem" in locateMemoryCgroup(realSource())) && Deno.uid() === 0;

/** The memory cgroup directory of a running process (v1 `memory` line, else the v2 `0::` line). */
function cgroupDirOf(pid: number): string {
  const lines = Deno.readTextFileSync(`/proc/${pid}/cgroup`).split("\n");
  const mountinfo = Deno.readTextFileSync("/proc/self/mountinfo").split("\n");
  const v1 = lines.find((l) => l.split(":")[1]?.split(",").includes("memory"));
  if (v1) {
    const mount = mountinfo.find((l) => / - cgroup \S+ .*\bmemory\b/.test(l))!.split(" ");
    return join(mount[4], v1.split(":")[2].slice(mount[3] === "/" ? 0 : mount[3].length));
  }
  const mount = mountinfo.find((l) => / - cgroup2 /.test(l))!.split(" ");
  return join(
    mount[4],
    lines.find((l) => l.startsWith("0::"))!.slice(3).slice(mount[3] === "/" ? 0 : mount[3].length),
  );
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** One chunk of probe commands for the pool. */
function chunk(commands: string[]) {
  const parts = commands.map((c) => encoder.encode(`{}\0${c}`));
  const ends = new Uint32Array(parts.length);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, at);
    ends[i] = at += p.length;
  });
  const timeoutsMs = new Float64Array(parts.length).fill(10_000);
  return { kernel: "probe", bytes, ends, timeoutsMs, deadlineAt: Infinity };
}

Deno.test("locateMemoryCgroup(): v2 when it has the memory controller for children, else v1; or why neither", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const v2 = join(dir, "v2");
    await Deno.mkdir(join(v2, "srv"), { recursive: true });
    await Deno.writeTextFile(join(v2, "srv", "cgroup.controllers"), "cpu io memory pids\n");
    await Deno.writeTextFile(join(v2, "srv", "cgroup.subtree_control"), "memory\n");
    const v2Mount = `41 31 0:38 / ${v2} rw,relatime - cgroup2 cgroup2 rw`;
    const v1Mount = `35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory`;
    const cases: [string, CgroupSource, unknown][] = [
      ["v2 with memory", { cgroup: "0::/srv\n", mountinfo: v2Mount }, { version: 2, base: join(v2, "srv") }],
      [
        "v2 inside a container (mount root is the container's cgroup)",
        { cgroup: "0::/srv\n", mountinfo: `41 31 0:38 /srv ${join(v2, "srv")} rw - cgroup2 cgroup2 rw` },
        { version: 2, base: join(v2, "srv") },
      ],
      [
        "hybrid: v2 without memory, v1 memory",
        { cgroup: "4:memory:/a/b\n0::/\n", mountinfo: `${v1Mount}\n${v2Mount}` },
        { version: 1, base: "/sys/fs/cgroup/memory/a/b" },
      ],
      [
        "v1 with memory shared with another controller",
        { cgroup: "3:cpu,memory:/x\n", mountinfo: v1Mount.replace("rw,memory", "rw,cpu,memory") },
        { version: 1, base: "/sys/fs/cgroup/memory/x" },
      ],
    ];
    for (const [name, source, expected] of cases) {
      assert.deepEqual(locateMemoryCgroup(source), expected, name);
    }
    const problem = (source: CgroupSource) => {
      const found = locateMemoryCgroup(source);
      return "problem" in found ? found.problem : "";
    };
    assert.match(problem({ cgroup: "0::/\n", mountinfo: "" }), /no cgroup v1 memory hierarchy/);
    assert.match(
      problem({ cgroup: "4:memory:/a\n", mountinfo: v1Mount.replace("rw,relatime", "ro,relatime") }),
      /mounted read-only/,
    );
    await Deno.writeTextFile(join(v2, "srv", "cgroup.subtree_control"), "\n");
    assert.match(
      problem({ cgroup: "0::/srv\n", mountinfo: v2Mount }),
      /does not give its children the memory controller/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sandbox processes sit in their own memory cgroup, limited to sandbox_cgroup_memory_bytes", async () => {
  const engine = await createProbeEngine({ workers: 1, sandboxCgroupMemoryBytes: 768 * 1024 * 1024 });
  const stats = engine.stats().pool;
  let dir = "";
  try {
    assert.equal((await engine.verifyBatch([probe("ok")]))[0].reward, 1);
    if (!expectCgroups) {
      assert.equal(stats.memoryCgroupBytes, 0);
      assert.match(
        stats.memoryCgroup,
        /^unavailable: .+; sandbox processes are limited by RLIMIT_DATA only$/,
      );
      return;
    }
    assert.equal(stats.memoryCgroupBytes, 768 * 1024 * 1024, stats.memoryCgroup);
    const [pid] = sandboxChildren();
    dir = cgroupDirOf(pid);
    assert.match(dir, new RegExp(`/arbiter-sandbox-${Deno.pid}-\\d+/slot-0$`));
    assert.ok(stats.memoryCgroup.includes(join(dir, "..")), stats.memoryCgroup);
    const limitFile = exists(join(dir, "memory.max")) ? "memory.max" : "memory.limit_in_bytes";
    assert.equal(Deno.readTextFileSync(join(dir, limitFile)).trim(), String(768 * 1024 * 1024));
  } finally {
    await engine.close();
  }
  if (dir) {
    assert.ok(!exists(dir), "the slot's cgroup is removed at close");
    assert.ok(!exists(join(dir, "..")), "the pool's cgroup is removed at close");
  }
});

Deno.test("a job past the cgroup's limit ends as an internal no-verdict saying memory; the pool recovers; the cgroup goes at close", async () => {
  // A tight limit: the process starts in about 20 MB of its own memory, the probe's "alloc 60" touches 60 MiB more.
  const limit = 48 * 1024 * 1024;
  const launch = await sandboxLaunch({ kernels, memoryBytes: 2048 * 1024 * 1024, cgroupMemoryBytes: limit });
  const pool = new WorkerPool({ size: 1, kernels, launch });
  let dir = "";
  try {
    await pool.ready();
    if (!expectCgroups) {
      assert.equal(pool.stats.memoryCgroupBytes, 0);
      assert.match(pool.stats.memoryCgroup, /^unavailable: /);
      return;
    }
    assert.equal(pool.stats.memoryCgroupBytes, limit, pool.stats.memoryCgroup);
    dir = cgroupDirOf(sandboxChildren()[0]);
    const outcomes = await pool.run(chunk(["alloc 60"]));
    assert.equal(outcomes[0].kind, "fault");
    const message = outcomes[0].kind === "fault" ? outcomes[0].fault.message : "";
    assert.match(
      message,
      /ran out of memory: the kernel's OOM killer stopped it at its memory cgroup's limit/,
    );
    assert.match(message, new RegExp(`${limit} bytes \\(sandbox_cgroup_memory_bytes\\)`));
    assert.equal(pool.stats.deaths, 1);
    assert.equal(pool.stats.oomKills, 1);
    assert.match(pool.stats.lastDeathReason!, /ran out of memory/);
    // The replacement process starts in the same cgroup and works.
    const after = await pool.run(chunk(["ok", "ok"]));
    assert.deepEqual(after.map((o) => o.kind), ["output", "output"]);
    assert.equal(cgroupDirOf(sandboxChildren()[0]), dir);
    // A SIGKILL that is not the OOM killer's is not blamed on memory.
    const busy = pool.run(chunk(["loop"]));
    await new Promise((r) => setTimeout(r, 300));
    Deno.kill(sandboxChildren()[0], "SIGKILL");
    const killed = await busy;
    assert.equal(killed[0].kind, "fault");
    assert.doesNotMatch(killed[0].kind === "fault" ? killed[0].fault.message : "", /memory/);
    assert.equal(pool.stats.oomKills, 1);
    assert.equal(pool.stats.deaths, 2);
  } finally {
    await pool.close();
  }
  if (dir) {
    assert.ok(!exists(dir), "the slot's cgroup is removed at close");
    assert.ok(!exists(join(dir, "..")), "the pool's cgroup is removed at close");
  }
});

Deno.test("the same through the engine: the OOM-killed item is an internal no-verdict, the server goes on", async () => {
  const engine = await createProbeEngine({ workers: 1 });
  try {
    assert.equal((await engine.verifyBatch([probe("ok")]))[0].reward, 1);
    if (!expectCgroups) return;
    // Tighten the slot's limit under the running process (the engine's default is 2 GiB).
    const dir = cgroupDirOf(sandboxChildren()[0]);
    const limitFile = exists(join(dir, "memory.max")) ? "memory.max" : "memory.limit_in_bytes";
    Deno.writeTextFileSync(join(dir, limitFile), String(48 * 1024 * 1024));
    const results = await engine.verifyBatch([probe("alloc 60")]);
    assert.equal(results[0].reward, null);
    assert.equal(results[0].correct, null);
    assert.equal(results[0].error?.code, "internal");
    assert.match(results[0].error!.message, /ran out of memory: .* limit of 50331648 bytes/);
    const again = await engine.verifyBatch([probe("ok"), probe("ok")]);
    assert.deepEqual(again.map((r) => r.reward), [1, 1]);
    assert.equal(engine.stats().pool.oomKills, 1);
    assert.equal(engine.stats().pendingItems, 0);
  } finally {
    await engine.close();
  }
});

Deno.test("where no cgroup can be made, the pool says why once and scores with RLIMIT_DATA alone", async () => {
  const dir = await Deno.makeTempDir();
  const logged: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  const pools: WorkerPool[] = [];
  try {
    const launch = await sandboxLaunch({ kernels, memoryBytes: 2048 * 1024 * 1024 });
    const open = (cgroupSource: CgroupSource) => {
      const pool = new WorkerPool({ size: 1, kernels, launch, cgroupSource });
      pools.push(pool);
      return pool;
    };
    // No memory controller anywhere (twice: logged once).
    const none = { cgroup: "0::/\n", mountinfo: "" };
    const first = open(none);
    open(none);
    // A "memory hierarchy" that is a plain folder: the child made there is no cgroup.
    const fake = open({
      cgroup: "4:memory:/\n",
      mountinfo: `35 31 0:32 / ${dir} rw,relatime - cgroup cgroup rw,memory`,
    });
    for (const pool of pools) await pool.ready();
    assert.equal(first.stats.memoryCgroupBytes, 0);
    assert.equal(
      first.stats.memoryCgroup,
      "unavailable: no cgroup v1 memory hierarchy is mounted; sandbox processes are limited by RLIMIT_DATA only",
    );
    assert.match(fake.stats.memoryCgroup, /^unavailable: .*arbiter-sandbox-\d+-\d+ is not a cgroup;/);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "the folder it tried is removed again");
    assert.equal(logged.filter((l) => l.includes("no cgroup v1 memory hierarchy")).length, 1);
    for (const pool of pools) assert.equal((await pool.run(chunk(["ok"])))[0].kind, "output");
    // 0 turns the cgroups off without a complaint.
    const launchOff = await sandboxLaunch({ kernels, memoryBytes: 2048 * 1024 * 1024, cgroupMemoryBytes: 0 });
    const off = new WorkerPool({ size: 1, kernels, launch: launchOff });
    pools.push(off);
    assert.equal(off.stats.memoryCgroup, "off (sandbox_cgroup_memory_bytes is 0)");
    assert.equal(off.stats.memoryCgroupBytes, 0);
  } finally {
    console.error = error;
    for (const pool of pools) await pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a server that is not root (here: root's sandbox user) cannot make cgroups and says why",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    // The cgroup module alone, run by the public Deno binary as the sandbox's user 65534.
    const dir = await Deno.makeTempDir();
    try {
      await Deno.chmod(dir, 0o755);
      await Deno.copyFile(
        new URL("../wasm/sandbox_cgroup.ts", import.meta.url),
        join(dir, "sandbox_cgroup.ts"),
      );
      await Deno.writeTextFile(
        join(dir, "open.ts"),
        `import { SandboxCgroups } from "./sandbox_cgroup.ts";
const made = SandboxCgroups.open(1 << 30, 1);
console.log(JSON.stringify({ uid: Deno.uid(), status: made.status, limitBytes: made.limitBytes }));`,
      );
      for (const file of ["sandbox_cgroup.ts", "open.ts"]) await Deno.chmod(join(dir, file), 0o644);
      const launch = await sandboxLaunch({ kernels, memoryBytes: 0 });
      assert.equal(launch.user, "unprivileged");
      const deno = launch.args[launch.args.indexOf("--") + 1];
      const prefix = [launch.command, ...launch.args.slice(0, launch.args.indexOf("--") + 1)];
      const output = await new Deno.Command(prefix[0], {
        args: [...prefix.slice(1), deno, "run", "--no-config", "--no-lock", "-A", join(dir, "open.ts")],
        env: launch.env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 0, stderr);
      const opened = JSON.parse(new TextDecoder().decode(output.stdout));
      assert.equal(opened.uid, 65534);
      assert.equal(opened.limitBytes, 0);
      if (expectCgroups) {
        assert.match(
          opened.status,
          /^unavailable: cannot create \S+\/arbiter-sandbox-\d+-1 \(.*denied.*\);/i,
        );
      } else assert.match(opened.status, /^unavailable: /);
      assert.match(stderr, /sandbox: memory cgroup unavailable: .*RLIMIT_DATA only/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("sandbox_cgroup_memory_bytes: 2 GiB by default, 0 turns the cgroups off, negative is a config error", () => {
  assert.equal(loadConfig().sandbox_cgroup_memory_bytes, DEFAULT_CGROUP_MEMORY_BYTES);
  assert.equal(DEFAULT_CGROUP_MEMORY_BYTES, 2048 * 1024 * 1024);
  const off = loadConfig({ env: { ARBITER_SANDBOX_CGROUP_MEMORY_BYTES: "0" } });
  assert.equal(engineOptions(off).sandboxCgroupMemoryBytes, 0);
  const yaml = loadConfig({ yamlText: "sandbox_cgroup_memory_bytes: 805306368\n" });
  assert.equal(engineOptions(yaml).sandboxCgroupMemoryBytes, 805306368);
  assert.throws(
    () => loadConfig({ env: { ARBITER_SANDBOX_CGROUP_MEMORY_BYTES: "-1" } }),
    (error) => error instanceof ConfigError && /non-negative integer/.test(error.message),
  );
});

Deno.test("the server started with its documented flags (not --allow-all) finds the same memory cgroup", async () => {
  // Deno 2.9 reads /proc only under --allow-all; `deno task start` and deploy/ pass narrower flags.
  const server = await startServer();
  try {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const status = /arbiter_sandbox_memory_cgroup_info\{status="([^"]*)"\}/.exec(text)![1];
    if (expectCgroups) assert.match(status, /^cgroup v[12] \S+\/arbiter-sandbox-\d+-\d+, /);
    else assert.match(status, /^unavailable: /);
  } finally {
    await server.stop();
  }
});
