/**
 * Messages between the engine and its preparation threads (`prep_worker.ts`): a slice of a batch's
 * raw items goes out, and comes back validated, with every plain kernel item already marshalled
 * into one buffer per verifier, ready for the sandbox pool.
 */
import type { VerifyResult } from "./result.ts";

/** Sent once: what a preparation thread needs to prepare items exactly as the engine would. */
export interface PrepInit {
  type: "init";
  /** Verifiers the thread prepares itself (plain kernel verifiers of the shipped table). */
  verifiers: string[];
  maxResponseChars: number;
  maxTimeoutMs: number;
  lazyValidators: boolean;
}

/**
 * Items' JSON texts as UTF-8 bytes, item i at `bytes[starts[i]..ends[i])`: a slice of a body's items
 * crosses to a thread as one copy of its bytes, decoded there (not item by item on the main thread).
 */
export interface PackedTexts {
  bytes: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** A slice of raw items: JSON texts (a body or a file, split by item), plain objects, or packed texts. */
export interface PrepJob {
  type: "job";
  jobId: number;
  items: unknown[] | PackedTexts;
}

/** Item kinds in `PrepDone.kinds`. */
export const PREP_KIND = {
  /** Marshalled into one of `groups`. */
  kernel: 0,
  /** A caller error, in `results`. */
  result: 1,
  /** Not for this thread (a spec, a route, a staged or remote verifier, malformed JSON): the engine prepares it. */
  engine: 2,
} as const;

/** One verifier's items of a slice, marshalled as `encodeChunk` does (item i: `bytes[ends[i-1]..ends[i])`). */
export interface PrepGroup {
  verifier: string;
  version: string;
  /** Each item's index in the slice. */
  positions: Uint32Array;
  /** Each item's `id`, when it has one. */
  ids: (string | undefined)[];
  bytes: Uint8Array;
  ends: Uint32Array;
  timeoutsMs: Float64Array;
}

/** A prepared slice. */
export interface PrepDone {
  type: "done";
  jobId: number;
  kinds: Uint8Array;
  groups: PrepGroup[];
  /** Caller errors: [index in the slice, result]. */
  results: [number, VerifyResult][];
}

/** The thread could not start. */
export interface PrepFailed {
  type: "failed";
  message: string;
}

/** Every message a preparation thread sends. */
export type FromPrep = PrepDone | PrepFailed | { type: "ready" };
