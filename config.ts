/**
 * The server's configuration: defaults in code, then an optional YAML file (`--config`), then
 * environment variables, then command-line flags. `describeConfig` prints the effective result.
 */
import { parse as parseYaml } from "yaml";
import type { EngineOptions } from "./verifiers/mod.ts";

export interface Config {
  host: string;
  port: number;
  /** Sandbox processes (default: one per core). */
  workers: number;
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
}

export const defaultConfig: Config = {
  host: "127.0.0.1",
  port: 8787,
  workers: navigator.hardwareConcurrency || 2,
  max_body_bytes: 64 * 1024 * 1024,
  max_response_chars: 8 * 1024 * 1024,
  max_queue_items: 262_144,
  max_timeout_ms: 30_000,
  api_keys: [],
  runs_dir: "runs",
  data_roots: [],
  model_url_allow: ["loopback"],
  specs: {},
  routes: {},
};

const ENV: Record<string, keyof Config> = {
  ARBITER_HOST: "host",
  ARBITER_PORT: "port",
  ARBITER_WORKERS: "workers",
  ARBITER_MAX_BODY_BYTES: "max_body_bytes",
  ARBITER_MAX_RESPONSE_CHARS: "max_response_chars",
  ARBITER_MAX_QUEUE_ITEMS: "max_queue_items",
  ARBITER_MAX_TIMEOUT_MS: "max_timeout_ms",
  ARBITER_API_KEYS: "api_keys",
  ARBITER_RUNS_DIR: "runs_dir",
  ARBITER_DATA_ROOTS: "data_roots",
  ARBITER_MODEL_URL_ALLOW: "model_url_allow",
};

/** A configuration problem, reported to the user before the server starts. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function coerce(key: keyof Config, value: unknown, source: string): Config[keyof Config] {
  const expected = defaultConfig[key];
  if (key === "specs" || key === "routes") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ConfigError(`${source}: ${key} must be a mapping of names to specs`);
    }
    return value as Record<string, unknown>;
  }
  if (Array.isArray(expected)) {
    if (Array.isArray(value)) return value.map(String);
    return String(value).split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  }
  if (typeof expected === "number") {
    const n = Number(value);
    if (!Number.isInteger(n) || n < (key === "port" ? 0 : 1)) {
      throw new ConfigError(`${source}: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
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
  });
}

/**
 * The engine's options from the effective configuration: the one mapping that `serve`, `verify` and
 * `bench` share. `unboundedQueue` lifts the admission limit for one-shot commands (the CLI, a bench run).
 */
export function engineOptions(config: Config, { unboundedQueue = false } = {}): Partial<EngineOptions> {
  return {
    workers: config.workers,
    maxQueueItems: unboundedQueue ? Number.MAX_SAFE_INTEGER : config.max_queue_items,
    maxTimeoutMs: config.max_timeout_ms,
    maxResponseChars: config.max_response_chars,
    specs: config.specs,
    routes: config.routes,
  };
}
