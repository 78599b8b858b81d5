/**
 * Two builds of the `match` kernel give byte-identical outputs: random items over every mode and option
 * (labels, aliases, choices written every way, sets, sequences, tuples, rankings with graded relevance,
 * weighted credits, tags, JSON and Python lists, \boxed{}, fences, bullets) and hostile answers (huge lists,
 * deep nesting, invalid UTF-8 bytes, NUL, lone surrogates, CJK, emoji), plus parameter blocks the host never
 * writes (reordered, duplicated, unknown or mistyped keys, escapes, malformed JSON), perf/match_baseline.ts's
 * items and every published example, each scored by both. For checking that a speed-up changed nothing:
 *
 *   deno run --allow-read perf/match_kernel_diff.ts OLD.wasm [NEW.wasm, default wasm/match.wasm] [--runs N]
 */
import fc from "fast-check";
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import { MATCH_MODES, matchVerifier } from "../verifiers/match/mod.ts";
import { matchExamples } from "../verifiers/match/examples.ts";
import { matchItems } from "./match_baseline.ts";

const load = (p: string) => new KernelInstance(compileKernel(Deno.readFileSync(p)));
const paths = Deno.args.filter((a, i) => !a.startsWith("--") && Deno.args[i - 1] !== "--runs");
if (paths.length < 1) throw new Error("usage: perf/match_kernel_diff.ts OLD.wasm [NEW.wasm] [--runs N]");
const newPath = paths[1] ?? new URL("../wasm/match.wasm", import.meta.url).pathname;
const oldK = load(paths[0]), newK = load(newPath);
const runsAt = Deno.args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(Deno.args[runsAt + 1]) : 20000;
const enc = new TextEncoder();
const dec = new TextDecoder();

let compared = 0, skipped = 0;

let traps = 0;

/** The output's text, or "trap: …" when the kernel aborts (a trap must stay the same trap). */
function run(k: KernelInstance, item: Uint8Array): string {
  try {
    return dec.decode(k.scoreBytes(item));
  } catch (e) {
    traps++;
    return `trap: ${e}`;
  }
}

/** Scores the raw item bytes with both builds; throws with the item when they differ. */
function same(item: Uint8Array, what: () => string): void {
  const a = run(oldK, item);
  const b = run(newK, item);
  compared++;
  if (a !== b) throw new Error(`differ: ${what()}\nold ${a}\nnew ${b}`);
}

/** An item of a parameter block (any text) and response bytes. */
function rawItem(params: string, response: Uint8Array): Uint8Array {
  const head = enc.encode(params);
  const out = new Uint8Array(head.length + 1 + response.length);
  out.set(head, 0);
  out.set(response, head.length + 1);
  return out;
}

// ---- fixed items: the examples and the benchmark's items ----
for (const ex of matchExamples) {
  const it = ex.item as { response: string; reference: unknown; options?: Record<string, unknown> };
  const params = matchVerifier.params(it.reference, it.options ?? {});
  same(encodeItem(params, it.response), () => ex.title);
}
for (
  const it of matchItems(500) as { response: string; reference: unknown; options: Record<string, unknown> }[]
) {
  same(encodeItem(matchVerifier.params(it.reference, it.options), it.response), () => JSON.stringify(it));
}
const fixed = compared;

