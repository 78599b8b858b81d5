/**
 * The server's configuration: defaults in code, then an optional YAML file (`--config`), then
 * environment variables, then command-line flags. `describeConfig` prints the effective result.
 */
import { parse as parseYaml } from "yaml";
import { defaultEngineOptions, type EngineOptions } from "./verifiers/mod.ts";

export interface Config {
  host: string;
  port: number;
  /** Sandbox processes (default: one per core). */
  workers: number;
  /** Threads that parse and validate large batches off the main thread (0: none; see README, Performance). */
  prep_threads: number;
  /** Largest request body accepted (bytes); larger bodies get 413. */
  max_body_bytes: number;
  /** Longest `response` accepted, in characters (a longer one is a caller error; 413 for /v1/verify). */
  max_response_chars: number;
  /** Items that may wait for the sandbox before new requests get 429. */
  max_queue_items: number;
  /** Cap on any item's `options.timeout_ms`. */
  max_timeout_ms: number;
  /** Bearer tokens; when non-empty every request but `GET /healthz` needs one. */
  api_keys: string[];
  /** Where benchmark runs (journal, samples, reports) are kept. */
  runs_dir: string;
  /**
   * Folders whose files HTTP callers may name (benchmark suites, datasets, predictions); empty: only
   * built-in suites. No other absolute path and no `..` is accepted (`verifiers/_access/`).
   */
  data_roots: string[];
  /** Model endpoints HTTP callers may make the server call: `loopback` and/or URL prefixes. */
  model_url_allow: string[];
  /** Named reward specs (YAML only), used as `{"spec": "name"}`. */
  specs: Record<string, unknown>;
  /** `data_source` → spec name or inline spec (YAML only), for items with neither verifier nor spec. */
  routes: Record<string, unknown>;
  /** Judge endpoints by name (YAML only): url, model, api_key_env, kind, limits (verifiers/judge/README.md). */
  judges: Record<string, unknown>;
  /** Rubric templates added to the shipped ones (YAML only): {name: {system, user, parse, version}}. */
  judge_templates: Record<string, unknown>;
  /** SQLite file of the judge verdict cache; empty: kept in memory. */
  judge_cache: string;
  /** Deepest nesting of a spec's operators (deeper specs are caller errors). */
  max_spec_depth: number;
  /** Most leaves (verifiers and constants) in one spec. */
  max_spec_leaves: number;
  /** Most response characters one spec item may hand the sandbox: leaves × response length. */
  max_spec_leaf_bytes: number;
  /** Memory limit (RLIMIT_DATA, bytes) of each WASM sandbox process. */
  sandbox_memory_bytes: number;
  /** Memory cgroup limit (bytes) of each WASM sandbox process where one can be made; 0: no cgroup. */
  sandbox_cgroup_memory_bytes: number;
}

export const defaultConfig: Config = {
  host: "127.0.0.1",
  port: 8787,
  workers: defaultEngineOptions.workers,
  prep_threads: defaultEngineOptions.prepThreads,
  max_body_bytes: 64 * 1024 * 1024,
  max_response_chars: defaultEngineOptions.maxResponseChars,
  max_queue_items: defaultEngineOptions.maxQueueItems,
  max_timeout_ms: defaultEngineOptions.maxTimeoutMs,
  api_keys: [],
  runs_dir: "runs",
  data_roots: [],
  model_url_allow: ["loopback"],
  specs: {},
  routes: {},
  judges: {},
  judge_templates: {},
  judge_cache: "",
  max_spec_depth: defaultEngineOptions.maxSpecDepth,
  max_spec_leaves: defaultEngineOptions.maxSpecLeaves,
  max_spec_leaf_bytes: defaultEngineOptions.maxSpecLeafBytes,
  sandbox_memory_bytes: defaultEngineOptions.sandboxMemoryBytes,
  sandbox_cgroup_memory_bytes: defaultEngineOptions.sandboxCgroupMemoryBytes,
};

const ENV: Record<string, keyof Config> = {
  ARBITER_HOST: "host",
  ARBITER_PORT: "port",
  ARBITER_WORKERS: "workers",
  ARBITER_PREP_THREADS: "prep_threads",
  ARBITER_MAX_BODY_BYTES: "max_body_bytes",
  ARBITER_MAX_RESPONSE_CHARS: "max_response_chars",
  ARBITER_MAX_QUEUE_ITEMS: "max_queue_items",
  ARBITER_MAX_TIMEOUT_MS: "max_timeout_ms",
  ARBITER_API_KEYS: "api_keys",
  ARBITER_RUNS_DIR: "runs_dir",
  ARBITER_SANDBOX_MEMORY_BYTES: "sandbox_memory_bytes",
  ARBITER_SANDBOX_CGROUP_MEMORY_BYTES: "sandbox_cgroup_memory_bytes",
  ARBITER_MAX_SPEC_DEPTH: "max_spec_depth",
  ARBITER_MAX_SPEC_LEAVES: "max_spec_leaves",
  ARBITER_MAX_SPEC_LEAF_BYTES: "max_spec_leaf_bytes",
  ARBITER_DATA_ROOTS: "data_roots",
  ARBITER_MODEL_URL_ALLOW: "model_url_allow",
};

