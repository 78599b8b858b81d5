/** Property tests (fast-check) of the `match` kernel's parsers and scores against plain TypeScript definitions. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeItem, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { MATCH_MODES, matchVerifier } from "../verifiers/match/mod.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";
import { lcs } from "../perf/text_baseline.ts";

const kernel = loadKernel("match");

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  const out = scoreInProcess(kernel, matchVerifier.params(reference, options), response);
  assertVerdict(out);
  return out;
}

const label = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const labels = fc.uniqueArray(label, { minLength: 1, maxLength: 24 });

/** Every way the kernel promises to read a list, as a function of the labels. */
const FORMATS: [string, (xs: string[]) => string][] = [
  ["json", (xs) => `<answer>${JSON.stringify(xs)}</answer>`],
  ["python", (xs) => `<answer>[${xs.map((x) => `'${x}'`).join(", ")}]</answer>`],
  ["tuple", (xs) => `<answer>(${xs.map((x) => `"${x}"`).join(",")})</answer>`],
  ["comma", (xs) => `<think>ok</think><answer>${xs.join(", ")}</answer>`],
  ["semicolon", (xs) => `<answer>${xs.join(";")}</answer>`],
  ["bullets", (xs) => `<answer>\n${xs.map((x) => `- ${x}`).join("\n")}\n</answer>`],
  ["numbered", (xs) => `<answer>${xs.map((x, i) => `${i + 1}. ${x}`).join("\n")}</answer>`],
  ["spaces", (xs) => `<answer> ${xs.join("  ")} </answer>`],
  ["boxed", (xs) => `so \\boxed{${xs.join(", ")}}`],
  ["fence", (xs) => `<answer>\`\`\`json\n${JSON.stringify(xs)}\n\`\`\`</answer>`],
  ["brackets", (xs) => `<answer>[${xs.join(", ")}]</answer>`],
];

Deno.test("property: a list written in any supported form reads back as the same sequence", () => {
  fc.assert(
    fc.property(labels, fc.constantFrom(...FORMATS), (xs, [name, write]) => {
      const out = score(write(xs), xs, { mode: "sequence_exact" });
      assert.equal(out.reward, 1, `${name}: ${write(xs)} -> ${JSON.stringify(out.details)}`);
      assert.equal(xs.length === 1 ? 1 : out.details.count, xs.length);
    }),
    { numRuns: 400 },
  );
});

Deno.test("property: set modes ignore order and duplicates; sequence modes never give a wrong order full credit", () => {
  fc.assert(
    fc.property(labels.filter((xs) => xs.length >= 2), fc.integer({ min: 1, max: 1000 }), (xs, seed) => {
      const shuffled = [...xs];
      let s = seed;
      for (let i = shuffled.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const j = s % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const answer = `<answer>${[...shuffled, shuffled[0]].join(", ")}</answer>`;
      assert.equal(score(answer, xs, { mode: "set_exact" }).reward, 1);
      assert.equal(score(answer, xs, { mode: "set_f1" }).reward, 1);
      if (shuffled.some((x, i) => x !== xs[i])) {
        const ordered = `<answer>${shuffled.join(" ")}</answer>`;
        for (const mode of ["sequence_exact", "position_accuracy", "kendall_tau", "lcs", "adjacency"]) {
          assert.ok(score(ordered, xs, { mode }).reward < 1, `${mode}: ${shuffled} vs ${xs}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

function kendallReward(answer: number[], ref: number[]): number {
  const pos = new Map<number, number>();
  answer.forEach((x, i) => pos.has(x) || pos.set(x, i));
  let c = 0, d = 0;
  for (let i = 0; i < ref.length; i++) {
    for (let j = i + 1; j < ref.length; j++) {
      const a = pos.get(ref[i]) ?? Infinity, b = pos.get(ref[j]) ?? Infinity;
      if (a < b) c++;
      else d++;
    }
  }
  const total = ref.length * (ref.length - 1) / 2;
  const tau = total === 0 ? (pos.has(ref[0]) ? 1 : -1) : (c - d) / total;
  return (tau + 1) / 2;
}

function ndcg(answer: number[], rel: Map<number, number>, k: number): number {
  const seen = new Set<number>();
  let dcg = 0;
  answer.slice(0, k).forEach((x, i) => {
    if (!seen.has(x)) dcg += (rel.get(x) ?? 0) / Math.log2(i + 2);
    seen.add(x);
  });
  const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, k).reduce(
    (s, r, i) => s + r / Math.log2(i + 2),
    0,
  );
  return dcg / ideal;
}

const ids = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: 150 });
const refIds = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 41 });

Deno.test("property: kendall_tau, lcs and ndcg equal their plain O(n²) definitions", () => {
  fc.assert(
    fc.property(ids, refIds, (answer, ref) => {
      const response = `<answer>${JSON.stringify(answer)}</answer>`;
      const near = (a: number, b: number, what: string) =>
        assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
      near(score(response, ref, { mode: "kendall_tau" }).reward, kendallReward(answer, ref), "kendall");
      const l = lcs(answer, ref);
      near(
        score(response, ref, { mode: "lcs" }).reward,
        answer.length + ref.length ? 2 * l / (answer.length + ref.length) : 1,
        "lcs",
      );
      const rel = new Map(ref.map((x, i) => [x, (i % 4) + 1]));
      const k = Math.max(1, Math.min(ref.length, 10));
      near(
        score(response, Object.fromEntries(rel), { k }).reward,
        answer.length ? ndcg(answer, rel, k) : 0,
        "ndcg",
      );
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: any text or bytes in any mode is a verdict, never a trap", () => {
  const tricky = fc.constantFrom(
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "\\boxed{",
    "\\{",
    ",",
    "\n",
    " ",
    "'",
    '"',
    "<answer>",
    "</answer>",
    "```",
    "A",
    "(B)",
    "Option",
    "1.5",
    "-",
    "\u0000",
    "é",
    "猫",
    "\uD800",
    "😀",
    "1e309",
    "null",
    ">",
  );
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.array(tricky, { maxLength: 40 }).map((p) => p.join("")),
  );
  fc.assert(
    fc.property(text, fc.constantFrom(...MATCH_MODES), (response, mode) => {
      const reference = mode === "exact" ? "A" : mode === "ndcg" ? { A: 1, B: 2 } : ["A", "B", "C", "D"];
      const options: Record<string, unknown> = mode === "exact" || mode === "ndcg" ? {} : { mode };
      if (mode === "exact") options.choices = ["x", "y", "z"];
      score(response, reference, options);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const head = encodeItem(matchVerifier.params(["a", "b"], { mode: "set_f1", tag: "" }), "");
      const item = new Uint8Array(head.length + bytes.length);
      item.set(head);
      item.set(bytes, head.length);
      assertVerdict(JSON.parse(new TextDecoder().decode(kernel.scoreBytes(item))));
    }),
    { numRuns: 1000 },
  );
});
