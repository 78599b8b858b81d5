/**
 * The engine's side of **remote** verifiers (DESIGN.md §4; today `judge`): their items are I/O, so
 * they run concurrently outside the sandbox pool (the backend's per-endpoint limiter bounds them),
 * each delivered the moment it is known (NDJSON streams them in completion order); an outcome the
 * backend knows without I/O (a cached verdict) settles in the loop, with no promise per item. An optional
 * pre-check runs the verifier's kernel first, in the sandbox, on the response. Spec leaves of a
 * remote verifier under a gate's `then` are lazy: called only once every enclosing gate's `if`
 * has passed its threshold (a closed gate costs no call; its leaf is marked `gated_out` anyway).
 */
import type { PreparedItem } from "./_prepared.ts";
import { noVerdict, roundMs, verdict, type VerifyResult } from "./result.ts";
import { combine, type SpecLeaf, type SpecNode } from "./spec.ts";
import type { RemoteBackend } from "./types.ts";
import { type WorkSlicer, yieldToIo } from "./yield_now.ts";

/** One gate a leaf sits under: its condition subtree, the subtree's path, and the threshold. */
interface GateCondition {
  node: SpecNode;
  path: string;
  threshold: number;
}

function conditionsOf(
  node: SpecNode,
  path: string,
  above: GateCondition[],
  out: Map<string, GateCondition[]>,
) {
  if ("verifier" in node) {
    if (above.length > 0) out.set(path, above);
    return;
  }
  if ("constant" in node) return;
  if ("gate" in node) {
    const ifPath = `${path}.gate.if`;
    conditionsOf(node.gate.if, ifPath, above, out);
    const condition = { node: node.gate.if, path: ifPath, threshold: node.gate.threshold ?? 1 };
    conditionsOf(node.gate.then, `${path}.gate.then`, [...above, condition], out);
    return;
  }
  const [op, children] = Object.entries(node).find(([k]) => k !== "weight") as [string, SpecNode[]];
  children.forEach((child, i) => conditionsOf(child, `${path}.${op}[${i}]`, above, out));
}

/** Lazy gates of one spec item: `waitFor(path)` resolves once that leaf's gates are decided. */
export class LazyGates {
  private readonly conditions = new Map<string, GateCondition[]>();
  private readonly waiting: { conditions: GateCondition[]; resolve: (open: boolean) => void }[] = [];

  constructor(
    spec: SpecNode,
    private readonly leaves: SpecLeaf[],
    private readonly results: Map<string, VerifyResult>,
  ) {
    conditionsOf(spec, "spec", [], this.conditions);
  }

  /** For a leaf under at least one gate: a promise of whether all its gates opened; else undefined. */
  waitFor(path: string): Promise<boolean> | undefined {
    const conditions = this.conditions.get(path);
    if (!conditions) return undefined;
    return new Promise((resolve) => {
      this.waiting.push({ conditions, resolve });
      this.notify();
    });
  }

  /** Call after each leaf result: resolves the waits whose conditions are now decided. */
  notify(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const wait = this.waiting[i];
      let open = true;
      let decided = true;
      for (const condition of wait.conditions) {
        const value = this.valueOf(condition);
        if (value === undefined) {
          decided = false;
          break;
        }
        if (value === null || value < condition.threshold) open = false;
      }
      if (!decided && open) continue; // a condition already known to be closed decides it
      this.waiting.splice(i, 1);
      wait.resolve(open);
    }
  }

  /** The condition's reward (null: no verdict), or undefined while one of its leaves is pending. */
  private valueOf(condition: GateCondition): number | null | undefined {
    const local = new Map<string, VerifyResult>();
    for (const leaf of this.leaves) {
      if (leaf.path !== condition.path && !leaf.path.startsWith(`${condition.path}.`)) continue;
      const result = this.results.get(leaf.path);
      if (result === undefined) return undefined;
      local.set(`spec${leaf.path.slice(condition.path.length)}`, result);
    }
    return combine(condition.node, local).reward;
  }
}

/** Remote calls started before the first turn of the event loop (see runRemoteGroup). */
const FIRST_STARTS = 64;

