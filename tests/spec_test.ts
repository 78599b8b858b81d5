/** Composite rewards (`spec`) through the real engine: operators, ranges, components, routing. */
import assert from "node:assert/strict";
import { postJson, withApp } from "./_app.ts";
import { rangeOf, type SpecNode } from "../verifiers/spec.ts";

const mathAndFormat = { sum: [{ weight: 0.9, verifier: "math" }, { weight: 0.1, verifier: "format" }] };
const good = "<think>2 + 2 is 4</think><answer>\\boxed{4}</answer>";

Deno.test("rangeOf() gives each operator's reachable rewards, below 0 when a spec says so", () => {
  assert.deepEqual(rangeOf(mathAndFormat as SpecNode), [0, 1]);
  assert.deepEqual(rangeOf({ sum: [{ verifier: "math" }, { verifier: "format" }, { constant: -1 }] }), [
    -1,
    1,
  ]);
  assert.deepEqual(rangeOf({ sum: [{ verifier: "math", weight: -0.5 }] }), [-0.5, 0]);
  assert.deepEqual(rangeOf({ product: [{ verifier: "math" }, { constant: -2 }] }), [-2, 0]);
  assert.deepEqual(rangeOf({ gate: { if: { verifier: "format" }, then: { constant: 3 } } }), [0, 3]);
});

Deno.test("specs combine leaf rewards and list every leaf in components", async () => {
  await withApp({
    workers: 1,
    specs: { mf: mathAndFormat },
    routes: { arith: "mf", inline_route: { min: [{ verifier: "math" }] } },
  }, async (app) => {
    const items = [
      { id: "both", spec: mathAndFormat, response: good, reference: "4" },
      {
        id: "format only",
        spec: mathAndFormat,
        response: "<think>hm</think><answer>5</answer>",
        reference: "4",
      },
      { id: "named", spec: "mf", response: good, reference: "4" },
      { id: "routed", data_source: "arith", response: good, reference: "4" },
      { id: "routed inline", data_source: "inline_route", response: "4", reference: "4" },
      {
        id: "min",
        spec: { min: [{ verifier: "math" }, { verifier: "format" }] },
        response: "\\boxed{4}",
        reference: "4",
      },
      {
        id: "max",
        spec: { max: [{ verifier: "math" }, { verifier: "format" }] },
        response: "\\boxed{4}",
        reference: "4",
      },
      {
        id: "product",
        spec: { product: [{ verifier: "math" }, { constant: 0.5 }] },
        response: "\\boxed{4}",
        reference: "4",
      },
      {
        id: "gate closed",
        spec: { gate: { if: { verifier: "format" }, then: { verifier: "math" } } },
        response: "\\boxed{4}",
        reference: "4",
      },
      {
        id: "leaf reference",
        spec: { sum: [{ verifier: "iou", reference: { box: [0, 0, 10, 10] } }, { verifier: "math" }] },
        response: "<answer>[0, 0, 10, 10]</answer> so \\boxed{4}",
        reference: "4",
      },
      {
        id: "dapo",
        spec: { sum: [{ verifier: "math" }, { constant: -1 }] },
        response: "\\boxed{5}",
        reference: "4",
      },
    ];
    const { results } = await (await postJson(app, "/v1/verify/batch", { items })).json();
    const byId = Object.fromEntries(results.map((r: { id: string }) => [r.id, r]));
    assert.equal(byId["both"].reward, 1);
    assert.equal(byId["both"].correct, true);
    assert.equal(byId["both"].spec, "inline");
    assert.deepEqual(
      byId["both"].components.map((c: { path: string; verifier: string }) => [c.path, c.verifier]),
      [
        ["spec.sum[0]", "math"],
        ["spec.sum[1]", "format"],
      ],
    );
    assert.ok(Math.abs(byId["format only"].reward - 0.1) < 1e-12);
    assert.equal(byId["format only"].correct, false);
    assert.equal(byId["format only"].details.reason, "wrong");
    assert.equal(byId["named"].spec, "mf");
    assert.equal(byId["named"].reward, 1);
    assert.equal(byId["routed"].spec, "mf");
    assert.equal(byId["routed"].reward, 1);
    assert.equal(byId["routed inline"].reward, 1);
    assert.equal(byId["min"].reward, 0);
    assert.equal(byId["max"].reward, 1);
    assert.equal(byId["max"].correct, true);
    assert.equal(byId["product"].reward, 0.5);
    assert.equal(byId["gate closed"].reward, 0);
    assert.equal(byId["gate closed"].components[1].gated_out, true);
    assert.equal(byId["gate closed"].details.reason, "bad_format");
    assert.equal(byId["leaf reference"].reward, 2);
    assert.deepEqual(byId["leaf reference"].details.range, [0, 2]);
    assert.equal(byId["dapo"].reward, -1);
    assert.deepEqual(byId["dapo"].details.range, [-1, 0]);
  });
});

Deno.test("spec caller errors name the leaf; a spec with a no-verdict leaf has no verdict", async () => {
  await withApp({ workers: 1 }, async (app) => {
    let res = await postJson(app, "/v1/verify", {
      spec: { sum: [{ verifier: "math" }, { verifier: "nope" }] },
      response: "",
      reference: "1",
    });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.message, /^spec\.sum\[1\]: Unknown verifier "nope"/);
    res = await postJson(app, "/v1/verify", { spec: { avg: [] }, response: "" });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error.message, /^spec/);
    res = await postJson(app, "/v1/verify", { spec: "undefined-name", response: "" });
    assert.match((await res.json()).error.message, /Unknown spec "undefined-name"/);
    res = await postJson(app, "/v1/verify", { spec: { verifier: "math" }, verifier: "math", response: "" });
    assert.match((await res.json()).error.message, /exactly one of verifier or spec/);
    res = await postJson(app, "/v1/verify", { data_source: "nowhere", response: "" });
    assert.match((await res.json()).error.message, /No route for data_source "nowhere"/);
    // A leaf that runs past its deadline is a verdict (too_complex), so the spec still has one.
    const tower = "\\boxed{" + "2^{".repeat(200) + "2" + "}".repeat(201);
    res = await postJson(app, "/v1/verify", {
      spec: { sum: [{ verifier: "math", options: { timeout_ms: 50 } }] },
      response: tower,
      reference: "1",
    });
    const result = await res.json();
    assert.equal(result.error, null);
    assert.equal(result.reward, 0);
  });
});
