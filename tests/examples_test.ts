/** Every example that `GET /v1/verifiers` publishes gets exactly its expected result through the API. */
import assert from "node:assert/strict";
import { postJson, withApp } from "./_app.ts";

/** Deep partial match: every key of `expected` is in `actual` with an equal value (numbers to 1e-9). */
function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === "number" && typeof actual === "number") {
    assert.ok(Math.abs(actual - expected) <= 1e-9, `${path}: ${actual} is not ${expected}`);
  } else if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === "object", `${path}: not an object`);
    for (const [key, value] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: length differs`);
    expected.forEach((v, i) => assertSubset((actual as unknown[])[i], v, `${path}[${i}]`));
  } else {
    assert.deepEqual(actual, expected, path);
  }
}

Deno.test("every published example gets its expected result through POST /v1/verify", async () => {
  await withApp({}, async (app) => {
    const { verifiers } = await (await app.request("/v1/verifiers")).json();
    let checked = 0;
    for (const verifier of verifiers) {
      for (const example of verifier.examples) {
        const res = await postJson(app, "/v1/verify", { verifier: verifier.name, ...example.item });
        assert.equal(res.status, 200, `${verifier.name}: ${example.title}`);
        const result = await res.json();
        const where = `${verifier.name}: ${example.title}`;
        assert.equal(result.error, null, where);
        assertSubset(result.reward, example.expected.reward, `${where} reward`);
        assert.equal(result.correct, example.expected.correct, `${where} correct`);
        assertSubset(result.details, example.expected.details ?? {}, `${where} details`);
        checked++;
      }
    }
    assert.ok(checked >= 30, `only ${checked} examples`);
  });
});
