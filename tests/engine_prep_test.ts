/**
 * Preparation threads (verifiers/prep_pool.ts): a large batch of raw items prepared on the threads
 * gets exactly the results, byte for byte, that the engine's main thread gives the same items —
 * valid items of every plain kernel verifier, every kind of caller error, and the items the threads
 * hand back (specs, routes, staged verifiers, malformed JSON) — and a failed thread costs nothing.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { splitBatchBody } from "../routes/batch_body.ts";
import {
  createEngine,
  type Engine,
  type EngineOptions,
  RawItem,
  resultJson,
  VERIFIERS,
} from "../verifiers/mod.ts";
import { joinBytes } from "../wasm/mod.ts";

/** Item texts: each verifier's published examples, with and without ids, and hostile ones. */
function itemTexts(): string[] {
  const texts: string[] = [];
  for (const verifier of Object.values(VERIFIERS)) {
    if (verifier.stage || verifier.remote) continue;
    verifier.examples.forEach((example, i) => {
      texts.push(JSON.stringify({ verifier: verifier.name, ...example.item }));
      texts.push(JSON.stringify({ id: `${verifier.name}-${i}`, verifier: verifier.name, ...example.item }));
    });
  }
  texts.push(
    '{"verifier":"iou","response":"[0,0,10,10]","reference":{"box":[-1e309,20,110,220]}}',
    '{"verifier":"iou","response":"[0,0,10,10]","reference":{"box":[1,2,3]}}',
    '{"verifier":"iou","response":"[0,0,10,10]","reference":{"box":[0,0,10,10]},"options":{"nope":1}}',
    '{"verifier":"iou","response":"[0,0,10,10]","reference":{"box":[0,0,10,10]},"options":{"timeout_ms":0}}',
    '{"verifier":"iou","response":"' + "x".repeat(300) + '","reference":{"box":[0,0,10,10]}}',
    '{"verifier":"constructor","response":"1"}',
    '{"verifier":"toString","response":"1","reference":"1"}',
    '{"verifier":"no_such","response":"1"}',
    '{"response":"1"}',
    '{"verifier":"math","response":"1","reference":"1","extra":true}',
    '{"verifier":"math","response":7,"reference":"1"}',
    '{"verifier":"math"',
    "[1,2,3]",
    "null",
    '{"spec":{"sum":[{"verifier":"math","reference":"2"},{"const":0.5}]},"response":"\\\\boxed{2}"}',
    '{"data_source":"gsm8k","response":"\\\\boxed{2}","reference":"2"}',
    '{"id":"both","verifier":"math","spec":"x","response":"2"}',
    '{"verifier":"chart_code","response":"print(1)","reference":{}}',
    '{"verifier":"math","response":"\\\\boxed{\\u00e9\\u4e2d 2}","reference":"2"}',
    '{"verifier":"match","response":"<answer>B</answer>","reference":{"__proto__":{"x":1}}}',
  );
  // Enough items for several windows, each a slice per thread (windows under 128 items stay on the
  // main thread).
  const batch: string[] = [];
  while (batch.length < 2100) batch.push(...texts);
  return batch;
}

async function resultsOf(engine: Engine, texts: string[] | RawItem[]): Promise<string[]> {
  const raws = texts.map((text) => text instanceof RawItem ? text : new RawItem(text));
  const results = await engine.verifyBatch(raws);
  return results.map((result) => {
    // `ms` is a measurement, not part of the outcome.
    const plain = JSON.parse(resultJson(result));
    delete plain.ms;
    if (plain.components) { for (const c of plain.components) delete c.ms; }
    return JSON.stringify(plain);
  });
}

const settings = {
  workers: 2,
  maxResponseChars: 256,
  routes: { gsm8k: { verifier: "math" } },
  lazyValidators: false,
};

/** Runs `check` with an engine without preparation threads and one with them (`threaded` options). */
async function withEngines(
  threaded: Partial<EngineOptions>,
  check: (main: Engine, threaded: Engine) => Promise<void>,
): Promise<void> {
  const main = await createEngine(VERIFIERS, { ...settings, prepThreads: 0 });
  const other = await createEngine(VERIFIERS, { ...settings, prepThreads: 2, ...threaded });
  try {
    await check(main, other);
  } finally {
    await main.close();
    await other.close();
  }
}

Deno.test("prep threads: the same results as the main thread for every kind of item", async () => {
  const texts = itemTexts();
  await withEngines({}, async (main, threaded) => {
    const expected = await resultsOf(main, texts);
    const got = await resultsOf(threaded, texts);
    strictEqual(got.length, texts.length);
    for (let i = 0; i < texts.length; i++) deepStrictEqual(got[i], expected[i], `item ${i}: ${texts[i]}`);
    // The batch really went through the threads, and had verdicts and caller errors.
    strictEqual(main.stats().prep, null);
    const prep = threaded.stats().prep!;
    strictEqual(prep.threads, 2);
    strictEqual(prep.slices >= 4, true, `slices: ${prep.slices}`);
    strictEqual(prep.fallbacks, 0);
    const kinds = new Set(got.map((r) => JSON.parse(r).error?.code ?? "verdict"));
    strictEqual(kinds.has("verdict") && kinds.has("invalid_request"), true);
  });
});

