/** Types shared by the engine and every verifier's host glue. */

/** A JSON Schema document, as ajv reads it. */
export type JsonSchema = Record<string, unknown>;

/** One published example: an item and the result it must get (checked by the test suite). */
export interface VerifierExample {
  title: string;
  item: { response: string; reference: unknown; options?: Record<string, unknown> };
  /** The expected reward and any subset of the expected details (e.g. `{reason: "ambiguous"}`). */
  expected: { reward: number; correct: boolean; details?: Record<string, unknown> };
}

/**
 * A verifier whose parsing and scoring run in a WebAssembly kernel `wasm/<name>.wasm`.
 * The host glue turns a schema-valid reference and options into the kernel's parameters.
 */
export interface WasmVerifier {
  name: string;
  /**
   * The kernel its items run in (`wasm/<kernel>.wasm`) when it is not the verifier's own name: a staged
   * verifier may grade with another verifier's kernel (`program` grades printed output with `math`'s).
   */
  kernel?: string;
  /** Semantic version; changes whenever scoring changes (every result carries it). */
  version: string;
  description: string;
  referenceSchema: JsonSchema;
  optionsSchema: JsonSchema;
  /** Per-item deadline when the item does not set `options.timeout_ms`. */
  defaultTimeoutMs: number;
  /**
   * Builds the kernel's parameter object (serialised as JSON) from a validated reference and options.
   * Throws `InvalidRequestError` for a problem the schema cannot express (e.g. a coordinate space
   * that needs `image_size` without one).
   */
  params(reference: unknown, options: Record<string, unknown>): unknown;
  examples: VerifierExample[];
  /**
   * Optional host stage that runs before the kernel, for verifiers whose input must first be
   * produced by another sandbox (e.g. `chart_code` renders untrusted code under bubblewrap). Its
   * `input` bytes replace the response as the kernel's input (they are untrusted: the kernel parses
   * them). It may instead settle the item: a `verdict` (e.g. `render_failed`, `too_complex`) or an
   * `error` without verdict (e.g. `sandbox_unavailable`). `timeoutMs` is the item's deadline.
   */
  stage?(item: StageItem): Promise<StageOutcome>;
  /**
   * Optional check at start-up: null when the verifier can run here, else why not and how to fix
   * it (the verifier is then reported unavailable and requests that need it get 503).
   */
  availability?(): Promise<string | null>;
  /** Optional clean-up when the engine closes (e.g. stopping a renderer pool). */
  close?(): Promise<void>;
  /**
   * For a **remote** verifier (DESIGN.md §4, e.g. `judge`): builds, from the engine's settings, the
   * backend that calls the configured endpoints. Its items run outside the sandbox pool (the kernel
   * `wasm/<name>.wasm` only runs an optional pre-check, see `RemoteBackend.prechecks`).
   */
  remote?(settings: RemoteSettings): RemoteBackend;
}

/** What a remote verifier's backend is built from (the config's judge keys, passed by the engine). */
export interface RemoteSettings {
  judges: Record<string, unknown>;
  judgeTemplates: Record<string, unknown>;
  /** SQLite file of the verdict cache ("" or ":memory:": in memory). */
  judgeCache: string;
  dataRoots: string[];
}

/** What a remote verifier sees of an item (validated; `timeoutMs` is its own time once it starts). */
export interface RemoteItem {
  response: string;
  reference: unknown;
  options: Record<string, unknown>;
  prompt?: unknown;
  images?: unknown;
  timeoutMs: number;
}

/** A remote call's outcome: a verdict, or a no-verdict / caller error. */
export type RemoteOutcome =
  | {
    verdict: {
      reward: number;
      correct: boolean;
      details: Record<string, unknown> & { reason: string | null };
    };
  }
  | {
    error: { code: "invalid_request" | "internal" | "overloaded" | "upstream_unavailable"; message: string };
  };

/** The running side of a remote verifier, one per engine. */
export interface RemoteBackend {
  /** Null when it can run, else why not (the verifier is then unavailable: 503 for its items). */
  unavailable(): string | null;
  /** A caller error in an item's options against the config (e.g. an unknown judge), or null. */
  optionsProblem(options: Record<string, unknown>): string | null;
  /** Whether an item's options ask for the kernel pre-check first (a verdict other than reward 1 settles it). */
  prechecks(options: Record<string, unknown>): boolean;
  /**
   * The outcome already known for an item without any I/O (a cached verdict), or null: then `run`.
   * Lets cache hits settle in the engine's loop, without a promise or an event-loop turn per item.
   */
  known?(item: RemoteItem): RemoteOutcome | null;
  /** Calls the endpoint for one item; `signal` aborts when the batch's budget runs out. Never throws. */
  run(item: RemoteItem, signal: AbortSignal): Promise<RemoteOutcome>;
  /** Prometheus lines for `/metrics` (calls, cache hits and misses, tokens). */
  metricLines(): string[];
  close(): Promise<void>;
}

/** What a stage sees of an item (already validated). */
export interface StageItem {
  response: string;
  reference: unknown;
  options: Record<string, unknown>;
  timeoutMs: number;
  /** Epoch ms when the batch's `budget_ms` runs out (Infinity without a budget): a stage must not run past it. */
  deadlineAt?: number;
}

/** What a stage produces: the kernel's input, or the item's final outcome. */
export type StageOutcome =
  /** `details` (optional) are added to the kernel's verdict details (e.g. a program's output). */
  | { input: Uint8Array; details?: Record<string, unknown> }
  | {
    verdict: {
      reward: number;
      correct: boolean;
      details: Record<string, unknown> & { reason: string | null };
    };
  }
  | {
    error: { code: "invalid_request" | "internal" | "sandbox_unavailable" | "overloaded"; message: string };
  };

/** A caller error found after schema validation; becomes `invalid_request`. */
export class InvalidRequestError extends Error {
  readonly code = "invalid_request";
  override name = "InvalidRequestError";
}

/**
 * Kernel parameters that write their own JSON (`kernelJson()`, the same text `JSON.stringify` gives
 * them), for a verifier whose items are so small that serializing the parameters is a large share.
 */
export interface SelfSerializingParams {
  kernelJson(): string;
}

/** Strings whose JSON `nameJson` remembers (option values from a schema's enum: a handful). */
const NAME_JSON_LIMIT = 256;
const nameJsonCache = new Map<string, string>();

/**
 * `JSON.stringify(name)` for a string that recurs (an option's value from a schema's enum), looked
 * up once it has been written: a `JSON.stringify` call costs about 0.1 µs, a map lookup a fifth of
 * that. Any string gives its exact JSON; only the first NAME_JSON_LIMIT distinct ones are remembered.
 */
export function nameJson(name: string): string {
  let json = nameJsonCache.get(name);
  if (json === undefined) {
    json = JSON.stringify(name);
    if (nameJsonCache.size < NAME_JSON_LIMIT) nameJsonCache.set(name, json);
  }
  return json;
}

/** The JSON text of a verifier's kernel parameters. */
export function paramsJson(params: unknown): string {
  return params instanceof Object &&
      typeof (params as Partial<SelfSerializingParams>).kernelJson === "function"
    ? (params as SelfSerializingParams).kernelJson()
    : JSON.stringify(params);
}
