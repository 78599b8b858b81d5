/**
 * The judge service against real fake endpoints on loopback (tests/fake_openai_server.ts): what is
 * sent (templates, markers, sampling, keys, images), what comes back, and every outcome class:
 * verdicts, judge_unparsable after one retry, upstream_unavailable after retries, 429 Retry-After,
 * hangs, malformed bodies, logprob scoring, swapped pairwise passes, reward models, the cache,
 * shared concurrency limits and budget cancellation.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { JudgeService, type JudgeServiceOptions } from "../verifiers/judge/mod.ts";
import { resizeCount } from "../verifiers/judge/images.ts";
import {
  type FakeReply,
  imageUrlsOf,
  type RecordedRequest,
  startFakeJudge,
  userTextOf,
} from "./fake_openai_server.ts";

function serviceFor(url: string, judge: Record<string, unknown> = {}, extra: JudgeServiceOptions = {}) {
  return JudgeService.create({
    judges: { j: { url, model: "fake-judge", retries: 2, timeout_ms: 2000, ...judge } },
    env: (name) => (name === "JUDGE_KEY" ? "sekrit" : undefined),
    ...extra,
  });
}

const item = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  response: "The answer is 4.",
  reference: "4",
  prompt: "What is 2+2?",
  options,
  timeoutMs: 10_000,
  ...extra,
});

async function withFake(
  reply: (request: RecordedRequest, n: number) => FakeReply,
  run: (fake: ReturnType<typeof startFakeJudge>) => Promise<void>,
  latencyMs = 0,
) {
  const fake = startFakeJudge(reply, latencyMs);
  try {
    await run(fake);
  } finally {
    await fake.close();
  }
}

Deno.test("a chat judge's verdict: the template, markers, sampling and key it sent, the details it returns", async () => {
  await withFake(() => ({ content: "Steps are fine.\nVERDICT: 7" }), async (fake) => {
    const service = serviceFor(fake.url, { api_key_env: "JUDGE_KEY" });
    const outcome = await service.judge(item({ template: "reasoning_quality" }));
    assert.ok("verdict" in outcome);
    assert.equal(outcome.verdict.reward, 0.7);
    assert.equal(outcome.verdict.correct, true);
    const d = outcome.verdict.details;
    assert.equal(d.reason, null);
    assert.equal(d.template, "reasoning_quality");
    assert.equal(d.template_version, "1");
    assert.equal(d.model, "fake-judge");
    assert.equal(d.judge_output, "Steps are fine.\nVERDICT: 7");
    assert.equal(d.tokens, 105);
    assert.equal(typeof d.latency_ms, "number");
    const sent = fake.requests[0];
    assert.equal(sent.path, "/v1/chat/completions");
    assert.equal(sent.authorization, "Bearer sekrit");
    assert.equal(sent.body.model, "fake-judge");
    assert.equal(sent.body.temperature, 0);
    const text = userTextOf(sent.body);
    const code = /<<<DATA response ([0-9a-f]{16})>>>/.exec(text)![1];
    assert.ok(text.includes(`<<<DATA response ${code}>>>\nThe answer is 4.\n<<<END response ${code}>>>`));
    assert.ok(text.includes(`<<<DATA prompt ${code}>>>\nWhat is 2+2?\n`));
    service.close();
  });
});

Deno.test("429 with Retry-After waits that long and retries; 500 is retried; errors past the retries are upstream_unavailable", async () => {
  await withFake(
    (_r, n) =>
      n === 0 ? { status: 429, retryAfter: "0.3" } : n === 1 ? { status: 500 } : { content: "VERDICT: 10" },
    async (fake) => {
      const service = serviceFor(fake.url);
      const outcome = await service.judge(item());
      assert.ok("verdict" in outcome && outcome.verdict.reward === 1);
      assert.equal(outcome.verdict.details.attempts, 3);
      assert.ok(fake.requests[1].at - fake.requests[0].at >= 290, "waited for Retry-After");
      service.close();
    },
  );
  await withFake(() => ({ status: 503 }), async (fake) => {
    const service = serviceFor(fake.url, { retries: 1 });
    const outcome = await service.judge(item());
    assert.ok("error" in outcome);
    assert.equal(outcome.error.code, "upstream_unavailable");
    assert.match(outcome.error.message, /after 2 attempt/);
    assert.equal(fake.requests.length, 2);
    assert.equal(service.stats().calls.j.upstream_unavailable, 1);
    service.close();
  });
});

Deno.test("each HTTP attempt is filled when it is admitted, with a fresh marker code", async () => {
  await withFake((_r, n) => n === 0 ? { status: 500 } : { content: "VERDICT: 7" }, async (fake) => {
    const service = serviceFor(fake.url, { retries: 1 });
    const outcome = await service.judge(item());
    assert.ok("verdict" in outcome && outcome.verdict.details.attempts === 2);
    const codes = fake.requests.map((r) => {
      const text = userTextOf(r.body);
      const code = /<<<DATA response ([0-9a-f]{16})>>>/.exec(text)![1];
      assert.ok(text.includes(`<<<DATA response ${code}>>>\nThe answer is 4.\n<<<END response ${code}>>>`));
      return code;
    });
    assert.equal(codes.length, 2);
    assert.notEqual(codes[0], codes[1]);
    service.close();
  });
});

Deno.test("a hanging judge times out per attempt; a malformed body is upstream_unavailable", async () => {
  await withFake(() => ({ hang: true }), async (fake) => {
    const service = serviceFor(fake.url, { retries: 1, timeout_ms: 150 });
    const started = performance.now();
    const outcome = await service.judge(item());
    assert.ok("error" in outcome && outcome.error.code === "upstream_unavailable");
    assert.match(outcome.error.message, /timeout/);
    assert.ok(performance.now() - started < 2000);
    assert.equal(fake.requests.length, 2);
    service.close();
  });
  await withFake(() => ({ rawBody: "<html>gateway" }), async (fake) => {
    const service = serviceFor(fake.url);
    const outcome = await service.judge(item());
    assert.ok("error" in outcome && outcome.error.code === "upstream_unavailable");
    assert.match(outcome.error.message, /non-JSON/);
    service.close();
  });
});

Deno.test("an unparsable answer is asked once more; still unparsable is a verdict 0 judge_unparsable (or no verdict)", async () => {
  await withFake((_r, n) => ({ content: n === 0 ? "I like it" : "VERDICT: 3" }), async (fake) => {
    const service = serviceFor(fake.url);
    const outcome = await service.judge(item());
    assert.ok("verdict" in outcome && Math.abs(outcome.verdict.reward - 0.3) < 1e-12);
    assert.equal(fake.requests.length, 2);
    service.close();
  });
  await withFake(() => ({ content: "It deserves a high mark" }), async (fake) => {
    const service = serviceFor(fake.url);
    const outcome = await service.judge(item());
    assert.ok("verdict" in outcome);
    assert.equal(outcome.verdict.reward, 0);
    assert.equal(outcome.verdict.details.reason, "judge_unparsable");
    assert.equal(fake.requests.length, 2);
    const strict = await service.judge(item({ on_unparsable: "no_verdict" }));
    assert.ok("error" in strict && strict.error.code === "upstream_unavailable");
    service.close();
  });
});

Deno.test("logprob scoring asks for top_logprobs and weighs the verdict token", async () => {
  const logprobs = [
    { token: "VERDICT:", logprob: 0, top_logprobs: [] },
    {
      token: " yes",
      logprob: Math.log(0.8),
      top_logprobs: [{ token: " yes", logprob: Math.log(0.8) }, { token: " no", logprob: Math.log(0.2) }],
    },
  ];
  await withFake(() => ({ content: "VERDICT: yes", logprobs }), async (fake) => {
    const service = serviceFor(fake.url);
    const outcome = await service.judge(item({ template: "equivalence", scoring: "logprob" }));
    assert.ok("verdict" in outcome && Math.abs(outcome.verdict.reward - 0.8) < 1e-9);
    assert.equal(fake.requests[0].body.logprobs, true);
    assert.equal(fake.requests[0].body.top_logprobs, 20);
    service.close();
  });
});

Deno.test("pairwise with swap asks twice with the answers swapped and reports disagreement", async () => {
  // A judge with position bias: always prefers whatever is shown first.
  await withFake(() => ({ content: "VERDICT: A" }), async (fake) => {
    const service = serviceFor(fake.url);
    const outcome = await service.judge(
      item({ template: "pairwise", swap: true }, { reference: "Baseline: 4" }),
    );
    assert.ok("verdict" in outcome);
    assert.equal(outcome.verdict.reward, 0.5);
    assert.equal(outcome.verdict.details.position_disagreement, true);
    assert.equal(fake.requests.length, 2);
    const texts = fake.requests.map((r) => userTextOf(r.body));
    const firstShown = (text: string) => text.indexOf("The answer is 4.") < text.indexOf("Baseline: 4");
    assert.deepEqual(texts.map(firstShown).sort(), [false, true]);
    service.close();
  });
});

Deno.test("the cache answers a repeated item without calling the judge; hits and misses are counted", async () => {
  await withFake(() => ({ content: "VERDICT: 9" }), async (fake) => {
    const service = serviceFor(fake.url);
    const first = await service.judge(item());
    const second = await service.judge(item());
    assert.ok("verdict" in first && "verdict" in second);
    assert.equal(second.verdict.reward, first.verdict.reward);
    assert.equal(second.verdict.details.cached, true);
    assert.equal(fake.requests.length, 1);
    await service.judge(item({}, { response: "Another answer" }));
    assert.equal(fake.requests.length, 2);
    assert.deepEqual([service.stats().cacheHits, service.stats().cacheMisses], [1, 2]);
    service.close();
  });
});

Deno.test("cachedOutcome(): a hit without I/O, else null with nothing counted (misses, images, wrong options)", async () => {
  await withFake(() => ({ content: "VERDICT: 9" }), async (fake) => {
    const service = serviceFor(fake.url);
    assert.equal(service.cachedOutcome(item()), null, "not cached yet");
    await service.judge(item());
    const hit = service.cachedOutcome(item());
    assert.ok(hit !== null && "verdict" in hit);
    assert.equal(hit.verdict.reward, 0.9);
    assert.equal(hit.verdict.details.cached, true);
    assert.equal(service.cachedOutcome(item({ template: "no_such_template" })), null);
    assert.equal(service.cachedOutcome(item({ judge: "nobody" })), null);
    assert.equal(service.cachedOutcome(item({}, { images: ["data:image/png;base64,AAAA"] })), null);
    assert.deepEqual([service.stats().cacheHits, service.stats().cacheMisses], [1, 1]);
    assert.equal(fake.requests.length, 1);
    service.close();
  });
});

Deno.test("max_concurrency is shared by every caller of a judge", async () => {
  await withFake(() => ({ content: "VERDICT: 5" }), async (fake) => {
    const service = serviceFor(fake.url, { max_concurrency: 4 });
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) => service.judge(item({}, { response: `answer ${i}` }))),
    );
    assert.ok(outcomes.every((o) => "verdict" in o && o.verdict.reward === 0.5));
    assert.equal(fake.maxInFlight(), 4);
    service.close();
  }, 40);
});

Deno.test("a reward model over vLLM's pooling API: per-token rows, last row scores, sigmoid; a one-score endpoint with minmax", async () => {
  await withFake(() => ({ pooled: [[0.1], [-3], [2]] }), async (fake) => {
    const service = serviceFor(fake.origin, { kind: "reward_model" });
    const outcome = await service.judge(item());
    assert.ok("verdict" in outcome);
    assert.ok(Math.abs(outcome.verdict.reward - 1 / (1 + Math.exp(-2))) < 1e-12);
    assert.equal(outcome.verdict.details.raw_score, 2);
    const sent = fake.requests[0];
    assert.equal(sent.path, "/pooling");
    assert.deepEqual(sent.body.messages, [
      { role: "user", content: "What is 2+2?" },
      { role: "assistant", content: "The answer is 4." },
    ]);
    service.close();
  });
  await withFake(() => ({ score: 7.5 }), async (fake) => {
    const service = serviceFor(`${fake.origin}/score`, {
      kind: "reward_model",
      api: "score",
      transform: { kind: "minmax", min: 0, max: 10 },
    });
    const outcome = await service.judge(item());
    assert.ok("verdict" in outcome && outcome.verdict.reward === 0.75);
    assert.equal(fake.requests[0].body.response, "The answer is 4.");
    service.close();
  });
});

Deno.test("images: data URLs and paths under data_roots are resized and sent as image parts; other paths are refused", async () => {
  const png = await sharp({ create: { width: 1600, height: 800, channels: 3, background: "#3366cc" } }).png()
    .toBuffer();
  const root = await Deno.makeTempDir();
  await Deno.writeFile(`${root}/chart.png`, png);
  const dataUrl = `data:image/png;base64,${png.toString("base64")}`;
  await withFake(() => ({ content: "VERDICT: 8" }), async (fake) => {
    const service = serviceFor(fake.url, { max_image_side: 400 }, { dataRoots: [root] });
    const outcome = await service.judge(item({}, { images: [dataUrl, "chart.png"] }));
    assert.ok("verdict" in outcome, JSON.stringify(outcome));
    const urls = imageUrlsOf(fake.requests[0].body);
    assert.equal(urls.length, 2);
    for (const url of urls) {
      const bytes = Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));
      const meta = await sharp(bytes).metadata();
      assert.deepEqual([meta.width, meta.height], [400, 200]);
    }
    for (const bad of ["../etc/passwd", "/etc/passwd", "missing.png"]) {
      const refused = await service.judge(item({}, { images: [bad] }));
      assert.ok("error" in refused && refused.error.code === "invalid_request", bad);
    }
    service.close();
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("images: a group's shared image is resized once; cache hits resize nothing; an undecodable image is invalid_request", async () => {
  const png = await sharp({ create: { width: 900, height: 300, channels: 3, background: "#cc6633" } }).png()
    .toBuffer();
  const dataUrl = `data:image/png;base64,${png.toString("base64")}`;
  await withFake(() => ({ content: "VERDICT: 6" }), async (fake) => {
    const service = serviceFor(fake.url, { max_image_side: 300 });
    const group = Array.from(
      { length: 8 },
      (_, i) => item({}, { images: [dataUrl], response: `answer ${i}` }),
    );
    const before = resizeCount();
    const outcomes = await Promise.all(group.map((x) => service.judge(x)));
    assert.ok(outcomes.every((o) => "verdict" in o && o.verdict.reward === 0.6));
    assert.equal(resizeCount() - before, 1, "one resize for the group");
    const sent = fake.requests.map((r) => imageUrlsOf(r.body)[0]);
    assert.equal(sent.length, 8);
    assert.equal(new Set(sent).size, 1);
    const meta = await sharp(
      Uint8Array.from(atob(sent[0].slice(sent[0].indexOf(",") + 1)), (c) => c.charCodeAt(0)),
    )
      .metadata();
    assert.deepEqual([meta.width, meta.height], [300, 100]);
    const again = await Promise.all(group.map((x) => service.judge(x)));
    assert.ok(again.every((o) => "verdict" in o && o.verdict.details.cached === true));
    assert.equal(resizeCount() - before, 1);
    assert.equal(fake.requests.length, 8);
    const garbage = `data:image/png;base64,${btoa("not an image at all")}`;
    const refused = await service.judge(item({}, { images: [garbage] }));
    assert.ok("error" in refused && refused.error.code === "invalid_request", JSON.stringify(refused));
    assert.equal(fake.requests.length, 8, "no call for an undecodable image");
    service.close();
  });
});

Deno.test("a batch budget that runs out cancels a waiting judge call (overloaded); unknown judges are caller errors", async () => {
  await withFake(() => ({ hang: true }), async (fake) => {
    const service = serviceFor(fake.url);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await service.judge(item(), controller.signal);
    assert.ok("error" in outcome && outcome.error.code === "overloaded");
    const unknown = await service.judge(item({ judge: "nope" }));
    assert.ok("error" in unknown && unknown.error.code === "invalid_request");
    assert.match(unknown.error.message, /unknown judge "nope"/);
    service.close();
  });
  assert.match(JudgeService.create({}).unavailableReason()!, /no judges configured/);
});

Deno.test("an item's timeout starts when its call is admitted: waiting for the judge's limits is queueing", async () => {
  await withFake(() => ({ content: "VERDICT: 4" }), async (fake) => {
    const service = serviceFor(fake.url, { max_concurrency: 1, retries: 0 });
    const outcomes = await Promise.all(
      Array.from(
        { length: 4 },
        (_, i) => service.judge({ ...item({}, { response: `r${i}` }), timeoutMs: 250 }),
      ),
    );
    assert.ok(outcomes.every((o) => "verdict" in o && o.verdict.reward === 0.4), JSON.stringify(outcomes));
    assert.equal(fake.maxInFlight(), 1);
    service.close();
  }, 150);
});

Deno.test("a judge that refuses the input (HTTP 400/413/422, e.g. past its context) gives a verdict 0 too_complex; 401/404 are upstream_unavailable", async () => {
  for (
    const [status, expected] of [[400, "too_complex"], [413, "too_complex"], [401, "upstream_unavailable"], [
      404,
      "upstream_unavailable",
    ]] as const
  ) {
    await withFake(() => ({ status }), async (fake) => {
      const service = serviceFor(fake.url);
      const outcome = await service.judge(item({}, { response: "x".repeat(10_000) }));
      if (expected === "too_complex") {
        assert.ok("verdict" in outcome && outcome.verdict.reward === 0, `${status}`);
        assert.equal(outcome.verdict.details.reason, "too_complex");
      } else assert.ok("error" in outcome && outcome.error.code === expected, `${status}`);
      assert.equal(fake.requests.length, 1, "not retried");
      service.close();
    });
  }
});
