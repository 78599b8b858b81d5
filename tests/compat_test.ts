/** `POST /v1/compat/openrlhf`: OpenRLHF's body in, `{rewards, scores, extra_logs}` out, never a null. */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Hono } from "hono";
import { postJson, withApp } from "./_app.ts";
import { floatJson, floatText, promptOverlap } from "../routes/compat.ts";
import { createProbeEngine } from "./_probe.ts";
import { createApp } from "../routes/mod.ts";
import { type OnNoVerdict, substituteNoVerdicts } from "../verifiers/mod.ts";

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

/** The raw text of a compat answer and its parsed body. */
async function openrlhf(app: Hono, query: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await postJson(app, `/v1/compat/openrlhf${query}`, body);
  return { status: res.status, text: await res.text() };
}

Deno.test("OpenRLHF: every reward, score and log value is a JSON float, never an integer", async () => {
  await withApp({ workers: 1 }, async (app) => {
    const body = {
      query: [`${prompt}\\boxed{4}`, `${prompt}\\boxed{5}`],
      prompts: [prompt, prompt],
      labels: ["4", "4"],
    };
    const { status, text } = await openrlhf(app, "?verifier=math", body);
    assert.equal(status, 200);
    assert.ok(text.startsWith('{"rewards":[1.0,0.0],"scores":[1.0,0.0],"extra_logs":{'), text);
    assert.ok(text.includes('"correct":[1.0,0.0]'), text);
    // No number in the answer is written without a decimal point.
    const numbers = text.match(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g) ?? [];
    assert.ok(numbers.length >= 8);
    for (const n of numbers) assert.ok(n.includes(".") || /e/i.test(n), `${n} in ${text}`);
  });
});

Deno.test("floatText() writes integers as floats and leaves other numbers as JSON writes them", () => {
  const cases: [number, string][] = [[1, "1.0"], [0, "0.0"], [-2, "-2.0"], [0.25, "0.25"], [1e21, "1e+21"]];
  for (const [value, text] of cases) {
    assert.equal(floatText(value), text);
    assert.equal(JSON.parse(text), value);
  }
  assert.equal(
    floatJson({ a: [1, 0.5], b: "1", c: null, d: true }),
    '{"a":[1.0,0.5],"b":"1","c":null,"d":true}',
  );
});

Deno.test("OpenRLHF: extra_logs=per_sample|scalar|none", async () => {
  await withApp({ workers: 1 }, async (app) => {
    const body = {
      query: [`${prompt}\\boxed{4}`, `${prompt}\\boxed{5}`, `${prompt}\\boxed{4}`, `${prompt}\\boxed{4}`],
      prompts: [prompt, prompt, prompt, prompt],
      labels: ["4", "4", "4", "4"],
    };
    const perSample = JSON.parse((await openrlhf(app, "?verifier=math&extra_logs=per_sample", body)).text);
    assert.deepEqual(perSample.extra_logs, {
      correct: [1, 0, 1, 1],
      no_verdict_substituted: [0, 0, 0, 0],
      prompt_truncated: [0, 0, 0, 0],
    });
    const scalar = await openrlhf(app, "?verifier=math&extra_logs=scalar", body);
    assert.ok(
      scalar.text.endsWith(
        '"extra_logs":{"correct":0.75,"no_verdict_substituted":0.0,"prompt_truncated":0.0}}',
      ),
    );
    const none = await openrlhf(app, "?verifier=math&extra_logs=none", body);
    assert.ok(none.text.endsWith('"extra_logs":{}}'), none.text);
    assert.deepEqual(JSON.parse(none.text).rewards, [1, 0, 1, 1]);
  });
});

Deno.test("OpenRLHF: a left-truncated prompt is cut at its longest tail the query starts with, and counted", async () => {
  await withApp({ workers: 1 }, async (app) => {
    // The prompt's removed head holds "\\boxed{4}": scoring it would reward a wrong response.
    const long = `Example: \\boxed{4}. ${"Some context. ".repeat(20)}Question: what is 2+2?<|assistant|>`;
    const truncated = long.slice(40);
    const body = {
      query: [`${truncated}\\boxed{5}`, `${truncated}so \\boxed{4}`, `${long}\\boxed{4}`],
      prompts: [long, long, long],
      labels: [4, 4, 4],
    };
    const out = JSON.parse((await openrlhf(app, "?verifier=math", body)).text);
    assert.deepEqual(out.rewards, [0, 1, 1]);
    assert.deepEqual(out.extra_logs.prompt_truncated, [1, 1, 0]);
  });
});

