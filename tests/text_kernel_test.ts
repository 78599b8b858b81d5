/**
 * The `text` kernel against the reference implementations' published vectors (rouge-score, jiwer;
 * see tests/text_reference_vectors.json for sources), the SQuAD v1.1 definitions, its bounds and
 * hostile input. BLEU and chrF against the real sacreBLEU: tests/text_sacrebleu_test.ts.
 */
import assert from "node:assert/strict";
import { encodeItem, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { TEXT_METRICS, type TextMetric, textVerifier } from "../verifiers/text/mod.ts";
import { InvalidRequestError } from "../verifiers/types.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("text");
const vectors = JSON.parse(Deno.readTextFileSync(new URL("./text_reference_vectors.json", import.meta.url)));

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  const out = scoreInProcess(kernel, textVerifier.params(reference, { tag: "", ...options }), response);
  assertVerdict(out);
  return out;
}

function near(actual: unknown, expected: number, places: number, what: string): void {
  assert.equal(typeof actual, "number", what);
  assert.ok(
    Math.abs((actual as number) - expected) < 0.5 * 10 ** -places,
    `${what}: ${actual} is not ${expected}`,
  );
}

Deno.test("`text` gives every published example its expected result", () => {
  assert.ok(textVerifier.examples.length >= 6);
  for (const ex of textVerifier.examples) {
    const out = scoreInProcess(
      kernel,
      textVerifier.params(ex.item.reference, ex.item.options ?? {}),
      ex.item.response,
    );
    near(out.reward, ex.expected.reward, 12, ex.title);
    assert.equal(out.correct, ex.expected.correct, ex.title);
    for (const [k, v] of Object.entries(ex.expected.details ?? {})) {
      if (typeof v === "number") near(out.details[k], v, 12, `${ex.title}: ${k}`);
      else assert.deepEqual(out.details[k], v, `${ex.title}: ${k}`);
    }
  }
});

Deno.test("ROUGE-1/2/L agree with rouge-score's published vectors (ROUGE-1.5.5 to 5 places)", () => {
  for (const c of vectors.rouge_score.cases) {
    const out = score(c.prediction, c.target, { metric: c.metric });
    const what = `${c.metric} on ${c.prediction.slice(0, 20)}`;
    near(out.details.precision, c.precision, c.places, `${what} precision`);
    near(out.details.recall, c.recall, c.places, `${what} recall`);
    near(out.reward, c.fmeasure, c.places, `${what} F`);
  }
});

Deno.test("ROUGE of an answer with no tokens is 0 (rouge-score testRougeEmpty), never an error", () => {
  for (const metric of ["rouge1", "rouge2", "rougeL"]) {
    const out = score("<answer>?!</answer>", "testing one two", { metric, tag: "answer" });
    assert.equal(out.reward, 0, metric);
    assert.equal(out.details.reason, "wrong");
    assert.equal(score("", "testing one two", { metric }).details.reason, "no_answer");
  }
});

Deno.test("WER and CER agree with jiwer's published vectors", () => {
  for (const [truth, hypothesis, rate] of vectors.jiwer.wer) {
    const out = score(hypothesis, truth, { metric: "wer" });
    if (hypothesis === "") {
      assert.equal(out.details.reason, "no_answer");
      assert.equal(out.reward, 0);
    } else near(out.details.wer, rate, 12, `wer ${hypothesis}`);
  }
  for (const [truth, hypothesis, rate] of vectors.jiwer.cer) {
    const out = score(hypothesis, truth, { metric: "cer" });
    if (hypothesis === "") assert.equal(out.details.reason, "no_answer");
    else {
      near(out.details.cer, rate, 12, `cer ${hypothesis}`);
      near(out.reward, Math.max(0, 1 - rate), 12, `cer reward ${hypothesis}`);
    }
  }
});

Deno.test("WER rewards: linear is max(0, 1 - wer), exp is exp(-wer); the best reference counts", () => {
  const table: [string, string[], string, number][] = [
    ["a b c d e", ["a x c"], "linear", 0],
    ["a b c d e", ["a x c"], "exp", Math.exp(-1)],
    ["a b", ["a b c d"], "linear", 0.5],
    ["a b", ["z z z z", "a b c d"], "linear", 0.5],
  ];
  for (const [hyp, refs, kind, reward] of table) {
    near(score(hyp, refs, { metric: "wer", wer_reward: kind }).reward, reward, 12, `${hyp} ${kind}`);
  }
  assert.equal(score("a b", ["z z z z", "a b c d"], { metric: "wer" }).details.reference_index, 1);
});

