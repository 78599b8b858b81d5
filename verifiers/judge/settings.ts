/**
 * The judges and rubric templates a server offers, read from the config's `judges:` and
 * `judge_templates:` maps and checked once at start-up. Requests only name a judge: the address,
 * model and key always come from here (a client can never make the server call a URL it chose).
 */

/** How a reward model's raw score becomes a reward in [0, 1]. */
export type ScoreTransform =
  | { kind: "sigmoid"; scale: number; shift: number }
  | { kind: "minmax"; min: number; max: number }
  | { kind: "identity" };

/** One configured judge endpoint. */
export interface JudgeSettings {
  name: string;
  /** `chat`: an OpenAI-compatible chat endpoint; `reward_model`: a scalar reward-model endpoint. */
  kind: "chat" | "reward_model";
  /** Base URL (`http://127.0.0.1:8000/v1`) or the full endpoint URL. */
  url: string;
  model: string;
  /** Name of the environment variable holding the API key (the key itself never sits in the config). */
  apiKeyEnv: string | null;
  /** The key read from `apiKeyEnv` at start-up. */
  apiKey: string | null;
  maxConcurrency: number;
  /** Requests per minute (Infinity: no limit). */
  requestsPerMinute: number;
  /** Prompt + completion tokens per minute (Infinity: no limit); estimated before, settled after. */
  tokensPerMinute: number;
  /** One attempt's deadline. */
  timeoutMs: number;
  /** Further attempts after a retryable failure (429, 5xx, timeout, network). */
  retries: number;
  /** Images are resized so that their longer side is at most this many pixels. */
  maxImageSide: number;
  /** Sampling parameters of chat judges (temperature 0 by default: a judge should be repeatable). */
  sampling: { temperature: number; max_tokens: number; top_p?: number; seed?: number };
  /** For `reward_model`: `vllm_pooling` (vLLM's `/pooling` API) or `score` (any one-score endpoint). */
  api: "vllm_pooling" | "score";
  /** For `reward_model`: raw score → reward. */
  transform: ScoreTransform;
  /** For `vllm_pooling`: which element of the pooled vector is the reward (default 0). */
  scoreIndex: number;
}

/** How a template's verdict line is read. */
export type TemplateParse =
  | { kind: "scale"; min: number; max: number }
  | { kind: "labels"; rewards: Record<string, number> }
  | { kind: "pairwise" };

/** A rubric: system and user text with `{{prompt}}`, `{{response}}`, `{{reference}}` slots. */
export interface JudgeTemplate {
  name: string;
  version: string;
  system: string;
  user: string;
  parse: TemplateParse;
}

/** A problem in the `judges:` or `judge_templates:` config (reported before the server starts). */
export class JudgeConfigError extends Error {
  override name = "JudgeConfigError";
}

