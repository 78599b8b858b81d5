/**
 * Model-based rewards end to end over HTTP: the real server (`main.ts serve --config`) with a judge
 * configured against the fake judge on loopback. The spec (gated 0.9 × math + 0.1 × format,
 * plus 0.5 × judge with `reasoning_quality`) with an image from a data root, NDJSON streaming,
 * `/v1/verifiers`, `/metrics` cache counters, and 503 for judge items on a server without judges.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { imageUrlsOf, startFakeJudge, userTextOf } from "./fake_openai_server.ts";
import { startServer } from "./_server.ts";

const SPEC = {
  sum: [
    {
      weight: 1,
      gate: {
        if: { verifier: "format", options: { tags: ["think", "answer"] } },
        then: {
          sum: [
            { weight: 0.9, verifier: "math" },
            { weight: 0.1, verifier: "format", options: { tags: ["think", "answer"] } },
          ],
        },
      },
    },
    { weight: 0.5, verifier: "judge", options: { judge: "grader", template: "reasoning_quality" } },
  ],
};

Deno.test("the issue's spec works over HTTP against the fake judge, with an image from a data root", async () => {
  const fake = startFakeJudge(() => ({ content: "The steps follow.\nVERDICT: 6" }));
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/images`);
  const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#aa3300" } }).png()
    .toBuffer();
  await Deno.writeFile(`${dir}/images/bars.png`, png);
  await Deno.writeTextFile(
    `${dir}/arbiter.yaml`,
    [
      `data_roots: ["${dir}/images"]`,
      "judges:",
      "  grader:",
      `    url: ${fake.url}`,
      "    model: fake-judge",
      "    max_concurrency: 8",
      "    max_image_side: 300",
      "    retries: 1",
    ].join("\n"),
  );
  const server = await startServer({}, ["--config", `${dir}/arbiter.yaml`]);
  try {
    const item = {
      spec: SPEC,
      prompt: "What is 2+2? Look at the chart.",
      images: ["bars.png"],
      response: "<think>2 and 2 make 4</think><answer>4</answer>",
      reference: "4",
    };
    const response = await fetch(`${server.url}/v1/verify/batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: [item, { ...item, response: "<answer>4</answer>" }] }),
    });
    assert.equal(response.status, 200);
    const { results } = await response.json();
    assert.equal(results[0].error, null, JSON.stringify(results[0]));
    assert.ok(Math.abs(results[0].reward - (1 + 0.5 * 0.6)) < 1e-9, JSON.stringify(results[0]));
    const judgeLeaf = results[0].components.find((c: { verifier: string }) => c.verifier === "judge");
    assert.equal(judgeLeaf.details.template, "reasoning_quality");
    assert.equal(judgeLeaf.details.judge_output, "The steps follow.\nVERDICT: 6");
    // The second response fails the format gate: only the judge's half counts.
    assert.ok(Math.abs(results[1].reward - 0.3) < 1e-9, JSON.stringify(results[1]));
    // What the judge saw: the prompt, the delimited response, and the image resized to 300 px.
    const sent = fake.requests.find((r) => userTextOf(r.body).includes("2 and 2 make 4"))!;
    assert.match(userTextOf(sent.body), /<<<DATA response [0-9a-f]{16}>>>/);
    const [image] = imageUrlsOf(sent.body);
    const bytes = Uint8Array.from(atob(image.slice(image.indexOf(",") + 1)), (c) => c.charCodeAt(0));
    assert.equal((await sharp(bytes).metadata()).width, 300);

    // NDJSON streaming, then the cache: the same item again is a hit, visible in /metrics.
    const stream = await fetch(`${server.url}/v1/verify/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/x-ndjson" },
      body: JSON.stringify({ items: [item] }),
    });
    const lines = (await stream.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].index, 0);
    assert.equal(
      lines[0].components.find((c: { verifier: string }) => c.verifier === "judge").details.cached,
      true,
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /arbiter_judge_cache_total\{result="hit"\} 1/);
    assert.match(metrics, /arbiter_judge_calls_total\{judge="grader",outcome="scored"\} 2/);

    // A path outside the data roots is the caller's error, reported per item.
    const outside = await fetch(`${server.url}/v1/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verifier: "judge", response: "4", images: ["../arbiter.yaml"] }),
    });
    const refused = await outside.json();
    assert.equal(refused.error.code, "invalid_request");
  } finally {
    await server.stop();
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server without judges lists judge as unavailable and answers 503 for its items", async () => {
  const server = await startServer();
  try {
    const verifiers = await (await fetch(`${server.url}/v1/verifiers`)).json();
    const list = Array.isArray(verifiers) ? verifiers : verifiers.verifiers;
    const judge = list.find((v: { name: string }) => v.name === "judge");
    assert.equal(judge.available, false);
    const response = await fetch(`${server.url}/v1/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verifier: "judge", response: "4" }),
    });
    assert.equal(response.status, 503);
    assert.match((await response.json()).error.message, /no judges configured/);
  } finally {
    await server.stop();
  }
});
