/**
 * Each route's contract, declared once next to its handler: the JSON Schemas of its query and body
 * validate requests (ajv, compiled once) and are collected into `/openapi.json` with its responses.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Context } from "hono";
import { ApiError, readJson } from "./errors.ts";

/** A JSON Schema (kept as plain data so that it can go into the OpenAPI document as it is). */
export type Schema = Record<string, unknown>;

/** One response of a route in the OpenAPI document. */
export interface ResponseDoc {
  description: string;
  content?: Record<string, { schema: unknown }>;
}

/** What a route accepts and answers. Paths are written as Hono writes them (`/runs/:id`). */
export interface RouteContract {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  /** Reachable without an API key. */
  public?: boolean;
  /** An object schema of the query parameters (each property is a string parameter). */
  query?: Schema;
  /** The JSON body's schema; `$ref`s to `#/components/schemas/…` are checked by the engine, per item. */
  body?: Schema;
  responses: Record<string, ResponseDoc>;
}

/** A JSON content map for a response or a request body. */
export function jsonContent(schema: unknown): Record<string, { schema: unknown }> {
  return { "application/json": { schema } };
}

const errorRef = jsonContent({ $ref: "#/components/schemas/Error" });

/** The error responses every route can give, by status; pick the ones a route gives. */
export const ERROR_RESPONSES: Record<string, ResponseDoc> = {
  "400": { description: "Caller error (invalid_request)", content: errorRef },
  "401": { description: "Missing or wrong API key (unauthorized)", content: errorRef },
  "404": { description: "No such resource (invalid_request)", content: errorRef },
  "409": { description: "The resource is busy (invalid_request)", content: errorRef },
  "413": { description: "Body larger than max_body_bytes (invalid_request)", content: errorRef },
  "429": { description: "Queue full (overloaded); see Retry-After", content: errorRef },
  "503": {
    description: "A needed verifier is unavailable (sandbox_unavailable), or draining",
    content: errorRef,
  },
};

/** The named error responses. */
export function errorResponses(...statuses: string[]): Record<string, ResponseDoc> {
  return Object.fromEntries(statuses.map((s) => [s, ERROR_RESPONSES[s]]));
}

// strictNumbers: NaN and ±Infinity (JSON.parse gives Infinity for 1e309) are not numbers here.
const ajv = new Ajv({ allErrors: false, strict: false, strictNumbers: true });

/** The schema as validated here: references to document components accept anything (the engine checks them). */
function forValidation(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forValidation);
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as Record<string, unknown>;
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/components/")) return true;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, forValidation(v)]));
}

/** What a field's schema asks for, in words ("a list of strings", "a positive number"), if simple. */
function expected(schema: unknown): string | undefined {
  if (schema === null || typeof schema !== "object") return undefined;
  const s = schema as Schema;
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(", ")}`;
  switch (s.type) {
    case "array": {
      const items = (s.items as Schema | undefined)?.type;
      return items === "string" ? "a list of strings" : items === "object" ? "a list of objects" : "a list";
    }
    case "string":
      if (typeof s.pattern === "string") return `a string matching /${s.pattern}/`;
      return (s.minLength as number) > 0 ? "a non-empty string" : "a string";
    case "number":
    case "integer":
      return s.exclusiveMinimum === 0 ? `a positive ${s.type}` : `a ${s.type}`;
    case "object":
      return "an object";
  }
  return undefined;
}

/**
 * An ajv error as one sentence naming the field: `prompts: must be a list of strings`,
 * `Unknown field "x" in the body`; deeper errors name their path (`predictions[2].id: …`).
 */
function describe(where: string, schema: Schema, error: ErrorObject): string {
  const params = error.params as Record<string, string>;
  if (error.keyword === "additionalProperties" && error.instancePath === "") {
    return `Unknown field "${params.additionalProperty}" in the ${where}`;
  }
  const segments = error.instancePath.split("/").slice(1);
  const missing = error.keyword === "required" && segments.length === 0;
  const field = missing ? params.missingProperty : segments[0];
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const phrase = field === undefined ? undefined : expected(properties[field]);
  // The field itself, or an element of the wrong type in a list field: say what the field must be.
  const aboutField = missing || segments.length === 1 || (segments.length === 2 && error.keyword === "type");
  if (phrase !== undefined && aboutField) {
    return `${field}: must be ${phrase}${missing ? " (missing)" : ""}`;
  }
  const path = segments.map((p, i) => /^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`).join("");
  return `${path || `The ${where}`}: ${error.message}`;
}

function compile(schema: Schema): ValidateFunction {
  return ajv.compile(forValidation(schema) as Schema);
}

/** A reader of the route's JSON body that answers 400 `invalid_request` when it breaks the schema. */
export function bodyReader<T>(contract: RouteContract): (c: Context) => Promise<T> {
  const check = bodyChecker<T>(contract);
  return async (c) => check(await readJson(c));
}

/** The route's body check on an already parsed body (400 `invalid_request` when it breaks the schema). */
export function bodyChecker<T>(contract: RouteContract): (body: unknown) => T {
  const validate = compile(contract.body!);
  return (body) => {
    if (!validate(body)) {
      throw new ApiError(400, "invalid_request", describe("body", contract.body!, validate.errors![0]));
    }
    return body as T;
  };
}

/** A reader of the route's query parameters (400 `invalid_request` when they break the schema). */
export function queryReader<T>(contract: RouteContract): (c: Context) => T {
  const validate = compile(contract.query!);
  return (c) => {
    const query = c.req.query();
    if (!validate(query)) {
      throw new ApiError(400, "invalid_request", describe("query", contract.query!, validate.errors![0]));
    }
    return query as T;
  };
}