Deno.test("token F1 and exact match follow SQuAD v1.1's normalize_answer (lower, punctuation, articles, spaces)", () => {
  const table: [string, string, number, number][] = [
    // prediction, ground truth, F1, EM
    ["The Eiffel Tower", "eiffel tower", 1, 1],
    ["an apple a day", "Apple day!", 1, 1],
    ["Denver Broncos", "Broncos", 2 / 3, 0],
    ["the", "a", 0, 1], // both normalize to nothing: v1.1 F1 is 0, EM 1
    ["Paris, France", "Paris France", 1, 1],
    ["théâtre", "THÉÂTRE", 1, 1],
    ["x_y", "xy", 1, 1], // "_" is in string.punctuation
    ["cats", "dogs", 0, 0],
  ];
  for (const [pred, truth, f1, em] of table) {
    near(score(pred, truth, { metric: "token_f1" }).reward, f1, 12, `F1 ${pred}`);
    assert.equal(score(pred, truth, { metric: "exact" }).reward, em, `EM ${pred}`);
  }
});

Deno.test("the unicode tokenizer splits CJK per character and keeps accented words whole", () => {
  near(score("猫在垫子上", "猫坐在垫子上", { metric: "rouge1" }).reward, 10 / 11, 12, "CJK");
  near(score("naïve café", "café naïve", { metric: "rouge1" }).reward, 1, 12, "accents");
  near(score("naïve café", "café naïve", { metric: "rougeL" }).reward, 0.5, 12, "order");
  // whitespace tokens keep punctuation attached
  near(score("a b.", "a b", { metric: "rouge1", tokenize: "whitespace" }).reward, 0.5, 12, "whitespace");
  near(score("ab", "ba", { metric: "rouge1", tokenize: "char" }).reward, 1, 12, "char");
});

Deno.test("lowercase folds cased letters of every script as JavaScript does (AssemblyScript's case tables)", () => {
  const missed: number[] = [];
  let cased = 0;
  for (let cp = 0x80; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    const l = c.toLowerCase();
    if (l === c) continue;
    cased++;
    const first = String.fromCodePoint(l.codePointAt(0)!);
    if (
      score(`x${c}`, `x${first}`, { metric: "exact", tokenize: "whitespace", lowercase: true }).reward !== 1
    ) {
      missed.push(cp);
    }
  }
  assert.ok(cased > 1400, `${cased} cased code points`);
  // only letters added in recent Unicode versions (newer than the kernel's tables) stay as they are
  assert.ok(missed.length < 80, `${missed.length} missed`);
  assert.ok(missed.every((cp) => cp >= 0x1c89), missed.map((cp) => cp.toString(16)).join(" "));
  assert.equal(
    score("ÀΣДԱႠＡ", "àσдաⴀａ", { metric: "exact", tokenize: "char", lowercase: false }).reward,
    0,
  );
});

Deno.test("the quadratic metrics are bounded: past 2^26 cells per pair the verdict is too_complex", () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
  // 8,193 × 8,193 is just past 2^26 cells
  for (const metric of ["wer", "rougeL"]) {
    const out = score(words(8193), words(8193), { metric });
    assert.equal(out.details.reason, "too_complex", metric);
    assert.equal(out.reward, 0);
    assert.equal(out.details.cells, 8193 * 8193);
    assert.equal(out.details.max_cells, 2 ** 26);
  }
  for (const metric of ["cer", "edit_similarity"]) {
    assert.equal(score("x".repeat(8193), "y".repeat(8193), { metric }).details.reason, "too_complex", metric);
  }
  // at the bound they are computed exactly (bit-parallel: milliseconds)
  assert.equal(score(words(8192), words(8192), { metric: "rougeL" }).details.lcs, 8192);
  assert.equal(score(words(8192), `extra ${words(8191)}`, { metric: "wer" }).details.edits, 2);
  assert.equal(score("x".repeat(8192), "y".repeat(8192), { metric: "cer" }).details.edits, 8192);
  // an answer far longer than a short reference is cheap: the cells count, not the longer length
  assert.equal(score("ab".repeat(30_000), "ba", { metric: "cer" }).details.edits, 59_998);
});

Deno.test("many references at the bound: each pair's scratch memory is given back (a verdict, never a trap)", () => {
  // 11 references of 8,192 distinct tokens: 8 MiB of match masks per pair, 88 MiB if they piled up
  const words = Array.from({ length: 8192 }, (_, i) => `w${i}`);
  const text = words.join(" ");
  const refs = Array.from(
    { length: 11 },
    (_, i) => i === 10 ? text : [...words.slice(0, -1), `z${i}`].join(" "),
  );
  for (const metric of ["rougeL", "wer"]) {
    const out = score(text, refs, { metric });
    assert.equal(out.reward, 1, metric);
    assert.equal(out.details.reference_index, 10);
  }
  assert.ok(kernel.memoryBytes() <= 64 * 1024 * 1024);
});

