/**
 * Suite definitions and readers: schema errors name the field, templates render MathVista-style
 * prompts, Parquet datasets with embedded images (as Hugging Face ships them) reach the model as
 * data URLs, and the chat client keeps reasoning apart and classifies bad bodies.
 */
import assert from "node:assert/strict";
import { parquetWriteBuffer } from "hyparquet-writer";
import { parseSuite, renderPrompt } from "../benchmarks/suite/mod.ts";
import { outcomeOfBody, splitReasoning } from "../verifiers/mod.ts";
import { AdaptiveConcurrency } from "../benchmarks/model/mod.ts";
import { sha256File } from "../benchmarks/core/mod.ts";
import { runSuite } from "../benchmarks/mod.ts";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { startFakeModel } from "./bench_fake_model.ts";

const SUITE = `
name: t
version: "1"
dataset: { format: jsonl, path: data.jsonl, sha256: ${"b".repeat(64)} }
prompt: { version: "1", template: "{{q}}" }
scoring: { verifier: math, reference: answer }
`;

Deno.test("parseSuite() names the failing field", () => {
  assert.equal(parseSuite(SUITE, "/x/t.yaml").dataPath, "/x/data.jsonl");
  const cases: [string, RegExp][] = [
    [SUITE.replace("sha256: b", "sha256: B"), /dataset\/sha256: must match pattern/],
    [
      SUITE.replace("format: jsonl", "format: csv"),
      /dataset\/format: must be equal to one of the allowed values \(json_by_id, json_list, jsonl, parquet\)/,
    ],
    [
      SUITE + "extra: 1\n",
      /\(suite\): has a field the suite schema does not define \(allowed: name, version, /,
    ],
    [
      SUITE.replace('version: "1", template: "{{q}}"', 'version: "1"'),
      /prompt: must have required property 'template'/,
    ],
    [SUITE.replace("verifier: math, ", ""), /scoring: must have required property 'verifier'/],
    ["name: [", /is not valid YAML/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseSuite(text, "/x/t.yaml"), message);
});

Deno.test("renderPrompt() renders variables, choices with letters and optional fields", () => {
  const prompt = {
    version: "1",
    template:
      "{{hint}}\nQuestion: {{question}}{{#unit}} (Unit: {{unit}}){{/unit}}{{#choices}}\n({{@letter}}) {{.}}{{/choices}}",
    variables: {
      hint: [
        { when: { question_type: "multi_choice" }, text: "Pick a letter." },
        { when: { answer_type: "float", precision: 2 }, text: "Two decimals ({{precision}})." },
        { text: "Answer." },
      ],
    },
  };
  assert.equal(
    renderPrompt(prompt, {
      question: "Which?",
      question_type: "multi_choice",
      choices: ["red", "blue"],
      unit: null,
    }).user,
    "Pick a letter.\nQuestion: Which?\n(A) red\n(B) blue",
  );
  assert.equal(
    renderPrompt(prompt, { question: "How long?", answer_type: "float", precision: 2, unit: "cm" }).user,
    "Two decimals (2).\nQuestion: How long? (Unit: cm)",
  );
  assert.throws(() => renderPrompt({ version: "1", template: "{{#a}}x" }, {}), /section "a" is never closed/);
});

Deno.test("splitReasoning() and outcomeOfBody(): reasoning apart, empty/garbage/truncated are errors", () => {
  assert.deepEqual(splitReasoning("<think>a</think> 42", null), { answer: "42", reasoning: "a" });
  assert.deepEqual(splitReasoning("hidden</think>42", "r"), { answer: "42", reasoning: "r\n\nhidden" });
  assert.deepEqual(splitReasoning("<think>still going", null), { answer: "", reasoning: "still going" });
  const body = (content: unknown, finish = "stop", extra = {}) =>
    JSON.stringify({ choices: [{ message: { content, ...extra }, finish_reason: finish }] });
  const ok = outcomeOfBody(body("The answer is 3", "stop", { reasoning_content: "think" }), 5);
  assert.ok(ok.ok && ok.answer === "The answer is 3" && ok.reasoning === "think");
  const code = (text: string) => {
    const o = outcomeOfBody(text, 1);
    return o.ok ? "ok" : o.code;
  };
  assert.equal(code(""), "empty_body");
  assert.equal(code("<html>"), "bad_body");
  assert.equal(code('{"choices":[]}'), "bad_body");
  assert.equal(code(body("")), "empty_response");
  assert.equal(code(body("<think>only thinking</think>")), "empty_response");
  assert.equal(code(body("partial", "length")), "length");
  assert.equal(code(body([{ type: "text", text: "4" }])), "ok");
});

Deno.test("AdaptiveConcurrency halves its limit on pushback and grows back after successes", async () => {
  const gate = new AdaptiveConcurrency(4, { baseMs: 1, maxMs: 5 });
  for (let i = 0; i < 4; i++) await gate.acquire();
  gate.releaseThrottled();
  assert.equal(gate.limit, 2);
  gate.releaseThrottled(0);
  assert.equal(gate.limit, 1);
  gate.releaseOk();
  assert.equal(gate.limit, 2); // one success at limit 1 raises it by one
  gate.releaseOk();
});

Deno.test("a Parquet dataset with embedded images (Hugging Face layout) reaches the model as data URLs", async () => {
  const dir = await Deno.makeTempDir();
  const png = await Deno.readFile(new URL("../fixtures/bench/images/m1.png", import.meta.url));
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: "pid", data: ["p1", "p2"] },
      { name: "question", data: ["What is 2 + 2?", "What is 3 + 3?"] },
      { name: "answer", data: ["4", "6"] },
      { name: "decoded_image", data: [{ bytes: png, path: "m1.png" }, { bytes: png, path: "m1.png" }] },
    ],
    schema: [
      { name: "root", num_children: 4 },
      { name: "pid", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "question", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "answer", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      { name: "decoded_image", repetition_type: "OPTIONAL", num_children: 2 },
      { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
      { name: "path", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
    ],
  });
  await Deno.writeFile(`${dir}/test.parquet`, new Uint8Array(parquet));
  const sha = await sha256File(`${dir}/test.parquet`);
  await Deno.writeTextFile(
    `${dir}/suite.yaml`,
    `name: parquet_t
version: "1"
dataset: { format: parquet, path: test.parquet, sha256: ${sha}, id_field: pid, images: { field: decoded_image } }
prompt: { version: "1", template: "Question: {{question}}" }
generation: { concurrency: 2, timeout_s: 5 }
scoring: { verifier: math, reference: answer }
`,
  );
  const model = startFakeModel(
    new Map([["What is 2 + 2?", { answer: "\\boxed{4}" }], ["What is 3 + 3?", { answer: "\\boxed{7}" }]]),
  );
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  try {
    const r = await runSuite(engine, {
      suite: `${dir}/suite.yaml`,
      endpoint: { url: model.url, model: "fake-vlm" },
      runsDir: `${dir}/runs`,
    });
    assert.equal(r.summary.overall.correct, 1);
    assert.equal(r.summary.verdicts, 2);
    assert.equal(model.images.get("What is 2 + 2?"), 1);
    assert.equal(r.samples[0].image_hashes.length, 1);
    assert.equal(
      r.samples[0].image_hashes[0],
      await sha256File(new URL("../fixtures/bench/images/m1.png", import.meta.url).pathname),
    );
  } finally {
    await engine.close();
    await model.close();
    await Deno.remove(dir, { recursive: true });
  }
});
