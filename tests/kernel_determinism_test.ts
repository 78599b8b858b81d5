/**
 * Every kernel is a pure function of its item: the same bytes give the same output whether the item
 * is scored first in a fresh instance or after many others (the heap is reset before each item, so
 * a kernel that kept heap objects in globals would fail here).
 */
import assert from "node:assert/strict";
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import { VERIFIERS } from "../verifiers/mod.ts";

const decoder = new TextDecoder();

Deno.test("kernels give the same output fresh, after other items, and in reverse order", () => {
  for (const verifier of Object.values(VERIFIERS)) {
    if (verifier.stage) continue; // their kernel input comes from a stage, covered by their own tests
    const module = compileKernel(
      Deno.readFileSync(new URL(`../wasm/${verifier.name}.wasm`, import.meta.url)),
    );
    const items = verifier.examples.map((e) =>
      encodeItem(verifier.params(e.item.reference, e.item.options ?? {}), e.item.response)
    );
    const fresh = items.map((item) => decoder.decode(new KernelInstance(module).scoreBytes(item)));
    const shared = new KernelInstance(module);
    const forward = items.map((item) => decoder.decode(shared.scoreBytes(item)));
    const backward = items.toReversed().map((item) => decoder.decode(shared.scoreBytes(item))).toReversed();
    assert.deepEqual(forward, fresh, `${verifier.name}: forward differs from fresh`);
    assert.deepEqual(backward, fresh, `${verifier.name}: reverse differs from fresh`);
  }
});