// ---- random items ----
const LABELS = [
  "cat",
  "Cat",
  "dog",
  "golden retriever",
  "Golden  Retriever.",
  "the cat",
  "an apple",
  "a",
  "C++",
  "t-shirt",
  "2",
  "2.0",
  "-3",
  "+4",
  "1e3",
  "0.5",
  "007",
  "doc1",
  "[1]",
  "[2]",
  "A",
  "B",
  "c",
  "AC",
  "red",
  "blue",
  "color",
  "size",
  "猫",
  "狗，猫",
  "İstanbul",
  "ΣΑΣ",
  "Ωmega",
  "😀",
  "👍🏽",
  "…",
  "-",
  ">",
  "«x»",
  "\u00a0x\u00a0",
  "\u200bzw",
  "ß",
  "Ǆ",
  "ＡＢＣ",
  '"quoted"',
  "'single'",
  "x\\y",
  "tab\tx",
  "new\nline",
];
const label = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...LABELS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
);
const scalar = fc.oneof({ weight: 4, arbitrary: label }, {
  weight: 1,
  arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 0, -1, 2.5, 1e20, 0.1),
});
const tuple = fc.array(scalar, { minLength: 1, maxLength: 4 });
const reference = fc.oneof(
  { weight: 2, arbitrary: scalar },
  { weight: 5, arbitrary: fc.array(scalar, { maxLength: 8 }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(scalar, tuple), { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.dictionary(label, fc.constantFrom(0, 1, 2, 3, 0.5), { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.constant([1, 2, 3, 4]) },
);
const choiceTexts = ["a cat", "a dog", "A bird singing", "the fox", "Blue", "C++", "猫", "1", "cat."];
const choices = fc.oneof(
  fc.subarray(choiceTexts, { minLength: 1 }),
  fc.dictionary(
    fc.constantFrom("A", "B", "C", "D", "a", "b", "1", "AB", "x1"),
    fc.constantFrom(...choiceTexts),
    {
      minKeys: 1,
      maxKeys: 5,
    },
  ),
);
const weights = fc.record({
  right: fc.constantFrom(1, 5, 0.5),
  partial: fc.oneof(
    fc.constantFrom(0.5, 0, -1),
    fc.array(fc.constantFrom(0.5, 1.5, 0, 2), { minLength: 1, maxLength: 3 }),
  ),
  wrong: fc.constantFrom(0, -0.5),
  extra: fc.constantFrom(-0.5, -1, 0),
  missing: fc.constantFrom(0, -1),
}, { requiredKeys: [] });
const options = fc.record({
  mode: fc.constantFrom(...MATCH_MODES),
  tag: fc.constantFrom("answer", "", "class", "a.b"),
  split: fc.constantFrom("auto", "json", "comma", "newline", "whitespace"),
  case_sensitive: fc.boolean(),
  punctuation: fc.constantFrom("keep", "trim", "remove"),
  articles: fc.boolean(),
  choices,
  k: fc.integer({ min: 1, max: 8 }),
  gain: fc.constantFrom("linear", "exponential"),
  grid: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  directed: fc.boolean(),
  require_permutation: fc.boolean(),
  weights,
  key_fields: fc.integer({ min: 1, max: 3 }),
  threshold: fc.constantFrom(0, 0.5, 1, 0.75),
}, { requiredKeys: [] });

/** One piece of an answer: labels, letters in every form, list syntax, tags, hostile text. */
const piece = fc.oneof(
  { weight: 6, arbitrary: label },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "B",
      "(B)",
      "B.",
      "B)",
      "B:",
      "Option B",
      "option b",
      "Choice C",
      "Answer: A",
      "\\text{(B)}",
      "\\textbf{C}",
      "**B**",
      "B. a dog",
      "B a dog",
      "AC",
      "A, C",
      "(1)",
      "b",
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ", ",
      ",",
      "; ",
      " ",
      "\n",
      "\n- ",
      "\n1. ",
      "\n2) ",
      "* ",
      "• ",
      " > ",
      "，",
      "、",
      "[",
      "]",
      "(",
      ")",
      "{",
      "}",
      "\\{",
      "\\}",
      '"',
      "'",
      "`",
      "```\n",
      "\n```",
      "\\boxed{",
      "<answer>",
      "</answer>",
      "<class>",
      "</class>",
      "<think>x</think>",
      "True",
      "None",
      "null",
      "\\n",
      "\\u00e9",
      "\\x41",
      "\0",
      "\uD800",
      "\uDC00",
      "\u3000",
      "\u2028",
    ),
  },
);
const text = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { maxLength: 24 }).map((p) => p.join("")) },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(label, tuple.map((t) => `(${t.join(", ")})`)), { maxLength: 8 }).chain((
      xs,
    ) =>
      fc.constantFrom(
        JSON.stringify(xs),
        `[${xs.join(", ")}]`,
        `(${xs.map((x) => `'${x}'`).join(", ")})`,
        xs.join(", "),
        xs.join("\n"),
        xs.map((x, i) => `${i + 1}. ${x}`).join("\n"),
        xs.join(" > "),
        xs.join(" "),
        `\\boxed{${xs.join(", ")}}`,
        "```json\n" + JSON.stringify(xs) + "\n```",
      )
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
);
/** Where the answer sits: tagged, boxed, unclosed, whole. */
const response = fc.tuple(text, fc.constantFrom("tag", "class", "boxed", "unclosed", "whole", "two")).map((
  [t, where],
) =>
  where === "tag"
    ? `<think>hmm</think><answer>${t}</answer>`
    : where === "class"
    ? `<class>${t}</class>`
    : where === "boxed"
    ? `<answer>so \\boxed{${t}}</answer>`
    : where === "unclosed"
    ? `x <answer>${t}`
    : where === "two"
    ? `<answer>z</answer> <answer>${t}</answer>`
    : t
);

