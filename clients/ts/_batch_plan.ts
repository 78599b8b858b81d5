/**
 * One `verifyBatch` call: the items (encoded once), how they are packed into requests under the
 * byte limit, and the results so far. Each request's exact size is known before it is sent.
 */
import { ArbiterProtocolError } from "./errors.ts";
import { batchBody, batchBodySize, encodeItem } from "./_encoding.ts";
import type { VerifyResult } from "./results.ts";

/** Used when `/healthz` does not advertise `max_body_bytes` (the server's default, 64 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Positions (in the caller's list) of the items that travel in one request. */
export interface Chunk {
  indices: number[];
}

/**
 * Packs items, in order, into chunks whose bodies fit in `maxBodyBytes` (and hold at most
 * `maxItems` items). Returns the chunks and the positions of items too large for any body; items
 * that could not be encoded (a string in `encoded`) are in neither list.
 */
export function planChunks(
  encoded: readonly (Uint8Array | string)[],
  maxBodyBytes: number,
  budgetMs?: number,
  maxItems?: number,
  fields?: readonly string[],
): { chunks: Chunk[]; tooLarge: number[] } {
  const overhead = batchBodySize([], budgetMs, fields);
  const chunks: Chunk[] = [];
  const tooLarge: number[] = [];
  let current: number[] = [];
  let size = overhead;
  encoded.forEach((data, index) => {
    if (typeof data === "string") return;
    if (overhead + data.length > maxBodyBytes) {
      tooLarge.push(index);
      return;
    }
    let extra = data.length + (current.length > 0 ? 1 : 0);
    const full = size + extra > maxBodyBytes || (maxItems !== undefined && current.length >= maxItems);
    if (current.length > 0 && full) {
      chunks.push({ indices: current });
      current = [];
      size = overhead;
      extra = data.length;
    }
    current.push(index);
    size += extra;
  });
  if (current.length > 0) chunks.push({ indices: current });
  return { chunks, tooLarge };
}

/** A result made by the client for an item it could not send, shaped like the server's. */
export function localErrorResult(item: unknown, message: string): VerifyResult {
  const fields = (item !== null && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const result: VerifyResult = {
    verifier: typeof fields.verifier === "string" ? fields.verifier : null,
    version: null,
    reward: null,
    correct: null,
    details: null,
    error: { code: "invalid_request", message },
    ms: 0,
  };
  return typeof fields.id === "string" ? { id: fields.id, ...result } : result;
}

/** The `results` of a batch answer, checked to hold one result per item sent. */
export function readResults(text: string, expected: number): VerifyResult[] {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch (error) {
    throw new ArbiterProtocolError(
      `POST /v1/verify/batch: the answer is not JSON (${(error as Error).message}): ${text.slice(0, 200)}`,
    );
  }
  const results = (answer as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== expected) {
    const got = Array.isArray(results) ? results.length : "no";
    throw new ArbiterProtocolError(`POST /v1/verify/batch: sent ${expected} items, got ${got} results`);
  }
  return results as VerifyResult[];
}

/** The batch of one `verifyBatch` call; the client sends `body(chunk)` and then `accept()`s or `split()`s. */
export class BatchPlan {
  readonly results: (VerifyResult | null)[];
  readonly chunks: Chunk[];
  private readonly encoded: (Uint8Array | string)[];
  private readonly deadline: number | null;

  constructor(
    readonly items: readonly unknown[],
    readonly maxBodyBytes: number,
    readonly budgetMs?: number,
    maxItems?: number,
    readonly fields?: readonly string[],
  ) {
    this.results = items.map(() => null);
    this.encoded = items.map(encodeItem);
    this.encoded.forEach((data, index) => {
      if (typeof data === "string") this.results[index] = localErrorResult(items[index], data);
    });
    const { chunks, tooLarge } = planChunks(this.encoded, maxBodyBytes, budgetMs, maxItems, fields);
    this.chunks = chunks;
    tooLarge.forEach((index) => this.rejectTooLarge(index));
    this.deadline = budgetMs === undefined ? null : performance.now() + budgetMs;
  }

  /** What is left of the batch's `budgetMs` (at least 1 ms), or undefined without a budget. */
  remainingBudgetMs(): number | undefined {
    return this.deadline === null ? undefined : Math.max(1, this.deadline - performance.now());
  }

  /** The request body of a chunk, carrying what is left of the budget. */
  body(chunk: Chunk): Uint8Array {
    const encoded = chunk.indices.map((i) => this.encoded[i] as Uint8Array);
    return batchBody(encoded, this.remainingBudgetMs(), this.fields);
  }

  /** The timeout of a chunk's attempts: `timeoutMs`, or the remaining budget plus 5 s when longer. */
  requestTimeoutMs(timeoutMs: number): number {
    const remaining = this.remainingBudgetMs();
    return remaining === undefined ? timeoutMs : Math.max(timeoutMs, remaining + 5000);
  }

  /** Stores a chunk's results, in order. */
  accept(chunk: Chunk, text: string): void {
    const results = readResults(text, chunk.indices.length);
    chunk.indices.forEach((index, i) => this.results[index] = results[i]);
  }

  /** Halves a chunk the server refused as too large; a lone item gets an `invalid_request` result. */
  split(chunk: Chunk): Chunk[] {
    if (chunk.indices.length === 1) {
      this.rejectTooLarge(chunk.indices[0]);
      return [];
    }
    const middle = Math.floor(chunk.indices.length / 2);
    return [{ indices: chunk.indices.slice(0, middle) }, { indices: chunk.indices.slice(middle) }];
  }

  /** Gives an item too large for any request its `invalid_request` result. */
  rejectTooLarge(index: number): void {
    const data = this.encoded[index];
    const size = typeof data === "string" ? 0 : batchBodySize([data.length], this.budgetMs, this.fields);
    this.results[index] = localErrorResult(
      this.items[index],
      `The item alone needs a ${size}-byte request body, over the server's max_body_bytes ` +
        `(${this.maxBodyBytes}); it was not sent`,
    );
  }

  /** The results in the order of the items. */
  finish(): VerifyResult[] {
    const missing = this.results.flatMap((r, i) => r === null ? [i] : []);
    if (missing.length > 0) throw new ArbiterProtocolError(`No result for items ${missing.slice(0, 10)}`);
    return this.results as VerifyResult[];
  }
}
