/**
 * Scalar reward models. `vllm_pooling`: vLLM's Pooling API (`POST /pooling` with `{model, messages}`;
 * the answer's `data[0].data` is the pooled output: a number, a vector, or one vector per token for
 * models served with ALL pooling, whose last row is the sequence's score). `score`: any endpoint that
 * takes `{model, prompt, response, reference, images}` and answers one number (`7.1`, `{"score": …}`,
 * `{"reward": …}`, `{"scores": [...]}`, `{"rewards": [...]}` or `{"data": [{"score": …}]}`).
 * The raw score becomes a reward by the judge's transform.
 */
import { type Http1Pool, postJson } from "../_openai/mod.ts";
import type { JudgeSettings, ScoreTransform } from "./settings.ts";

/** What a reward model is asked about. */
export interface RewardInput {
  prompt: string;
  response: string;
  reference: string;
  images: string[];
}

/** The raw score, or why there is none. */
export type RewardOutcome =
  | { ok: true; raw: number; tokens: number | null; latencyMs: number }
  | {
    ok: false;
    code: string;
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    latencyMs: number;
  };

/** The URL of vLLM's pooling endpoint for a configured base URL. */
export function poolingUrl(url: string): string {
  let base = url;
  while (base.endsWith("/")) base = base.slice(0, -1);
  if (base.endsWith("/pooling")) return base;
  if (base.endsWith("/v1")) base = base.slice(0, -3);
  return `${base}/pooling`;
}

/** The request body for `input`. */
export function rewardBody(judge: JudgeSettings, input: RewardInput): unknown {
  if (judge.api === "score") {
    return {
      model: judge.model,
      prompt: input.prompt,
      response: input.response,
      reference: input.reference,
      images: input.images,
    };
  }
  const user = input.images.length === 0 ? input.prompt : [
    ...input.images.map((url) => ({ type: "image_url", image_url: { url } })),
    { type: "text", text: input.prompt },
  ];
  return {
    model: judge.model,
    messages: [{ role: "user", content: user }, { role: "assistant", content: input.response }],
  };
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The raw score in a vLLM pooling answer: `data[0].data` as a number, a vector, or per-token rows. */
export function poolingScore(body: unknown, index: number): number | null {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) return null;
  let pooled = (data[0] as { data?: unknown } | null)?.data;
  if (Array.isArray(pooled) && pooled.length > 0 && Array.isArray(pooled[pooled.length - 1])) {
    pooled = pooled[pooled.length - 1]; // one row per token: the last token's row scores the sequence
  }
  if (Array.isArray(pooled)) return finite(pooled[index]);
  return finite(pooled);
}

/** The raw score in a generic one-score answer. */
export function genericScore(body: unknown): number | null {
  if (finite(body) !== null) return body as number;
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  for (const key of ["score", "reward"]) if (finite(record[key]) !== null) return record[key] as number;
  for (const key of ["scores", "rewards"]) {
    const list = record[key];
    if (Array.isArray(list) && list.length > 0) return finite(list[0]);
  }
  const data = record.data;
  if (Array.isArray(data) && data.length > 0) return finite((data[0] as { score?: unknown } | null)?.score);
  return null;
}

/** Maps a raw score into [0, 1]. */
export function transformScore(raw: number, transform: ScoreTransform): number {
  let value: number;
  if (transform.kind === "sigmoid") value = 1 / (1 + Math.exp(-transform.scale * (raw - transform.shift)));
  else if (transform.kind === "minmax") value = (raw - transform.min) / (transform.max - transform.min);
  else value = raw;
  return Math.min(1, Math.max(0, value));
}

/** Asks the reward model (through `client` for plain http when given, else fetch); never throws. */
export async function requestReward(
  judge: JudgeSettings,
  input: RewardInput,
  timeoutMs: number,
  cancel?: AbortSignal,
  client?: Http1Pool,
): Promise<RewardOutcome> {
  const url = judge.api === "vllm_pooling" ? poolingUrl(judge.url) : judge.url;
  const posted = await postJson(url, rewardBody(judge, input), judge.apiKey, timeoutMs, cancel, client);
  if (!posted.ok) return posted;
  let body: unknown;
  try {
    body = JSON.parse(posted.text);
  } catch {
    return {
      ok: false,
      code: "bad_body",
      message: `The reward model answered with non-JSON text (${posted.text.length} characters, not shown)`,
      retryable: false,
      latencyMs: posted.latencyMs,
    };
  }
  const raw = judge.api === "vllm_pooling" ? poolingScore(body, judge.scoreIndex) : genericScore(body);
  if (raw === null) {
    return {
      ok: false,
      code: "bad_body",
      message: "The reward model's answer has no score where the configured api puts it",
      retryable: false,
      latencyMs: posted.latencyMs,
    };
  }
  const usage = (body as { usage?: { total_tokens?: unknown } }).usage;
  return { ok: true, raw, tokens: finite(usage?.total_tokens), latencyMs: posted.latencyMs };
}
