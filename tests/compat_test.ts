/** `POST /v1/compat/openrlhf`: OpenRLHF's body in, `{rewards, scores, extra_logs}` out, never a null. */
import assert from "node:assert/strict";
import { postJson, withApp } from "./_app.ts";
import { createProbeEngine } from "./_probe.ts";
import { createApp } from "../routes/mod.ts";
import { type OnNoVerdict, substituteNoVerdicts } from "../verifiers/substitute.ts";

interface SubstitutionCase {
  name: string;
  rewards: (number | null)[];
  groups: string[];
  policy: OnNoVerdict;
  fallback?: number;
  expected: (number | null)[];
  group_fallbacks: number;
}

Deno.test("substituteNoVerdicts() passes the cases it shares with the Python client", async () => {
  const file = new URL("../clients/substitution_cases.json", import.meta.url);
  const { cases } = JSON.parse(await Deno.readTextFile(file)) as { cases: SubstitutionCase[] };
  assert.ok(cases.length >= 8);
  for (const c of cases) {
    const out = substituteNoVerdicts(c.rewards, c.groups, c.policy, c.fallback);
    assert.deepEqual(out.rewards, c.expected, c.name);
    assert.equal(out.groupFallbacks, c.group_fallbacks, c.name);
    const filled = c.policy === "none" ? 0 : c.rewards.filter((r) => r === null).length;
    assert.equal(out.count, filled, c.name);
    assert.deepEqual(out.substituted, c.rewards.map((r) => r === null && c.policy !== "none"), c.name);
  }
});

const prompt = "<|user|>What is 2+2?<|assistant|>";

Deno.test("OpenRLHF: the prompt is stripped, labels are references, rewards are numbers", async () => {
  await withApp({
    workers: 1,
    specs: { mf: { sum: [{ weight: 0.9, verifier: "math" }, { weight: 0.1, verifier: "format" }] } },
  }, async (app) => {
    const body = {
      // The prompt itself contains "4": scoring it would wrongly reward the second sample.
      query: [
        `${prompt} 4 <think>sum</think><answer>\\boxed{4}</answer>`,
        `${prompt}<think>hmm</think><answer>5</answer>`,
        `Other prompt: box?<answer>[0,0,10,10]</answer>`,
      ],
      prompts: [`${prompt} 4 `, prompt, "Other prompt: box?"],
      labels: ["4", "4", '{"box": [0, 0, 10, 10]}'],
    };
    let res = await postJson(app, "/v1/compat/openrlhf?verifier=math", {
      ...body,
      query: body.query.slice(0, 2),
      prompts: body.prompts.slice(0, 2),
      labels: body.labels.slice(0, 2),
    });
    assert.equal(res.status, 200);
    let out = await res.json();
    assert.deepEqual(out.rewards, [1, 0]);
    assert.deepEqual(out.scores, [1, 0]);
    assert.deepEqual(out.extra_logs.no_verdict_substituted, [0, 0]);
    assert.deepEqual(out.extra_logs.correct, [1, 0]);

    res = await postJson(app, "/v1/compat/openrlhf?verifier=iou", {
      query: [body.query[2]],
      prompts: [body.prompts[2]],
      labels: [body.labels[2]],
    });
    out = await res.json();
    assert.deepEqual(out.rewards, [1], "a JSON-object label is an object reference");

    res = await postJson(app, "/v1/compat/openrlhf?spec=mf", {
      query: body.query.slice(0, 2),
      prompts: body.prompts.slice(0, 2),
      labels: ["4", "4"],
    });
    out = await res.json();
    assert.deepEqual(out.rewards.map((r: number) => Math.round(r * 1000) / 1000), [1, 0.1]);
    assert.deepEqual(out.extra_logs["spec.sum[0]:math"], [1, 0]);
    assert.deepEqual(out.extra_logs["spec.sum[1]:format"], [1, 1]);
  });
});

Deno.test("OpenRLHF: a no-verdict sample gets its group's mean, counted in extra_logs, never null", async () => {
  // The sandbox's test kernel: "trap" has no verdict (internal), "ok" scores 1.
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const app = createApp(engine, { maxBodyBytes: 1 << 20, apiKeys: [] });
    const body = {
      query: ["a:ok", "a:trap", "b:trap", "b:trap"],
      prompts: ["a:", "a:", "b:", "b:"],
      labels: ["", "", "", ""],
    };
    let out = await (await postJson(app, "/v1/compat/openrlhf?verifier=probe", body)).json();
    assert.deepEqual(out.rewards, [1, 1, 1, 1], "group b has no verdict: the call's mean");
    assert.deepEqual(out.extra_logs.no_verdict_substituted, [0, 1, 1, 1]);
    out = await (await postJson(app, "/v1/compat/openrlhf?verifier=probe&on_no_verdict=zero", body)).json();
    assert.deepEqual(out.rewards, [1, 0, 0, 0]);
  } finally {
    await engine.close();
  }
});

Deno.test("OpenRLHF: malformed bodies are 400s naming the field", async () => {
  await withApp({ workers: 1 }, async (app) => {
    const cases: [string, unknown, RegExp][] = [
      ["?verifier=math", { query: ["a"], prompts: ["a", "b"], labels: ["1"] }, /^prompts: has 2 entries/],
      [
        "?verifier=math",
        { query: ["a"], prompts: [1], labels: ["1"] },
        /^prompts: must be a list of strings/,
      ],
      [
        "?verifier=math",
        { query: ["xyz"], prompts: ["abc"], labels: ["1"] },
        /^query\[0\]: does not start with prompts\[0\]/,
      ],
      ["?verifier=math", { query: ["a"], prompts: ["a"] }, /^labels: must be a list/],
      ["?verifier=iou", { query: ["a"], prompts: ["a"], labels: ["not a box"] }, /^labels\[0\]: reference/],
      ["", { query: [], prompts: [], labels: [] }, /exactly one of the query parameters verifier or spec/],
      ["?verifier=math&on_no_verdict=none", { query: [], prompts: [], labels: [] }, /on_no_verdict/],
    ];
    for (const [query, body, message] of cases) {
      const res = await postJson(app, `/v1/compat/openrlhf${query}`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const { error } = await res.json();
      assert.equal(error.code, "invalid_request");
      assert.match(error.message, message);
    }
  });
});
