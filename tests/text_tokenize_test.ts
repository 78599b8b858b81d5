/**
 * The `text` kernel's word tokenizers take three paths: plain-ASCII texts from their bytes (a bitmap of word
 * characters), other texts eight code points at a time where they are ASCII, and one code point at a time
 * elsewhere; short tokens are interned by key, long ones by their code points. Property tests (fast-check): over
 * texts mixing ASCII tokens of every length around the eight-character key, case, punctuation, NUL, JSON escapes,
 * accents, CJK and Unicode spaces, ROUGE-L's LCS equals the LCS of a TypeScript tokenizer's tokens, so every path
 * cuts the same tokens and gives equal tokens equal ids, whichever path each text took. A short item whose texts are
 * all plain ASCII is tokenized in static memory (kernels/text/short.ts): it scores as the general path scores it.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { scoreInProcess } from "../wasm/mod.ts";
import { textVerifier } from "../verifiers/text/mod.ts";
import { TOKENIZERS } from "../verifiers/text/schemas.ts";
import { lcs, levenshtein, TOKEN_PIECES } from "../perf/text_baseline.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("text");

const PIECES = TOKEN_PIECES;

const SPACE = /^[ \t\n\u00a0\u3000]$/;
const CJK = /^[猫]$/;
const UNICODE_WORD = /^[A-Za-z0-9éÉß]$/;

/** The tokens of `text` by the tokenizers' definitions (verifiers/text/README.md), for these pieces. */
function oracleTokens(text: string, tokenize: string, lower: boolean): string[] {
  const cps = [...(lower ? text.toLowerCase() : text)];
  if (tokenize === "whitespace") {
    const out: string[] = [];
    let cur = "";
    for (const c of cps) {
      if (SPACE.test(c)) {
        if (cur) out.push(cur);
        cur = "";
      } else cur += c;
    }
    if (cur) out.push(cur);
    return out;
  }
  const out: string[] = [];
  let cur = "";
  for (const c of cps) {
    if (CJK.test(c) || !UNICODE_WORD.test(c)) {
      if (cur) out.push(cur);
      cur = "";
      if (CJK.test(c)) out.push(c);
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

Deno.test("property: every tokenizer path cuts the defined tokens and gives equal tokens one id (ROUGE-L's LCS against a TypeScript LCS)", () => {
  const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((ps) => `q ${ps.join("")}`);
  fc.assert(
    fc.property(
      text,
      fc.array(text, { minLength: 1, maxLength: 3 }),
      fc.constantFrom("unicode", "whitespace"),
      fc.boolean(),
      (answer, refs, tokenize, lowercase) => {
        const params = textVerifier.params(refs.length === 1 ? refs[0] : refs, {
          tag: "",
          metric: "rougeL",
          tokenize,
          lowercase,
        });
        const out = scoreInProcess(kernel, params, answer);
        assertVerdict(out);
        const h = oracleTokens(answer, tokenize, lowercase);
        let best = -1, bestLcs = 0;
        refs.forEach((ref) => {
          const r = oracleTokens(ref, tokenize, lowercase);
          const l = lcs(h, r);
          const f = l === 0 ? 0 : 2 * (l / h.length) * (l / r.length) / (l / h.length + l / r.length);
          if (f > best) [best, bestLcs] = [f, l];
        });
        assert.equal(out.details.lcs, bestLcs, JSON.stringify({ answer, refs, tokenize, lowercase }));
        assert.ok(Math.abs(out.reward - best) < 1e-12);
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("property: a text and the same text with one accent or escape elsewhere share every other token's id", () => {
  // the answer plain ASCII (bytes), the reference the same words after a non-ASCII or escaped piece (code points)
  const word = fc.constantFrom("a", "Bc", "z9", "xyzXYZ0", "abcdefgh", "ABCDEFGHI", "longerWordHere15", "q");
  const words = fc.array(word, { minLength: 1, maxLength: 80 });
  fc.assert(
    fc.property(
      words,
      fc.constantFrom("é ", '" ', "\\ ", "猫 ", "\u0000 "),
      fc.boolean(),
      (ws, marker, lowercase) => {
        const answer = ws.join(" ");
        const out = scoreInProcess(
          kernel,
          textVerifier.params(`q ${marker}${answer}`, { tag: "", metric: "rougeL", lowercase }),
          answer,
        );
        assert.equal(out.details.lcs, ws.length);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("property: thousands of distinct short and long tokens (both id tables grow) keep one id per token", () => {
  // base-26 words of 1–12 letters from integers: many distinct keys (short) and runs (long), interleaved
  const wordOf = (n: number, len: number) => {
    let s = "";
    for (let k = 0; k < len; k++, n = Math.floor(n / 26)) s += String.fromCharCode(97 + (n % 26));
    return s;
  };
  const word = fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 12 })).map(([n, l]) =>
    wordOf(n, l)
  );
  const words = fc.array(word, { minLength: 200, maxLength: 700 });
  fc.assert(
    fc.property(words, words, fc.constantFrom("", "é "), (h, r, marker) => {
      const out = scoreInProcess(
        kernel,
        textVerifier.params(`q ${marker}${r.join(" ")}`, { tag: "", metric: "rougeL" }),
        `q ${h.join(" ")}`,
      );
      assert.equal(out.details.lcs, lcs(["q", ...h], ["q", ...(marker ? ["é"] : []), ...r]));
    }),
    { numRuns: 40 },
  );
});

/** Clipped n-gram overlap F of token lists (rouge-score's ROUGE-N; n = 1 is also SQuAD's token F1). */
function overlapF(h: string[], r: string[], n: number): number {
  const grams = (t: string[]) => {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= t.length; i++) {
      const g = t.slice(i, i + n).join("\u0001");
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    return m;
  };
  const hg = grams(h), rg = grams(r);
  let overlap = 0;
  for (const [g, c] of hg) overlap += Math.min(c, rg.get(g) ?? 0);
  const p = overlap / Math.max(1, h.length - n + 1), rec = overlap / Math.max(1, r.length - n + 1);
  return p + rec > 0 ? 2 * p * rec / (p + rec) : 0;
}

Deno.test("property: the word metrics on texts read as bytes or as code points equal a TypeScript computation over the defined tokens", () => {
  const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((ps) => `q ${ps.join("")}`);
  fc.assert(
    fc.property(
      text,
      text,
      fc.constantFrom("rouge1", "rouge2", "wer", "token_f1", "exact"),
      fc.constantFrom("unicode", "whitespace"),
      fc.boolean(),
      (answer, ref, metric, tokenize, lowercase) => {
        const out = scoreInProcess(
          kernel,
          textVerifier.params(ref, { tag: "", metric, tokenize, lowercase }),
          answer,
        );
        assertVerdict(out);
        const h = oracleTokens(answer, tokenize, lowercase), r = oracleTokens(ref, tokenize, lowercase);
        const expected = metric === "rouge1" || metric === "token_f1"
          ? overlapF(h, r, 1)
          : metric === "rouge2"
          ? overlapF(h, r, 2)
          : metric === "wer"
          ? Math.max(0, 1 - levenshtein(h, r) / r.length)
          : Number(h.join("\u0001") === r.join("\u0001"));
        assert.ok(Math.abs(out.reward - expected) < 1e-12, `${metric} ${out.reward} vs ${expected}`);
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("property: a short plain-ASCII item (tokenized in static memory) scores as the general path scores it", () => {
  // the same item with a no-break space (a separator of every word tokenizer) after a reference takes the general path
  const ascii = PIECES.filter((p) => [...p].every((c) => c > "\0" && c < "\x80"));
  const piece = fc.constantFrom(
    ...ascii,
    "the",
    "An",
    "a.n",
    "t-he",
    "don't",
    "_",
    "\x01",
    "\x7f",
    "!",
    "3.5",
    "1,000",
  );
  const text = fc.array(piece, { maxLength: 160 }).map((p) => p.join(" "));
  const metric = fc.constantFrom("rougeL", "rouge1", "rouge2", "token_f1", "exact", "wer");
  let checked = 0;
  fc.assert(
    fc.property(
      text,
      fc.array(text, { minLength: 1, maxLength: 3 }),
      metric,
      fc.nat(),
      fc.boolean(),
      fc.boolean(),
      fc.nat(),
      (answer, refs, m, tk, lowercase, removePunct, which) => {
        const toks = TOKENIZERS[m as keyof typeof TOKENIZERS].filter((t) => t !== "char");
        const options: Record<string, unknown> = {
          metric: m,
          tag: "",
          lowercase,
          tokenize: toks[tk % toks.length],
        };
        if (m === "wer" && removePunct) options.punctuation = "remove";
        const plain = refs.map((r) => `q ${r}`);
        const spaced = plain.map((r, i) => i === which % plain.length ? `${r}\u00a0` : r);
        let expected;
        try {
          expected = scoreInProcess(kernel, textVerifier.params(spaced, options), answer);
        } catch {
          return; // options the host refuses
        }
        assert.deepEqual(scoreInProcess(kernel, textVerifier.params(plain, options), answer), expected);
        checked++;
      },
    ),
    { numRuns: 600 },
  );
  assert.ok(checked > 300, `${checked} items checked`);
});
