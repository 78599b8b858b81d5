/**
 * The pipe protocol between the pool (server) and a sandbox process: every frame kind, typed, in one
 * place. A frame is [u32 total][u32 header length][header JSON][binary sections] (see `frames.ts`).
 */
import { encodeFrame, type Frame } from "./frames.ts";
import type { ItemFault } from "./protocol.ts";

/**
 * Pool → sandbox: score these items. Sections: ends (u32), per-item timeouts (f64), item bytes, and
 * per item the earlier item whose response it shares or -1 (i32; an empty section when none share).
 */
export interface JobFrame {
  type: "job";
  jobId: number;
  kernel: string;
  /** Epoch ms after which no item of the job may keep running; null for none. */
  deadlineAt: number | null;
}

/** Sandbox → pool: the kernels compiled; jobs may come. */
export interface ReadyFrame {
  type: "ready";
}

/** Sandbox → pool: the kernels could not be loaded (the process exits). */
export interface FailedFrame {
  type: "failed";
  message: string;
}

/** Sandbox → pool: the kernel thread died unexpectedly (the process exits). */
export interface CrashedFrame {
  type: "crashed";
  message: string;
}

/** Sandbox → pool: a job's results. Sections: ms (f64 per item), output ends (u32), outputs. */
export interface DoneFrame {
  type: "done";
  jobId: number;
  faults: ItemFault[];
}

/**
 * Sandbox → pool: item `index` of a job ran past its deadline (`timeout`) or the batch's budget
 * (`budget`); the process exits. The first `recovered` items' results travel in the sections as in
 * `DoneFrame`.
 */
export interface OverrunFrame {
  type: "overrun";
  jobId: number;
  index: number;
  cause: "timeout" | "budget";
  ms: number;
  recovered: number;
}

/** Every frame a sandbox process may send. */
export type SandboxFrame = ReadyFrame | FailedFrame | CrashedFrame | DoneFrame | OverrunFrame;

/** Encodes a frame for the sandbox (the parts are written one after the other). */
export function encodeJobFrame(header: JobFrame, sections: Uint8Array[]): Uint8Array[] {
  return encodeFrame({ ...header }, sections);
}

/** Encodes a frame for the pool. */
export function encodeSandboxFrame(header: SandboxFrame, sections: Uint8Array[] = []): Uint8Array[] {
  return encodeFrame({ ...header }, sections);
}

/** Reads a job frame's header; throws on anything else (the pool sends nothing else). */
export function readJobFrame(frame: Frame): JobFrame {
  const h = frame.header;
  if (h.type !== "job" || typeof h.jobId !== "number" || typeof h.kernel !== "string") {
    throw new Error(`Unexpected frame from the pool: ${JSON.stringify(h).slice(0, 200)}`);
  }
  return {
    type: "job",
    jobId: h.jobId,
    kernel: h.kernel,
    deadlineAt: (h.deadlineAt as number | null) ?? null,
  };
}

/** Reads a sandbox frame's header, checking its kind and fields; null for a malformed frame. */
export function readSandboxFrame(frame: Frame): SandboxFrame | null {
  const h = frame.header;
  const num = (key: string) => typeof h[key] === "number";
  switch (h.type) {
    case "ready":
      return { type: "ready" };
    case "failed":
    case "crashed":
      return { type: h.type, message: String(h.message ?? "") };
    case "done":
      if (!num("jobId") || !Array.isArray(h.faults) || frame.sections.length < 3) return null;
      return { type: "done", jobId: h.jobId as number, faults: h.faults as ItemFault[] };
    case "overrun":
      if (!num("jobId") || !num("index") || !num("ms") || !num("recovered")) return null;
      return {
        type: "overrun",
        jobId: h.jobId as number,
        index: h.index as number,
        cause: h.cause === "budget" ? "budget" : "timeout",
        ms: h.ms as number,
        recovered: h.recovered as number,
      };
    default:
      return null;
  }
}
