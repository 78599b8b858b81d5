/**
 * The parameters' JSON that the `text` and `match` verifiers write themselves (`kernelJson`), from
 * remembered pieces: `nameJson` (verifiers/types.ts), the remembered `JSON.stringify` of recurring
 * option values, is always the exact JSON of its string (remembered, past its limit of remembered
 * strings, or a string that needs escapes); `text`'s parameters are exactly `JSON.stringify` of their
 * fields that differ from the kernel's defaults (tokenize and lowercase always), in their order.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { nameJson, type SelfSerializingParams } from "../verifiers/types.ts";
import { TEXT_KERNEL_DEFAULTS, TEXT_METRICS, textVerifier } from "../verifiers/text/mod.ts";

Deno.test("nameJson gives JSON.stringify's text for names and for strings that need escapes", () => {
  const cases = [
    "rougeL",
    "unicode",
    "",
    'a"b',
    "back\\slash",
    "line\nbreak",
    "\u0000",
    "\ud800",
    "é 中",
    "constructor",
    "__proto__",
  ];
  for (const name of cases) {
    assert.equal(nameJson(name), JSON.stringify(name), name);
    assert.equal(nameJson(name), JSON.stringify(name), `${name} again, remembered`);
  }
});

Deno.test("nameJson stays exact for any string, past the strings it remembers", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
      assert.equal(nameJson(s), JSON.stringify(s));
      assert.equal(nameJson(s), JSON.stringify(s));
    }),
    { numRuns: 2000 },
  );
});

/** `JSON.stringify` of the fields the kernel needs: those that differ from its defaults, tokenize and lowercase. */
function expectedTextJson(params: Record<string, unknown>): string {
  const kept = Object.keys(params).filter((key) =>
    key === "refs" || key === "tokenize" || key === "lowercase" || params[key] !== TEXT_KERNEL_DEFAULTS[key]
  );
  return JSON.stringify(Object.fromEntries(kept.map((key) => [key, params[key]])));
}

/** Each option of `text` with values from its domain (defaults included). */
const TEXT_OPTIONS: Record<string, fc.Arbitrary<unknown>> = {
  metric: fc.constantFrom(...TEXT_METRICS),
  profile: fc.constant("default"),
  tag: fc.constantFrom("answer", "", "caption", "a.b:c-d_e"),
  tokenize: fc.constantFrom("unicode", "whitespace", "char", "squad", "13a", "zh", "none"),
  lowercase: fc.boolean(),
  punctuation: fc.constantFrom("keep", "remove"),
  smooth: fc.constantFrom("none", "floor", "add-k", "add1", "exp"),
  smooth_value: fc.constantFrom(0, 0.1, 1, 2.5, 100),
  max_order: fc.integer({ min: 1, max: 8 }),
  char_order: fc.integer({ min: 1, max: 12 }),
  beta: fc.constantFrom(0.5, 1, 2, 3),
  whitespace: fc.boolean(),
  wer_reward: fc.constantFrom("linear", "exp"),
  threshold: fc.constantFrom(0, 0.5, 1),
};

/** Up to four options at a time (most items set few), so that the defaults' shortcut is taken often. */
const textOptions = fc.subarray(Object.keys(TEXT_OPTIONS), { maxLength: 4 }).chain((keys) =>
  fc.tuple(...keys.map((key) => TEXT_OPTIONS[key])).map((values) =>
    Object.fromEntries(keys.map((key, i) => [key, values[i]]))
  )
);

/** The text's parameters' JSON, or null when the verifier refuses the options (a caller error). */
function textJson(reference: unknown, options: Record<string, unknown>): string | null {
  let params: unknown;
  try {
    params = textVerifier.params(reference, options);
  } catch {
    return null;
  }
  const json = (params as SelfSerializingParams).kernelJson();
  assert.equal(json, expectedTextJson(params as Record<string, unknown>), JSON.stringify(options));
  return json;
}

Deno.test("text's kernelJson, table: the shortcuts (remembered head and tail) and the keys after them", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{}, '{"refs":["a cat"],"tokenize":"unicode","lowercase":true}'],
    [{ metric: "wer" }, '{"metric":"wer","refs":["a cat"],"tokenize":"whitespace","lowercase":false}'],
    [{ lowercase: false }, '{"refs":["a cat"],"tokenize":"unicode","lowercase":false}'],
    [{ tag: "" }, '{"refs":["a cat"],"tag":"","tokenize":"unicode","lowercase":true}'],
    [
      { metric: "bleu", smooth: "floor", max_order: 2 },
      '{"metric":"bleu","refs":["a cat"],"tokenize":"13a","lowercase":false,"smooth":"floor","smooth_value":0.1,"max_order":2}',
    ],
    [
      { metric: "wer", wer_reward: "exp", threshold: 0.5 },
      '{"metric":"wer","refs":["a cat"],"tokenize":"whitespace","lowercase":false,"wer_reward":"exp","threshold":0.5}',
    ],
  ];
  for (const [options, json] of cases) {
    assert.equal(textJson("a cat", options), json, JSON.stringify(options));
    assert.equal(textJson("a cat", options), json, `${JSON.stringify(options)}, written again`);
  }
});

Deno.test("property: text's kernelJson is JSON.stringify of its fields that differ from the kernel's defaults", () => {
  const reference = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `a ${s}`),
    fc.array(fc.string({ maxLength: 20 }).map((s) => `b "${s}\\`), { minLength: 1, maxLength: 3 }),
  );
  let checked = 0;
  let shortcut = 0;
  fc.assert(
    fc.property(reference, textOptions, (ref, options) => {
      const json = textJson(ref, options);
      if (json === null) return;
      assert.equal(textJson(ref, options), json, "written again");
      checked++;
      if (/"lowercase":(true|false)\}$/.test(json)) shortcut++;
    }),
    { numRuns: 3000 },
  );
  assert.ok(checked > 1000 && shortcut > 100, `${checked} option sets accepted, ${shortcut} by the shortcut`);
});