/** A configuration problem, reported to the user before the server starts. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function coerce(key: keyof Config, value: unknown, source: string): Config[keyof Config] {
  const expected = defaultConfig[key];
  if (key === "specs" || key === "routes" || key === "judges" || key === "judge_templates") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ConfigError(`${source}: ${key} must be a mapping of names to entries`);
    }
    return value as Record<string, unknown>;
  }
  if (Array.isArray(expected)) {
    if (Array.isArray(value)) return value.map(String);
    return String(value).split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  }
  if (typeof expected === "number") {
    const n = Number(value);
    const nonNegative = key === "prep_threads" || key === "sandbox_cgroup_memory_bytes";
    const zeroAllowed = key === "port" || nonNegative;
    if (!Number.isInteger(n) || n < (zeroAllowed ? 0 : 1)) {
      throw new ConfigError(
        `${source}: ${key} must be a ${nonNegative ? "non-negative" : "positive"} integer, got ${
          JSON.stringify(value)
        }`,
      );
    }
    return n;
  }
  return String(value);
}

/** Builds the effective configuration from a YAML file's text (optional), the environment and flags. */
export function loadConfig(
  options: {
    yamlText?: string;
    env?: Record<string, string | undefined>;
    flags?: Partial<Record<keyof Config, unknown>>;
  } = {},
): Config {
  const config: Config = {
    ...defaultConfig,
    api_keys: [...defaultConfig.api_keys],
    data_roots: [...defaultConfig.data_roots],
    model_url_allow: [...defaultConfig.model_url_allow],
    specs: {},
    routes: {},
    judges: {},
    judge_templates: {},
  };
  const set = (key: string, value: unknown, source: string) => {
    if (!(key in defaultConfig)) throw new ConfigError(`${source}: unknown setting "${key}"`);
    (config as unknown as Record<string, unknown>)[key] = coerce(key as keyof Config, value, source);
  };
  if (options.yamlText !== undefined) {
    const parsed = parseYaml(options.yamlText) ?? {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new ConfigError("config file: must be a mapping");
    }
    for (const [key, value] of Object.entries(parsed)) set(key, value, "config file");
  }
  for (const [name, key] of Object.entries(ENV)) {
    const value = options.env?.[name];
    if (value !== undefined && value !== "") set(key, value, name);
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) set(key, value, `--${key}`);
  }
  return config;
}

/** The effective configuration as one line of JSON, with API keys redacted. */
export function describeConfig(config: Config): string {
  return JSON.stringify({
    ...config,
    api_keys: config.api_keys.map(() => "***"),
    specs: Object.keys(config.specs),
    routes: Object.keys(config.routes),
    judges: Object.keys(config.judges),
    judge_templates: Object.keys(config.judge_templates),
  });
}

/**
 * The engine's options from the effective configuration: the one mapping that `serve`, `verify` and
 * `bench` share. `oneShot` (the CLI, a bench run) lifts the admission limit and compiles each
 * verifier's schemas on first use instead of at start (a short run pays only for what it uses);
 * `lazyStart` (the CLI) waits for a staged verifier's sandbox check only when its items come, and
 * for the preparation threads only when they are given work.
 */
export function engineOptions(
  config: Config,
  { oneShot = false, lazyStart = false } = {},
): Partial<EngineOptions> {
  return {
    lazyStart,
    workers: config.workers,
    prepThreads: config.prep_threads,
    maxQueueItems: oneShot ? Number.MAX_SAFE_INTEGER : config.max_queue_items,
    lazyValidators: oneShot,
    maxTimeoutMs: config.max_timeout_ms,
    maxResponseChars: config.max_response_chars,
    specs: config.specs,
    routes: config.routes,
    judges: config.judges,
    judgeTemplates: config.judge_templates,
    judgeCache: config.judge_cache,
    dataRoots: config.data_roots,
    maxSpecDepth: config.max_spec_depth,
    maxSpecLeaves: config.max_spec_leaves,
    maxSpecLeafBytes: config.max_spec_leaf_bytes,
    sandboxMemoryBytes: config.sandbox_memory_bytes,
    sandboxCgroupMemoryBytes: config.sandbox_cgroup_memory_bytes,
  };
}
