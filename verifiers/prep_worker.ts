/**
 * A preparation thread: parses, validates and marshals slices of a batch off the engine's main
 * thread, with the same `ItemPreparer` and `encodeChunk` the engine uses, so an item gets the same
 * bytes and the same caller error either way. Items it does not handle (specs, routes, staged or
 * remote verifiers, malformed JSON) go back to the engine untouched.
 */
/// <reference lib="deno.worker" />
import { decodeRanges } from "../wasm/mod.ts";
import { encodeChunk, type PreparedItem } from "./_prepared.ts";
import { ItemPreparer } from "./item_preparer.ts";
import {
  type FromPrep,
  type PackedTexts,
  PREP_KIND,
  type PrepDone,
  type PrepGroup,
  type PrepInit,
  type PrepJob,
} from "./prep_protocol.ts";
import { VERIFIERS } from "./registry.ts";
import type { VerifyResult } from "./result.ts";
import type { WasmVerifier } from "./types.ts";
import { ItemValidator } from "./validate.ts";

let preparer: ItemPreparer;
let eligible: Set<string>;

function init(message: PrepInit): void {
  const table: Record<string, WasmVerifier> = {};
  for (const name of message.verifiers) {
    if (Object.hasOwn(VERIFIERS, name)) table[name] = VERIFIERS[name];
  }
  eligible = new Set(Object.keys(table));
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

/** The item as an object this thread prepares, or null when the engine must. */
function plainItem(raw: unknown): Record<string, unknown> | null {
  let item = raw;
  if (typeof raw === "string") {
    try {
      item = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (item === null || typeof item !== "object" || Array.isArray(item)) return null;
  const record = item as Record<string, unknown>;
  if (Object.hasOwn(record, "spec") || Object.hasOwn(record, "data_source")) return null;
  const verifier = Object.hasOwn(record, "verifier") ? record.verifier : undefined;
  return typeof verifier === "string" && eligible.has(verifier) ? record : null;
}

/** Each packed item's JSON text (one decode for the slice when it is ASCII). */
function unpack({ bytes, starts, ends }: PackedTexts): string[] {
  return decodeRanges(bytes, (i) => starts[i], ends);
}

function prepareSlice(job: PrepJob): PrepDone {
  const items = Array.isArray(job.items) ? job.items : unpack(job.items);
  const count = items.length;
  const kinds = new Uint8Array(count).fill(PREP_KIND.engine);
  const results: [number, VerifyResult][] = [];
  const byVerifier = new Map<string, { positions: number[]; items: PreparedItem[] }>();
  for (let i = 0; i < count; i++) {
    const item = plainItem(items[i]);
    if (item === null) continue;
    let prepared;
    try {
      prepared = preparer.prepareVerifierItem(item, () => {});
    } catch {
      continue; // the engine prepares it again and reports what went wrong
    }
    if ("result" in prepared) {
      kinds[i] = PREP_KIND.result;
      results.push([i, prepared.result]);
      continue;
    }
    kinds[i] = PREP_KIND.kernel;
    const name = prepared.item.head.verifier!;
    let group = byVerifier.get(name);
    if (!group) byVerifier.set(name, group = { positions: [], items: [] });
    group.positions.push(i);
    group.items.push(prepared.item);
  }
  const groups: PrepGroup[] = [];
  for (const [verifier, { positions, items }] of byVerifier) {
    const chunk = encodeChunk(items, Infinity);
    groups.push({
      verifier,
      version: items[0].head.version!,
      positions: Uint32Array.from(positions),
      ids: items.map((item) => item.head.id),
      bytes: chunk.bytes,
      ends: chunk.ends,
      timeoutsMs: chunk.timeoutsMs,
    });
  }
  return { type: "done", jobId: job.jobId, kinds, groups, results };
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