const JUDGE_KEYS = new Set([
  "url",
  "model",
  "api_key_env",
  "kind",
  "max_concurrency",
  "requests_per_minute",
  "tokens_per_minute",
  "timeout_ms",
  "retries",
  "max_image_side",
  "sampling",
  "api",
  "transform",
  "score_index",
]);

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function positive(where: string, value: unknown, fallback: number, { allowZero = false } = {}): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new JudgeConfigError(`${where}: must be a positive number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function transformOf(where: string, raw: unknown): ScoreTransform {
  if (raw === undefined || raw === null || raw === "sigmoid") return { kind: "sigmoid", scale: 1, shift: 0 };
  if (raw === "identity") return { kind: "identity" };
  if (!isMapping(raw)) throw new JudgeConfigError(`${where}: must be sigmoid, identity or a mapping`);
  if (raw.kind === "sigmoid") {
    return { kind: "sigmoid", scale: Number(raw.scale ?? 1), shift: Number(raw.shift ?? 0) };
  }
  if (raw.kind === "identity") return { kind: "identity" };
  if (raw.kind === "minmax") {
    const min = Number(raw.min), max = Number(raw.max);
    if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
      throw new JudgeConfigError(`${where}: minmax needs finite min < max, got ${JSON.stringify(raw)}`);
    }
    return { kind: "minmax", min, max };
  }
  throw new JudgeConfigError(`${where}.kind: must be sigmoid, minmax or identity`);
}

/** Reads one `judges.<name>` entry; `env` supplies the API key named by `api_key_env`. */
export function judgeSettingsOf(
  name: string,
  raw: unknown,
  env: (name: string) => string | undefined,
): JudgeSettings {
  const where = `judges.${name}`;
  if (!isMapping(raw)) throw new JudgeConfigError(`${where}: must be a mapping`);
  for (const key of Object.keys(raw)) {
    if (!JUDGE_KEYS.has(key)) throw new JudgeConfigError(`${where}: unknown setting "${key}"`);
  }
  if (typeof raw.url !== "string" || !/^https?:\/\//.test(raw.url)) {
    throw new JudgeConfigError(`${where}.url: must be an http(s) URL, got ${JSON.stringify(raw.url)}`);
  }
  if (typeof raw.model !== "string" || raw.model === "") {
    throw new JudgeConfigError(`${where}.model: must be a model name`);
  }
  const kind = raw.kind ?? "chat";
  if (kind !== "chat" && kind !== "reward_model") {
    throw new JudgeConfigError(`${where}.kind: must be chat or reward_model, got ${JSON.stringify(kind)}`);
  }
  const api = raw.api ?? "vllm_pooling";
  if (api !== "vllm_pooling" && api !== "score") {
    throw new JudgeConfigError(`${where}.api: must be vllm_pooling or score`);
  }
  const apiKeyEnv = typeof raw.api_key_env === "string" ? raw.api_key_env : null;
  const sampling = isMapping(raw.sampling) ? raw.sampling : {};
  return {
    name,
    kind,
    url: raw.url,
    model: raw.model,
    apiKeyEnv,
    apiKey: apiKeyEnv ? env(apiKeyEnv) ?? null : null,
    maxConcurrency: Math.floor(positive(`${where}.max_concurrency`, raw.max_concurrency, 8)),
    requestsPerMinute: positive(`${where}.requests_per_minute`, raw.requests_per_minute, Infinity),
    tokensPerMinute: positive(`${where}.tokens_per_minute`, raw.tokens_per_minute, Infinity),
    timeoutMs: positive(`${where}.timeout_ms`, raw.timeout_ms, 30_000),
    retries: Math.floor(positive(`${where}.retries`, raw.retries, 2, { allowZero: true })),
    maxImageSide: Math.floor(positive(`${where}.max_image_side`, raw.max_image_side, 1024)),
    sampling: {
      temperature: Number(sampling.temperature ?? 0),
      max_tokens: Math.floor(positive(`${where}.sampling.max_tokens`, sampling.max_tokens, 512)),
      ...(sampling.top_p === undefined ? {} : { top_p: Number(sampling.top_p) }),
      ...(sampling.seed === undefined ? {} : { seed: Number(sampling.seed) }),
    },
    api,
    transform: transformOf(`${where}.transform`, raw.transform),
    scoreIndex: Math.floor(positive(`${where}.score_index`, raw.score_index, 0, { allowZero: true })),
  };
}

function parseOf(where: string, raw: unknown): TemplateParse {
  if (!isMapping(raw)) throw new JudgeConfigError(`${where}: must be a mapping with a kind`);
  if (raw.kind === "scale") {
    const min = Number(raw.min), max = Number(raw.max);
    if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
      throw new JudgeConfigError(`${where}: a scale needs finite min < max`);
    }
    return { kind: "scale", min, max };
  }
  if (raw.kind === "labels") {
    if (!isMapping(raw.rewards) || Object.keys(raw.rewards).length === 0) {
      throw new JudgeConfigError(`${where}.rewards: must map each label to a reward in [0, 1]`);
    }
    const rewards: Record<string, number> = {};
    for (const [label, reward] of Object.entries(raw.rewards)) {
      const r = Number(reward);
      if (!(r >= 0 && r <= 1)) throw new JudgeConfigError(`${where}.rewards.${label}: must be in [0, 1]`);
      rewards[label.toLowerCase()] = r;
    }
    return { kind: "labels", rewards };
  }
  if (raw.kind === "pairwise") return { kind: "pairwise" };
  throw new JudgeConfigError(`${where}.kind: must be scale, labels or pairwise`);
}

/** Reads one `judge_templates.<name>` entry (`version` defaults to "1"). */
export function templateOf(name: string, raw: unknown): JudgeTemplate {
  const where = `judge_templates.${name}`;
  if (!isMapping(raw)) throw new JudgeConfigError(`${where}: must be a mapping`);
  if (typeof raw.user !== "string" || !raw.user.includes("{{response}}")) {
    throw new JudgeConfigError(`${where}.user: must be text with a {{response}} slot`);
  }
  return {
    name,
    version: raw.version === undefined ? "1" : String(raw.version),
    system: typeof raw.system === "string" ? raw.system : "",
    user: raw.user,
    parse: parseOf(`${where}.parse`, raw.parse),
  };
}

/** Reads the whole `judges:` map. */
export function judgesOf(
  raw: Record<string, unknown>,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Map<string, JudgeSettings> {
  const judges = new Map<string, JudgeSettings>();
  for (const [name, entry] of Object.entries(raw)) judges.set(name, judgeSettingsOf(name, entry, env));
  return judges;
}
