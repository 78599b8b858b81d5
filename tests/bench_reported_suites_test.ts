/**
 * The suites researchers report (#17 pt 5), each over a hand-made sample in the exact published schema
 * (fixtures/bench/<suite>/): the official scoring rule as the suite reproduces it, the published record
 * layout read as published, the per-category breakdowns the papers print, and the prompt.
 */
import assert from "node:assert/strict";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { runSuite } from "../benchmarks/mod.ts";

const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;

type Run = Awaited<ReturnType<typeof runSuite>>;

let shared: Promise<Engine> | null = null;

/** Runs a built-in suite over its predictions fixture with one engine for the whole file. */
async function scored(suite: string): Promise<Run> {
  shared ??= createEngine(VERIFIERS, { workers: 1 });
  const engine = await shared;
  const runsDir = await Deno.makeTempDir({ prefix: `arbiter_${suite}_` });
  try {
    return await runSuite(engine, {
      suite,
      predictions: { path: `${FIXTURES}${suite.replace(/_(testmini|val|test)$/, "")}_predictions.jsonl` },
      runsDir,
    });
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}

function verdicts(r: Run): Record<string, boolean | null> {
  return Object.fromEntries(r.samples.map((s) => [s.id, s.correct]));
}

function bucket(r: Run, key: string): Record<string, string> {
  const table = r.summary.breakdowns.find((b) => b.key === key);
  assert.ok(table, `breakdown ${key}`);
  return Object.fromEntries(table.rows.map((row) => [row.label, `${row.correct}/${row.n}`]));
}

function sample(r: Run, id: string) {
  const found = r.samples.find((s) => s.id === id);
  assert.ok(found, `sample ${id}`);
  return found;
}

Deno.test("mathvision_testmini: letter or option text, values by value, prose without an answer wrong; subject and level", async () => {
  const r = await scored("mathvision_testmini");
  assert.deepEqual(verdicts(r), {
    "4": true, // \boxed{7}
    "6": false, // boxed C, the answer is D
    "39": false, // "so it is red.": no final answer (the official cut-and-compare fails too)
    "91": true, // the option's text "$12 \mathrm{~m}$" for E
    "205": true, // "The final answer is 2."
    "1012": true, // 1.5 = \frac{3}{2}
  });
  assert.equal(sample(r, "39").reason, "no_answer");
  assert.equal(r.summary.overall.correct, 4);
  assert.equal(r.summary.overall.n, 6);
  assert.deepEqual(bucket(r, "level"), { "1": "2/2", "2": "1/1", "3": "0/2", "4": "1/1" });
  assert.equal(bucket(r, "subject").logic, "0/2");
  // The official prompt: instruction, question, then the options lettered (none for free-form questions).
  assert.equal(
    sample(r, "91").prompt.user,
    'Please solve the problem and put your answer in one "\\boxed{}". If it is a multiple choice question, only one letter is allowed in the "\\boxed{}".\n' +
      "The floor of a room is covered with equal rectangular tiles (see picture). How long is the room? <image1>\n" +
      "(A) $6 \\mathrm{~m}$\n(B) $8 \\mathrm{~m}$\n(C) $10 \\mathrm{~m}$\n(D) $11 \\mathrm{~m}$\n(E) $12 \\mathrm{~m}$\n",
  );
  assert.ok(sample(r, "4").prompt.user.endsWith("<image1>\n"), "no options block for a free-form question");
  assert.deepEqual(sample(r, "6").reference, { answer: "D", choices: ["A", "B", "C", "D", "E"] });
});

Deno.test("mathverse_testmini: five problem versions of one problem, a letter answer, per-version accuracy", async () => {
  const r = await scored("mathverse_testmini");
  assert.deepEqual(verdicts(r), {
    "1": true,
    "2": true, // the bare 14 on the last line
    "3": true, // "Final answer: 14"
    "4": false, // 13
    "5": false, // no answer: wrong (the GPT extractor would give nothing either)
    "6": true, // "The answer is C." for the letter answer C
  });
  assert.equal(sample(r, "5").reason, "no_answer");
  assert.deepEqual(bucket(r, "problem_version"), {
    "Text Dominant": "1/1",
    "Text Lite": "2/2",
    "Vision Intensive": "1/1",
    "Vision Dominant": "0/1",
    "Vision Only": "0/1",
  });
  assert.deepEqual(bucket(r, "metadata.subject"), { "Solid Geometry": "3/5", "Plane Geometry": "1/1" });
  // The prompt is the published query_cot; items of one problem form a cluster.
  assert.ok(sample(r, "4").prompt.user.startsWith("Please first conduct reasoning"));
  assert.ok(sample(r, "4").prompt.user.endsWith("Question: Find L."));
  assert.equal(sample(r, "1").cluster, "10");
});

Deno.test("screenspot (v1): xywh boxes in three split files, the point inside edges included, a box by its centre", async () => {
  const r = await scored("screenspot");
  assert.deepEqual(verdicts(r), {
    "screenspot_desktop/0": true,
    "screenspot_desktop/1": false, // y = 330 is below y + h = 324
    "screenspot_mobile/0": true, // (240, 1590) = (x + w, y + h): on the corner
    "screenspot_web/0": true, // the box's centre (660, 58)
    "screenspot_web/1": false,
  });
  assert.deepEqual(sample(r, "screenspot_mobile/0").reference, { box: [40, 1500, 240, 1590] });
  assert.deepEqual(bucket(r, "_file"), {
    screenspot_desktop: "1/2",
    screenspot_mobile: "1/1",
    screenspot_web: "1/2",
  });
  assert.deepEqual(bucket(r, "data_type"), { text: "2/3", icon: "1/2" });
  assert.equal(
    sample(r, "screenspot_web/0").prompt.user,
    'In this UI screenshot, what is the position of the element corresponding to the command "search for flights" (with point)?',
  );
});

Deno.test({
  name: "(closes the shared engine)",
  fn: async () => {
    if (shared) await (await shared).close();
    shared = null;
  },
});
