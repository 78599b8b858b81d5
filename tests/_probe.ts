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
