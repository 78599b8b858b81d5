/**
 * Two builds of the `text` kernel give byte-identical outputs: random items (mixed pieces: ASCII tokens of every
 * length, case, punctuation, NUL, escapes, accents, CJK, emoji, lone surrogates, tags; random Unicode; long
 * sentences) over every metric, tokenizer and option, each scored by both. For checking that a speed-up changed
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
];
const text = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => p.join("")),
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
    (ans, refs, metric, tk, lower, punct, tag) => {
      const toks = TOKENIZERS[metric];
      const options: Record<string, unknown> = { metric, lowercase: lower, tag };
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
console.log(`${same}/${n} identical outputs (${skipped} invalid requests skipped)`);
