/**
 * One JSON POST to a model server with a per-request timeout and an optional cancel signal, every
 * failure classified: what may be retried (429, 5xx, timeouts, network) and what may not. The body
 * read is capped (a server that streams without end is cut off), redirects are refused, and error
 * messages never quote the answer's body (it may come from an address a caller named). Never throws.
 */
import { Http1Error, type Http1Pool } from "./http1.ts";
import { requestSignal } from "./request_signal.ts";

/** The request headers without an API key (fetch copies them per request). */
const JSON_HEADERS: [string, string][] = [["content-type", "application/json"]];

/** Longest answer body read from a model server. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** A 2xx answer's text, or why there is none. */
export type PostOutcome =
  | { ok: true; text: string; latencyMs: number }
  | {
    ok: false;
    code:
      | "rate_limited"
      | "server_error"
      | "rejected_input"
      | "http_error"
      | "timeout"
      | "network"
      | "cancelled"
      | "too_large";
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    latencyMs: number;
  };

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), or undefined. */
export function retryAfterMsOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function cappedText(response: Response): Promise<string | null> {
  if (!response.body) return "";
  // A plain body of a declared length within the cap is read whole (much cheaper than reading it
  // chunk by chunk): the HTTP client never delivers more than Content-Length. A compressed body
  // is decoded by fetch, so its declared length says nothing about what is read: counted below.
  const declared = response.headers.get("content-length");
  if (declared !== null && !response.headers.has("content-encoding")) {
    const length = Number(declared);
    if (Number.isSafeInteger(length) && length >= 0 && length <= MAX_ANSWER_BYTES) {
      return await response.text();
    }
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(all);
}

/** Parsed URLs of the URLs seen (a judge posts thousands of requests to one URL). */
const parsedUrls = new Map<string, URL>();

function parsedUrl(url: string): URL {
  let parsed = parsedUrls.get(url);
  if (parsed === undefined) {
    parsed = new URL(url);
    if (parsedUrls.size < 1024) parsedUrls.set(url, parsed);
  }
  return parsed;
}

/** A status, the body's text (null: past the cap) and the Retry-After header. */
interface Answer {
  status: number;
  text: string | null;
  retryAfter: string | null;
}

/**
 * POSTs `body` as JSON to `url` (with a bearer key when given): through `client` when it takes
 * the URL (plain http; see http1.ts), else through `fetch`.
 */
export async function postJson(
  url: string,
  body: unknown,
  apiKey: string | null | undefined,
  timeoutMs: number,
  cancel?: AbortSignal,
  client?: Http1Pool,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const headers = apiKey ? [...JSON_HEADERS, ["authorization", `Bearer ${apiKey}`]] : JSON_HEADERS;
  const ending = requestSignal(timeoutMs, cancel);
  try {
    let answer: Answer;
    const target = client ? parsedUrl(url) : null;
    if (client && target && client.handles(target)) {
      const got = await client.post(
        target,
        JSON.stringify(body),
        headers as [string, string][],
        ending.signal,
        MAX_ANSWER_BYTES,
      );
      // No redirects: an allowed endpoint must not send the server to another address.
      if (got.status >= 300 && got.status < 400) {
        throw new Http1Error(`the endpoint redirected (HTTP ${got.status}); redirects are refused`);
      }
      answer = { status: got.status, text: got.text, retryAfter: got.headers.get("retry-after") ?? null };
    } else {
      // No redirects: an allowed endpoint must not send the server to another address.
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: ending.signal,
        redirect: "error",
      });
      const text = await cappedText(response);
      answer = { status: response.status, text, retryAfter: response.headers.get("retry-after") };
    }
    const { status, text } = answer;
    if (text === null) {
      return {
        ok: false,
        code: "too_large",
        message: `The answer was larger than ${MAX_ANSWER_BYTES} bytes`,
        retryable: false,
        latencyMs: elapsed(),
      };
    }
    if (status === 429 || status >= 500) {
      return {
        ok: false,
        code: status === 429 ? "rate_limited" : "server_error",
        message: `HTTP ${status} (${text.length} characters of body, not shown)`,
        retryable: true,
        retryAfterMs: retryAfterMsOf(answer.retryAfter),
        latencyMs: elapsed(),
      };
    }
    if (status < 200 || status > 299) {
      // 400, 413, 422: the server refused this input (e.g. longer than the model's context);
      // other statuses (401, 403, 404, …) are about the endpoint or its configuration.
      const rejected = status === 400 || status === 413 || status === 422;
      return {
        ok: false,
        code: rejected ? "rejected_input" : "http_error",
        message: `HTTP ${status} (${text.length} characters of body, not shown)`,
        retryable: false,
        latencyMs: elapsed(),
      };
    }
    return { ok: true, text, latencyMs: elapsed() };
  } catch (error) {
    const cancelled = cancel?.aborted === true;
    const timedOut = ending.timedOut();
    return {
      ok: false,
      code: cancelled ? "cancelled" : timedOut ? "timeout" : "network",
      message: cancelled
        ? "The request was cancelled (the caller's deadline passed)"
        : timedOut
        ? `No answer within ${timeoutMs} ms`
        : `Request failed: ${(error as Error).message}`,
      retryable: !cancelled,
      latencyMs: elapsed(),
    };
  } finally {
    ending.done();
  }
}
