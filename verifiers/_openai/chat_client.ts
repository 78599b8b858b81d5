/**
 * One request to an OpenAI-compatible `/chat/completions` endpoint (vLLM, SGLang, LM Studio,
 * Ollama, hosted APIs), with a per-request timeout, images as data URLs, and every failure mode
 * classified: what may be retried (429, 5xx, timeouts, network) and what is recorded as an error.
 */
import { postJson } from "./http.ts";
import type { Http1Pool } from "./http1.ts";
import { splitReasoning } from "./think.ts";

/** Where and how to ask the model under test. */
export interface ChatEndpoint {
  /** Base URL (`http://127.0.0.1:8000/v1`) or the full `/chat/completions` URL. */
  url: string;
  model: string;
  apiKey?: string;
}

/** Sampling parameters sent with every request. */
export interface SamplingParams {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  /** Ask for the chosen tokens' log-probabilities (OpenAI's `logprobs`). */
  logprobs?: boolean;
  /** With `logprobs`: how many alternatives per position (OpenAI's `top_logprobs`, at most 20). */
  top_logprobs?: number;
}

/** One generated token with its log-probability and the most likely alternatives at its position. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

/** One prompt: text and images (data URLs). */
export interface ChatPrompt {
  system?: string;
  user: string;
  images: string[];
}

/** A completion, or why there is none (`retryable` failures are worth another attempt). */
export type ChatOutcome =
  | {
    ok: true;
    answer: string;
    reasoning: string | null;
    finishReason: string | null;
    usage: Record<string, unknown> | null;
    /** Per generated token (the last `MAX_LOGPROB_TOKENS`), when `logprobs` was asked and sent. */
    logprobs?: TokenLogprob[] | null;
    latencyMs: number;
  }
  | {
    ok: false;
    code: string;
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    latencyMs: number;
    answer?: string;
    reasoning?: string | null;
    finishReason?: string | null;
    usage?: Record<string, unknown> | null;
  };

/** Completions URLs of the base URLs seen (a judge sends thousands of requests to one URL). */
const completionsUrls = new Map<string, string>();

/** The chat completions URL for a base URL. */
export function completionsUrl(url: string): string {
  let full = completionsUrls.get(url);
  if (full === undefined) {
    const trimmed = url.replace(/\/+$/, "");
    full = trimmed.endsWith("/chat/completions") ? trimmed : `${trimmed}/chat/completions`;
    if (completionsUrls.size < 1024) completionsUrls.set(url, full);
  }
  return full;
}

/** The request body for one prompt. */
export function chatBody(endpoint: ChatEndpoint, params: SamplingParams, prompt: ChatPrompt): unknown {
  const content = prompt.images.length === 0 ? prompt.user : [
    ...prompt.images.map((url) => ({ type: "image_url", image_url: { url } })),
    { type: "text", text: prompt.user },
  ];
  const messages = [
    ...(prompt.system ? [{ role: "system", content: prompt.system }] : []),
    { role: "user", content },
  ];
  return { model: endpoint.model, messages, ...params, stream: false };
}

function textOf(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && "text" in p ? String(p.text) : "")).join("");
  }
  return null;
}

/** Tokens of `logprobs.content` kept, the last ones (a judge ends with its verdict line). */
export const MAX_LOGPROB_TOKENS = 64;

/** Reads `choices[0].logprobs.content` (bounded; malformed entries are skipped), or null. */
export function logprobsOf(choice: Record<string, unknown> | undefined): TokenLogprob[] | null {
  const content = (choice?.logprobs as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content)) return null;
  const out: TokenLogprob[] = [];
  for (const entry of content.slice(-MAX_LOGPROB_TOKENS)) {
    if (!entry || typeof entry !== "object") continue;
    const { token, logprob, top_logprobs } = entry as Record<string, unknown>;
    if (typeof token !== "string" || typeof logprob !== "number") continue;
    const top = Array.isArray(top_logprobs)
      ? top_logprobs.slice(0, 20).flatMap((alt) =>
        alt && typeof alt === "object" && typeof alt.token === "string" && typeof alt.logprob === "number"
          ? [{ token: alt.token as string, logprob: alt.logprob as number }]
          : []
      )
      : [];
    out.push({ token, logprob, top });
  }
  return out;
}

/** Reads a completion body into an outcome (empty, garbage and truncated answers are errors). */
export function outcomeOfBody(text: string, latencyMs: number): ChatOutcome {
  const fail = (code: string, message: string) => ({
    ok: false as const,
    code,
    message,
    retryable: false,
    latencyMs,
  });
  if (text.trim() === "") return fail("empty_body", "The endpoint answered 200 with an empty body");
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(
      "bad_body",
      `The endpoint answered with non-JSON text (${text.length} characters, not shown)`,
    );
  }
  const choice = Array.isArray(body?.choices) ? body.choices[0] as Record<string, unknown> : undefined;
  const message = choice?.message as Record<string, unknown> | undefined;
  if (!message) return fail("bad_body", "The body has no choices[0].message");
  const content = textOf(message.content) ?? "";
  const field = textOf(message.reasoning_content) ?? textOf(message.reasoning);
  const { answer, reasoning } = splitReasoning(content, field);
  const finishReason = typeof choice!.finish_reason === "string" ? choice!.finish_reason : null;
  const usage = body.usage && typeof body.usage === "object" ? body.usage as Record<string, unknown> : null;
  const partial = { answer, reasoning, finishReason, usage };
  if (finishReason === "length") {
    return { ...fail("length", "The answer was cut at max_tokens (finish_reason: length)"), ...partial };
  }
  if (answer === "") {
    return {
      ...fail("empty_response", "The completion has no final answer (empty, or only reasoning)"),
      ...partial,
    };
  }
  return { ok: true, ...partial, logprobs: logprobsOf(choice), latencyMs };
}

/** Sends one prompt (through `client` for plain http when given, else fetch); never throws. */
export async function requestCompletion(
  endpoint: ChatEndpoint,
  params: SamplingParams,
  prompt: ChatPrompt,
  timeoutMs: number,
  cancel?: AbortSignal,
  client?: Http1Pool,
): Promise<ChatOutcome> {
  const posted = await postJson(
    completionsUrl(endpoint.url),
    chatBody(endpoint, params, prompt),
    endpoint.apiKey,
    timeoutMs,
    cancel,
    client,
  );
  return posted.ok ? outcomeOfBody(posted.text, posted.latencyMs) : posted;
}
