/**
 * The zygote's answer frame (see chart_code/renderer.py): a fixed binary header, then an error message, the
 * trace and the pixels. Everything in it came out of the sandbox: sizes are checked against caps and
 * against the job's size before anything is read, and the trace stays opaque bytes (the kernel parses it).
 */
import type { ByteReader } from "./byte_reader.ts";

export const FRAME_HEADER_BYTES = 32;
export const MAX_MESSAGE_BYTES = 2048;
export const MAX_TRACE_BYTES = 1 << 20;

/** How the zygote saw the job end. */
export enum Outcome {
  Ok = 0,
  Timeout = 1,
  Crashed = 2,
  BadOutput = 3,
}

/** What the child reported (only meaningful when the outcome is Ok). */
export enum ChildKind {
  Ok = 0,
  Error = 1,
  Memory = 2,
  TooLarge = 3,
  NoFigure = 4,
  Syntax = 5,
  Blocked = 6,
}

/** One job's answer. `pixels` is width*height*4 RGBA bytes when the render succeeded. */
export interface SandboxFrame {
  id: number;
  outcome: Outcome;
  kind: ChildKind;
  signal: number;
  message: string;
  trace: Uint8Array;
  pixels: Uint8Array | null;
  /** Processes outlived the job (killed by the zygote); the sandbox is recycled. */
  leftover: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Reads one frame for a job of `width` x `height`; null when the stream ended or broke the protocol. */
export async function readFrame(
  reader: ByteReader,
  width: number,
  height: number,
): Promise<SandboxFrame | null> {
  const head = await reader.readExact(FRAME_HEADER_BYTES);
  if (head === null) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = String.fromCharCode(head[0], head[1], head[2], head[3]);
  const id = view.getUint32(4, true);
  const outcome = view.getUint8(8);
  const kind = view.getUint8(9);
  const signal = view.getUint16(10, true);
  const w = view.getUint32(12, true);
  const h = view.getUint32(16, true);
  const messageLen = view.getUint32(20, true);
  const traceLen = view.getUint32(24, true);
  const flags = view.getUint32(28, true);
  const sizeOk = (w === 0 && h === 0) || (w === width && h === height);
  if (
    magic !== "ZYG1" || outcome > Outcome.BadOutput || kind > ChildKind.Blocked || !sizeOk ||
    messageLen > MAX_MESSAGE_BYTES || traceLen > MAX_TRACE_BYTES
  ) return null;
  const body = await reader.readExact(messageLen + traceLen + w * h * 4);
  if (body === null) return null;
  return {
    id,
    outcome,
    kind,
    signal,
    message: decoder.decode(body.subarray(0, messageLen)),
    trace: body.subarray(messageLen, messageLen + traceLen),
    pixels: w > 0 ? body.subarray(messageLen + traceLen) : null,
    leftover: (flags & 1) !== 0,
  };
}
