/** The shape of a benchmark suite (`benchmarks/suites/*.yaml`) and its JSON Schema, checked on load. */

/** Where the dataset comes from and how its records are read. */
export interface DatasetSpec {
  /**
   * `json_by_id` (an object keyed by id, like MathVista's testmini.json), `json_list` (a JSON array of
   * records, like ScreenSpot's files), `jsonl`, or `parquet`.
   */
  format: "json_by_id" | "json_list" | "jsonl" | "parquet";
  /**
   * Path relative to the suite file (`--data` overrides it): a file, or a folder whose files of the
   * format are read in name order (each record gets `_file`, the file's name without extension).
   */
  path: string;
  /** The file's pinned sha256 (hex), checked before any request is sent. */
  sha256: string;
  /** Record field holding the item id (json_by_id: the key when absent). */
  id_field?: string;
  /** Images: a record field holding a relative path (`dir`) or embedded bytes (`{bytes}`). */
  images?: { field: string; dir?: string; sha256?: string };
  /** A list field: one item per element (id `<id>/<i>`), as lmms-eval expands RefCOCO's expressions. */
  explode?: string;
}

/**
 * A computed record field (`derive`, applied in order after reading and `explode`): the text of `from`
 * between the first `between[0]` and the last `between[1]`; a `map` lookup; a Python list literal
 * parsed (`parse: python_list`); an integer written as a decimal (`parse: integer_as_decimal`); the present values of several fields (`collect`); or an image's
 * `[width, height]` from its header (`image_size_of`).
 */
export type DeriveSpec =
  | { from: string; between: [string, string] }
  | { from: string; map: Record<string, string> }
  | { from: string; parse: "python_list" | "integer_as_decimal" }
  | { collect: string[] }
  | { image_size_of: string };

/** One case of a prompt variable: the first case whose `when` fields all match gives `text`. */
export interface VariableCase {
  when?: Record<string, unknown>;
  text: string;
}

/** The prompt: a template over the record's fields (and `variables`), with a version. */
export interface PromptSpec {
  version: string;
  template: string;
  system?: string;
  variables?: Record<string, VariableCase[]>;
}

/** Generation parameters sent to the model under test. */
export interface GenerationSpec {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  timeout_s?: number;
  concurrency?: number;
  max_retries?: number;
}

/** How each record becomes a verification item. */
export interface ScoringSpec {
  verifier?: string;
  spec?: unknown;
  /** A record field (its value is the reference) or a map of reference keys to record fields. */
  reference?: string | Record<string, string>;
  /** Options for every item. */
  options?: Record<string, unknown>;
  /** Options read from the record: option name → record field. */
  options_from?: Record<string, string>;
  /** Options added when a prediction carries an `extraction` that is scored instead of the response. */
  extracted_options?: Record<string, unknown>;
  /** How the reference's `box` is written in the data: `xyxy` (default) or `xywh` (COCO, SeeClick). */
  reference_box_format?: "xyxy" | "xywh";
  /** Acc@threshold for continuous scores (0.5 for grounding's Acc@0.5): the share of items reaching it. */
  threshold?: number;
}

/**
 * A named option a run may turn on (`--option NAME`, `"options": {"NAME": true}`): it changes how
 * the run is scored, never what is generated. Its `scoring` keys replace the suite's (a `null`
 * removes one); the merged scoring is checked like the suite's own. The run's results and report
 * name every option it ran with and carry its `description`.
 */
export interface RunOptionSpec {
  /** What the option does, and how it departs from the benchmark's official procedure. */
  description: string;
  scoring: { [K in keyof ScoringSpec]?: ScoringSpec[K] | null };
}

/** A parsed, validated suite. */
export interface SuiteSpec {
  name: string;
  version: string;
  description?: string;
  dataset: DatasetSpec;
  prompt: PromptSpec;
  generation?: GenerationSpec;
  scoring: ScoringSpec;
  /** Computed record fields (see DeriveSpec), usable by the prompt, scoring and breakdowns. */
  derive?: Record<string, DeriveSpec>;
  breakdowns?: string[];
  cluster?: string;
  /** Options a run may turn on, by name (see RunOptionSpec). */
  run_options?: Record<string, RunOptionSpec>;
}

const nonEmpty = { type: "string", minLength: 1 };
const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" };

/** A `derive` entry's schema: exactly these properties. */
function derived(properties: Record<string, unknown>) {
  return {
    type: "object",
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  } as const;
}

/**
 * JSON Schema of the generation settings: a suite's `generation`, the HTTP body's `generation`,
 * and the CLI's flags are all checked against it.
 */
export const generationSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    max_tokens: { type: "integer", minimum: 1 },
    temperature: { type: "number", minimum: 0 },
    top_p: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    seed: { type: "integer" },
    timeout_s: { type: "number", exclusiveMinimum: 0 },
    concurrency: { type: "integer", minimum: 1, maximum: 256 },
    max_retries: { type: "integer", minimum: 0, maximum: 20 },
  },
} as const;

/** JSON Schema of a suite's `scoring` (a run option's merged scoring is checked against it too). */
export const scoringSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    verifier: nonEmpty,
    spec: {},
    reference: {
      oneOf: [nonEmpty, { type: "object", additionalProperties: nonEmpty }],
    },
    options: { type: "object" },
    options_from: { type: "object", additionalProperties: nonEmpty },
    extracted_options: { type: "object" },
    threshold: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    reference_box_format: { enum: ["xyxy", "xywh"] },
  },
  oneOf: [{ required: ["verifier"] }, { required: ["spec"] }],
} as const;

/** JSON Schema of a suite file. */
export const suiteSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "version", "dataset", "prompt", "scoring"],
  properties: {
    name: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" },
    version: nonEmpty,
    description: { type: "string" },
    dataset: {
      type: "object",
      additionalProperties: false,
      required: ["format", "path", "sha256"],
      properties: {
        format: { enum: ["json_by_id", "json_list", "jsonl", "parquet"] },
        path: nonEmpty,
        sha256,
        id_field: nonEmpty,
        images: {
          type: "object",
          additionalProperties: false,
          required: ["field"],
          properties: { field: nonEmpty, dir: nonEmpty, sha256 },
        },
        explode: nonEmpty,
      },
    },
    prompt: {
      type: "object",
      additionalProperties: false,
      required: ["version", "template"],
      properties: {
        version: nonEmpty,
        template: nonEmpty,
        system: { type: "string" },
        variables: {
          type: "object",
          additionalProperties: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["text"],
              properties: { when: { type: "object" }, text: { type: "string" } },
            },
          },
        },
      },
    },
    generation: generationSchema,
    scoring: scoringSchema,
    derive: {
      type: "object",
      additionalProperties: {
        oneOf: [
          derived({ from: nonEmpty, between: { type: "array", items: nonEmpty, minItems: 2, maxItems: 2 } }),
          derived({ from: nonEmpty, map: { type: "object", additionalProperties: { type: "string" } } }),
          derived({ from: nonEmpty, parse: { enum: ["python_list", "integer_as_decimal"] } }),
          derived({ collect: { type: "array", items: nonEmpty, minItems: 1 } }),
          derived({ image_size_of: nonEmpty }),
        ],
      },
    },
    breakdowns: { type: "array", items: nonEmpty },
    cluster: nonEmpty,
    run_options: {
      type: "object",
      propertyNames: { pattern: "^[a-z][a-z0-9_]{0,63}$" },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["description", "scoring"],
        properties: { description: nonEmpty, scoring: { type: "object" } },
      },
    },
  },
} as const;
