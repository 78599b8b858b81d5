/**
 * Plain kernel items prepared as columns (verifiers/kernel_groups.ts, `ItemPreparer.prepareKernelItem`,
 * the engine's common path) get the same bytes, timeouts, ids and caller errors as the same items
 * prepared one object each (`prepareVerifierItem` + `encodeChunk`, the path of specs' leaves).
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { encodeChunk } from "../verifiers/_prepared.ts";
import { ItemPreparer } from "../verifiers/item_preparer.ts";
import { KernelGroups } from "../verifiers/kernel_groups.ts";
import { VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";

const MAX_RESPONSE_CHARS = 200;

function preparer(): ItemPreparer {
  return new ItemPreparer(new ItemValidator(VERIFIERS, MAX_RESPONSE_CHARS), {
    maxTimeoutMs: 5_000,
    specs: {},
    routes: {},
    maxSpecDepth: 4,
    maxSpecLeaves: 8,
    maxSpecLeafBytes: 1 << 20,
  }, () => {});
}

/** Every plain kernel verifier's examples (with and without ids and timeouts), and caller errors of each kind. */
function items(): unknown[] {
  const out: unknown[] = [];
  for (const verifier of Object.values(VERIFIERS)) {
    if (verifier.stage || verifier.remote) continue;
    verifier.examples.forEach((example, i) => {
      out.push({ verifier: verifier.name, ...example.item });
      out.push({
        id: `${verifier.name}-${i}`,
        verifier: verifier.name,
        ...example.item,
        options: { ...example.item.options, timeout_ms: 9_000 + i },
      });
    });
  }
  out.push(
    { verifier: "iou", response: "[0,0,10,10]", reference: { box: [-Infinity, 20, 110, 220] } },
    { verifier: "iou", response: "[0,0,10,10]", reference: { box: [1, 2, 3] } },
    { verifier: "iou", response: "[0,0,10,10]", reference: { box: [0, 0, 10, 10] }, options: { nope: 1 } },
    { verifier: "iou", response: "x".repeat(MAX_RESPONSE_CHARS + 1), reference: { box: [0, 0, 10, 10] } },
    { id: "e", verifier: "math", response: "1", reference: "1", extra: true },
    { verifier: "math", response: 7, reference: "1" },
    { verifier: "match", response: "<answer>B</answer>", reference: ["a", "b"] },
    { verifier: "match", response: "<answer>B</answer>", reference: [" ", "b"], options: { mode: "any_of" } },
    { verifier: "match", response: "<answer>B</answer>", reference: "x", options: { choices: ["p", "q"] } },
    { verifier: "text", response: "<answer>ok</answer>", reference: "!!" },
    {
      verifier: "text",
      response: "<answer>é中 ok</answer>",
      reference: "é中 ok",
      options: { metric: "bleu" },
    },
    {
      verifier: "text",
      response: "<answer>ok</answer>",
      reference: "ok",
      options: { metric: "chrf", tokenize: "13a" },
    },
  );
  return out;
}

Deno.test("plain kernel items as columns: the same bytes, timeouts, ids and caller errors as item by item", () => {
  const prep = preparer();
  let valid = 0;
  let invalid = 0;
  for (const item of items()) {
    const verifier = prep.kernelVerifierOf(item);
    const label = JSON.stringify(item).slice(0, 120);
    if (!verifier) throw new Error(`every item above names a plain kernel verifier: ${label}`);
    const groups = new KernelGroups();
    const failed = prep.prepareKernelItem(item as Record<string, unknown>, verifier, 3, groups);
    const single = prep.prepareVerifierItem(item, () => {});
    if ("result" in single) {
      invalid++;
      deepStrictEqual(failed, single, label);
      strictEqual(groups.size, 0, label);
      continue;
    }
    valid++;
    strictEqual(failed, null, label);
    const [group] = groups.encode();
    const chunk = encodeChunk([single.item], Infinity);
    deepStrictEqual([...group.bytes], [...chunk.bytes], label);
    deepStrictEqual([...group.ends], [...chunk.ends], label);
    deepStrictEqual([...group.timeoutsMs], [...chunk.timeoutsMs], label);
    deepStrictEqual([...group.positions], [3], label);
    deepStrictEqual(group.ids, [single.item.head.id], label);
    strictEqual(group.verifier, single.item.head.verifier, label);
    strictEqual(group.version, single.item.head.version, label);
  }
  strictEqual(invalid >= 10, true, `caller errors compared: ${invalid}`);
  strictEqual(valid >= 40, true, `valid items compared: ${valid}`);
});

Deno.test("columns of many items: one group per verifier, positions kept, ASCII and other text alike", () => {
  const prep = preparer();
  const all = items();
  const groups = new KernelGroups();
  const byVerifier = new Map<string, { positions: number[]; prepared: unknown[] }>();
  all.forEach((item, position) => {
    const verifier = prep.kernelVerifierOf(item);
    if (
      !verifier ||
      prep.prepareKernelItem(item as Record<string, unknown>, verifier, position, groups) !== null
    ) {
      return;
    }
    const single = prep.prepareVerifierItem(item, () => {});
    if ("result" in single) throw new Error("an item prepared as columns failed alone");
    const entry = byVerifier.get(verifier.name) ?? { positions: [], prepared: [] };
    entry.positions.push(position);
    entry.prepared.push(single.item);
    byVerifier.set(verifier.name, entry);
  });
  const encoded = groups.encode();
  deepStrictEqual(encoded.map((g) => g.verifier).sort(), [...byVerifier.keys()].sort());
  for (const group of encoded) {
    const entry = byVerifier.get(group.verifier)!;
    const chunk = encodeChunk(entry.prepared as Parameters<typeof encodeChunk>[0], Infinity);
    deepStrictEqual([...group.positions], entry.positions, group.verifier);
    deepStrictEqual([...group.bytes], [...chunk.bytes], group.verifier);
    deepStrictEqual([...group.ends], [...chunk.ends], group.verifier);
  }
});
