/** One HTTP exchange with a per-attempt timeout, and reading `Retry-After`. */

/** A complete HTTP answer: status, headers and the body as text. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
  url: string;
}

/** What one attempt sends. */
export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  body?: Uint8Array | string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** The caller's own signal: aborting it stops the attempt and the retries. */
  signal?: AbortSignal;
}

/** The signal of one attempt: its timeout, combined with the caller's signal when there is one. */
export function attemptSignal(timeoutMs: number, caller?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return caller ? AbortSignal.any([timeout, caller]) : timeout;
}

/**
 * Sends one request to `baseUrl` and reads the whole answer. The timeout covers the connect, the
 * wait for the answer and reading its body. Throws on network errors, timeouts and aborts.
 */
export async function exchange(
  fetchFn: typeof fetch,
  baseUrl: string,
  request: HttpRequest,
): Promise<HttpAnswer> {
  const url = baseUrl + request.path;
  const response = await fetchFn(url, {
    method: request.method,
    headers: request.headers,
    body: request.body as BodyInit | undefined,
    signal: attemptSignal(request.timeoutMs, request.signal),
  });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, url };
}

/** Milliseconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, when - nowMs);
}

/** A short description of a failed attempt (network error, timeout). */
export function describeFailure(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return "timed out";
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
