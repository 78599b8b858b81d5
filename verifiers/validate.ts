/**
 * Validation of items before anything runs: the item's envelope, then the verifier's published
 * JSON Schemas for `reference` and `options` (ajv, compiled once per verifier).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { JsonSchema, WasmVerifier } from "./types.ts";
import { specSchema } from "./spec.ts";

/** The shape every item has, whatever its verifier. */
export const itemSchema: JsonSchema = {
  type: "object",
  required: ["response"],
  additionalProperties: false,
  properties: {
    id: { type: "string", description: "Echoed back in the result." },
    verifier: { type: "string", description: "Name of the verifier (see GET /v1/verifiers)." },
    spec: {
      description: "A composite reward instead of a verifier: a spec node or a configured spec's name.",
    },
    data_source: {
      type: "string",
      description: "With neither verifier nor spec: the configured route picks the spec.",
    },
    response: { type: "string", description: "The model's completion (never the prompt)." },
    reference: { description: "Verifier-specific ground truth." },
    options: { type: "object", description: "Verifier-specific options, all optional." },
    prompt: {
      description: "The prompt text, or chat messages [{role, content}], for verifiers that need it (judge).",
      oneOf: [{ type: "string" }, { type: "array", items: { type: "object" } }],
    },
    images: {
      type: "array",
      items: { type: "string" },
      description:
        "Images for verifiers that see them (judge): data URLs, or paths under a configured data root.",
    },
    group: { type: "string", description: "The prompt group a sample belongs to (substitution)." },
  },
};

/** `options.timeout_ms`, which every verifier accepts and only the engine reads: declared once, here. */
export const timeoutOptionSchema: JsonSchema = {
  type: "integer",
  minimum: 1,
  description: "Per-item deadline in milliseconds (capped by the server's max_timeout_ms).",
};

/** A verifier's options schema with `timeout_ms` merged into its properties. */
export function withTimeoutOption(optionsSchema: JsonSchema): JsonSchema {
  const properties = (optionsSchema.properties ?? {}) as Record<string, unknown>;
  return { ...optionsSchema, properties: { ...properties, timeout_ms: timeoutOptionSchema } };
}

/** An item that passed validation. */
export interface ValidItem {
  id?: string;
  verifier: WasmVerifier;
  response: string;
  reference: unknown;
  options: Record<string, unknown>;
  /** The item's prompt and images, when it has them (remote verifiers send them on). */
  prompt?: unknown;
  images?: string[];
}

interface CompiledVerifier {
  reference: ValidateFunction;
  options: ValidateFunction;
}

/**
 * The context of a value validated at the top: ajv's generated functions default a missing
 * context to a fresh object on every call (about 57 bytes of garbage each, three per item).
 */
const TOP_LEVEL = Object.freeze({ instancePath: "" }) as unknown as Parameters<ValidateFunction>[1];
/** What an item without options is validated and prepared with (not a new object per item). */
export const NO_OPTIONS: Record<string, unknown> = Object.freeze({});

/** Validates items against the envelope and each verifier's schemas. */
export class ItemValidator {
  private readonly ajv = new Ajv({ allErrors: false, strict: false });
  private readonly envelope: ValidateFunction;
  private readonly spec: ValidateFunction;
  private readonly compiled = new Map<string, CompiledVerifier>();

  /** `lazy`: compile a verifier's schemas on its first item instead of now. */
  constructor(
    private readonly table: Record<string, WasmVerifier>,
    private readonly maxResponseChars: number,
    lazy = false,
  ) {
    this.envelope = this.ajv.compile(itemSchema);
    this.spec = this.ajv.compile(specSchema);
    if (!lazy) { for (const verifier of Object.values(table)) this.compiledFor(verifier); }
  }

  /** The verifier of that name (own keys only), or undefined. */
  verifierNamed(name: string): WasmVerifier | undefined {
    return Object.hasOwn(this.table, name) ? this.table[name] : undefined;
  }

  /** The verifier's compiled schemas (compiled on first use when the validator is lazy). */
  private compiledFor(verifier: WasmVerifier): CompiledVerifier {
    let compiled = this.compiled.get(verifier.name);
    if (!compiled) {
      compiled = {
        reference: this.ajv.compile(verifier.referenceSchema),
        options: this.ajv.compile(withTimeoutOption(verifier.optionsSchema)),
      };
      this.compiled.set(verifier.name, compiled);
    }
    return compiled;
  }

  /** Checks what every item has (id, response, no unknown fields); returns the problem or null. */
  checkEnvelope(raw: unknown): { message: string; tooLarge?: boolean } | null {
    if (!this.envelope(raw, TOP_LEVEL)) return { message: describe("item", this.envelope.errors) };
    const fields = raw as Record<string, unknown>;
    for (let i = 0; i < NUMERIC_PARTS.length; i++) {
      const part = NUMERIC_PARTS[i];
      const path = Object.hasOwn(fields, part) ? nonFinitePath(fields[part], part) : null;
      if (path) return { message: `${path}: must be a finite number (JSON numbers beyond ±1.8e308 are not)` };
    }
    const response = (raw as { response: string }).response;
    if (response.length > this.maxResponseChars) {
      return {
        message:
          `response: is ${response.length} characters long, more than max_response_chars (${this.maxResponseChars})`,
        tooLarge: true,
      };
    }
    return null;
  }

