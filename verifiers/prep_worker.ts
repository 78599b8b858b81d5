/**
 * A preparation thread: parses, validates and marshals slices of a batch off the engine's main
 * thread, with the same `ItemPreparer` and `KernelGroups` the engine uses, so an item gets the same
 * bytes and the same caller error either way. Items it does not handle (specs, routes, staged or
 * remote verifiers, malformed JSON) go back to the engine untouched.
 */
/// <reference lib="deno.worker" />
import { Utf8Text } from "../wasm/mod.ts";
import { ItemPreparer } from "./item_preparer.ts";
import { KernelGroups } from "./kernel_groups.ts";
import {
  type FromPrep,
  type PackedTexts,
  PREP_KIND,
  type PrepDone,
  type PrepInit,
  type PrepJob,
} from "./prep_protocol.ts";
import { VERIFIERS } from "./registry.ts";
import type { VerifyResult } from "./result.ts";
import type { WasmVerifier } from "./types.ts";
import { ItemValidator } from "./validate.ts";

let preparer: ItemPreparer;

function init(message: PrepInit): void {
  const table: Record<string, WasmVerifier> = {};
  for (const name of message.verifiers) {
    if (Object.hasOwn(VERIFIERS, name)) table[name] = VERIFIERS[name];
  }
  const validator = new ItemValidator(table, message.maxResponseChars, message.lazyValidators);
  preparer = new ItemPreparer(validator, {
    maxTimeoutMs: message.maxTimeoutMs,
    specs: {},
    routes: {},
    maxSpecDepth: 0,
    maxSpecLeaves: 0,
    maxSpecLeafBytes: 0,
  }, () => {});
}

/** The item as an object, or null when it is not one (malformed JSON: the engine reports it). */
function objectOf(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** Each packed item's JSON text (one decode for the slice when it is ASCII). */
function unpack({ bytes, starts, ends }: PackedTexts): string[] {
  const text = new Utf8Text(bytes);
  return Array.from(ends, (end, i) => text.slice(starts[i], end));
}

function prepareSlice(job: PrepJob): PrepDone {
  const items = Array.isArray(job.items) ? job.items : unpack(job.items);
  const count = items.length;
  const kinds = new Uint8Array(count).fill(PREP_KIND.engine);
  const results: [number, VerifyResult][] = [];
  const groups = new KernelGroups();
  for (let i = 0; i < count; i++) {
    const item = objectOf(items[i]);
    const verifier = preparer.kernelVerifierOf(item);
    if (verifier === undefined) continue;
    let failed;
    try {
      failed = preparer.prepareKernelItem(item as Record<string, unknown>, verifier, i, groups);
    } catch {
      continue; // the engine prepares it again and reports what went wrong
    }
    if (failed !== null && "result" in failed) {
      kinds[i] = PREP_KIND.result;
      results.push([i, failed.result]);
    } else kinds[i] = PREP_KIND.kernel;
  }
  return { type: "done", jobId: job.jobId, kinds, groups: groups.encode(), results };
}

self.onmessage = (event: MessageEvent<PrepInit | PrepJob>) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      init(message);
      self.postMessage({ type: "ready" } satisfies FromPrep);
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error) } satisfies FromPrep);
    }
    return;
  }
  const done = prepareSlice(message);
  const transfer = new Set<ArrayBufferLike>([done.kinds.buffer]);
  for (const group of done.groups) {
    for (const array of [group.positions, group.ends, group.timeoutsMs, group.bytes]) {
      transfer.add(array.buffer);
    }
  }
  self.postMessage(done satisfies FromPrep, [...transfer] as ArrayBuffer[]);
};
