/**
 * `ArbiterClient`: the Arbiter API over `fetch` (Deno, Node ≥ 20, browsers), with retries and
 * failover across URLs and batches split by bytes under the server's body limit.
 *
 * ```ts
 * const client = new ArbiterClient({ urls: "http://127.0.0.1:8787" });
 * const [result] = await client.verifyBatch([{ verifier: "math", response: "so \\boxed{4}", reference: "4" }]);
 * result.reward; // 1
 * ```
 */
import { BatchPlan, type Chunk, DEFAULT_MAX_BODY_BYTES } from "./_batch_plan.ts";
import { readEnv } from "./_env.ts";
import {
  describeFailure,
  exchange,
  type HttpAnswer,
  type HttpRequest,
  parseRetryAfter,
} from "./_exchange.ts";
import { type RetryPolicy, RetrySession } from "./_retry.ts";
import { UrlRing } from "./_url_ring.ts";
import { ArbiterPayloadTooLarge, ArbiterProtocolError, httpErrorOf } from "./errors.ts";
import { consoleLogger, type Logger } from "./log.ts";
import type { Health, VerifierCatalogue, VerifyResult } from "./results.ts";
import type { ArbiterItem } from "./types.ts";

/** Statuses worth another attempt: the queue is full, or the server (or a proxy) failed. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Settings of a client; only `urls` is required. */
export interface ArbiterClientOptions {
  /** One base URL or several equivalent servers (round-robin, failover). */
  urls: string | string[];
  /** Sent as `Authorization: Bearer …`; default: `ARBITER_API_KEY` when it can be read; null: none. */
  apiKey?: string | null;
  /** Bounds each attempt: connect, wait and read (default 30,000). */
  timeoutMs?: number;
  /** Attempts after the first, over all URLs, before `ArbiterUnavailableError` (default 5). */
  maxRetries?: number;
  /** Caps the items per batch request, besides the byte limit. */
  maxBatchItems?: number;
  /** Batch requests in flight at once for one `verifyBatch` call (default 4). */
  maxConcurrency?: number;
  /** First backoff ceiling (default 250); it doubles per round up to `backoffMaxMs` (default 30,000). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A URL that failed is tried last for this long (default 5,000). */
  failoverCooldownMs?: number;
  /** Another `fetch` (a proxy-aware one, a test double); default: the global one. */
  fetch?: typeof fetch;
  /** Where retries are reported; default: warnings to the console. */
  log?: Logger;
  /** Jitter source, uniform in [0, 1); default `Math.random`. */
  random?: () => number;
}

/** Options of one `verifyBatch` call. */
export interface BatchCallOptions {
  /** The budget of the whole call: each request carries what is left of it. */
  budgetMs?: number;
  /**
   * Result fields to return (e.g. `["reward", "correct", "reason"]`: compact results without
   * `details`); `id`, `index`, `reward` and `error` always come back. All fields when absent.
   */
  fields?: readonly string[];
  /** Aborting it stops the call (between and during attempts). */
  signal?: AbortSignal;
}

/** A client for one Arbiter deployment (one or several equivalent servers). */
export class ArbiterClient {
  readonly urls: string[];
  readonly apiKey: string | null;
  readonly timeoutMs: number;
  readonly maxBatchItems?: number;
  readonly maxConcurrency: number;
  private readonly ring: UrlRing;
  private readonly policy: RetryPolicy;
  private readonly fetchFn: typeof fetch;
  private readonly log: Logger;
  private bodyLimit: Promise<number> | null = null;

  constructor(options: ArbiterClientOptions | string | string[]) {
    const settings = typeof options === "string" || Array.isArray(options) ? { urls: options } : options;
    this.ring = new UrlRing(
      typeof settings.urls === "string" ? [settings.urls] : [...settings.urls],
      settings.failoverCooldownMs ?? 5000,
    );
    this.urls = [...this.ring.urls];
    this.apiKey = settings.apiKey === undefined ? readEnv("ARBITER_API_KEY") || null : settings.apiKey;
    this.timeoutMs = settings.timeoutMs ?? 30_000;
    this.maxBatchItems = settings.maxBatchItems;
    this.maxConcurrency = Math.max(1, settings.maxConcurrency ?? 4);
    this.policy = {
      maxRetries: settings.maxRetries ?? 5,
      backoffBaseMs: settings.backoffBaseMs ?? 250,
      backoffMaxMs: settings.backoffMaxMs ?? 30_000,
      retryAfterMaxMs: 120_000,
      random: settings.random ?? Math.random,
    };
    this.fetchFn = settings.fetch ?? ((input, init) => fetch(input, init));
    this.log = settings.log ?? consoleLogger;
  }

