/**
 * The bit-parallel sequence measures of the `text` and `match` kernels (kernels/_lib/sequence_distance.ts:
 * Hyyrö's LCS, Myers' Levenshtein) give exactly what the plain dynamic programmes below give, through the
 * real kernels: random token sequences over small alphabets (many matches), lengths crossing the 64- and
 * 128-element word boundaries, empty sequences, CJK text tokenized per character, several references.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { textVerifier } from "../verifiers/text/mod.ts";
import { matchVerifier } from "../verifiers/match/mod.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const text = loadKernel("text");
const match = loadKernel("match");

/** LCS length: the textbook (n+1)×(m+1) table, written out in full. */
function lcsTable<T>(a: T[], b: T[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.length][b.length];
}

/** Levenshtein distance (unit insert, delete, substitute): the textbook table. */
function levenshteinTable<T>(a: T[], b: T[]): number {
  const t = Array.from({ length: a.length + 1 }, (_, i) => {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= b.length; j++) t[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const sub = t[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      t[i][j] = Math.min(sub, t[i - 1][j] + 1, t[i][j - 1] + 1);
    }
  }
  return t[a.length][b.length];
}

function scoreText(response: string, reference: unknown, options: Record<string, unknown>): KernelOutput {
  const out = scoreInProcess(text, textVerifier.params(reference, { tag: "", ...options }), response);
  assertVerdict(out);
  return out;
}

function scoreMatch(response: string, reference: unknown, options: Record<string, unknown>): KernelOutput {
  const out = scoreInProcess(match, matchVerifier.params(reference, options), response);
  assertVerdict(out);
  return out;
}

// Lengths that cross the word boundaries of the bit vectors, and short ones.
const length = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.constantFrom(63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256, 257),
  fc.integer({ min: 0, max: 330 }),
);

/** Sequences of symbol indices below `alphabet`, each of a length drawn from `length`. */
function symbols(alphabet: number, minLength = 0) {
  return length.filter((n) => n >= minLength).chain((n) =>
    fc.array(fc.integer({ min: 0, max: alphabet - 1 }), { minLength: n, maxLength: n })
  );
}

// two sequences over one small alphabet (1 to 5 symbols: a symbol matches often)
const pair = (minA: number, minB: number) =>
  fc.integer({ min: 1, max: 5 }).chain((k) => fc.tuple(fc.constant(k), symbols(k, minA), symbols(k, minB)));

const WORDS = ["a", "b", "c", "d", "e"];
const HAN = ["猫", "狗", "鱼", "鸟", "马"];

