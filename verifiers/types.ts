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
  /** Semantic version; changes whenever scoring changes (results are cached under it). */
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
}

/** A caller error found after schema validation; becomes `invalid_request`. */
export class InvalidRequestError extends Error {
  readonly code = "invalid_request";
  override name = "InvalidRequestError";
}
