/**
 * The suites researchers report (#17 pt 5), each over a hand-made sample in the exact published schema
 * (fixtures/bench/<suite>/): the official scoring rule as the suite reproduces it, the published record
 * layout read as published, the per-category breakdowns the papers print, and the prompt.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { loadSuite, runSuite } from "../benchmarks/mod.ts";
import { explodeRecords, imageSizeOf, parsePythonList, shapeRecords } from "../benchmarks/suite/mod.ts";
import { parseSuite } from "../benchmarks/suite/mod.ts";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";
import { startFakeModel } from "./bench_fake_model.ts";

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

Deno.test("mmmu_val: options from the Python list text, images from image_1..7, per-discipline accuracy pooled over subjects", async () => {
  const r = await scored("mmmu_val");
  assert.deepEqual(verdicts(r), {
    validation_Accounting_1: true, // "(B)"
    validation_Economics_2: true, // "(A)"
    validation_Art_Theory_3: false, // the text of option C, the answer is A
    validation_Math_5: true, // open: 2.50 = 2.5
    validation_Clinical_Medicine_2: false, // names no option: wrong here (officially a random letter)
    validation_History_7: true,
    validation_Computer_Science_4: true, // open: 1,024 = 1024
  });
  assert.equal(sample(r, "validation_Clinical_Medicine_2").reason, "no_answer");
  // MMMU's print_results pools the items of a discipline's subjects (instance-level accuracy).
  assert.deepEqual(bucket(r, "discipline"), {
    Business: "2/2",
    "Art and Design": "0/1",
    "Health and Medicine": "0/1",
    "Humanities and Social Science": "1/1",
    Science: "1/1",
    "Tech and Engineering": "1/1",
  });
  assert.equal(bucket(r, "subject").Art_Theory, "0/1");
  assert.deepEqual(sample(r, "validation_Economics_2").reference, {
    answer: "A",
    choices: ["Supply", "Demand", "Both", "Neither (it's fixed)"],
  });
  assert.equal(
    sample(r, "validation_Accounting_1").prompt.user,
    "<image 1> A firm sells 3 units at the prices shown. What is the average price?\n" +
      "(A) $6\n(B) $7\n(C) $8\n(D) $9\n\nAnswer with the option's letter from the given choices directly.",
  );
  assert.equal(
    sample(r, "validation_Math_5").prompt.user,
    "Solve for x in the equation shown in <image 1>.\nAnswer the question using a single word or phrase.",
  );
});

Deno.test("derive: the MMMU record shaped as the suite declares (choices, images, subject, discipline)", async () => {
  const suite = loadSuite("mmmu_val");
  const { readDataset } = await import("../benchmarks/data/mod.ts");
  const records = await shapeRecords(suite.spec, await readDataset(suite.spec.dataset, suite.dataPath), null);
  const art = records.find((r) => r.id === "validation_Art_Theory_3")!.record;
  assert.equal(art.subject, "Art_Theory");
  assert.equal(art.discipline, "Art and Design");
  assert.equal((art.images as unknown[]).length, 2, "image_1 and image_2; the five null columns dropped");
  assert.deepEqual(imageSizeOf((art.images as { bytes: Uint8Array }[])[0].bytes), [48, 64]);
});

Deno.test("parsePythonList: MMMU's option literals, escapes, adjacent strings; non-lists are null", () => {
  const table: [string, (string | number)[] | null][] = [
    ["['$6', '$7', '$8', '$9']", ["$6", "$7", "$8", "$9"]],
    [`['Supply', "Neither (it's fixed)"]`, ["Supply", "Neither (it's fixed)"]],
    ["[]", []],
    ["  [ 'a' , ]  ", ["a"]],
    ["['a\\nb', 'it\\'s', '\\x41\\u00e9']", ["a\nb", "it's", "Aé"]],
    ["['ab' 'cd']", ["abcd"]],
    ["[1, 2.5, -3e2]", [1, 2.5, -300]],
    ["[r'\\frac{1}{2}']", ["\\frac{1}{2}"]],
    ["['unterminated]", null],
    ["['a'] extra", null],
    ["['a', ['b']]", null],
    ["[None]", null],
    ["'a'", null],
    ["", null],
  ];
  for (const [text, expected] of table) assert.deepEqual(parsePythonList(text), expected, text);
});

/** Python's repr of a list of strings (what MMMU's options column holds). */
function pythonRepr(list: string[]): string {
  const one = (s: string) => {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = "";
    for (const ch of s) {
      if (ch === "\\") out += "\\\\";
      else if (ch === quote) out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\r") out += "\\r";
      else if (ch < " " || ch === "\x7f") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
      else out += ch;
    }
    return quote + out + quote;
  };
  return `[${list.map(one).join(", ")}]`;
}

