/** A verifier over the sandbox's test kernel (wasm/test/probe.wasm), for engine and sandbox tests. */
import type { WasmVerifier } from "../verifiers/types.ts";
import { createEngine, type Engine, type EngineOptions } from "../verifiers/engine.ts";

export const probeVerifier: WasmVerifier = {
  name: "probe",
  version: "0.0.1",
  description: "Test kernel: the response is a command (ok, loop, alloc N, trap, abort, bad).",
  referenceSchema: {},
  optionsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {},
  },
  defaultTimeoutMs: 2000,
  params: () => ({}),
  examples: [],
};

/** An engine whose only verifier is the probe. */
export function createProbeEngine(options: Partial<EngineOptions> = {}): Promise<Engine> {
  return createEngine({ probe: probeVerifier }, {
    wasmDir: new URL("../wasm/test/", import.meta.url),
    ...options,
  });
}

/** Pids of this process's sandbox children (read from /proc, so no other test's process is touched). */
export function sandboxChildren(): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      if (ppid === Deno.pid && cmdline.includes("sandbox_process.ts")) pids.push(Number(entry.name));
    } catch { /* gone */ }
  }
  return pids;
}
