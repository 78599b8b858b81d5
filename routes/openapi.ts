/** `GET /openapi.json`: an OpenAPI 3.1 document generated from the verifiers' own schemas. */
import { Hono } from "hono";
import { type Engine, itemSchema } from "../verifiers/mod.ts";
import { specSchema } from "../verifiers/spec.ts";
import { ARBITER_VERSION } from "../version.ts";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
};

const resultSchema = {
  type: "object",
  required: ["verifier", "version", "reward", "correct", "details", "error", "ms"],
  properties: {
    id: { type: "string" },
    verifier: { type: ["string", "null"] },
    version: { type: ["string", "null"] },
    reward: {
      type: ["number", "null"],
      description: "In [0, 1] for a verdict; null when there is no verdict.",
    },
    correct: { type: ["boolean", "null"] },
    details: {
      type: ["object", "null"],
      description: "Explains the verdict; `reason` is null or one of the reason registry.",
    },
    error: {
      oneOf: [{ type: "null" }, errorSchema.properties.error],
      description:
        "Set when there is no verdict (internal, sandbox_unavailable, overloaded, invalid_request).",
    },
    ms: { type: "number", description: "Time the item ran in the sandbox." },
  },
};

/** Builds the OpenAPI document: one item variant per verifier, with its reference and options schemas. */
export function openApiDocument(engine: Engine): Record<string, unknown> {
  const { verifier: _v, spec: _s, data_source: _d, ...common } = itemSchema.properties as Record<
    string,
    unknown
  >;
  const variants: Record<string, unknown>[] = engine.describe().map((v) => ({
    title: v.name,
    type: "object",
    required: ["verifier", "response"],
    additionalProperties: false,
    properties: {
      ...common,
      verifier: { const: v.name },
      reference: v.schemas.reference,
      options: v.schemas.options,
    },
  }));
  variants.push({
    title: "spec",
    description:
      "A composite reward: its leaves are verifiers, combined by sum (weighted), min, max, product, gate.",
    type: "object",
    required: ["spec", "response"],
    additionalProperties: false,
    properties: {
      ...common,
      spec: {
        oneOf: [{ type: "string", description: "A configured spec's name" }, {
          $ref: "#/components/schemas/Spec",
        }],
      },
    },
  }, {
    title: "routed",
    description: "With neither verifier nor spec: the configured route for data_source picks the spec.",
    type: "object",
    required: ["data_source", "response"],
    additionalProperties: false,
    properties: { ...common, data_source: { type: "string" } },
  });
  // The spec schema's recursive node, re-pointed at the document's own component.
  const node = (specSchema.$defs as { node: unknown }).node;
  const specNode = JSON.parse(
    JSON.stringify(node).replaceAll('"#/$defs/node"', '"#/components/schemas/Spec"'),
  );
  const json = (schema: unknown) => ({ "application/json": { schema } });
  const errors = {
    "400": { description: "Caller error", content: json({ $ref: "#/components/schemas/Error" }) },
    "401": { description: "Missing or wrong API key", content: json({ $ref: "#/components/schemas/Error" }) },
    "413": {
      description: "Body larger than max_body_bytes",
      content: json({ $ref: "#/components/schemas/Error" }),
    },
    "429": {
      description: "Queue full; see Retry-After",
      content: json({ $ref: "#/components/schemas/Error" }),
    },
    "503": {
      description: "A needed verifier is unavailable",
      content: json({ $ref: "#/components/schemas/Error" }),
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Arbiter",
      version: ARBITER_VERSION,
      description: "Sandboxed verifiable rewards over HTTP.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Item: { oneOf: variants }, Spec: specNode, Result: resultSchema, Error: errorSchema },
    },
    security: [{ bearer: [] }],
    paths: {
      "/healthz": {
        get: { summary: "Health", security: [], responses: { "200": { description: "Health" } } },
      },
      "/v1/verifiers": {
        get: {
          summary: "Verifiers, schemas and examples",
          responses: { "200": { description: "Catalogue" } },
        },
      },
      "/v1/verify": {
        post: {
          summary: "Verify one item",
          requestBody: { required: true, content: json({ $ref: "#/components/schemas/Item" }) },
          responses: {
            "200": { description: "Result", content: json({ $ref: "#/components/schemas/Result" }) },
            ...errors,
          },
        },
      },
      "/v1/verify/batch": {
        post: {
          summary: "Verify a batch (JSON in request order, or NDJSON in completion order with index)",
          requestBody: {
            required: true,
            content: json({
              type: "object",
              required: ["items"],
              properties: {
                items: { type: "array", items: { $ref: "#/components/schemas/Item" } },
                budget_ms: { type: "number", exclusiveMinimum: 0 },
              },
            }),
          },
          responses: {
            "200": {
              description: "Results",
              content: {
                ...json({
                  type: "object",
                  properties: { results: { type: "array", items: { $ref: "#/components/schemas/Result" } } },
                }),
                "application/x-ndjson": { schema: { $ref: "#/components/schemas/Result" } },
              },
            },
            ...errors,
          },
        },
      },
      "/v1/compat/openrlhf": {
        post: {
          summary: "OpenRLHF remote reward model: {query, prompts, labels} → {rewards, scores, extra_logs}",
          parameters: [
            { name: "verifier", in: "query", schema: { type: "string" } },
            {
              name: "spec",
              in: "query",
              schema: { type: "string" },
              description: "A configured spec's name",
            },
            {
              name: "on_no_verdict",
              in: "query",
              schema: { enum: ["group_mean", "zero"], default: "group_mean" },
            },
          ],
          requestBody: {
            required: true,
            content: json({
              type: "object",
              required: ["query", "prompts", "labels"],
              properties: {
                query: {
                  type: "array",
                  items: { type: "string" },
                  description: "prompt followed by response",
                },
                prompts: { type: "array", items: { type: "string" } },
                labels: {
                  type: "array",
                  description: "references; a JSON-object string is an object reference",
                },
              },
            }),
          },
          responses: { "200": { description: "Rewards (never null)" }, ...errors },
        },
      },
      "/metrics": {
        get: { summary: "Prometheus metrics", responses: { "200": { description: "Text exposition" } } },
      },
    },
  };
}

/** The OpenAPI route. */
export function openApiRoutes(engine: Engine): Hono {
  const app = new Hono();
  const document = openApiDocument(engine);
  app.get("/openapi.json", (c) => c.json(document));
  return app;
}