Deno.test("parsePythonList: the repr of any list of strings reads back (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: "binary", maxLength: 20 }), { maxLength: 8 }), (list) => {
      assert.deepEqual(parsePythonList(pythonRepr(list)), list);
    }),
    { numRuns: 500 },
  );
});

Deno.test("imageSizeOf: PNG, GIF, BMP, JPEG and WebP headers; other bytes null", () => {
  const png = Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    13,
    10,
    26,
    10,
    0,
    0,
    0,
    13,
    73,
    72,
    68,
    82,
    0,
    0,
    2,
    128,
    0,
    0,
    1,
    224,
  ]);
  assert.deepEqual(imageSizeOf(png), [640, 480]);
  const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x40, 0x01, 0xc8, 0x00]);
  assert.deepEqual(imageSizeOf(gif), [320, 200]);
  const bmp = new Uint8Array(26);
  bmp.set([0x42, 0x4d]);
  new DataView(bmp.buffer).setInt32(18, 100, true);
  new DataView(bmp.buffer).setInt32(22, -50, true); // top-down rows: negative height
  assert.deepEqual(imageSizeOf(bmp), [100, 50]);
  // JPEG: SOI, an APP0 segment, then SOF0 with height 480, width 640.
  const jpeg = Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x04,
    0x4a,
    0x46,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    0x01,
    0xe0,
    0x02,
    0x80,
    0x03,
  ]);
  assert.deepEqual(imageSizeOf(jpeg), [640, 480]);
  const webp = new Uint8Array(30);
  webp.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58]);
  webp.set([0x3f, 0x01, 0x00, 0xc7, 0x00, 0x00], 24); // 320 - 1, 200 - 1 as 24-bit little endian
  assert.deepEqual(imageSizeOf(webp), [320, 200]);
  assert.equal(imageSizeOf(new TextEncoder().encode("not an image at all")), null);
  assert.equal(imageSizeOf(png.subarray(0, 20)), null, "a cut header");
});

Deno.test("refcoco_val: one item per expression, box normalized by the embedded image's size, Acc@0.5", async () => {
  const r = await scored("refcoco_val");
  assert.deepEqual(verdicts(r), {
    "10001/0": true, // IoU 0.998
    "10001/1": true, // IoU 0.613
    "10002/0": false, // IoU 0
  });
  assert.deepEqual(sample(r, "10001/1").reference, { box: [100, 100, 300, 300] });
  assert.ok(Math.abs((sample(r, "10001/1").details?.iou as number) - 0.6129) < 1e-3);
  assert.equal(sample(r, "10002/0").details?.iou, 0);
  // The 500x400 image of 10002 maps 0.5 to 250 px: the size came from the PNG header in the Parquet file.
  assert.deepEqual(sample(r, "10002/0").extracted, [250, 200, 450, 360]);
  assert.ok(sample(r, "10001/1").prompt.user.endsWith("the region this sentence describes: left guy"));
  assert.equal(sample(r, "10001/0").cluster, "10001", "expressions of one object form a cluster");
  assert.equal(r.summary.scale, "binary");
  assert.equal(r.summary.overall.correct, 2);
});

Deno.test("refcocoplus_val and refcocog_val: point pairs and <box> read, two boxes ambiguous, no box wrong", async () => {
  const plus = await scored("refcocoplus_val");
  assert.deepEqual(verdicts(plus), { "20001/0": true, "20001/1": false, "20002/0": true });
  assert.equal(sample(plus, "20001/1").reason, "ambiguous", "lmms-eval would take the first box");
  const g = await scored("refcocog_val");
  assert.deepEqual(verdicts(g), { "30001/0": true, "30001/1": false, "30002/0": true });
  assert.equal(sample(g, "30001/1").reason, "bad_format", "no box: unextractable");
  assert.ok(Math.abs((sample(g, "30002/0").details?.iou as number) - 0.6) < 1e-9);
  assert.ok(sample(g, "30001/0").prompt.user.endsWith("a man wearing a red shirt standing next to a table"));
});

