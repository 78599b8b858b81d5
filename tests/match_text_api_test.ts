/**
 * `match` and `text` through the real engine and API: a batch of hostile items gets, for every
 * item, a verdict with a known reason or an `invalid_request` — never `internal`, never a missing result.
 */
import assert from "node:assert/strict";
import { postJson, withApp } from "./_app.ts";
import { KNOWN_REASONS } from "./_kernel.ts";

const huge = Array.from({ length: 100_000 }, (_, i) => i);

const ITEMS: { item: Record<string, unknown>; expect: "verdict" | "invalid_request" }[] = [
  {
    item: {
      verifier: "match",
      response: `<answer>${JSON.stringify(huge)}</answer>`,
      reference: [1],
      options: { mode: "set_f1" },
    },
    expect: "verdict",
  },
  {
    item: {
      verifier: "match",
      response: `<answer>${"[".repeat(200_000)}</answer>`,
      reference: [1],
      options: { mode: "lcs" },
    },
    expect: "verdict",
  },
  {
    item: {
      verifier: "match",
      response: '<answer>[1, "1", 1.0, null, true, {"a": [[]]}]</answer>',
      reference: [1],
      options: { mode: "set_exact" },
    },
    expect: "verdict",
  },
  {
    item: {
      verifier: "match",
      response: "<answer>a, a, a</answer>",
      reference: [],
      options: { mode: "set_f1" },
    },
    expect: "verdict",
  },
  { item: { verifier: "match", response: "\uD800\uDC00\uDFFF \u0000", reference: "a" }, expect: "verdict" },
  { item: { verifier: "match", response: "a", reference: ["a", "b"] }, expect: "invalid_request" },
  {
    item: { verifier: "match", response: "a", reference: huge, options: { mode: "set_f1" } },
    expect: "invalid_request",
  },
  {
    item: { verifier: "match", response: "a", reference: [], options: { mode: "kendall_tau" } },
    expect: "invalid_request",
  },
  { item: { verifier: "match", response: "a", reference: "" }, expect: "invalid_request" },
  {
    item: {
      verifier: "text",
      response: "word ".repeat(400_000),
      reference: "word",
      options: { metric: "rougeL", tag: "" },
    },
    expect: "verdict",
  },
  {
    item: {
      verifier: "text",
      response: "x".repeat(6000),
      reference: "y".repeat(6000),
      options: { metric: "cer" },
    },
    expect: "verdict",
  },
  {
    item: { verifier: "text", response: "\uDBFF", reference: "ok", options: { metric: "chrf" } },
    expect: "verdict",
  },
  {
    item: { verifier: "text", response: "a", reference: "", options: { metric: "wer" } },
    expect: "invalid_request",
  },
  {
    item: {
      verifier: "text",
      response: "a",
      reference: "ok",
      options: { metric: "cer", tokenize: "unicode" },
    },
    expect: "invalid_request",
  },
];

Deno.test("hostile match and text items in one batch: verdicts or invalid_request, item by item", async () => {
  await withApp({}, async (app) => {
    const res = await postJson(app, "/v1/verify/batch", { items: ITEMS.map((x) => x.item) });
    assert.equal(res.status, 200);
    const { results } = await res.json();
    assert.equal(results.length, ITEMS.length);
    results.forEach((r: Record<string, unknown>, i: number) => {
      const where = `item ${i}: ${JSON.stringify(r).slice(0, 200)}`;
      if (ITEMS[i].expect === "verdict") {
        assert.equal(r.error, null, where);
        assert.equal(typeof r.reward, "number", where);
        assert.ok(KNOWN_REASONS.has((r.details as { reason: string | null }).reason), where);
      } else {
        assert.equal((r.error as { code: string }).code, "invalid_request", where);
        assert.equal(r.reward, null, where);
      }
    });
  });
});