/**
 * Bends a random reference towards one the mode accepts (a list for the list modes, one label for exact,
 * choice keys with choices, a grid that holds it), so that most random items are valid requests.
 */
function fitReference(ref: unknown, o: Record<string, unknown>, useChoices: number): unknown {
  const mode = o.mode;
  const isObject = ref !== null && typeof ref === "object" && !Array.isArray(ref);
  if (isObject && mode !== "ndcg") ref = Object.keys(ref as object);
  if (!Array.isArray(ref) && !isObject && mode !== "exact") ref = [ref];
  if (Array.isArray(ref) && mode === "exact") ref = ref.length > 0 ? ref[0] : "x";
  if (Array.isArray(ref) && ref.length === 0 && mode !== "set_exact" && mode !== "set_f1") ref = ["x", "y"];
  if (useChoices > 0 && !isObject && o.choices !== undefined) {
    const keys = Array.isArray(o.choices)
      ? o.choices.map((_, i) => String.fromCharCode(65 + i))
      : Object.keys(o.choices as object);
    const pick = (i: number) => keys[(i * 7 + useChoices) % keys.length];
    ref = Array.isArray(ref) ? ref.map((_, i) => pick(i)) : pick(0);
  } else delete o.choices;
  if (mode === "adjacency" && Array.isArray(ref) && useChoices % 2 === 0) o.grid = [1, ref.length];
  return ref;
}

fc.assert(
  fc.property(reference, options, response, fc.nat(3), (ref, opts, resp, useChoices) => {
    const o: Record<string, unknown> = { ...opts };
    if (o.mode !== "adjacency") delete o.grid;
    const fitted = fitReference(ref, o, useChoices);
    let params;
    try {
      params = matchVerifier.params(fitted, o);
    } catch {
      skipped++;
      return;
    }
    same(encodeItem(params, resp), () => JSON.stringify({ ref: fitted, options: o, resp }));
  }),
  { numRuns: runs },
);
const typical = compared - fixed;

// ---- invalid UTF-8 and raw bytes in the response ----
fc.assert(
  fc.property(
    fc.constantFrom(
      { mode: "any_of", ref: ["cat", "pet"] },
      { mode: "set_f1", ref: ["a", "b", "c"] },
      { mode: "kendall_tau", ref: [1, 2, 3, 4] },
      { ref: ["B"], choice_keys: ["A", "B"], choice_texts: ["x", "y"] },
      { mode: "weighted", ref: [[1, "a"], [2, "b"]] },
    ),
    fc.uint8Array({ maxLength: 48 }),
    fc.constantFrom("", "<answer>", "<answer>["),
    (params, bytes, prefix) => {
      const pre = enc.encode(prefix);
      const body = new Uint8Array(pre.length + bytes.length);
      body.set(pre, 0);
      body.set(bytes, pre.length);
      same(
        rawItem(JSON.stringify(params), body),
        () => JSON.stringify({ params, bytes: [...bytes], prefix }),
      );
    },
  ),
  { numRuns: Math.max(1000, runs >> 3) },
);

