/**
 * Property tests (fast-check) of the `text` kernel: totality, identities, the quadratic metrics against plain DP, and
 * the default tag's answer region against the rule written out.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { TEXT_METRICS, textVerifier } from "../verifiers/text/mod.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";
import { lcs, levenshtein } from "../perf/text_baseline.ts";

const kernel = loadKernel("text");

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  const out = scoreInProcess(kernel, textVerifier.params(reference, { tag: "", ...options }), response);
  assertVerdict(out);
  return out;
}

// Few distinct words, long sentences: many matches, LCS over several 64-bit words.
const words = fc.array(fc.constantFrom("a", "b", "c", "d", "e", "x1", "y2"), {
  minLength: 1,
  maxLength: 200,
});

Deno.test("property: ROUGE-L equals F of a plain dynamic-programme LCS (bit-parallel across 64-bit words)", () => {
  fc.assert(
    fc.property(words, words, (h, r) => {
      const l = lcs(h, r);
      const p = l / h.length, rec = l / r.length;
      const f = p + rec > 0 ? 2 * p * rec / (p + rec) : 0;
      const out = score(h.join(" "), r.join(" "), { metric: "rougeL" });
      assert.equal(out.details.lcs, l);
      assert.ok(Math.abs(out.reward - f) < 1e-12);
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: WER and CER equal a plain Levenshtein over words and characters", () => {
  fc.assert(
    fc.property(words, words, (h, r) => {
      const wer = levenshtein(h, r) / r.length;
      assert.ok(
        Math.abs(score(h.join(" "), r.join(" "), { metric: "wer" }).details.wer as number - wer) < 1e-12,
      );
      const hs = [...h.join(" ")], rs = [...r.join(" ")];
      const cer = levenshtein(hs, rs) / rs.length;
      assert.ok(
        Math.abs(score(h.join(" "), r.join(" "), { metric: "cer" }).details.cer as number - cer) < 1e-12,
      );
    }),
    { numRuns: 200 },
  );
});

Deno.test("property: an answer equal to its reference scores 1 on every metric", () => {
  const sentence = fc.array(fc.constantFrom("the", "Cat", "sat", "猫", "naïve", "42", "on", "mat."), {
    minLength: 4,
    maxLength: 30,
  }).map((w) => `zebra ${w.join(" ")}`);
  fc.assert(
    fc.property(sentence, fc.constantFrom(...TEXT_METRICS), (s, metric) => {
      const out = score(s, s, { metric });
      assert.ok(Math.abs(out.reward - 1) < 1e-12, `${metric}: ${out.reward}`);
      assert.equal(out.correct, true);
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: any text under any metric is a verdict in [0, 1], never a trap", () => {
  const tricky = fc.constantFrom(
    " ",
    "\n",
    "&quot;",
    "<skipped>",
    "-\n",
    "1,000",
    "3.5",
    "猫",
    "\u3000",
    "\uD800",
    "😀",
    "\u0000",
    "Ⅻ",
    "İ",
    "ß",
    "'",
    "\u200b",
    "<answer>",
  );
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.array(tricky, { maxLength: 50 }).map((p) => p.join("")),
  );
  fc.assert(
    fc.property(text, fc.constantFrom(...TEXT_METRICS), fc.boolean(), (response, metric, lower) => {
      score(response, ["a reference, with 2 parts", "另一个参考"], { metric, lowercase: lower });
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: the answer (UTF-8) and the reference (JSON) decode to the same code points, ASCII runs and all", () => {
  // runs of ASCII longer than the decoders' 8-byte and 4-unit steps, between any code units
  const piece = fc.oneof(
    fc.string({ unit: "binary", maxLength: 6 }),
    fc.constantFrom("abcdefghijk", "0123456789ABCDEFG", "x", "é", "猫", "😀", "\uD800"),
  );
  const text = fc.array(piece, { maxLength: 12 }).map((pieces) => `a${pieces.join("")}b`);
  fc.assert(
    fc.property(text, text, (answer, reference) => {
      const same = score(answer, answer, { metric: "cer" });
      assert.equal(same.details.edits, 0);
      assert.equal(same.details.reference_length, [...answer].length);
      // lone surrogates are U+FFFD on both sides
      const cps = (t: string) => [...t.toWellFormed()];
      assert.equal(
        score(answer, reference, { metric: "cer" }).details.edits,
        levenshtein(cps(answer), cps(reference)),
      );
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: the word tokenizers cut any mix of ASCII runs, accents, CJK, emoji and spaces as their definitions say", () => {
  const pieces = [
    "a",
    "B",
    "z9",
    "é",
    "É",
    "ß",
    "猫",
    "狗",
    "😀",
    " ",
    "\u00a0",
    "\u3000",
    "-",
    ".",
    "_",
    "\t",
    "xyzXYZ0123",
  ];
  const spaces = /^[ \t\u00a0\u3000]$/;
  // unicode: runs of letters and digits, each CJK character alone; whitespace: split on spaces; char: each non-space
  const oracles: Record<string, (cps: string[]) => string[]> = {
    unicode: (cps) => {
      const out: string[] = [];
      let cur = "";
      for (const c of cps) {
        if (/^[猫狗]$/.test(c) || !/^[a-z0-9éß]$/.test(c)) {
          if (cur) out.push(cur);
          cur = "";
          if (/^[猫狗]$/.test(c)) out.push(c);
        } else cur += c;
      }
      if (cur) out.push(cur);
      return out;
    },
    whitespace: (cps) => cps.join("").split(/[ \t\u00a0\u3000]+/).filter((t) => t.length > 0),
    char: (cps) => cps.filter((c) => !spaces.test(c)),
  };
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
      fc.constantFrom("unicode", "whitespace", "char"),
      (ps, tokenize) => {
        const text = `q ${ps.join("")}`;
        const expected = oracles[tokenize]([...text.toLowerCase()]);
        const out = score(text, expected.join(" "), { metric: "rougeL", tokenize });
        assert.equal(out.details.lcs, expected.length, `${JSON.stringify(text)} ${JSON.stringify(expected)}`);
        assert.equal(out.reward, 1);
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("property: SQuAD's tokens (exact, token_f1) are normalize_answer(s).split() on any mix of pieces", () => {
  const pieces = [
    "a",
    "an",
    "the",
    "The",
    "A",
    "x",
    "Bc",
    "9",
    "é",
    "ß",
    "猫",
    "😀",
    "—",
    " ",
    "\t",
    ",",
    "'",
    "_",
    "-",
    "THE.",
  ];
  const punct = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
  // SQuAD v1.1: lower, drop string.punctuation, articles (whole \w-runs) become a space, split on whitespace
  const normalize = (s: string) =>
    s.toLowerCase().replace(punct, "").replace(/(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu, " ")
      .split(/\s+/).filter((t) => t.length > 0);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (ps) => {
      const text = `q ${ps.join("")}`;
      const tokens = normalize(text);
      assert.equal(
        score(text, tokens.join(" "), { metric: "exact" }).reward,
        1,
        JSON.stringify([text, tokens]),
      );
      assert.equal(score(text, tokens.join(" "), { metric: "token_f1" }).reward, 1);
      if (tokens.length > 1) {
        assert.equal(score(text, tokens.slice(0, -1).join(" "), { metric: "exact" }).reward, 0);
      }
    }),
    { numRuns: 1000 },
  );
});

/** The region of the default tag: the last complete <answer>…</answer> block, else after the last <answer>, else all. */
function answerOracle(r: string): [string, string] {
  let lastOpen = -1, blockStart = -1, blockEnd = -1;
  let at = r.indexOf("<answer>");
  while (at >= 0) {
    lastOpen = at + 8;
    const close = r.indexOf("</answer>", at + 8);
    if (close < 0) break;
    blockStart = at + 8;
    blockEnd = close;
    at = r.indexOf("<answer>", close + 9);
  }
  if (blockStart >= 0 && lastOpen === blockStart) return [r.slice(blockStart, blockEnd), "tag"];
  if (lastOpen >= 0) return [r.slice(lastOpen), "tag_unclosed"];
  return [r, "whole"];
}

Deno.test("property: the default tag takes the last complete <answer> block, else the text after the last <answer>, else all", () => {
  const piece = fc.constantFrom(
    "<answer>",
    "</answer>",
    "<answer",
    "</answer",
    "answer>",
    "<",
    "</",
    ">",
    "<think>",
    "</think>",
    "<<answer>>",
    "a",
    "man",
    "Beach",
    " ",
    "\n",
    "é",
    "猫",
    "😀",
    "1234567",
  );
  const response = fc.array(piece, { maxLength: 40 }).map((p) => p.join(""));
  fc.assert(
    fc.property(response, fc.constantFrom("rougeL", "token_f1", "wer", "chrf"), (r, metric) => {
      const [inside, via] = answerOracle(r);
      const reference = "a man on the Beach 猫";
      const got = JSON.stringify(score(r, reference, { metric, tag: "answer" }));
      const whole = JSON.stringify(score(inside, reference, { metric }));
      assert.equal(got, whole.replace('"extraction":"whole"', `"extraction":"${via}"`));
    }),
    { numRuns: 1500 },
  );
});
