/** An item ready for the sandbox: validated, its parameters built; and how to marshal chunks of them. */
import type { ChunkRequest } from "../wasm/mod.ts";
import type { ResultHead, VerifyResult } from "./result.ts";
import type { RemoteItem, StageItem } from "./types.ts";
import { RawItem } from "./raw_item.ts";

const encoder = new TextEncoder();

/** One item on its way to a kernel. */
export interface PreparedItem {
  /** Receives the item's result (the batch's slot, or a spec's leaf slot). */
  sink: (result: VerifyResult) => void;
  head: ResultHead;
  /** For a verifier with a host stage: what the stage needs (the response below is then unused). */
  stageItem?: StageItem;
  /** The stage's output: the kernel's input instead of the response. */
  input?: Uint8Array;
  /** For a remote verifier: what its backend needs (prompt and images included). */
  remoteItem?: RemoteItem;
  /** A remote spec leaf under a gate's `then`: resolves true when every enclosing gate opened. */
  gateOpen?: Promise<boolean>;
  params: string;
  response: string;
  timeoutMs: number;
}

/** The id and verifier an item claims, as far as they can be read (for results of invalid items). */
export function headOf(raw: unknown): ResultHead {
  if (raw instanceof RawItem) {
    const parsed = raw.parse();
    return "item" in parsed ? headOf(parsed.item) : { verifier: raw.verifier ?? null, version: null };
  }
  const item = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const head: ResultHead = {
    verifier: typeof item.verifier === "string" ? item.verifier : null,
    version: null,
  };
  if (typeof item.id === "string") head.id = item.id;
  return head;
}

/** How `encodeChunk` marshals. */
export interface ChunkEncoding {
  /**
   * An item whose response is the same as the last response written (a spec's leaves of one
   * verifier, next to each other) carries only its parameters and refers to that response, which
   * then crosses to the sandbox once (`ChunkRequest.responseFrom`). Off by default: a chunk that is
   * cut into parts by byte offsets (`ends`) must not share.
   */
  shareResponses?: boolean;
}

/**
 * Marshals a chunk as one buffer: per item its parameters' JSON, 0x00, its response's UTF-8 (or,
 * with `shareResponses`, nothing where the previous item carrying a response carries the same one).
 */
export function encodeChunk(
  items: PreparedItem[],
  deadlineAt: number,
  encoding: ChunkEncoding = {},
): ChunkRequest {
  const responseFrom = encoding.shareResponses ? new Int32Array(items.length).fill(-1) : undefined;
  /** The last item that carries its own response (not a stage's input), for sharing. */
  let carrier = -1;
  let shared = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.input) continue;
    if (responseFrom && carrier >= 0 && item.response === items[carrier].response) {
      // The same string (or the same text): the sandbox reads the carrier's copy.
      responseFrom[i] = carrier;
      shared++;
    } else {
      carrier = i;
    }
  }
  const timeoutsMs = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) timeoutsMs[i] = items[i].timeoutMs;
  const chunk = (bytes: Uint8Array, ends: Uint32Array): ChunkRequest => ({
    kernel: items[0].head.verifier!,
    bytes,
    ends,
    timeoutsMs,
    deadlineAt,
    ...(shared > 0 ? { responseFrom } : {}),
  });
  const parts = textParts(items, responseFrom);
  if (parts) {
    const { bytes, ends } = encodeParts(parts);
    return chunk(bytes, ends);
  }
  // A stage's input among the items: item by item, a first guess at the size (one byte per character), grown when text needs more.
  let estimate = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const fromCarrier = responseFrom !== undefined && responseFrom[i] >= 0;
    estimate += item.params.length + 1 +
      (item.input ? item.input.length : fromCarrier ? 0 : item.response.length);
  }
  let bytes = new Uint8Array(Math.max(64, Math.ceil(estimate * 1.1)));
  const ends = new Uint32Array(items.length);
  let at = 0;
  // Encodes a string at `at`; what did not fit (non-ASCII text) is finished in a grown buffer.
  const write = (text: string) => {
    let rest = text;
    while (true) {
      const { read, written } = encoder.encodeInto(rest, bytes.subarray(at));
      at += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      const grown = new Uint8Array(bytes.length * 2 + rest.length * 3);
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    write(item.params);
    if (at >= bytes.length) write("\0");
    else bytes[at++] = 0;
    if (item.input) {
      if (at + item.input.length > bytes.length) {
        const grown = new Uint8Array((at + item.input.length) * 2);
        grown.set(bytes.subarray(0, at));
        bytes = grown;
      }
      bytes.set(item.input, at);
      at += item.input.length;
    } else if (!responseFrom || responseFrom[i] < 0) {
      write(item.response);
    }
    ends[i] = at;
  }
  return chunk(bytes.subarray(0, at), ends);
}

/** The chunk's items as `encodeParts` takes them, or null when an item carries a stage's input. */
function textParts(items: PreparedItem[], responseFrom: Int32Array | undefined): string[] | null {
  const parts = new Array<string>(items.length * 3);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.input) return null;
    parts[3 * i] = item.params;
    parts[3 * i + 1] = "\0";
    parts[3 * i + 2] = responseFrom && responseFrom[i] >= 0 ? "" : item.response;
  }
  return parts;
}

/**
 * Items given as text parts, three per item (its parameters' JSON, "\0", its response), as one
 * buffer: item i is `bytes[ends[i-1]..ends[i])`.
 */
export function encodeParts(parts: string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const ascii = asciiParts(parts);
  if (ascii) return ascii;
  const count = parts.length / 3;
  const ends = new Uint32Array(count);
  const encoded = parts.map((part) => encoder.encode(part));
  let total = 0;
  for (const bytes of encoded) total += bytes.length;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    bytes.set(encoded[i], at);
    at += encoded[i].length;
    if (i % 3 === 2) ends[(i - 2) / 3] = at;
  }
  return { bytes, ends };
}

/**
 * The parts' bytes in one encoding call when they are all ASCII (measured: 0.15 µs per `rec` item
 * instead of 0.75 µs for two `encodeInto` calls per item; most chunks are ASCII, as JSON escapes
 * make them): the texts joined, encoded once, and each item's end read from the string lengths.
 * Null when the text is not ASCII.
 */
function asciiParts(parts: string[]): { bytes: Uint8Array; ends: Uint32Array } | null {
  const text = parts.join("");
  const bytes = encoder.encode(text);
  if (bytes.length !== text.length) return null;
  const ends = new Uint32Array(parts.length / 3);
  let at = 0;
  for (let i = 0; i < ends.length; i++) {
    at += parts[3 * i].length + parts[3 * i + 1].length + parts[3 * i + 2].length;
    ends[i] = at;
  }
  return { bytes, ends };
}
