/**
 * Plain kernel items (an item that names a verifier whose kernel scores its response directly: no
 * host stage, no remote backend) collected column by column, one group per verifier, and marshalled
 * as `PrepGroup`s: no object per item on the way to the sandbox. The engine's main thread and the
 * preparation threads collect them the same way, so an item gets the same bytes either way.
 */
import { encodeParts } from "./_prepared.ts";
import type { PrepGroup } from "./prep_protocol.ts";
import type { WasmVerifier } from "./types.ts";

/** One verifier's items, as columns. */
interface GroupColumns {
  version: string;
  positions: number[];
  ids: (string | undefined)[];
  /** Three per item: its parameters' JSON, "\0", its response (`encodeParts`). */
  parts: string[];
  timeoutsMs: number[];
}

/**
 * The last item's verifier, reference and options and the parameters built from them (see
 * `ItemPreparer.prepareKernelItem`, which reuses them for an equal next item).
 */
export interface LastParams {
  verifier: WasmVerifier;
  reference: unknown;
  options: unknown;
  params: string;
}

/** The plain kernel items of a window or a slice, by verifier. */
export class KernelGroups {
  private readonly groups = new Map<string, GroupColumns>();
  private count = 0;
  /**
   * The last item added's parameters, for the next item of the same window or slice; null after
   * `forgetLast`, which the engine calls when other code may have run (a yield of the event loop),
   * since a caller may have changed that item's objects meanwhile.
   */
  last: LastParams | null = null;
  /** The one object `last` points to, refilled for each item (an object per item was garbage). */
  private readonly lastSlot: LastParams = {
    verifier: undefined!,
    reference: null,
    options: null,
    params: "",
  };

  /** Remembers an item's verifier, reference, options and parameters as `last`. */
  remember(verifier: WasmVerifier, reference: unknown, options: unknown, params: string): void {
    const slot = this.lastSlot;
    slot.verifier = verifier;
    slot.reference = reference;
    slot.options = options;
    slot.params = params;
    this.last = slot;
  }

  /** Forgets `last` (see there). */
  forgetLast(): void {
    this.last = null;
    this.lastSlot.reference = null;
    this.lastSlot.options = null;
  }

  /** Items collected so far. */
  get size(): number {
    return this.count;
  }

  /** Adds an item of `verifier` (at `version`) at `position` of its window or slice. */
  add(
    verifier: string,
    version: string,
    position: number,
    id: string | undefined,
    params: string,
    response: string,
    timeoutMs: number,
  ): void {
    let group = this.groups.get(verifier);
    if (!group) {
      this.groups.set(verifier, group = { version, positions: [], ids: [], parts: [], timeoutsMs: [] });
    }
    group.positions.push(position);
    group.ids.push(id);
    group.parts.push(params, "\0", response);
    group.timeoutsMs.push(timeoutMs);
    this.count++;
  }

  /** Each verifier's items marshalled into one buffer. */
  encode(): PrepGroup[] {
    const out: PrepGroup[] = [];
    for (const [verifier, group] of this.groups) {
      const { bytes, ends } = encodeParts(group.parts);
      out.push({
        verifier,
        version: group.version,
        positions: Uint32Array.from(group.positions),
        ids: group.ids,
        bytes,
        ends,
        timeoutsMs: Float64Array.from(group.timeoutsMs),
      });
    }
    return out;
  }
}
