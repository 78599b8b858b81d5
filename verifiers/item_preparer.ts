/**
 * Turns raw items into prepared items for the sandbox: validates them, resolves specs and routes,
 * builds each verifier's kernel parameters. A caller error becomes the item's `invalid_request`
 * result here, never an exception: one bad item never fails its batch.
 */
import { headOf, type PreparedItem } from "./_prepared.ts";
import { RawItem } from "./raw_item.ts";
import { noVerdict, type VerifyResult } from "./result.ts";
import { leavesOf, type SpecNode, specSizeProblem } from "./spec.ts";
import { specError, specResult } from "./spec_result.ts";
import { InvalidRequestError, paramsJson, type WasmVerifier } from "./types.ts";
import { LazyGates } from "./remote_run.ts";
import { type ItemValidator, NO_OPTIONS } from "./validate.ts";
import type { KernelGroups } from "./kernel_groups.ts";

/** What the preparer needs to know of the engine's settings. */
export interface PreparerSettings {
  maxTimeoutMs: number;
  specs: Record<string, unknown>;
  routes: Record<string, unknown>;
  maxSpecDepth: number;
  maxSpecLeaves: number;
  /** Leaves × response length: what one spec item may make the sandbox read. */
  maxSpecLeafBytes: number;
}

/** An item's prepared parts, or its result when it needs no sandbox (a caller error). */
export type Prepared =
  | { items: PreparedItem[]; ready?: () => void }
  | { result: VerifyResult; tooLarge?: boolean };

