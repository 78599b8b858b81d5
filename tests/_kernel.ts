/** Test helpers for driving a verifier's kernel in-process and checking the verdict contract. */
import assert from "node:assert/strict";
import { compileKernel, KernelInstance, type KernelOutput } from "../wasm/mod.ts";
import { REASONS } from "../verifiers/mod.ts";

/** The reasons of DESIGN.md §2's registry a verdict may carry (null: correct). */
export const KNOWN_REASONS = new Set<string | null>([null, ...REASONS]);

/** A fresh instance of the built kernel `wasm/<name>.wasm`. */
export function loadKernel(name: string): KernelInstance {
  return new KernelInstance(
    compileKernel(Deno.readFileSync(new URL(`../wasm/${name}.wasm`, import.meta.url))),
  );
}

/** Asserts the verdict contract: reward in [0, 1], a boolean `correct`, a known reason. */
export function assertVerdict(out: KernelOutput): void {
  assert.ok(out.reward >= 0 && out.reward <= 1, `reward ${out.reward} in [0, 1]`);
  assert.equal(typeof out.correct, "boolean");
  assert.ok(KNOWN_REASONS.has(out.details.reason), `known reason ${out.details.reason}`);
}
