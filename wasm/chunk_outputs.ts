/**
 * A job's kernel outputs as the sandbox sent them back: one buffer of the items' JSON texts joined
 * by commas, item i at bytes [start(i), ends[i]). Read where they lie: the bytes for the head every
 * kernel writes (`readKernelHead`: its reward and reason from their own bytes), one decode of the
 * whole for the texts when first read (a result serialized, its details read).
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
  const text = outputs.sliceShort(from, to);
  if (knownReasons.length < MAX_KNOWN_REASONS) knownReasons.push({ bytes: bytes.slice(from, to), text });
  return text;
}

/** Powers of ten that doubles hold exactly (10^0 … 10^22). */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number written at bytes [from, to) when it is digits with at most one point ("0.75", "1"),
 * read without a string: its digits as an integer below 2^53 over an exact power of ten, one
 * correctly rounded division, which is the double nearest the decimal, as `Number` reads it (for
 * decimals of at most 15 to 16 digits). -1 for any other text (a sign, an exponent, more digits).
 */
function plainDecimalAt(bytes: Uint8Array, from: number, to: number): number {
  let digits = 0;
  let scale = -1;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b === 0x2e && scale < 0) {
      scale = 0;
      continue;
    }
    const d = b - 0x30;
    if (d < 0 || d > 9) return -1;
    digits = digits * 10 + d;
    if (digits > Number.MAX_SAFE_INTEGER) return -1;
    if (scale >= 0) scale++;
  }
  if (from === to || scale === 0 || scale > 22) return -1;
  return scale > 0 ? digits / EXACT_POWERS_OF_TEN[scale] : digits;
}

/** The reward written at bytes [from, to) of `outputs`, as `Number` reads its text. */
function rewardAt(outputs: ChunkOutputs, from: number, to: number): number {
  const plain = plainDecimalAt(outputs.bytes, from, to);
  return plain >= 0 ? plain : Number(outputs.sliceShort(from, to));
}

/**
 * Reads the head of an item's output (the order every kernel writes, see kernels/README.md) into
 * `head`, or returns false when the output does not have it (then `head` is left half written).
 * One `head` serves every item (an object per item was garbage). Measured: 0.5 µs an item on its
 * text with `startsWith`, about a tenth on the bytes.
 */
export function readKernelHead(outcome: OutputOutcome, head: KernelHead): boolean {
  const { outputs, index } = outcome;
  const bytes = outputs.bytes;
  const start = outputs.start(index);
  const end = outputs.ends[index];
  // The details object closes, then the whole: `}}` (details spliced into answers are whole objects).
  if (!hasAt(bytes, start, end, REWARD) || bytes[end - 1] !== CLOSE || bytes[end - 2] !== CLOSE) return false;
  const rewardStart = start + REWARD.length;
  let comma = rewardStart;
  while (comma < end && bytes[comma] !== COMMA) comma++;
  if (comma === end) return false;
  const reward = rewardAt(outputs, rewardStart, comma);
  if (!(reward >= 0 && reward <= 1)) return false;
  let at = comma + 1;
  let correct: boolean;
  if (hasAt(bytes, at, end, CORRECT_TRUE)) {
    correct = true;
    at += CORRECT_TRUE.length;
  } else if (hasAt(bytes, at, end, CORRECT_FALSE)) {
    correct = false;
    at += CORRECT_FALSE.length;
  } else return false;
  if (!hasAt(bytes, at, end, DETAILS_REASON)) return false;
  const detailsStart = at + 10;
  const reasonStart = at + DETAILS_REASON.length;
  let reason: string | null;
  if (hasAt(bytes, reasonStart, end, NULL)) reason = null;
  else if (bytes[reasonStart] === QUOTE) {
    let close = reasonStart + 1;
    while (close < end && bytes[close] !== QUOTE) close++;
    if (close === end) return false;
    reason = reasonAt(outputs, reasonStart + 1, close);
  } else return false;
  head.reward = reward;
  head.correct = correct;
  head.reason = reason;
  head.detailsStart = detailsStart;
  head.detailsEnd = end - 1;
  return true;
}