/** Own keys only: `constructor` or `toString` is never a verifier, a spec or a route. */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Whether two JSON values are equal: the same types, numbers and strings, arrays element by
 * element, plain objects with the same own keys in the same order (parameters list an ndcg
 * reference's items in its key order, so another order is other parameters, if the same score).
 * Anything else (another prototype, a function) is never equal.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== "object" || a === null || isPlain(a);
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== other[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** An array, or an object as JSON.parse makes them (Object.prototype or none behind it). */
function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Prepares items for the engine; see the module comment. */
export class ItemPreparer {
  constructor(
    private readonly validator: ItemValidator,
    private readonly settings: PreparerSettings,
    /** Called with each spec leaf's result (the spec's own result is counted by the batch). */
    private readonly onLeafResult: (result: VerifyResult) => void,
  ) {}

  /**
   * Prepares an item of a window at `position`: a plain kernel item (`kernelVerifierOf`) goes into
   * `groups` with no object made for it (null is returned), any other as `prepareAny` prepares it
   * (`sinkFor(position)` receives its result).
   */
  prepareInto(
    raw: unknown,
    position: number,
    groups: KernelGroups,
    sinkFor: (position: number) => (result: VerifyResult) => void,
  ): Prepared | null {
    if (raw instanceof RawItem) {
      const parsed = raw.parse();
      if ("error" in parsed) return this.prepareAny(raw, sinkFor(position));
      raw = parsed.item;
    }
    const verifier = this.kernelVerifierOf(raw);
    if (verifier) return this.prepareKernelItem(raw as Record<string, unknown>, verifier, position, groups);
    return this.prepareAny(raw, sinkFor(position));
  }

  /**
   * The verifier of a plain kernel item: an object that names, as its own `verifier`, one whose
   * kernel scores the response itself (no host stage, no remote backend), with no spec or route.
   * Undefined for any other item.
   */
  kernelVerifierOf(raw: unknown): WasmVerifier | undefined {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
    const item = raw as Record<string, unknown>;
    if (Object.hasOwn(item, "spec") || Object.hasOwn(item, "data_source")) return undefined;
    const name = Object.hasOwn(item, "verifier") ? item.verifier : undefined;
    const verifier = typeof name === "string" ? this.validator.verifierNamed(name) : undefined;
    return verifier && !verifier.stage && !verifier.remote ? verifier : undefined;
  }

  /**
   * Prepares a plain kernel item of `verifier` into `groups` at `position`: validated and its
   * parameters built, with no object per item. Null once it is there; else its caller error, the
   * very result `prepareVerifierItem` gives (which prepares the rare failing item again). A GRPO
   * batch sends each prompt's responses one after another with the same reference and options: an
   * item whose are equal (`sameJson`) to those of `groups.last` reuses its parameters instead of
   * validating and building them again.
   */
  prepareKernelItem(
    item: Record<string, unknown>,
    verifier: WasmVerifier,
    position: number,
    groups: KernelGroups,
  ): Prepared | null {
    const reference = item.reference ?? null;
    const options = (item.options ?? NO_OPTIONS) as Record<string, unknown>;
    const last = groups.last;
    let params: string;
    if (
      last !== null && last.verifier === verifier && sameJson(reference, last.reference) &&
      sameJson(options, last.options)
    ) {
      // The reference and options are those of a valid item: the envelope alone is left to check.
      if (this.validator.checkEnvelope(item) !== null) return this.callerError(item);
      params = last.params;
    } else {
      if (this.validator.validVerifier(item) !== verifier) return this.callerError(item);
      try {
        params = paramsJson(verifier.params(reference, options));
      } catch {
        return this.callerError(item);
      }
      groups.remember(verifier, reference, options, params);
    }
    const requested = typeof options.timeout_ms === "number" ? options.timeout_ms : verifier.defaultTimeoutMs;
    groups.add(
      verifier.name,
      verifier.version,
      position,
      item.id as string | undefined,
      params,
      item.response as string,
      Math.min(requested, this.settings.maxTimeoutMs),
    );
    return null;
  }

  /** The result `prepareVerifierItem` gives an item that `prepareKernelItem` could not prepare. */
  private callerError(item: Record<string, unknown>): Prepared {
    const prepared = this.prepareVerifierItem(item, () => {});
    return "result" in prepared ? prepared : {
      result: noVerdict(headOf(item), "internal", "Preparing the item failed: it passed on a second try"),
    };
  }

  /**
   * Prepares an item of any kind: a verifier item becomes one prepared item, a spec item (or one
   * routed by `data_source`) becomes its leaves, whose results `sink` receives combined. `ready`
   * must be called once the caller has queued the leaves (a spec without leaves resolves then).
   */
  prepareAny(raw: unknown, sink: (result: VerifyResult) => void): Prepared {
    if (raw instanceof RawItem) {
      const parsed = raw.parse();
      if ("error" in parsed) {
        return {
          result: noVerdict(
            { verifier: raw.verifier ?? null, version: null },
            "invalid_request",
            parsed.error,
          ),
        };
      }
      raw = parsed.item;
    }
    const item = (raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw : {}) as Record<
      string,
      unknown
    >;
    const has = (key: string) => Object.hasOwn(item, key);
    if (!has("spec") && !has("verifier") && has("data_source")) {
      const route = ownValue(this.settings.routes, String(item.data_source));
      if (route === undefined) {
        return {
          result: noVerdict(
            headOf(raw),
            "invalid_request",
            `No route for data_source ${JSON.stringify(item.data_source)}; configured: ${
              Object.keys(this.settings.routes).join(", ") || "none"
            }`,
          ),
        };
      }
      const { data_source: _, ...rest } = item;
      return this.prepareSpec({ ...rest, spec: route }, sink);
    }
    if (has("spec")) return this.prepareSpec(item, sink);
    const prepared = this.prepareVerifierItem(raw, sink);
    return "result" in prepared ? prepared : { items: [prepared.item] };
  }

  private prepareSpec(item: Record<string, unknown>, sink: (result: VerifyResult) => void): Prepared {
    const id = typeof item.id === "string" ? item.id : undefined;
    const fail = (message: string, tooLarge = false) => ({
      result: specError(id, "invalid_request", message),
      tooLarge,
    });
    if (Object.hasOwn(item, "verifier")) {
      return fail("An item names exactly one of verifier or spec, not both");
    }
    const envelope = this.validator.checkEnvelope(item);
    if (envelope) return fail(envelope.message, envelope.tooLarge);
    const specName = typeof item.spec === "string" ? item.spec : "inline";
    const node = typeof item.spec === "string" ? ownValue(this.settings.specs, item.spec) : item.spec;
    if (node === undefined) {
      return fail(
        `Unknown spec "${item.spec}"; configured specs: ${
          Object.keys(this.settings.specs).join(", ") || "none"
        }`,
      );
    }
    const tooBig = specSizeProblem(node, {
      maxDepth: this.settings.maxSpecDepth,
      maxLeaves: this.settings.maxSpecLeaves,
    });
    if (tooBig) return fail(tooBig);
    const invalidSpec = this.validator.checkSpec(node);
    if (invalidSpec) return fail(invalidSpec);
    const spec = node as SpecNode;
    const { spec: _, ...base } = item;
    const leaves = leavesOf(spec);
    const responseLength = (base.response as string).length;
    if (leaves.length * responseLength > this.settings.maxSpecLeafBytes) {
      return fail(
        `spec: ${leaves.length} leaves × a response of ${responseLength} characters is more than max_spec_leaf_bytes (${this.settings.maxSpecLeafBytes})`,
        true,
      );
    }
    const results = new Map<string, VerifyResult>();
    const items: PreparedItem[] = [];
    const finish = () => sink(specResult(id, specName, spec, leaves, results));
    const gates = new LazyGates(spec, leaves, results);
    for (const leaf of leaves) {
      const leafRaw = {
        verifier: leaf.verifier,
        response: base.response,
        reference: leaf.reference === undefined ? base.reference : leaf.reference,
        options: leaf.options,
        ...(base.prompt === undefined ? {} : { prompt: base.prompt }),
        ...(base.images === undefined ? {} : { images: base.images }),
      };
      const prepared = this.prepareVerifierItem(leafRaw, (result) => {
        this.onLeafResult(result);
        results.set(leaf.path, result);
        gates.notify();
        if (results.size === leaves.length) finish();
      });
      if ("result" in prepared) {
        return fail(`${leaf.path}: ${prepared.result.error!.message}`, prepared.tooLarge);
      }
      if (prepared.item.remoteItem) prepared.item.gateOpen = gates.waitFor(leaf.path);
      items.push(prepared.item);
    }
    return { items, ready: () => leaves.length === 0 && finish() };
  }

  /**
   * Prepares an item that names a verifier (not a spec or a route): its prepared part, or its
   * caller error (`tooLarge` for an over-long response). Preparation threads call it too.
   */
  prepareVerifierItem(
    raw: unknown,
    sink: (result: VerifyResult) => void,
  ): { item: PreparedItem } | { result: VerifyResult; tooLarge?: boolean } {
    const head = headOf(raw);
    const checked = this.validator.check(raw);
    if ("message" in checked) {
      return { result: noVerdict(head, "invalid_request", checked.message), tooLarge: checked.tooLarge };
    }
    const item = checked.item;
    head.version = item.verifier.version;
    let params: unknown;
    try {
      params = item.verifier.params(item.reference, item.options);
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        return { result: noVerdict(head, "invalid_request", error.message) };
      }
      return {
        result: noVerdict(head, "internal", `Preparing the item failed: ${(error as Error).message}`),
      };
    }
    const requested = typeof item.options.timeout_ms === "number"
      ? item.options.timeout_ms
      : item.verifier.defaultTimeoutMs;
    return {
      item: {
        sink,
        head,
        stageItem: item.verifier.stage
          ? { response: item.response, reference: item.reference, options: item.options, timeoutMs: 0 }
          : undefined,
        remoteItem: item.verifier.remote
          ? {
            response: item.response,
            reference: item.reference,
            options: item.options,
            prompt: item.prompt,
            images: item.images,
            timeoutMs: 0,
          }
          : undefined,
        params: paramsJson(params),
        response: item.response,
        timeoutMs: Math.min(requested, this.settings.maxTimeoutMs),
      },
    };
  }
}

/** The verifier a prepared item runs (own keys only). */
export function verifierOf(table: Record<string, WasmVerifier>, item: PreparedItem): WasmVerifier {
  return ownValue(table, item.head.verifier!)!;
}