Deno.test("promptOverlap() is the longest tail of the prompt that the query starts with", () => {
  const naive = (prompt: string, query: string) => {
    for (let k = Math.min(prompt.length, query.length); k > 0; k--) {
      if (query.startsWith(prompt.slice(prompt.length - k))) return k;
    }
    return 0;
  };
  const text = fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 24 });
  fc.assert(
    fc.property(text, text, text, (head, tail, response) => {
      const prompt = head + tail;
      for (const query of [tail + response, response, prompt + response]) {
        assert.equal(promptOverlap(prompt, query), naive(prompt, query), JSON.stringify({ prompt, query }));
      }
    }),
    { numRuns: 500 },
  );
  assert.equal(promptOverlap("…the question? Answer:", "question? Answer: 42"), 17);
  assert.equal(promptOverlap("", "x"), 0);
});

Deno.test("OpenRLHF: numeric and list labels mean the same answer as their text", async () => {
  await withApp({ workers: 1 }, async (app) => {
    const body = {
      query: [1, 2, 3, 4].map(() => `${prompt}\\boxed{72}`),
      prompts: [prompt, prompt, prompt, prompt],
      labels: [72, [72], "72", 72.0],
    };
    const out = JSON.parse((await openrlhf(app, "?verifier=math", body)).text);
    assert.deepEqual(out.rewards, [1, 1, 1, 1]);
  });
});

Deno.test("OpenRLHF: a caller error names the query parameter or field that was wrong", async () => {
  await withApp({ workers: 1, specs: { mf: { sum: [{ weight: 1, verifier: "math" }] } } }, async (app) => {
    const body = { query: [`${prompt}\\boxed{4}`], prompts: [prompt], labels: ["4"] };
    const cases: [string, RegExp][] = [
      ["?verifer=math", /^Unknown query parameter "verifer"; the parameters are verifier, spec,/],
      ["?verifier=mth", /^verifier: unknown verifier "mth"; known: .*math/],
      ["?spec=nope", /^spec: unknown spec "nope"; named specs: mf/],
      ["?verifier=math&extra_logs=flat", /^extra_logs: must be one of per_sample, scalar, none/],
      ["?verifier=math&on_no_verdict=mean", /^on_no_verdict: must be one of group_mean, zero/],
      ["?verifier=math&fallback=high", /^fallback: /],
      ["?verifier=math&spec=mf", /exactly one of the query parameters verifier or spec/],
    ];
    for (const [query, message] of cases) {
      const { status, text } = await openrlhf(app, query, body);
      assert.equal(status, 400, query);
      const { error } = JSON.parse(text);
      assert.equal(error.code, "invalid_request");
      assert.match(error.message, message, query);
    }
    const ok = await openrlhf(app, "?spec=mf&fallback=0.5&on_no_verdict=zero&extra_logs=none", body);
    assert.equal(ok.status, 200, ok.text);
  });
});

Deno.test("OpenRLHF ≥ 0.10: a lone sample without a verdict gets the fallback, counted, never null", async () => {
  // OpenRLHF ≥ 0.10 posts one sample per request (openrlhf/utils/agent.py, v0.10.0 and v0.11.0).
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const app = createApp(engine, { maxBodyBytes: 1 << 20, apiKeys: [] });
    const lone = { query: ["a:trap"], prompts: ["a:"], labels: [""] };
    let answer = await openrlhf(app, "?verifier=probe&extra_logs=scalar", lone);
    assert.equal(
      answer.text,
      '{"rewards":[0.0],"scores":[0.0],"extra_logs":' +
        '{"correct":0.0,"no_verdict_substituted":1.0,"prompt_truncated":0.0}}',
    );
    answer = await openrlhf(app, "?verifier=probe&fallback=0.5", lone);
    assert.deepEqual(JSON.parse(answer.text).rewards, [0.5]);
    answer = await openrlhf(app, "?verifier=probe&fallback=0.5", { ...lone, query: ["a:ok"] });
    assert.deepEqual(JSON.parse(answer.text).rewards, [1], "the fallback is only for no-verdicts");
  } finally {
    await engine.close();
  }
});
