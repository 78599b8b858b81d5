/** The result shapes of DESIGN.md §2: verdicts, no-verdicts and caller errors, built in one place. */

import type { ErrorCode, VerifyResult } from "./_contract/mod.ts";
import type { Utf8Text } from "../wasm/mod.ts";

export { ERROR_CODES, type ErrorCode, type Reason, REASONS, type VerifyResult } from "./_contract/mod.ts";

/** Identity of the item a result belongs to. */
export interface ResultHead {
  id?: string;
  verifier: string | null;
  version: string | null;
}

/** A verdict: the kernel (or the engine, for exhaustion) decided a reward. */
export function verdict(
  head: ResultHead,
  reward: number,
  correct: boolean,
  details: Record<string, unknown>,
  ms: number,
): VerifyResult {
  const result: VerifyResult = head.id === undefined
    ? { verifier: head.verifier, version: head.version, reward, correct, details, error: null, ms }
    : {
      id: head.id,
      verifier: head.verifier,
      version: head.version,
      reward,
      correct,
      details,
      error: null,
      ms,
    };
  return result;
}

/** No verdict (or a caller error inside a batch): `reward` and `correct` are null and `error` says why. */
export function noVerdict(head: ResultHead, code: ErrorCode, message: string, ms = 0): VerifyResult {
  const result: VerifyResult = head.id === undefined
    ? {
      verifier: head.verifier,
      version: head.version,
      reward: null,
      correct: null,
      details: null,
      error: { code, message },
      ms,
    }
    : {
      id: head.id,
      verifier: head.verifier,
      version: head.version,
      reward: null,
      correct: null,
      details: null,
      error: { code, message },
      ms,
    };
  return result;
}

/** Exhaustion caused by the response is a verdict: reward 0, reason `too_complex`. */
export function tooComplex(
  head: ResultHead,
  limit: "deadline" | "memory",
  detail: string,
  ms: number,
): VerifyResult {
  return verdict(head, 0, false, { reason: "too_complex", limit, message: detail }, ms);
}

/** Rounds a duration for the `ms` field (microsecond resolution is plenty). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * A kernel's verdict whose `details` stay as the kernel's output bytes until someone reads them:
 * a batch of 100,000 results is answered over HTTP without parsing and re-serialising every
 * explanation (`resultJson` splices the text in), and a result nobody serializes never decodes its
 * text (measured: a string per result kept the job's decoded outputs alive with it, about 170 bytes
 * an item for the garbage collector to copy and mark, and cost 0.12 µs an item to decode).
 */
export class KernelVerdict implements VerifyResult {
  id?: string;
  verifier: string;
  version: string | null;
  reward: number;
  correct: boolean;
  error: null = null;
  ms: number;
  /** `details.reason`, read from the kernel's output without parsing the rest. */
  readonly reason: string | null;
  /** The details object's JSON text is bytes [detailsStart, detailsEnd) of `outputs`. */
  private readonly outputs: Utf8Text;
  private readonly detailsStart: number;
  private readonly detailsEnd: number;
  private parsed: Record<string, unknown> | undefined;

  constructor(
    id: string | undefined,
    verifier: string,
    version: string | null,
    reward: number,
    correct: boolean,
    reason: string | null,
    outputs: Utf8Text,
    detailsStart: number,
    detailsEnd: number,
    ms: number,
  ) {
    if (id !== undefined) this.id = id;
    this.verifier = verifier;
    this.version = version;
    this.reward = reward;
    this.correct = correct;
    this.reason = reason;
    this.outputs = outputs;
    this.detailsStart = detailsStart;
    this.detailsEnd = detailsEnd;
    this.ms = ms;
  }

  /** The details object's JSON text, as the kernel wrote it. */
  private get detailsJson(): string {
    return this.outputs.slice(this.detailsStart, this.detailsEnd);
  }

  get details(): Record<string, unknown> {
    return this.parsed ??= JSON.parse(this.detailsJson);
  }

  /** The result as JSON text, with the details spliced in as the kernel wrote them. */
  json(): string {
    const id = this.id === undefined ? "" : `"id":${JSON.stringify(this.id)},`;
    return `{${id}"verifier":${JSON.stringify(this.verifier)},"version":${JSON.stringify(this.version)},` +
      `"reward":${this.reward},"correct":${this.correct},"details":${this.detailsJson},"error":null,"ms":${this.ms}}`;
  }

  toJSON(): VerifyResult {
    const plain: VerifyResult = this.id === undefined ? {} as VerifyResult : { id: this.id } as VerifyResult;
    return Object.assign(plain, {
      verifier: this.verifier,
      version: this.version,
      reward: this.reward,
      correct: this.correct,
      details: this.details,
      error: null,
      ms: this.ms,
    });
  }
}

/** A result as JSON text (fast for kernel verdicts). */
export function resultJson(result: VerifyResult): string {
  return result instanceof KernelVerdict ? result.json() : JSON.stringify(result);
}

/** `details.reason` of a result, without parsing a kernel verdict's details. */
export function reasonOf(result: VerifyResult): string | null {
  if (result instanceof KernelVerdict) return result.reason;
  return (result.details?.reason as string | null | undefined) ?? null;
}
