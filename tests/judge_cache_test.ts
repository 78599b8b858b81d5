/** The judge verdict cache: content-addressed keys, persistence in a SQLite file, the in-memory front. */
import assert from "node:assert/strict";
import { cacheKey, JudgeCache, MEMORY_ENTRIES } from "../verifiers/judge/cache.ts";

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
