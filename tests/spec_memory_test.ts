/**
 * A spec's response crosses to the sandbox once per chunk, not once per leaf (issue #12, 5): a spec
 * with 2,000 `length` leaves over a 1 MB response, on a real server whose spec limits allow it, is
 * answered with the right reward while the server's and the sandbox processes' peak memory stay
 * near idle. Before responses were shared, the same request took the server to 2.1 GB (VmHWM), the
 * tree to 3.2 GB, and a sandbox process died on a 500 MB chunk (the spec had no verdict).
 */
import assert from "node:assert/strict";
import { startServer } from "./_server.ts";

const MiB = 1024 * 1024;

/** A /proc/<pid>/status field in bytes (0 when the process is gone). */
function statusBytes(pid: number, key: "VmHWM" | "VmRSS"): number {
  try {
    const line = Deno.readTextFileSync(`/proc/${pid}/status`).split("\n").find((l) =>
      l.startsWith(`${key}:`)
    );
    return Number(/(\d+) kB/.exec(line ?? "")?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The server's child processes (its sandbox processes). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent) {
        pids.push(Number(entry.name));
      }
    } catch { /* gone */ }
  }
  return pids;
}

Deno.test("a spec with 2,000 same-verifier leaves over a 1 MB response: the right reward, memory near idle", async () => {
  const server = await startServer({
    ARBITER_WORKERS: "2",
    ARBITER_MAX_SPEC_LEAVES: "2000",
    ARBITER_MAX_SPEC_LEAF_BYTES: String(4096 * MiB),
  });
  try {
    const pid = server.process.pid;
    const idlePeak = statusBytes(pid, "VmHWM");
    const response = "ab cd ".repeat(174_763).slice(0, MiB);
    // Leaf i allows 1,048,000 + i characters: the response (1,048,576) fits from leaf 576 on.
    const leaves = Array.from(
      { length: 2000 },
      (_, i) => ({ verifier: "length", options: { max: 1_048_000 + i } }),
    );
    let sandboxPeak = 0;
    const sampler = setInterval(() => {
      const total = childrenOf(pid).reduce((n, child) => n + statusBytes(child, "VmRSS"), 0);
      sandboxPeak = Math.max(sandboxPeak, total);
    }, 20);
    const answer = await fetch(`${server.url}/v1/verify/batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: [{ id: "wide", spec: { sum: leaves }, response }] }),
    });
    clearInterval(sampler);
    assert.equal(answer.status, 200);
    const [result] = (await answer.json()).results;
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.reward, 1424);
    assert.equal(result.components.length, 2000);
    result.components.forEach((leaf: { reward: number; details: { length: number } }, i: number) => {
      assert.equal(leaf.reward, i >= 576 ? 1 : 0, `leaf ${i}`);
      assert.equal(leaf.details.length, MiB);
    });
    const serverGrowth = statusBytes(pid, "VmHWM") - idlePeak;
    // Measured: +0 to +20 MiB for the server, ~130 MiB for both sandbox processes (2 GB / 1 GB before).
    assert.ok(serverGrowth < 300 * MiB, `the server's peak grew by ${serverGrowth >> 20} MiB`);
    assert.ok(sandboxPeak < 400 * MiB, `the sandbox processes peaked at ${sandboxPeak >> 20} MiB together`);
    for (const child of childrenOf(pid)) {
      assert.ok(statusBytes(child, "VmHWM") < 300 * MiB, `sandbox process ${child} peaked past 300 MiB`);
    }
  } finally {
    await server.stop();
  }
});