Deno.test("docvqa_val: ANLS through a gated edit similarity, best of several answers, below 0.5 counts 0", async () => {
  const r = await scored("docvqa_val");
  const rewards = Object.fromEntries(r.samples.map((s) => [s.id, s.reward]));
  assert.equal(rewards["49153"], 1); // equals the first of two answers
  assert.ok(Math.abs(rewards["24581"]! - (1 - 4 / 11)) < 1e-9, "ITC Ltd vs ITC Limited: 4 edits over 11");
  assert.ok(Math.abs(rewards["57349"]! - (1 - 1 / 7)) < 1e-9, "975.00 vs $975.00");
  assert.equal(rewards["64"], 0, "similarity below 0.5 counts 0");
  assert.equal(r.summary.scale, "continuous");
  const anls = (1 + (1 - 4 / 11) + (1 - 1 / 7) + 0) / 4;
  assert.ok(Math.abs(r.summary.overall.mean - anls) < 1e-9, `ANLS ${anls}`);
  // question_types is a list: an item counts in each of its types.
  assert.equal(r.summary.breakdowns.find((b) => b.key === "question_types")!.rows.length, 4);
  assert.deepEqual(sample(r, "64").reference, ["Dr. Robert Jones", "Robert Jones"]);
});

Deno.test("chartqa_test: relaxed accuracy on the whole response, numbered rows of an id-less Parquet file, per split", async () => {
  const r = await scored("chartqa_test");
  assert.deepEqual(verdicts(r), {
    "test-00000-of-00001/0": true, // 14 = 14
    "test-00000-of-00001/1": true, // brazil = Brazil (case ignored)
    "test-00000-of-00001/2": false, // 0.01 vs 0: no tolerance around 0 (officially a string compare)
    "test-00000-of-00001/3": true, // 46.5 vs 45: 3.3% off
    "test-00000-of-00001/4": false, // 1.45 vs 1.37: 5.8% off
    "test-00000-of-00001/5": false, // No vs Yes
    "test-00000-of-00001/6": true, // 146 vs the integer 140: 4.3% off (the reference written as 140.0)
  });
  assert.deepEqual(bucket(r, "type"), { augmented_test: "1/3", human_test: "3/4" });
  assert.equal(sample(r, "test-00000-of-00001/6").reference, "140.0");
  assert.equal(sample(r, "test-00000-of-00001/1").reference, "Brazil", "text answers unchanged");
  assert.equal(
    sample(r, "test-00000-of-00001/0").prompt.user,
    "How many food items are shown in the bar graph?\nAnswer the question with a single word.",
  );
});

Deno.test("chartmimic_direct: the four low-level F1 averaged (chartmimic profile), code that fails to run scores 0", async () => {
  await ensureChartDeps();
  const r = await scored("chartmimic_direct");
  const rewards = Object.fromEntries(r.samples.map((s) => [s.id, s.reward]));
  assert.equal(rewards.bar_5, 1, "the reference code itself");
  const scores = sample(r, "line_12").details?.scores as Record<string, number>;
  const lowLevel = (scores.text + scores.layout + scores.type + scores.color) / 4;
  assert.ok(Math.abs(rewards.line_12! - lowLevel) < 1e-9, "reward = mean of text, layout, type, color F1");
  assert.ok(scores.color < 1 && scores.text < 1, "another color and no legend cost color and text");
  assert.equal(rewards.pie_3, 0);
  assert.equal(sample(r, "pie_3").reason, "render_failed");
  assert.equal(sample(r, "pie_3").error, null, "a verdict (0), as ChartMimic scores code that does not run");
  assert.equal(r.summary.scale, "continuous");
  assert.ok(sample(r, "bar_5").prompt.user.startsWith("You are an expert Python developer"));
  assert.deepEqual(Object.keys(sample(r, "bar_5").reference as object), ["code"]);
});