function f(l: number, n: number, m: number): number {
  const p = n ? l / n : 0, r = m ? l / m : 0;
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

Deno.test("bit-parallel LCS = the DP table: ROUGE-L over words, and over CJK characters (one token each, no spaces)", () => {
  const spellings: [string[], string][] = [[WORDS, " "], [HAN, ""]];
  fc.assert(
    fc.property(pair(0, 1), fc.constantFrom(...spellings), ([, h, r], [tokens, space]) => {
      const hw = h.map((i) => tokens[i]), rw = r.map((i) => tokens[i]);
      const l = lcsTable(hw, rw);
      // "!!" holds no token: the hypothesis is empty, the LCS 0
      const out = scoreText(hw.length ? hw.join(space) : "!!", rw.join(space), { metric: "rougeL" });
      assert.equal(out.details.lcs, l);
      assert.equal(out.reward, f(l, hw.length, rw.length));
    }),
    { numRuns: 600 },
  );
});

Deno.test("bit-parallel Levenshtein = the DP table: WER over words, CER and edit similarity over characters", () => {
  fc.assert(
    fc.property(pair(0, 1), ([, h, r]) => {
      const hw = h.map((i) => WORDS[i]), rw = r.map((i) => WORDS[i]);
      // punctuation removed: "!!" is the empty hypothesis
      const response = hw.length ? hw.join(" ") : "!!";
      const words = levenshteinTable(hw, rw);
      const wer = scoreText(response, rw.join(" "), { metric: "wer", punctuation: "remove" });
      assert.equal(wer.details.edits, words);
      assert.equal(wer.details.wer, words / rw.length);
      const hc = [...hw.join(" ")], rc = [...rw.join(" ")];
      const chars = levenshteinTable(hc, rc);
      const cer = scoreText(response, rw.join(" "), { metric: "cer", punctuation: "remove" });
      assert.equal(cer.details.edits, chars);
      assert.equal(cer.details.cer, chars / rc.length);
      const sim = scoreText(response, rw.join(" "), { metric: "edit_similarity", punctuation: "remove" });
      assert.equal(sim.details.edits, chars);
      assert.equal(sim.reward, 1 - chars / Math.max(hc.length, rc.length, 1));
    }),
    { numRuns: 300 },
  );
});

Deno.test("bit-parallel Levenshtein = the DP table: CER over CJK and astral characters (symbols are code points)", () => {
  const chars = ["猫", "狗", "😀", "a", "ß", "\u{20000}"];
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: chars.length }).chain((k) => fc.tuple(symbols(k, 1), symbols(k, 1))),
      ([h, r]) => {
        // the reference starts with a letter (a reference needs one)
        const hc = h.map((i) => chars[i]), rc = ["q", ...r.map((i) => chars[i])];
        const d = levenshteinTable(hc, rc);
        const out = scoreText(hc.join(""), rc.join(""), { metric: "cer" });
        assert.equal(out.details.edits, d);
        assert.equal(out.details.cer, d / rc.length);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("several references: the best one by the DP tables (ROUGE-L, WER)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }).chain((k) =>
        fc.tuple(symbols(k, 1), fc.array(symbols(k, 1), { minLength: 2, maxLength: 4 }))
      ),
      ([h, refs]) => {
        const hw = h.map((i) => WORDS[i]);
        const rws = refs.map((r) => r.map((i) => WORDS[i]));
        const fs = rws.map((rw) => f(lcsTable(hw, rw), hw.length, rw.length));
        const rouge = scoreText(hw.join(" "), rws.map((rw) => rw.join(" ")), { metric: "rougeL" });
        assert.equal(rouge.reward, Math.max(...fs));
        assert.equal(rouge.details.reference_index, fs.indexOf(Math.max(...fs)));
        const rates = rws.map((rw) => levenshteinTable(hw, rw) / rw.length);
        const wer = scoreText(hw.join(" "), rws.map((rw) => rw.join(" ")), { metric: "wer" });
        assert.equal(wer.details.wer, Math.min(...rates));
        assert.equal(wer.details.reference_index, rates.indexOf(Math.min(...rates)));
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("bit-parallel LCS = the DP table: match's lcs mode over lists, the empty list included", () => {
  fc.assert(
    fc.property(pair(0, 1), ([, answer, ref]) => {
      const l = lcsTable(answer, ref);
      const out = scoreMatch(`<answer>${JSON.stringify(answer)}</answer>`, ref, { mode: "lcs" });
      assert.equal(out.details.lcs, l);
      assert.equal(out.reward, 2 * l / (answer.length + ref.length));
    }),
    { numRuns: 300 },
  );
});

Deno.test("long sequences over two symbols: many words of bit vectors, both orders of the lengths", () => {
  const rnd = fc.integer({ min: 0, max: 1 });
  fc.assert(
    fc.property(
      fc.integer({ min: 500, max: 1500 }).chain((n) => fc.array(rnd, { minLength: n, maxLength: n })),
      fc.integer({ min: 500, max: 1500 }).chain((n) => fc.array(rnd, { minLength: n, maxLength: n })),
      (h, r) => {
        const hs = h.map((i) => "xy"[i]), rs = r.map((i) => "xy"[i]);
        const cer = scoreText(hs.join(""), rs.join(""), { metric: "cer" });
        assert.equal(cer.details.edits, levenshteinTable(hs, rs));
        const rouge = scoreText(hs.join(" "), rs.join(" "), { metric: "rougeL" });
        assert.equal(rouge.details.lcs, lcsTable(hs, rs));
      },
    ),
    { numRuns: 12 },
  );
});