// ---- parameter blocks the host never writes ----
const paramText = fc.oneof(
  fc.constantFrom(
    "",
    "{}",
    "[]",
    "null",
    '{"ref":[]}',
    '{"ref":"cat"}',
    '{"mode":"any_of"}',
    '{"ref":["a"],"ref":["b"]}',
    '{"ref":["a"],"mode":"set_f1","mode":"any_of"}',
    '{ "ref" : [ "a" , "b" ] , "mode" : "any_of" }',
    '{"r\\u0065f":["a"]}',
    '{"ref":["a"],"mode":"\\u0061ny_of"}',
    '{"ref":["a"],"mode":"unknown"}',
    '{"ref":["a"],"mode":1}',
    '{"ref":["a"],"tag":7,"split":null,"case_sensitive":"yes"}',
    '{"ref":["a"],"extra":{"deep":[1,2,{"x":3}]}}',
    '{"ref":["a"],}',
    '{"ref":["a"]} x',
    '{"ref":["a"]}  ',
    '{"ref":[1,2],"mode":"ndcg","rel":[1,"x"],"k":"2"}',
    '{"ref":[1,2],"mode":"adjacency","grid":[1]}',
    '{"ref":[[1,"a"]],"mode":"weighted","weights":{"right":2,"partial":[]}}',
    '{"ref":[[1,"a"]],"mode":"weighted","weights":[1]}',
    '{"ref":["B"],"choice_keys":["A",1],"choice_texts":["x"]}',
    "{'ref':['a']}",
    '{"ref":["a"]',
    '{"ref":["a\u00e9"],"mod\u00e9":"x"}',
  ),
  fc.tuple(
    fc.dictionary(
      fc.constantFrom("mode", "ref", "tag", "split", "k", "rel", "grid", "weights", "choice_keys", "x"),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...MATCH_MODES)),
    ),
    fc.array(scalar, { maxLength: 4 }),
  ).map(([d, ref]) => JSON.stringify({ ...d, ref })),
);
fc.assert(
  fc.property(paramText, text, (params, resp) => {
    same(rawItem(params, enc.encode(resp)), () => JSON.stringify({ params, resp }));
  }),
  { numRuns: Math.max(1000, runs >> 3) },
);

// ---- hostile sizes ----
const big: [string, unknown, Record<string, unknown>][] = [
  ["<answer>" + Array.from({ length: 100_000 }, (_, i) => i).join(", ") + "</answer>", [1, 2], {
    mode: "set_f1",
  }],
  ["<answer>" + "[".repeat(100_000) + "]".repeat(100_000) + "</answer>", [1], { mode: "set_exact" }],
  ["<answer>" + "(".repeat(300) + "1" + ")".repeat(300) + "</answer>", ["1"], { mode: "any_of" }],
  [JSON.stringify(Array.from({ length: 9_999 }, (_, i) => `x${i % 500}`)), ["x1", "x2"], {
    mode: "lcs",
    tag: "",
  }],
  [Array.from({ length: 5000 }, (_, i) => String(i)).join("\n"), [1, 2, 3], { mode: "kendall_tau", tag: "" }],
  ["<answer>" + "猫😀".repeat(20_000) + "</answer>", "猫", {}],
  ["<answer>" + "a".repeat(1 << 20) + "</answer>", "a", {}],
];
for (const [resp, ref, opts] of big) {
  same(encodeItem(matchVerifier.params(ref, opts), resp), () => `hostile ${JSON.stringify(opts)}`);
}

console.log(
  `${compared} identical outputs: ${fixed} examples and benchmark items, ${typical} random valid items ` +
    `(${skipped} invalid requests skipped), ${
      compared - fixed - typical
    } raw-byte, parameter and hostile items; ` +
    `${traps / 2} traps (the same in both)`,
);
