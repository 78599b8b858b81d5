/**
 * A job's kernel outputs as the sandbox sent them back: one buffer of the items' JSON texts joined
 * by commas, item i at bytes [start(i), ends[i]). Read where they lie: the bytes for the head every
 * kernel writes (`readKernelHead`, no string per item), one decode of the whole for the texts when
 * first read.
 */

import { Utf8Text } from "./frames.ts";

/** The outputs of one job (see the module comment). */
export class ChunkOutputs extends Utf8Text {
  constructor(bytes: Uint8Array, readonly ends: Uint32Array) {
    super(bytes);
  }

  /** Where item i's text starts. */
  start(index: number): number {
    return index > 0 ? this.ends[index - 1] + 1 : 0;
  }

  /** Item i's JSON text. */
  text(index: number): string {
    return this.slice(this.start(index), this.ends[index]);
  }
}

/** An item the kernel scored: its output (item `index` of `outputs`) and its run time. */
export class OutputOutcome {
  readonly kind = "output";

  constructor(readonly outputs: ChunkOutputs, readonly index: number, readonly ms: number) {}

  /** The kernel's JSON output. */
  get text(): string {
    return this.outputs.text(this.index);
  }
}

/**
 * The head every kernel writes, `{"reward":R,"correct":B,"details":{"reason":null|"…",…}}`, read from
 * the bytes. The details object stays bytes: where its JSON text lies in the outputs.
 */
export interface KernelHead {
  reward: number;
  correct: boolean;
  reason: string | null;
  /** The details object's JSON text is bytes [detailsStart, detailsEnd) of the outputs. */
  detailsStart: number;
  detailsEnd: number;
}

const REWARD = bytesOf('{"reward":');
const CORRECT_TRUE = bytesOf('"correct":true,');
const CORRECT_FALSE = bytesOf('"correct":false,');
const DETAILS_REASON = bytesOf('"details":{"reason":');
const NULL = bytesOf("null");
const COMMA = 0x2c;
const QUOTE = 0x22;
const CLOSE = 0x7d;

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Whether `bytes` hold `literal` at `at` (before `end`). */
function hasAt(bytes: Uint8Array, at: number, end: number, literal: Uint8Array): boolean {
  if (at + literal.length > end) return false;
  for (let i = 0; i < literal.length; i++) if (bytes[at + i] !== literal[i]) return false;
  return true;
}

/**
 * The text of bytes [from, to) of `outputs` without decoding the whole when they are ASCII (as a
 * kernel writes numbers and reasons): a verdict's head then costs no decode of the job's outputs,
 * which are decoded only for a result that is serialized or whose details are read.
 */
function textAt(outputs: ChunkOutputs, from: number, to: number): string {
  const bytes = outputs.bytes;
  for (let i = from; i < to; i++) if (bytes[i] >= 0x80) return outputs.slice(from, to);
  return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
}

/** Reasons read so far, as bytes and text: an item's reason is then a string made once. */
const knownReasons: { bytes: Uint8Array; text: string }[] = [];
/** Reasons remembered at most (kernels write a handful, from DESIGN's registry). */
const MAX_KNOWN_REASONS = 32;

/** The reason written at bytes [from, to) of `outputs` (between its quotes). */
function reasonAt(outputs: ChunkOutputs, from: number, to: number): string {
  const bytes = outputs.bytes;
  for (let k = 0; k < knownReasons.length; k++) {
    const known = knownReasons[k];
    if (known.bytes.length === to - from && hasAt(bytes, from, to, known.bytes)) return known.text;
  }
  const text = textAt(outputs, from, to);
  if (knownReasons.length < MAX_KNOWN_REASONS) knownReasons.push({ bytes: bytes.slice(from, to), text });
  return text;
}

/**
 * Reads the head of an item's output (the order every kernel writes, see kernels/README.md), or
 * null when the output does not have it. Measured: 0.5 µs an item on its text with `startsWith`,
 * about a tenth on the bytes.
 */
export function readKernelHead(outcome: OutputOutcome): KernelHead | null {
  const { outputs, index } = outcome;
  const bytes = outputs.bytes;
  const start = outputs.start(index);
  const end = outputs.ends[index];
  // The details object closes, then the whole: `}}` (details spliced into answers are whole objects).
  if (!hasAt(bytes, start, end, REWARD) || bytes[end - 1] !== CLOSE || bytes[end - 2] !== CLOSE) return null;
  const rewardStart = start + REWARD.length;
  let comma = rewardStart;
  while (comma < end && bytes[comma] !== COMMA) comma++;
  if (comma === end) return null;
  const reward = comma === rewardStart + 1 && (bytes[rewardStart] === 0x30 || bytes[rewardStart] === 0x31)
    ? bytes[rewardStart] - 0x30
    : Number(textAt(outputs, rewardStart, comma));
  if (!(reward >= 0 && reward <= 1)) return null;
  let at = comma + 1;
  let correct: boolean;
  if (hasAt(bytes, at, end, CORRECT_TRUE)) {
    correct = true;
    at += CORRECT_TRUE.length;
  } else if (hasAt(bytes, at, end, CORRECT_FALSE)) {
    correct = false;
    at += CORRECT_FALSE.length;
  } else return null;
  if (!hasAt(bytes, at, end, DETAILS_REASON)) return null;
  const detailsStart = at + 10;
  const reasonStart = at + DETAILS_REASON.length;
  let reason: string | null;
  if (hasAt(bytes, reasonStart, end, NULL)) reason = null;
  else if (bytes[reasonStart] === QUOTE) {
    let close = reasonStart + 1;
    while (close < end && bytes[close] !== QUOTE) close++;
    if (close === end) return null;
    reason = reasonAt(outputs, reasonStart + 1, close);
  } else return null;
  return { reward, correct, reason, detailsStart, detailsEnd: end - 1 };
}