Deno.test("model runs send the Parquet-embedded images (MMMU's image_1..7, RefCOCO, DocVQA) and score the answers", async () => {
  shared ??= createEngine(VERIFIERS, { workers: 1 });
  const engine = await shared;
  const cases: [string, Record<string, string>, Record<string, number>][] = [
    ["mmmu_val", { "validation_Art_Theory_3": "(A)" }, {
      "validation_Art_Theory_3": 2,
      "validation_Math_5": 1,
    }],
    ["refcoco_val", { "10001/1": "[0.156, 0.208, 0.469, 0.625]" }, { "10001/1": 1 }],
    ["docvqa_val", { "24581": "ITC Limited" }, { "24581": 1 }],
  ];
  for (const [suite, answers, imageCounts] of cases) {
    const loaded = loadSuite(suite);
    const { readDataset } = await import("../benchmarks/data/mod.ts");
    const { buildItems } = await import("../benchmarks/suite/mod.ts");
    const records = await shapeRecords(
      loaded.spec,
      await readDataset(loaded.spec.dataset, loaded.dataPath),
      null,
    );
    const prompts = new Map(
      buildItems(loaded.spec, records).map((item) => [item.id, item.prompt.user.trim()]),
    );
    const model = startFakeModel(
      new Map([...prompts].map(([id, text]) => [text, { answer: answers[id] ?? "no idea" }])),
    );
    const runsDir = await Deno.makeTempDir({ prefix: `arbiter_${suite}_model_` });
    try {
      const r = await runSuite(engine, { suite, endpoint: { url: model.url, model: "fake-vlm" }, runsDir });
      assert.equal(r.summary.unanswered, 0, `${suite}: every item answered`);
      for (const [id, answer] of Object.entries(answers)) {
        assert.ok((sample(r, id).reward ?? 0) > 0.99, `${suite} ${id}: ${answer}`);
      }
      for (const [id, count] of Object.entries(imageCounts)) {
        assert.equal(model.images.get(prompts.get(id)!), count, `${suite} ${id}: images sent`);
      }
    } finally {
      await model.close();
      await Deno.remove(runsDir, { recursive: true });
    }
  }
});

/** A minimal suite file with extra lines (a `derive` block) for the schema and shaping tests. */
function tinySuite(extra: string[]) {
  return parseSuite(
    [
      "name: t",
      'version: "1"',
      `dataset: { format: jsonl, path: x.jsonl, sha256: "${"0".repeat(64)}" }`,
      'prompt: { version: "1", template: "{{id}}" }',
      "scoring: { verifier: math, reference: id }",
      ...extra,
    ].join("\n"),
    "/tmp/t.yaml",
  );
}

Deno.test("explode and derive: one item per expression, between/map misses leave the field absent", async () => {
  const records = [
    { id: "7", record: { id: "7", answer: ["left man", "man on left"], kind: "x" } },
    { id: "8", record: { id: "8", answer: "not a list", kind: "y" } },
  ];
  assert.deepEqual(explodeRecords(records, "answer").map((r) => [r.id, r.record.answer]), [
    ["7/0", "left man"],
    ["7/1", "man on left"],
    ["8", "not a list"],
  ]);
  assert.throws(
    () => explodeRecords([...records, { id: "7/1", record: { answer: "x" } }], "answer"),
    /dataset\.explode: two items get the id "7\/1"/,
  );
  const suite = tinySuite([
    "derive:",
    '  part: { from: id, between: ["_", "_"] }',
    "  label: { from: kind, map: { x: Ex } }",
  ]).spec;
  const shaped = await shapeRecords(suite, [
    { id: "a", record: { id: "validation_Art_Theory_12", kind: "x" } },
    { id: "b", record: { id: "nounderscore", kind: "z" } },
    { id: "c", record: { id: "x", kind: "constructor" } },
  ], null);
  assert.deepEqual(shaped[0].record, {
    id: "validation_Art_Theory_12",
    kind: "x",
    part: "Art_Theory",
    label: "Ex",
  });
  assert.deepEqual(shaped[1].record, { id: "nounderscore", kind: "z" });
  assert.deepEqual(shaped[2].record, { id: "x", kind: "constructor" }, "only the map's own keys");
  const decimals = tinySuite(["derive: { v: { from: a, parse: integer_as_decimal } }"]).spec;
  const values = await shapeRecords(
    decimals,
    ["140", " -7 ", "1.5", "Brazil", "", "+", 12, 2.5].map((a, i) => ({ id: String(i), record: { a } })),
    null,
  );
  assert.deepEqual(values.map((r) => r.record.v), ["140.0", "-7.0", "1.5", "Brazil", "", "+", "12.0", 2.5]);
  const bad = tinySuite(["derive: { choices: { from: options, parse: python_list } }"]).spec;
  await assert.rejects(
    shapeRecords(bad, [{ id: "q1", record: { options: "['a', " } }], null),
    /derive\.choices: record "q1" field options is not a Python list literal/,
  );
  assert.throws(
    () => tinySuite(["derive: { s: { from: id, pattern: '(.*)*' } }"]),
    /Suite \/tmp\/t\.yaml is invalid: derive\/s/,
    "no regular expressions from suite files",
  );
});

Deno.test({
  name: "(closes the shared engine)",
  fn: async () => {
    if (shared) await (await shared).close();
    shared = null;
  },
});
