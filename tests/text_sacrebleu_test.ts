/**
 * BLEU and chrF of the `text` kernel against the real sacreBLEU 2.6 on generated sentence pairs:
 * every smoothing (none, floor, add-k, exp), every tokenizer (13a, zh, char, none), lowercasing,
 * several references, chrF with and without whitespace. sacreBLEU comes from the machine's wheel
 * store into the shared test venv (scripts/python_venv.sh); the test fails, never skips, without it.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { scoreInProcess } from "../wasm/mod.ts";
import { textVerifier } from "../verifiers/text/mod.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const repo = new URL("..", import.meta.url).pathname;

/** The shared venv's python with sacreBLEU 2.6.0 installed. */
async function sacrebleuPython(): Promise<string> {
  const out = await new Deno.Command("sh", {
    args: [`${repo}scripts/python_venv.sh`, "sacrebleu==2.6.0"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n");
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return text[text.length - 1];
}

// Reads [{hyp, refs, kind, ...options}] on stdin, prints sacreBLEU's score for each.
const SCRIPT = `
import json, sys
from sacrebleu.metrics import BLEU, CHRF
out = []
for c in json.load(sys.stdin):
    if c["kind"] == "bleu":
        m = BLEU(tokenize=c["tokenize"], lowercase=c["lowercase"], smooth_method=c["smooth"],
                 smooth_value=c.get("smooth_value"), effective_order=True)
    else:
        m = CHRF(char_order=c["char_order"], beta=c["beta"], whitespace=c["whitespace"], lowercase=c["lowercase"])
    out.append(m.sentence_score(c["hyp"], c["refs"]).score)
print(json.dumps(out))
`;

/** A reproducible stream of numbers in [0, 1), drawn by fast-check from a fixed seed. */
function stream(seed: number, count: number): () => number {
  const values = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
    seed,
    numRuns: count,
  });
  let at = 0;
  return () => values[at++ % values.length];
}

const WORDS = [
  "the",
  "The",
  "cat",
  "sat",
  "on",
  "mat",
  "a",
  "dog",
  "runs",
  "quickly",
  "3.5",
  "1,000",
  "12-3",
  "e.g.",
  "U.S.",
  "it's",
  "don't",
  "(note)",
  "[x]",
  "&quot;hi&quot;",
  "&amp;",
  "<skipped>",
  "well-known",
  "end.",
  "wait,",
  "why?",
  "naïve",
  "Über",
  "猫",
  "在",
  "垫子上",
  "我们",
  "東京",
  "。",
  "，",
  "😀",
  "x/y",
  "50%",
  "$5",
  "--",
  "...",
  "\u2003",
  "ＡＢ",
];

function sentence(next: () => number, min: number): string {
  const n = min + Math.floor(next() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(next() * WORDS.length)]);
  const sep = next() < 0.1 ? "" : " ";
  return words.join(sep) + (next() < 0.1 ? "\n" : "");
}

function perturb(next: () => number, s: string): string {
  const words = s.split(" ");
  const out: string[] = [];
  for (const w of words) {
    const r = next();
    if (r < 0.15) continue;
    if (r < 0.3) out.push(WORDS[Math.floor(next() * WORDS.length)]);
    else out.push(w);
  }
  return out.join(" ");
}

interface Case {
  hyp: string;
  refs: string[];
  kind: "bleu" | "chrf";
  tokenize?: string;
  lowercase: boolean;
  smooth?: string;
  smooth_value?: number;
  char_order?: number;
  beta?: number;
  whitespace?: boolean;
}

function cases(count: number): Case[] {
  const next = stream(20261205, 100_000);
  const out: Case[] = [];
  const smooths = ["none", "floor", "add-k", "exp"];
  const tokenizers = ["13a", "zh", "char", "none"];
  for (let i = 0; i < count; i++) {
    let refs = [sentence(next, 1)];
    if (next() < 0.25) refs.push(sentence(next, 1));
    refs = refs.filter((r) => /[\p{L}\p{N}]/u.test(r));
    if (refs.length === 0) refs = ["the cat"];
    const hyp = next() < 0.8 ? perturb(next, refs[0]) : sentence(next, 0);
    const lowercase = next() < 0.3;
    if (i % 2 === 0) {
      const smooth = smooths[Math.floor(next() * smooths.length)];
      const c: Case = {
        hyp,
        refs,
        kind: "bleu",
        tokenize: tokenizers[i % 8 < 5 ? 0 : (i % 8) - 4],
        lowercase,
        smooth,
      };
      if (smooth === "floor" && next() < 0.5) c.smooth_value = 0.3;
      if (smooth === "add-k" && next() < 0.5) c.smooth_value = 2;
      out.push(c);
    } else {
      out.push({
        hyp,
        refs,
        kind: "chrf",
        lowercase,
        char_order: next() < 0.7 ? 6 : 4,
        beta: next() < 0.7 ? 2 : 1,
        whitespace: next() < 0.3,
      });
    }
  }
  return out;
}

Deno.test("BLEU and chrF equal sacreBLEU 2.6's on 1,200 generated sentence pairs", async () => {
  const python = await sacrebleuPython();
  const all = cases(1200);
  const child = new Deno.Command(python, {
    args: ["-c", SCRIPT],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(all)));
  await writer.close();
  const result = await child.output();
  assert.ok(result.success, new TextDecoder().decode(result.stderr));
  const expected: number[] = JSON.parse(new TextDecoder().decode(result.stdout));
  const kernel = loadKernel("text");
  let checked = 0;
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    const options: Record<string, unknown> = { tag: "", metric: c.kind, lowercase: c.lowercase };
    if (c.kind === "bleu") {
      options.tokenize = c.tokenize;
      options.smooth = c.smooth;
      if (c.smooth_value !== undefined) options.smooth_value = c.smooth_value;
    } else {
      options.char_order = c.char_order;
      options.beta = c.beta;
      options.whitespace = c.whitespace;
    }
    const out = scoreInProcess(kernel, textVerifier.params(c.refs, options), c.hyp);
    assertVerdict(out);
    if (/^[ \t\n\v\f\r]*$/.test(c.hyp)) {
      // a blank answer is no_answer (reward 0), also where chrF with whitespace would count its spaces
      assert.equal(out.details.reason, "no_answer", `case ${i}`);
      checked++;
      continue;
    }
    const got = out.reward * 100;
    assert.ok(
      Math.abs(got - expected[i]) < 1e-9,
      `case ${i} ${JSON.stringify(c)}: kernel ${got}, sacreBLEU ${expected[i]}`,
    );
    checked++;
  }
  assert.equal(checked, 1200);
});
