/**
 * `/openapi.json` is built from the routes' own contracts (routes/contract.ts): every mounted route is
 * in it, nothing else is, and the schemas it shows are the ones that validate request bodies.
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { postJson } from "./_app.ts";
import { createProbeEngine } from "./_probe.ts";
import { createApp } from "../routes/mod.ts";

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: unknown };

/** Runs `body` over an app on the probe engine, with the benchmark routes mounted. */
async function withProbeApp(
  body: (app: ReturnType<typeof createApp>) => Promise<void>,
  apiKeys: string[] = [],
): Promise<void> {
  const engine = await createProbeEngine({ workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter-openapi-" });
  try {
    await body(createApp(engine, { maxBodyBytes: 1 << 20, apiKeys, runsDir }));
  } finally {
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
}

Deno.test("every mounted route is in /openapi.json, and every documented path is mounted", async () => {
  await withProbeApp(async (app) => {
    const doc: Doc = await (await app.request("/openapi.json")).json();
    const mounted = new Set(
      app.routes.filter((r) => r.method !== "ALL").map((r) =>
        `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`
      ),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)),
    );
    assert.ok(mounted.size >= 10, `routes found: ${[...mounted]}`);
    for (
      const route of [
        "get /v1/benchmarks/runs/{id}",
        "get /v1/benchmarks/runs/{id}/report",
        "post /v1/benchmarks/runs",
        "post /v1/compat/openrlhf",
        "get /openapi.json",
      ]
    ) assert.ok(mounted.has(route), route);
    assert.deepEqual([...mounted].sort(), [...documented].sort());
    const run = doc.paths["/v1/benchmarks/runs/{id}"].get as { parameters: { name: string; in: string }[] };
    assert.deepEqual(run.parameters.map((p) => `${p.in}:${p.name}`), ["path:id"]);
    const compat = doc.paths["/v1/compat/openrlhf"].post as { parameters: { name: string }[] };
    const compatParameters = compat.parameters.map((p) => p.name);
    for (const name of ["verifier", "spec", "on_no_verdict"]) {
      assert.ok(compatParameters.includes(name), name);
    }
    assert.deepEqual(doc.paths["/healthz"].get.security, [], "health checks need no API key");
  });
});

Deno.test("the document's request schemas compile, and the bodies they reject are 400s naming the field", async () => {
  await withProbeApp(async (app) => {
    const doc: Doc = await (await app.request("/openapi.json")).json();
    const ajv = new Ajv({ strict: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const bodySchema = (path: string) => {
      const op = doc.paths[path].post as { requestBody: { content: Record<string, { schema: unknown }> } };
      const schema = JSON.parse(
        JSON.stringify(op.requestBody.content["application/json"].schema).replaceAll(
          '"#/components/',
          '"doc#/components/',
        ),
      );
      return ajv.compile(schema);
    };
    const cases: [string, unknown, RegExp][] = [
      ["/v1/verify/batch", { items: [], budget_ms: -1 }, /^budget_ms: must be a positive number/],
      ["/v1/verify/batch", { items: [], extra: 1 }, /^Unknown field "extra" in the body/],
      ["/v1/verify/batch", { budget_ms: 5 }, /^items: must be a list \(missing\)/],
      ["/v1/verify/batch", "[1, 2]", /^The body: must be object/],
      // 1e309 parses to Infinity: not a number here.
      ["/v1/verify/batch", '{"items": [], "budget_ms": 1e309}', /^budget_ms: must be a positive number/],
      [
        "/v1/compat/openrlhf?verifier=probe",
        { query: [1], prompts: [], labels: [] },
        /^query: must be a list/,
      ],
      [
        "/v1/compat/openrlhf?verifier=probe&on_no_verdict=none",
        { query: [], prompts: [], labels: [] },
        /^on_no_verdict: must be one of group_mean, zero/,
      ],
      [
        "/v1/benchmarks/runs",
        { model_url: "http://127.0.0.1:9/v1" },
        /^suite: must be a non-empty string \(missing\)/,
      ],
      ["/v1/benchmarks/runs", { suite: "iou_mini", predictions: 5 }, /^predictions: must be string,array/],
      [
        "/v1/benchmarks/runs",
        { suite: "iou_mini", predictions: [{ id: "a" }] },
        /^predictions\[0\]: must have required property 'response'/,
      ],
      [
        "/v1/benchmarks/runs",
        { suite: "iou_mini", run_id: "../x", predictions: [] },
        /^run_id: must be a string matching/,
      ],
    ];
    for (const [path, body, message] of cases) {
      const res = await postJson(app, path, body);
      const out = await res.json();
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(out)}`);
      assert.equal(out.error.code, "invalid_request");
      assert.match(out.error.message, message, `${path} ${JSON.stringify(body)}`);
      const parsed = typeof body === "string" ? JSON.parse(body) : body;
      if (!path.includes("?") && Number.isFinite(parsed?.budget_ms ?? 0)) {
        assert.equal(bodySchema(path)(parsed), false, `the document's schema rejects it too: ${path}`);
      }
    }
    const good = { items: [{ verifier: "probe", response: "ok" }], budget_ms: 1000 };
    assert.equal(bodySchema("/v1/verify/batch")(good), true);
    const res = await postJson(app, "/v1/verify/batch", good);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).results[0].reward, 1);
  });
});

Deno.test("with API keys, exactly the routes documented without security answer without a key", async () => {
  await withProbeApp(async (app) => {
    const doc: Doc = await (await app.request("/openapi.json", { headers: { authorization: "Bearer k" } }))
      .json();
    let open = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const res = await app.request(path.replace(/\{\w+\}/g, "x"), { method: method.toUpperCase() });
        await res.body?.cancel();
        const isOpen = Array.isArray(operation.security) && operation.security.length === 0;
        if (isOpen) open++;
        assert.equal(res.status === 401, !isOpen, `${method} ${path}: ${res.status}`);
      }
    }
    assert.equal(open, 1, "only GET /healthz is open");
  }, ["k"]);
});
