/**
 * Two builds of the `text` kernel give byte-identical outputs: random items (mixed pieces: ASCII tokens of every
 * length, case, punctuation, NUL, escapes, accents, CJK, emoji, lone surrogates, tags; random Unicode; long
 * sentences; short captions) over every metric, tokenizer and option, each scored by both; then parameter blocks
 * the host never writes (spacing, escapes, duplicate keys, other types, unknown keys, malformed). For checking that a speed-up changed
 * nothing: `deno run --allow-read perf/text_kernel_diff.ts OLD.wasm [NEW.wasm, default wasm/text.wasm] [--runs N]`.
 */
import fc from "fast-check";
import { compileKernel, encodeItem, KernelInstance } from "../wasm/mod.ts";
import { TEXT_METRICS, textVerifier } from "../verifiers/text/mod.ts";
import { TOKENIZERS } from "../verifiers/text/schemas.ts";
import { TOKEN_PIECES } from "./text_baseline.ts";
const load = (p: string) => new KernelInstance(compileKernel(Deno.readFileSync(p)));
const paths = Deno.args.filter((a, i) => !a.startsWith("--") && Deno.args[i - 1] !== "--runs");
if (paths.length < 1) throw new Error("usage: perf/text_kernel_diff.ts OLD.wasm [NEW.wasm] [--runs N]");
const newPath = paths[1] ?? new URL("../wasm/text.wasm", import.meta.url).pathname;
const oldK = load(paths[0]), newK = load(newPath);
const runsAt = Deno.args.indexOf("--runs");
const dec = new TextDecoder();
const pieces = [
  ...TOKEN_PIECES,
  ...["the", "an", "The", "İ", "😀", "\u200b", "\uD800", "<answer>", "</answer>", "1,000", "3.5", ",", "'"],
  ...["\x01", "\x7f", "a.n", "t-he", "_", "A", "THE"],
];
const caption = fc.array(
  fc.constantFrom(
    "a",
    "man",
    "rides",
    "brown",
    "horse",
    "on",
    "the",
    "beach",
    "near",
    "sea",
    "Two",
    "dogs",
    "run",
  ),
  { minLength: 1, maxLength: 16 },
).map((w) => w.join(" "));
const text = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => p.join("")),
  // short captions, bare or in the tags models write (perf/text_baseline.ts shortTextItems)
  fc.tuple(
    caption,
    fc.constantFrom("", "<think>ok</think><answer>", "<answer>", " "),
    fc.constantFrom("", "</answer>", "."),
  ).map(
    ([c, a, b]) => a + c + b,
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.array(fc.constantFrom("a", "man", "rides", "Horse", "on", "the", "beach", " ", ".", "é"), {
    maxLength: 300,
  }).map((p) => p.join(" ")),
);
let n = 0, same = 0, skipped = 0;
fc.assert(
  fc.property(
    text,
    fc.array(text, { minLength: 1, maxLength: 3 }),
    fc.constantFrom(...TEXT_METRICS),
    fc.nat(),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom("", "answer"),
    fc.constantFrom(undefined, 0, 0.25, 0.5, 1),
    (ans, refs, metric, tk, lower, punct, tag, threshold) => {
      const toks = TOKENIZERS[metric];
      const options: Record<string, unknown> = { metric, lowercase: lower, tag };
      if (threshold !== undefined) options.threshold = threshold;
      if (punct && ["wer", "cer"].includes(metric)) options.wer_reward = "exp";
      if (toks.length > 0) options.tokenize = toks[tk % toks.length];
      if (punct && ["wer", "cer", "edit_similarity"].includes(metric)) options.punctuation = "remove";
      let params;
      try {
        params = textVerifier.params(refs.map((r) => `q ${r}`), options);
      } catch {
        skipped++;
        return;
      }
      const item = encodeItem(params, ans);
      const a = dec.decode(oldK.scoreBytes(item)), b = dec.decode(newK.scoreBytes(item));
      n++;
      if (a !== b) {
        throw new Error(`differ: ${JSON.stringify({ ans, refs, options })}\nold ${a}\nnew ${b}`);
      }
      same++;
    },
  ),
  { numRuns: runsAt >= 0 ? Number(Deno.args[runsAt + 1]) : 20000 },
);
// Parameter blocks the host never writes (the kernel's general reader decides them): odd spacing, escapes,
// duplicate keys, values of other types, unknown metrics and keys, non-ASCII, malformed text.
const key = fc.constantFrom(
  "refs",
  "metric",
  "tag",
  "tokenize",
  "lowercase",
  "punctuation",
  "smooth",
  "smooth_value",
  "max_order",
  "char_order",
  "beta",
  "whitespace",
  "wer_reward",
  "threshold",
  "profile",
  "x",
  "m\u0065tric",
  "métric",
);
const value = fc.oneof(
  fc.constantFrom(
    '["a man rides"]',
    '[ "a man", "rides the horse" ]',
    '["a\u0020man\nrides"]',
    '["caf\u00e9 au lait", "q"]',
    '["the horse", 1]',
    "[]",
    '"a man"',
    '"rougeL"',
    '"rouge1"',
    '"wer"',
    '"token_f1"',
    '"chrf"',
    '"bleu"',
    '"cer"',
    '"foo"',
    '"w\u0065r"',
    '"answer"',
    '"ans"',
    '""',
    '"sq\u0075ad"',
    '"squad"',
    '"whitespace"',
    '"char"',
    '"remove"',
    '"floor"',
    '"exp"',
    "true",
    "false",
    "trueish",
    "null",
    "0.5",
    "2",
    "-1e-3",
    "1.",
    '{"a":[1,{"b":null}]}',
    "[[[]]]",
    '"\u00ff"',
    '"é"',
  ),
  fc.string({ maxLength: 8 }).map((x) => JSON.stringify(x)),
);
const space = fc.constantFrom("", " ", "\n", "\t ");
const block = fc.tuple(
  fc.array(fc.tuple(key, value, space), { maxLength: 7 }),
  fc.constantFrom('"refs":["a man rides the horse"]', '"refs":["the beach","two dogs"]', ""),
  fc.constantFrom("", "", "", "}", " x", ","),
).map(([pairs, refs, tail]) => {
  const parts = pairs.map(([k, v, sp]) => `${sp}"${k}"${sp}:${sp}${v}`);
  if (refs !== "") parts.splice(pairs.length >> 1, 0, refs);
  return `{${parts.join(",")}}${tail}`;
});
let blocks = 0;
const reasons = new Map<string, number>();
const enc = new TextEncoder();
fc.assert(
  fc.property(block, text, (params, ans) => {
    const head = enc.encode(params), body = enc.encode(ans);
    const item = new Uint8Array(head.length + 1 + body.length);
    item.set(head);
    item.set(body, head.length + 1);
    const a = dec.decode(oldK.scoreBytes(item)), b = dec.decode(newK.scoreBytes(item));
    if (a !== b) throw new Error(`differ: ${JSON.stringify({ params, ans })}\nold ${a}\nnew ${b}`);
    blocks++;
    const reason = String(JSON.parse(a).details.reason);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }),
  { numRuns: runsAt >= 0 ? Number(Deno.args[runsAt + 1]) : 20000 },
);
console.log(
  `${same}/${n} identical outputs (${skipped} invalid requests skipped); ${blocks} odd parameter blocks identical (${
    [...reasons].map(([r, k]) => `${r}: ${k}`).join(", ")
  })`,
);
