/**
 * A sandbox process that never says it is ready (a hung start) is stopped at the pool's start
 * deadline: `ready()` rejects with that reason instead of waiting forever, and the pool closes.
 */
import assert from "node:assert/strict";
import { WorkerPool } from "../wasm/mod.ts";

Deno.test("a sandbox process that never becomes ready fails the pool's start at its deadline", async () => {
  const started = performance.now();
  const pool = new WorkerPool({
    size: 2,
    kernels: {},
    // Stands in for a sandbox process that hangs before compiling the kernels: it never writes a frame.
    launch: { command: "/bin/sleep", args: ["600"], env: {}, user: "same", cgroupMemoryBytes: 0 },
    startTimeoutMs: 300,
  });
  let guard: ReturnType<typeof setTimeout> | undefined;
  // Without a deadline the pool would wait forever: the test fails after 10 s instead of hanging.
  const hung = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error("ready() still pending after 10 s")), 10_000);
  });
  try {
    await assert.rejects(Promise.race([pool.ready(), hung]), /did not start within 0\.3 s/);
    const waited = performance.now() - started;
    assert.ok(waited >= 250 && waited < 10_000, `waited ${waited} ms`);
    assert.ok(pool.stats.deaths >= 1);
    assert.match(pool.stats.lastDeathReason ?? "", /did not start within 0\.3 s \(was killed by SIGKILL\)/);
  } finally {
    clearTimeout(guard);
    await pool.close();
  }
});