  /** Checks a spec's shape (the leaves are checked as items); returns the problem or null. */
  checkSpec(spec: unknown): string | null {
    return this.spec(spec) ? null : describe("spec", this.spec.errors);
  }

  /**
   * The verifier of an item that names one, when the item is valid; else the message that names
   * the failing path and schema rule (`tooLarge` when the response is longer than the server
   * accepts). Builds nothing for a valid item: the engine reads its fields from the item itself.
   */
  validVerifier(raw: unknown): WasmVerifier | { message: string; tooLarge?: boolean } {
    const envelope = this.checkEnvelope(raw);
    if (envelope) return envelope;
    const item = raw as { verifier?: string; reference?: unknown; options?: object };
    if (item.verifier === undefined) {
      return {
        message: "item: must have required property 'verifier' (or 'spec', or a routed 'data_source')",
      };
    }
    const verifier = this.verifierNamed(item.verifier);
    if (!verifier) {
      const known = Object.keys(this.table).sort().join(", ");
      return { message: `Unknown verifier "${item.verifier}"; known verifiers: ${known}` };
    }
    const compiled = this.compiledFor(verifier);
    if (!compiled.reference(item.reference ?? null, TOP_LEVEL)) {
      return { message: describe("reference", compiled.reference.errors) };
    }
    if (!compiled.options(item.options ?? NO_OPTIONS, TOP_LEVEL)) {
      return { message: describe("options", compiled.options.errors) };
    }
    return verifier;
  }

  /** Returns the valid item (see `validVerifier`), or the caller error. */
  check(raw: unknown): { item: ValidItem } | { message: string; tooLarge?: boolean } {
    const verifier = this.validVerifier(raw);
    if ("message" in verifier) return verifier;
    const item = raw as {
      id?: string;
      response: string;
      reference?: unknown;
      options?: Record<string, unknown>;
      prompt?: unknown;
      images?: string[];
    };
    return {
      item: {
        id: item.id,
        verifier,
        response: item.response,
        reference: item.reference ?? null,
        options: item.options ?? {},
        prompt: item.prompt,
        images: item.images,
      },
    };
  }
}

/** The parts of an item whose numbers must be finite (JSON.parse makes 1e400 Infinity). */
const NUMERIC_PARTS = ["reference", "options", "spec"] as const;

/**
 * The path of the first number in `value` that is not finite (`1e309` parses to Infinity), or null.
 * The common, shallow value is checked by a recursion that allocates nothing; a value nested deeper
 * than that recursion goes is walked with an explicit stack, so deep nesting cannot overflow the stack.
 */
export function nonFinitePath(value: unknown, root: string): string | null {
  return hasNonFinite(value, 0) === false ? null : pathTo(value, root);
}

/** Levels the recursive check descends before it leaves the value to `pathTo`'s walk. */
const MAX_RECURSION = 64;

/** Whether `value` holds a non-finite number; null when it is nested deeper than MAX_RECURSION. */
function hasNonFinite(value: unknown, depth: number): boolean | null {
  if (typeof value === "number") return !Number.isFinite(value);
  if (value === null || typeof value !== "object") return false;
  if (depth === MAX_RECURSION) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = hasNonFinite(value[i], depth + 1);
      if (found !== false) return found;
    }
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = hasNonFinite((value as Record<string, unknown>)[key], depth + 1);
    if (found !== false) return found;
  }
  return false;
}

/**
 * The path from `root` to a non-finite number in `value` (the one `nonFinitePath` has always named:
 * depth first, an array's elements in order, an object's keys last first), or null. Each node keeps
 * its parent and its key, so only the path found is spelled out (linear in the nodes, however deep).
 */
function pathTo(value: unknown, root: string): string | null {
  const nodes: unknown[] = [value];
  const parents: number[] = [-1];
  const keys: string[] = [root];
  const stack: number[] = [0];
  const visit = (node: unknown, parent: number, key: string) => {
    stack.push(nodes.length);
    nodes.push(node);
    parents.push(parent);
    keys.push(key);
  };
  while (stack.length > 0) {
    const at = stack.pop()!;
    const node = nodes[at];
    if (typeof node === "number") {
      if (!Number.isFinite(node)) return spellPath(at, parents, keys);
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) visit(node[i], at, String(i));
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) visit(child, at, key);
    }
  }
  return null;
}

/** The keys from the root to node `at`, joined by "/". */
function spellPath(at: number, parents: number[], keys: string[]): string {
  const parts: string[] = [];
  for (let i = at; i >= 0; i = parents[i]) parts.push(keys[i]);
  return parts.reverse().join("/");
}

/** Formats ajv's first error as "reference/box: must NOT have fewer than 4 items (schema #/…)". */
function describe(part: string, errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return `${part}: is invalid`;
  let message = error.message ?? "is invalid";
  if (error.keyword === "additionalProperties") {
    message = `has an unknown property "${
      (error.params as { additionalProperty: string }).additionalProperty
    }"`;
  } else if (error.keyword === "enum") {
    message = `must be one of ${
      JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)
    }`;
  }
  return `${part}${error.instancePath}: ${message} (schema ${error.schemaPath})`;
}
