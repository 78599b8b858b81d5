/**
 * Items that share their reference and options with the item before them (a GRPO group's
 * responses) reuse its kernel parameters (verifiers/item_preparer.ts): the results are exactly
 * those of items prepared one by one, caller errors inside a group stay caller errors, and values
 * that only look alike (another key order, another type, another prototype) are never taken as equal.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { createEngine, resultJson, VERIFIERS } from "../verifiers/mod.ts";
import { ItemPreparer, sameJson } from "../verifiers/item_preparer.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { KernelGroups } from "../verifiers/kernel_groups.ts";
import { groupedMatchItems } from "../perf/match_baseline.ts";

Deno.test("sameJson: equal JSON values only", () => {
  const proto = Object.create({ inherited: 1 });
  const cases: [unknown, unknown, boolean][] = [
    ["a", "a", true],
    ["a", "b", false],
    [1, 1, true],
    [1, "1", false],
    [0, -0, true], // both serialize as 0
    [null, null, true],
    [null, {}, false],
    [[], {}, false],
    [{}, [], false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[1, 2], [1, 2, 3], false],
    [[[1, "a"]], [[1, "a"]], true],
    [{ a: 1, b: 2 }, { a: 1, b: 2 }, true],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, false], // other parameters (an ndcg reference's items in key order)
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: { b: [1] } }, { a: { b: [1] } }, true],
    [{ a: { b: [1] } }, { a: { b: [2] } }, false],
    [JSON.parse('{"__proto__":{"x":1}}'), JSON.parse('{"__proto__":{"x":1}}'), true],
    [JSON.parse('{"__proto__":{"x":1}}'), JSON.parse('{"__proto__":{"x":2}}'), false],
    [proto, {}, false],
    [proto, proto, false], // not a plain object, even when it is the same one
    [new Date(0), new Date(0), false],
    [Object.create(null), Object.create(null), true],
  ];
  for (const [a, b, equal] of cases) {
    strictEqual(sameJson(a, b), equal, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});

/** A result without its measured time. */
function outcome(result: Parameters<typeof resultJson>[0]): string {
  const plain = JSON.parse(resultJson(result));
  delete plain.ms;
  return JSON.stringify(plain);
}

Deno.test("grouped items: the results of items prepared one by one, caller errors included", async () => {
  const items = groupedMatchItems(400, 8) as Record<string, unknown>[];
  // Caller errors and near-misses inside groups: each must be judged on its own.
  items[3] = { ...items[3], response: 7 };
  items[4] = { ...items[4], extra: true };
  items[5] = { ...items[5], options: { ...(items[5].options as object), timeout_ms: 0 } };
  items[11] = { ...items[11], options: { mode: "exact" } };
  items[12] = { ...items[12], reference: ["tabby cat", "pet"] };
  items[20] = { ...items[20], reference: [1e400] };
  items[21] = { ...items[21], id: "x".repeat(10) };
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    const together = await engine.verifyBatch(items);
    for (let i = 0; i < items.length; i++) {
      const [alone] = await engine.verifyBatch([items[i]]);
      strictEqual(outcome(together[i]), outcome(alone), `item ${i}: ${JSON.stringify(items[i])}`);
    }
    strictEqual(together[3].error?.code, "invalid_request");
    strictEqual(together[4].error?.code, "invalid_request");
    strictEqual(together[5].error?.code, "invalid_request");
    strictEqual(together[20].error?.code, "invalid_request");
  } finally {
    await engine.close();
  }
});

Deno.test("a forgotten item's parameters are built again from what its objects hold now", () => {
  const validator = new ItemValidator(VERIFIERS, 1 << 20);
  const preparer = new ItemPreparer(validator, {
    maxTimeoutMs: 10_000,
    specs: {},
    routes: {},
    maxSpecDepth: 8,
    maxSpecLeaves: 8,
    maxSpecLeafBytes: 1 << 20,
  }, () => {});
  const reference = ["cat", "pet"];
  const options = { mode: "any_of" };
  // One window's groups, as the engine keeps them across its items.
  const groups = new KernelGroups();
  const add = (position: number, item: Record<string, unknown>) =>
    strictEqual(preparer.prepareKernelItem(item, VERIFIERS.match, position, groups), null);
  add(0, { verifier: "match", response: "cat", reference, options });
  // A caller changes the objects while the engine yields; the engine forgets the last item then.
  reference[0] = "dog";
  groups.forgetLast();
  add(1, { verifier: "match", response: "dog", reference: ["dog", "pet"], options });
  const [group] = groups.encode();
  const text = new TextDecoder().decode(group.bytes);
  const first = text.slice(0, group.ends[0]).split("\0")[0];
  const second = text.slice(group.ends[0]).split("\0")[0];
  deepStrictEqual([first.includes('"cat"'), second.includes('"dog"')], [true, true]);
});