/** Longest stretch (ms) starting remote calls between two turns of the event loop. */
const START_SLICE_MS = 2;

/** What the batch lends a remote group. */
export interface RemoteGroupContext {
  backend: RemoteBackend;
  /** Aborts when the batch's budget runs out or the batch is cancelled. */
  signal: AbortSignal;
  /** The batch's slicer of long synchronous work (settling many cache hits is such work). */
  slicer: WorkSlicer;
  /** Runs items through the verifier's kernel in the sandbox (the pre-check). */
  runKernel: (items: PreparedItem[]) => Promise<unknown>;
}

/** Runs one window's items of a remote verifier; every item gets exactly one result. */
export async function runRemoteGroup(items: PreparedItem[], context: RemoteGroupContext): Promise<void> {
  const direct: PreparedItem[] = [];
  const checked: PreparedItem[] = [];
  for (const item of items) {
    (context.backend.prechecks(item.remoteItem!.options) ? checked : direct).push(item);
  }
  const calls: Promise<void>[] = [];
  let sliceEnd = 0;
  let started = 0;
  for (let i = 0; i < direct.length; i++) {
    // Outcomes known without I/O (cache hits) settle here, in the loop (no promise per item); a long
    // run of them is sliced like the batch's preparation (its slicer: a full turn every ioTurnMs).
    if (knownOutcome(direct[i], context)) {
      if ((i & 63) === 63 && context.slicer.due()) await context.slicer.yield();
      continue;
    }
    // A window holds thousands of items. The judge's limiter admits the first ones at once, but
    // their requests go out only when the event loop waits for I/O: after the first ones, and then
    // every START_SLICE_MS, a turn of the loop (yieldToIo) lets them (and answers already in) through.
    if (
      started === FIRST_STARTS ||
      (started > FIRST_STARTS && (started & 15) === 0 && performance.now() > sliceEnd)
    ) {
      await yieldToIo();
      sliceEnd = performance.now() + START_SLICE_MS;
    }
    started++;
    calls.push(callRemote(direct[i], context));
  }
  if (checked.length > 0) {
    // The pre-check's verdict settles the item unless it passed (reward 1): then the judge is asked.
    const proxies = checked.map((item) => ({
      ...item,
      sink: (result: VerifyResult) => {
        if (result.error === null && result.reward === 1) calls.push(callRemote(item, context));
        else item.sink(result);
      },
    }));
    await context.runKernel(proxies);
  }
  await Promise.all(calls);
}

/** Settles an item whose outcome the backend knows without I/O (a cached verdict); false if it does not. */
function knownOutcome(item: PreparedItem, context: RemoteGroupContext): boolean {
  if (item.gateOpen || context.signal.aborted || !context.backend.known) return false;
  const outcome = context.backend.known(item.remoteItem!);
  if (outcome === null) return false;
  item.sink(
    "verdict" in outcome
      ? verdict(item.head, outcome.verdict.reward, outcome.verdict.correct, outcome.verdict.details, 0)
      : noVerdict(item.head, outcome.error.code, outcome.error.message, 0),
  );
  return true;
}

async function callRemote(item: PreparedItem, context: RemoteGroupContext): Promise<void> {
  if (item.gateOpen && !(await item.gateOpen)) {
    item.sink(verdict(item.head, 0, false, { reason: null, skipped: "gate_closed" }, 0));
    return;
  }
  if (context.signal.aborted) {
    item.sink(noVerdict(item.head, "overloaded", "The batch's budget_ms ran out before this item ran"));
    return;
  }
  const started = performance.now();
  let result: VerifyResult;
  try {
    const outcome = await context.backend.run(
      { ...item.remoteItem!, timeoutMs: item.timeoutMs },
      context.signal,
    );
    const ms = roundMs(performance.now() - started);
    result = "verdict" in outcome
      ? verdict(item.head, outcome.verdict.reward, outcome.verdict.correct, outcome.verdict.details, ms)
      : noVerdict(item.head, outcome.error.code, outcome.error.message, ms);
  } catch (error) {
    result = noVerdict(
      item.head,
      "internal",
      `The ${item.head.verifier} call failed: ${(error as Error).message}`,
    );
  }
  item.sink(result);
}