  /** The headers of every request: JSON, and the API key when there is one. */
  headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (hasBody) headers["content-type"] = "application/json";
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    return headers;
  }

  /**
   * Sends one request with retries and failover; resolves with the first 2xx answer. Rejects with
   * `ArbiterHTTPError` (or a subclass) on a status that retrying cannot fix, and with
   * `ArbiterUnavailableError` when the retries ran out.
   */
  async request(
    method: "GET" | "POST",
    path: string,
    body?: Uint8Array | string,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<HttpAnswer> {
    const session = new RetrySession(this.ring, this.policy);
    const request: HttpRequest = {
      method,
      path,
      body,
      headers: this.headers(body !== undefined),
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      signal: options.signal,
    };
    while (true) {
      options.signal?.throwIfAborted();
      const step = session.nextStep();
      if ("sleepMs" in step) {
        this.log(
          "warn",
          `Arbiter: every server failed (${session.lastFailure}); retrying in ${
            (step.sleepMs / 1000).toFixed(2)
          } s`,
        );
        await sleep(step.sleepMs, options.signal);
        continue;
      }
      let answer: HttpAnswer;
      try {
        answer = await exchange(this.fetchFn, step.url, request);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        this.log("info", `Arbiter: ${method} ${step.url}${path} failed: ${describeFailure(error)}`);
        session.failed(step.url, describeFailure(error));
        continue;
      }
      if (RETRY_STATUSES.has(answer.status)) {
        this.log("info", `Arbiter: ${method} ${step.url}${path} answered ${answer.status}`);
        const error = httpErrorOf(answer.status, answer.body, answer.url);
        session.failed(
          step.url,
          `HTTP ${answer.status} ${error.code}: ${error.serverMessage}`,
          parseRetryAfter(answer.headers.get("retry-after")),
        );
        continue;
      }
      session.succeeded(step.url);
      if (answer.status >= 300) throw httpErrorOf(answer.status, answer.body, answer.url);
      return answer;
    }
  }

  /** `request()` with a JSON body (when `payload` is given) and a JSON answer. */
  async requestJson<T>(method: "GET" | "POST", path: string, payload?: unknown): Promise<T> {
    const answer = await this.request(
      method,
      path,
      payload === undefined ? undefined : JSON.stringify(payload),
    );
    try {
      return JSON.parse(answer.body) as T;
    } catch (error) {
      throw new ArbiterProtocolError(
        `${method} ${path}: the answer is not JSON (${(error as Error).message}): ${
          answer.body.slice(0, 200)
        }`,
      );
    }
  }

  /** `GET /healthz`: `{status, version, max_body_bytes, verifiers}`. */
  health(): Promise<Health> {
    return this.requestJson<Health>("GET", "/healthz");
  }

  /** `GET /v1/verifiers`: every verifier's description, version, schemas and examples. */
  verifiers(): Promise<VerifierCatalogue> {
    return this.requestJson<VerifierCatalogue>("GET", "/v1/verifiers");
  }

  /** `POST /v1/verify`: one item, one result (a caller error rejects with `ArbiterHTTPError` 400). */
  verify(item: ArbiterItem): Promise<VerifyResult> {
    return this.requestJson<VerifyResult>("POST", "/v1/verify", item);
  }

  /** The server's body limit, read once from `/healthz` and then remembered. */
  maxBodyBytes(): Promise<number> {
    this.bodyLimit ??= this.health().then(
      (health) => {
        const advertised = health.max_body_bytes;
        return Number.isInteger(advertised) && advertised > 0 ? advertised : DEFAULT_MAX_BODY_BYTES;
      },
      (error) => {
        this.bodyLimit = null; // ask again next time
        throw error;
      },
    );
    return this.bodyLimit;
  }

  /**
   * `POST /v1/verify/batch`, split into requests under the server's `max_body_bytes`; one result
   * per item, in item order. An item that cannot be encoded as JSON, or is too large for any
   * request, gets an `invalid_request` result made by the client (it is not sent). Up to
   * `maxConcurrency` requests are in flight; a request the server still refuses with 413 is halved.
   */
  async verifyBatch(items: readonly ArbiterItem[], options: BatchCallOptions = {}): Promise<VerifyResult[]> {
    const limit = await this.maxBodyBytes();
    const plan = new BatchPlan(items, limit, options.budgetMs, this.maxBatchItems, options.fields);
    const queue: Chunk[] = [...plan.chunks];
    const sender = async () => {
      try {
        for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
          queue.unshift(...await this.sendChunk(plan, chunk, options.signal));
        }
      } catch (error) {
        queue.length = 0; // the call fails as a whole: the other senders stop after their request
        throw error;
      }
    };
    const senders = Math.min(this.maxConcurrency, queue.length);
    await Promise.all(Array.from({ length: senders }, sender));
    return plan.finish();
  }

  /** Sends one chunk; returns the halves to send instead when the server answered 413. */
  private async sendChunk(plan: BatchPlan, chunk: Chunk, signal?: AbortSignal): Promise<Chunk[]> {
    let answer: HttpAnswer;
    try {
      answer = await this.request("POST", "/v1/verify/batch", plan.body(chunk), {
        timeoutMs: plan.requestTimeoutMs(this.timeoutMs),
        signal,
      });
    } catch (error) {
      if (!(error instanceof ArbiterPayloadTooLarge)) throw error;
      this.log(
        "warn",
        `Arbiter: a ${chunk.indices.length}-item request was over the server's body limit; splitting it`,
      );
      return plan.split(chunk);
    }
    plan.accept(chunk, answer.body);
    return [];
  }
}

/** Waits `ms`, or rejects when `signal` aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