Deno.test("prep threads: a batch still completes, with the same results, after the threads are gone", async () => {
  const texts = itemTexts().slice(0, 400);
  const engine = await createEngine(VERIFIERS, { ...settings, prepThreads: 2 });
  try {
    const before = await resultsOf(engine, texts);
    // Stop the threads behind the engine's back (as a crash would): slices fall back to the main thread.
    engine["prep"]?.close();
    const after = await resultsOf(engine, texts);
    deepStrictEqual(after, before);
    strictEqual(engine.stats().pendingItems, 0);
    strictEqual(engine.stats().prep!.fallbacks > 0, true);
  } finally {
    await engine.close();
  }
});

Deno.test("prep threads: plain objects and small batches stay on the main thread, same results", async () => {
  const texts = itemTexts().slice(0, 300);
  const engine = await createEngine(VERIFIERS, { ...settings, prepThreads: 2 });
  try {
    const fromText = await resultsOf(engine, texts);
    const slices = engine.stats().prep!.slices;
    const objects = texts.map((text) => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    });
    const parsable = objects.flatMap((item, i) => item === undefined ? [] : [[item, fromText[i]] as const]);
    const results = await engine.verifyBatch(parsable.map(([item]) => item));
    results.forEach((result, i) => {
      const plain = JSON.parse(resultJson(result));
      delete plain.ms;
      if (plain.components) { for (const c of plain.components) delete c.ms; }
      deepStrictEqual(JSON.stringify(plain), parsable[i][1]);
    });
    strictEqual(engine.stats().prep!.slices, slices, "objects were not sent to the threads");
    await engine.verifyBatch(texts.slice(0, 100).map((text) => new RawItem(text)));
    strictEqual(engine.stats().prep!.slices, slices, "a small batch was not sent to the threads");
  } finally {
    await engine.close();
  }
});

Deno.test("prep threads: a body's items as byte ranges cross packed (ASCII or not, bad UTF-8 too), same results", async () => {
  // Well-formed items only (a body with a broken item is a 400 before the engine sees it).
  const texts = itemTexts().filter((text) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }).slice(0, 600);
  // Literal non-ASCII characters (not \u escapes) in every other slice's worth of items.
  for (let i = 0; i < texts.length; i += 7) {
    texts[i] = '{"verifier":"text","response":"é中 🙂 two","reference":"é中 🙂 two"}';
  }
  const encoder = new TextEncoder();
  const parts = texts.map((text) => encoder.encode(text));
  // An item with a byte that is not UTF-8 (the engine reads it as U+FFFD, as TextDecoder does).
  parts[300] = new Uint8Array([
    ...encoder.encode('{"verifier":"math","response":"'),
    0xff,
    ...encoder.encode('2","reference":"2"}'),
  ]);
  const bodyParts = [
    encoder.encode('{"items":['),
    ...parts.flatMap((p, i) => i === 0 ? [p] : [encoder.encode(","), p]),
    encoder.encode("]}"),
  ];
  const { items } = await splitBatchBody(joinBytes(bodyParts), 10_000);
  strictEqual(items!.length, texts.length);
  await withEngines({}, async (main, threaded) => {
    const expected = await resultsOf(main, items!.map((item) => item.text));
    const slicesBefore = threaded.stats().prep!.slices;
    const got = await resultsOf(threaded, items!);
    for (let i = 0; i < texts.length; i++) deepStrictEqual(got[i], expected[i], `item ${i}`);
    strictEqual(threaded.stats().prep!.slices > slicesBefore, true);
    strictEqual(threaded.stats().prep!.fallbacks, 0);
    strictEqual(JSON.parse(got[300]).error, null, "the item with a bad byte still got a verdict");
  });
});

Deno.test("prep threads with lazyStart (the CLI): slices sent before the threads are up wait for them, same results", async () => {
  const texts = itemTexts().slice(0, 600);
  await withEngines({ lazyStart: true }, async (main, lazy) => {
    const got = await resultsOf(lazy, texts);
    deepStrictEqual(got, await resultsOf(main, texts));
    strictEqual(lazy.stats().prep!.slices > 0, true, "the slices went to the threads");
    strictEqual(lazy.stats().prep!.fallbacks, 0);
  });
});

Deno.test("prep threads: slices whose items name only verifiers the threads do not prepare stay on the main thread", async () => {
  // As the HTTP splitter reads them: each item's verifier is known before it is parsed.
  const staged = Array.from(
    { length: 600 },
    (_, i) => `{"id":"${i}","verifier":"no_such","response":"${i}"}`,
  );
  await withEngines({}, async (main, threaded) => {
    const expected = await resultsOf(main, staged);
    const slices = threaded.stats().prep!.slices;
    const got = await resultsOf(threaded, staged.map((text) => new RawItem(text, "no_such")));
    deepStrictEqual(got, expected);
    strictEqual(threaded.stats().prep!.slices, slices, "no slice went to the threads and back");
    // The same items without a known verifier still go (the threads decide).
    await resultsOf(threaded, staged);
    strictEqual(threaded.stats().prep!.slices > slices, true);
  });
});
