/**
 * The judge verdict cache: content-addressed keys (unchanged for existing cache files), persistence
 * in a SQLite file, the in-memory front.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import {
  cacheKey,
  cacheKeyAfter,
  FLUSH_DELAY_MS,
  JudgeCache,
  MEMORY_ENTRIES,
  MEMORY_KEY_CHARS,
} from "../verifiers/judge/cache.ts";
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

Deno.test("a file-backed cache writes the verdicts of FLUSH_DELAY_MS together (another reader sees them then)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/judge.sqlite`;
  const writer = new JudgeCache(path);
  const reader = new JudgeCache(path);
  writer.put("k0", { score: 0, details: { i: 0 } });
  await new Promise((resolve) => setTimeout(resolve, 10));
  // Put in later turns of the same window: one write for all of them.
  for (let i = 1; i < 3; i++) writer.put(`k${i}`, { score: i, details: { i } });
  assert.equal(writer.get("k1")!.score, 1, "visible to its writer at once");
  assert.equal(reader.get("k0"), null, "not written yet");
  await new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS + 20));
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(reader.get(`k${i}`), { score: i, details: { i } }, "written for other processes");
  }
  // close() writes what is pending at once.
  writer.put("k3", { score: 3, details: {} });
  writer.close();
  assert.equal(reader.get("k3")!.score, 3);
  reader.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a write that fails (the file is locked) keeps its verdicts: answered from memory, written on the retry", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/judge.sqlite`;
  const writer = new JudgeCache(path);
  const locker = new DatabaseSync(path);
  locker.exec("BEGIN EXCLUSIVE");
  const logged: string[] = [];
  const error = console.error;
  console.error = (message: string) => logged.push(message);
  try {
    writer.put("k", { score: 0.5, details: { verdict: "5" } });
    writer.flush();
    assert.match(logged.join("\n"), /writing 1 verdicts failed .*trying again/);
    assert.deepEqual(writer.get("k"), { score: 0.5, details: { verdict: "5" } }, "still answered");
    locker.exec("ROLLBACK");
    // The retry, on its timer, writes it for other readers.
    await new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS + 30));
    const reader = new JudgeCache(path);
    assert.deepEqual(reader.get("k"), { score: 0.5, details: { verdict: "5" } }, "written on the retry");
    reader.close();
    // close() makes one last try; what it cannot write is reported, not hidden.
    locker.exec("BEGIN EXCLUSIVE");
    writer.put("k2", { score: 1, details: {} });
    writer.close();
    assert.match(logged.join("\n"), /1 verdicts not written/);
    locker.exec("ROLLBACK");
  } finally {
    console.error = error;
    locker.close();
  }
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

Deno.test("memory keys: exact text for short inputs (no hash per hit), the SHA-256 for long ones; SQLite always stores the SHA-256", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/judge.sqlite`;
  const fixed = JSON.stringify(["1.0.0", "chat", "m", { temperature: 0 }]);
  const short = [{ prompt: "p", response: "r", reference: "x" }, []];
  const long = [{ prompt: "p", response: "r".repeat(MEMORY_KEY_CHARS), reference: "x" }, []];
  const cache = new JudgeCache(path);
  const shortKey = cache.key(fixed, short);
  assert.doesNotMatch(shortKey, /^[0-9a-f]{64}$/);
  assert.equal(cache.key(fixed, long), cacheKeyAfter(fixed, long));
  cache.put(shortKey, { score: 0.25, details: {} });
  cache.put(cache.key(fixed, long), { score: 0.75, details: {} });
  cache.close();
  const db = new DatabaseSync(path);
  const stored = db.prepare("SELECT key FROM verdicts ORDER BY key").all().map((row) => row.key);
  db.close();
  assert.deepEqual(stored, [cacheKeyAfter(fixed, short), cacheKeyAfter(fixed, long)].sort());
  const again = new JudgeCache(path);
  assert.equal(again.get(again.key(fixed, short))!.score, 0.25);
  assert.equal(again.get(again.key(fixed, long))!.score, 0.75);
  again.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("memory keys are equal exactly when the parts are (control characters, separators, numbers included)", () => {
  const cache = new JudgeCache();
  const fixedParts = fc.constantFrom(
    JSON.stringify(["a", 1]),
    JSON.stringify(["a", 10]),
    JSON.stringify(["a\u0001", 1]),
  );
  const varying = fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 20 }), fc.jsonValue()), {
    minLength: 1,
    maxLength: 3,
  });
  fc.assert(fc.property(fixedParts, varying, fixedParts, varying, (f1, v1, f2, v2) => {
    const same = f1 === f2 && JSON.stringify(v1) === JSON.stringify(v2);
    return (cache.key(f1, v1) === cache.key(f2, v2)) === same;
  }));
  cache.close();
});

Deno.test("a memory-evicted verdict of an in-memory cache is found again under its short key", () => {
  const cache = new JudgeCache();
  const fixed = JSON.stringify(["f"]);
  for (let i = 0; i < MEMORY_ENTRIES + 5; i++) cache.put(cache.key(fixed, [i]), { score: i, details: {} });
  for (let i = 0; i < 5; i++) assert.equal(cache.get(cache.key(fixed, [i]))!.score, i);
  cache.close();
});