Deno.test("hostile input: invalid UTF-8, NUL bytes, huge answers give verdicts, never traps", () => {
  const params = textVerifier.params("hello world", { tag: "", metric: "rougeL" });
  const head = encodeItem(params, "");
  const junk = new Uint8Array([
    0xff,
    0xfe,
    0xc3,
    0x28,
    0xe2,
    0x82,
    0x00,
    0x68,
    0x65,
    0x6c,
    0x6c,
    0x6f,
    0xf0,
    0x9f,
  ]);
  const item = new Uint8Array(head.length + junk.length);
  item.set(head);
  item.set(junk, head.length);
  const out = JSON.parse(new TextDecoder().decode(kernel.scoreBytes(item)));
  assertVerdict(out);
  assert.ok(out.reward > 0 && out.reward < 1, `reward ${out.reward}`);
  const huge = score("word ".repeat(300_000), "word", { metric: "rouge1" });
  assert.equal(huge.details.reason, "too_complex");
  // the largest references the schema allows, under every metric: a verdict within the memory cap
  const refs = Array.from({ length: 16 }, (_, i) => `w${i} `.repeat(25_000).slice(0, 100_000));
  for (const metric of ["bleu", "chrf", "rouge2", "token_f1", "wer", "cer", "edit_similarity"]) {
    const out = score("w1 w2 ".repeat(1000), refs, { metric });
    assert.ok(
      out.details.reason === "too_complex" || out.details.reason === "wrong",
      `${metric}: ${out.details.reason}`,
    );
  }
  for (const metric of ["bleu", "chrf", "token_f1", "exact", "edit_similarity"]) {
    assertVerdict(score("\u0000\uFFFD\uD800 \u{1F600}", "ok", { metric }));
  }
});

Deno.test("references without a letter or digit, and options of another metric, are invalid requests", () => {
  assert.throws(() => textVerifier.params("  ", { metric: "wer" }), InvalidRequestError);
  assert.throws(() => textVerifier.params(["ok", "..."], {}), InvalidRequestError);
  assert.throws(() => textVerifier.params("ok", { metric: "cer", tokenize: "unicode" }), InvalidRequestError);
  assert.throws(() => textVerifier.params("ok", { metric: "rougeL", tokenize: "13a" }), InvalidRequestError);
  assert.throws(
    () => textVerifier.params("ok", { metric: "bleu", smooth: "add1", smooth_value: 2 }),
    InvalidRequestError,
  );
});

Deno.test("a reference holds at most 100,000 characters (code points, as JSON Schema's maxLength counts them)", () => {
  const emoji = "\u{1F600}"; // two UTF-16 units, one character
  for (
    const [reference, ok] of [
      ["a".repeat(100_000), true],
      ["a".repeat(100_001), false],
      ["a" + emoji.repeat(99_999), true], // 199,999 units
      ["a" + emoji.repeat(100_000), false],
      ["a" + "\uD800".repeat(99_999), true], // lone surrogates count one each
      [["ok", "b".repeat(100_001)], false],
    ] as [string | string[], boolean][]
  ) {
    const what = `${JSON.stringify(reference).length} bytes of JSON, ok: ${ok}`;
    if (ok) textVerifier.params(reference, { metric: "rougeL" });
    else {
      assert.throws(
        () => textVerifier.params(reference, { metric: "rougeL" }),
        (e: Error) => e instanceof InvalidRequestError && /more than 100000 characters/.test(e.message),
        what,
      );
    }
  }
});

Deno.test("the kernel knows every metric the host accepts (a name it did not know would score as ROUGE-L)", () => {
  // The metric names are written twice, in the host's schema and in the AssemblyScript kernel: each
  // metric must come back with its own details, not ROUGE-L's.
  const common = ["reason", "metric", "extraction"];
  const expected: Record<TextMetric, string[]> = {
    rouge1: ["precision", "recall", "fmeasure"],
    rouge2: ["precision", "recall", "fmeasure"],
    rougeL: ["precision", "recall", "fmeasure", "lcs"],
    bleu: ["bleu", "bp", "sys_len", "ref_len", "precision_1", "precision_2", "precision_3", "precision_4"],
    chrf: ["chrf"],
    token_f1: ["precision", "recall", "f1"],
    exact: [],
    wer: ["wer", "edits", "reference_length"],
    cer: ["cer", "edits", "reference_length"],
    edit_similarity: ["similarity", "edits"],
  };
  assert.deepEqual(Object.keys(expected).sort(), [...TEXT_METRICS].sort());
  const rewards = new Map<string, number>();
  for (const metric of TEXT_METRICS) {
    const out = score("the cat sat on a mat", "a cat sat on the mat", { metric });
    assert.equal(out.details.metric, metric);
    assert.deepEqual(Object.keys(out.details), [...common, ...expected[metric]], metric);
    rewards.set(metric, out.reward);
  }
  // rouge1 and rouge2 share their keys: their rewards tell them apart (unigrams all match, bigrams not).
  assert.equal(rewards.get("rouge1"), 1);
  assert.ok(rewards.get("rouge2")! < 1);
});
