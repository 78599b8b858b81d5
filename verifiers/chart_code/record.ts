/**
 * chart_code's render jobs for the Python sandbox and the record its handler (renderer.py) writes:
 * a fixed 24-byte header, a message, the trace and the pixels. The record came out of the sandbox:
 * its lengths are checked against caps and the job's size before anything is sliced, and the trace
 * stays opaque bytes (the kernel parses it).
 */
import type { PythonJob } from "../_python/mod.ts";

export const RECORD_HEADER_BYTES = 24;
export const MAX_MESSAGE_BYTES = 2048;
export const MAX_TRACE_BYTES = 1 << 20;

/** What the child reported. */
export enum ChildKind {
  Ok = 0,
  Error = 1,
  Memory = 2,
  TooLarge = 3,
  NoFigure = 4,
  Syntax = 5,
  Blocked = 6,
}

/** A render: chart code to run, or a reference PNG to decode, and the size of the pixels wanted. */
export interface RenderRequest {
  kind: "code" | "image";
  code?: string;
  pngBase64?: string;
  width: number;
  height: number;
  timeoutMs: number;
}

/** One render's record. `pixels` is width*height*4 RGBA bytes when the render succeeded. */
export interface RenderRecord {
  kind: ChildKind;
  message: string;
  trace: Uint8Array;
  pixels: Uint8Array | null;
}

/** The sandbox job for a render request. */
export function renderJob(request: RenderRequest): PythonJob {
  const { width, height } = request;
  return {
    kind: request.kind === "code" ? "chart_code" : "chart_image",
    fields: { code: request.code, png_b64: request.pngBase64, width, height },
    timeoutMs: request.timeoutMs,
    caps: { payload: RECORD_HEADER_BYTES + MAX_MESSAGE_BYTES + MAX_TRACE_BYTES + width * height * 4 },
  };
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Reads the record of a render of `width` x `height`; null when it is malformed. */
export function readRecord(payload: Uint8Array, width: number, height: number): RenderRecord | null {
  if (payload.length < RECORD_HEADER_BYTES) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const magic = String.fromCharCode(payload[0], payload[1], payload[2], payload[3]);
  const kind = view.getUint8(4);
  const w = view.getUint32(8, true);
  const h = view.getUint32(12, true);
  const messageLen = view.getUint32(16, true);
  const traceLen = view.getUint32(20, true);
  const sizeOk = (w === 0 && h === 0) || (w === width && h === height);
  if (
    magic !== "CHD1" || kind > ChildKind.Blocked || !sizeOk || messageLen > MAX_MESSAGE_BYTES ||
    traceLen > MAX_TRACE_BYTES || payload.length !== RECORD_HEADER_BYTES + messageLen + traceLen + w * h * 4
  ) return null;
  const body = payload.subarray(RECORD_HEADER_BYTES);
  return {
    kind,
    message: decoder.decode(body.subarray(0, messageLen)),
    trace: body.subarray(messageLen, messageLen + traceLen),
    pixels: w > 0 ? body.subarray(messageLen + traceLen) : null,
  };
}
