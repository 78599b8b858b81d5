/**
 * The judge verdict cache: content-addressed keys (unchanged for existing cache files), persistence
 * in a SQLite file, the in-memory front.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { cacheKey, cacheKeyAfter, JudgeCache, MEMORY_ENTRIES } from "../verifiers/judge/cache.ts";
import { JUDGE_VERSION, JudgeService } from "../verifiers/judge/service.ts";
import { judgeSettingsOf } from "../verifiers/judge/settings.ts";
import { SHIPPED_TEMPLATES } from "../verifiers/judge/templates.ts";
import { startFakeJudge } from "./fake_openai_server.ts";

Deno.test("cacheKey() is the SHA-256 of the parts: equal parts, equal key; any change, another key", () => {
  const parts = ["1.0.0", "chat", "model", { prompt: "p", response: "r", reference: "x" }];
  assert.equal(cacheKey(parts), cacheKey(structuredClone(parts)));
  assert.match(cacheKey(parts), /^[0-9a-f]{64}$/);
  assert.notEqual(
    cacheKey(parts),
    cacheKey(["1.0.0", "chat", "model", { prompt: "p", response: "r2", reference: "x" }]),
  );
});

Deno.test("verdicts persist in a SQLite file across instances; hits and misses are counted", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/judge.sqlite`;
  const first = new JudgeCache(path);
  assert.equal(first.get("k"), null);
  first.put("k", { score: 0.7, details: { verdict: "7" } });
  first.close();
  const second = new JudgeCache(path);
  assert.deepEqual(second.get("k"), { score: 0.7, details: { verdict: "7" } });
  assert.deepEqual(second.get("k"), { score: 0.7, details: { verdict: "7" } });
  assert.deepEqual([second.hits, second.misses], [2, 0]);
  second.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the in-memory front keeps the most recent verdicts; older ones still come from SQLite", () => {
  const cache = new JudgeCache();
  for (let i = 0; i <= MEMORY_ENTRIES; i++) {
    cache.put(`k${i}`, { score: i / (MEMORY_ENTRIES + 1), details: {} });
  }
  assert.equal(cache.get("k0")!.score, 0); // evicted from memory, read back from SQLite
  assert.equal(cache.get(`k${MEMORY_ENTRIES}`)!.score, MEMORY_ENTRIES / (MEMORY_ENTRIES + 1));
  cache.close();
});

Deno.test("a file-backed cache writes a verdict by the end of the event-loop turn (another reader sees it)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/judge.sqlite`;
  const writer = new JudgeCache(path);
  const reader = new JudgeCache(path);
  for (let i = 0; i < 3; i++) writer.put(`k${i}`, { score: i, details: { i } });
  assert.equal(writer.get("k1")!.score, 1, "visible to its writer at once");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(reader.get("k2"), { score: 2, details: { i: 2 } }, "written for other processes");
  writer.close();
  reader.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an in-memory cache: a miss is counted without SQLite, evicted verdicts are still found", () => {
  const cache = new JudgeCache();
  assert.equal(cache.get("absent"), null);
  for (let i = 0; i < MEMORY_ENTRIES + 10; i++) cache.put(`k${i}`, { score: 1, details: { i } });
  for (let i = 0; i < 10; i++) assert.deepEqual(cache.get(`k${i}`), { score: 1, details: { i } });
  assert.equal(cache.get("still absent"), null);
  assert.deepEqual([cache.hits, cache.misses], [10, 2]);
  cache.close();
});

Deno.test("cacheKeyAfter(JSON of the fixed parts, varying parts) is cacheKey of all the parts", () => {
  fc.assert(fc.property(
    fc.array(fc.jsonValue(), { minLength: 1, maxLength: 6 }),
    fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 }),
    (fixed, varying) => cacheKeyAfter(JSON.stringify(fixed), varying) === cacheKey([...fixed, ...varying]),
  ));
});

Deno.test("verdicts cached under the full key form are still hits (keys of existing cache files unchanged)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/judge.sqlite`;
  const fake = startFakeJudge(() => ({ content: "VERDICT: 7" }));
  try {
    const settings = judgeSettingsOf("j", { url: fake.url, model: "m" }, () => undefined);
    const t = SHIPPED_TEMPLATES.quality_0_10;
    const inputs = { prompt: "What is 2+2?", response: "4", reference: "4" };
    const scoring = { mode: "verdict", swap: false };
    const chatKey = cacheKey([
      JUDGE_VERSION,
      "chat",
      "m",
      cacheKey([t.name, t.version, t.system, t.user, t.parse]),
      { ...settings.sampling },
      scoring,
      settings.maxImageSide,
      inputs,
      [],
    ]);
    const cache = new JudgeCache(path);
    cache.put(chatKey, { score: 0.3, details: { verdict: "3" } });
    cache.close();
    const service = JudgeService.create({ judges: { j: { url: fake.url, model: "m" } }, cachePath: path });
    const outcome = await service.judge({ ...inputs, options: {}, timeoutMs: 5_000 });
    service.close();
    assert.ok("verdict" in outcome);
    assert.equal(outcome.verdict.reward, 0.3);
    assert.equal(outcome.verdict.details.cached, true);
    assert.equal(fake.requests.length, 0);
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
