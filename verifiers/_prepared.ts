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

/** Marshals a chunk as one buffer: per item its parameters' JSON, 0x00, its response's UTF-8. */
export function encodeChunk(items: PreparedItem[], deadlineAt: number): ChunkRequest {
  let estimate = 0;
  for (const item of items) estimate += item.params.length + (item.input?.length ?? item.response.length) + 1;
  let bytes = new Uint8Array(Math.max(64, Math.ceil(estimate * 1.1)));
  const ends = new Uint32Array(items.length);
  const timeoutsMs = new Float64Array(items.length);
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
    if (!item.input) write(item.response);
    if (item.input) {
      if (at + item.input.length > bytes.length) {
        const grown = new Uint8Array((at + item.input.length) * 2);
        grown.set(bytes.subarray(0, at));
        bytes = grown;
      }
      bytes.set(item.input, at);
      at += item.input.length;
    }
    ends[i] = at;
    timeoutsMs[i] = item.timeoutMs;
  }
  return { kernel: items[0].head.verifier!, bytes: bytes.subarray(0, at), ends, timeoutsMs, deadlineAt };
}
