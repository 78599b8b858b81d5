/**
 * `GET /openapi.json`: an OpenAPI 3.1 document generated from the verifiers' own schemas and the
 * routes' contracts (routes/contract.ts), so it lists exactly the routes that are mounted.
 */
import { Hono } from "hono";
import {
  ARBITER_VERSION,
  type Engine,
  ERROR_CODES,
  itemSchema,
  REASONS,
  specSchema,
} from "../verifiers/mod.ts";
import { errorResponses, jsonContent, type RouteContract } from "./contract.ts";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { enum: [...ERROR_CODES] }, message: { type: "string" } },
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
      properties: { reason: { enum: [null, ...REASONS] } },
    },
    error: {
      oneOf: [{ type: "null" }, errorSchema.properties.error],
      description:
        "Set when there is no verdict (internal, sandbox_unavailable, overloaded, invalid_request).",
    },
    ms: { type: "number", description: "Time the item ran in the sandbox." },
  },
};

/**
 * Builds the OpenAPI document: one item variant per verifier, with its reference and options schemas,
 * and one path per route contract (the mounted routes' own declarations).
 */
export function openApiDocument(engine: Engine, routes: RouteContract[]): Record<string, unknown> {
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
    paths: pathsOf([...routes, OPENAPI]),
  };
}

/** `GET /openapi.json`. */
export const OPENAPI: RouteContract = {
  method: "get",
  path: "/openapi.json",
  summary: "This document",
  responses: { "200": { description: "OpenAPI 3.1 document" }, ...errorResponses("401") },
};

/** The routes' contracts as OpenAPI paths (`/runs/:id` becomes `/runs/{id}` with a path parameter). */
function pathsOf(routes: RouteContract[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]\w*)/g, "{$1}");
    const parameters = [
      ...[...route.path.matchAll(/:([A-Za-z_]\w*)/g)].map(([, name]) => ({
        name,
        in: "path",
        required: true,
        schema: { type: "string" },
      })),
      ...Object.entries((route.query?.properties ?? {}) as Record<string, Record<string, unknown>>).map((
        [name, { description, ...schema }],
      ) => ({ name, in: "query", ...(description ? { description } : {}), schema })),
    ];
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: jsonContent(route.body) } } : {}),
      responses: route.responses,
    };
  }
  return paths;
}

/** The OpenAPI route over the contracts of the other mounted routes. */
export function openApiRoutes(engine: Engine, routes: RouteContract[]): Hono {
  const app = new Hono();
  const document = openApiDocument(engine, routes);
  app.get(OPENAPI.path, (c) => c.json(document));
  return app;
}
