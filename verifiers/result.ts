/** The result shapes of DESIGN.md §2: verdicts, no-verdicts and caller errors, built in one place. */

export type ErrorCode = "invalid_request" | "internal" | "sandbox_unavailable" | "overloaded";

/** One item's result, exactly as the API returns it. */
export interface VerifyResult {
  id?: string;
  verifier: string | null;
  version: string | null;
  reward: number | null;
  correct: boolean | null;
  details: Record<string, unknown> | null;
  error: { code: ErrorCode; message: string } | null;
  ms: number;
}

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
