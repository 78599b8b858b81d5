/**
 * The engine: validates items, spreads them over the sandbox pool in chunks, applies deadlines and
 * budgets, and turns every kernel outcome into a result of DESIGN.md §2. The HTTP API, the CLI and
 * the benchmark runner all go through it, so they all give the same result for the same item.
 */
import { type ChunkRequest, WorkerPool } from "../wasm/pool.ts";
import { EngineMetrics } from "./metrics.ts";
import { noVerdict, verdict, type VerifyResult } from "./result.ts";
import { InvalidRequestError, type WasmVerifier } from "./types.ts";
import { encodeChunk, headOf, type PreparedItem } from "./_prepared.ts";
import { resultOfOutcome } from "./_outcome.ts";
import { ItemValidator, type ValidItem } from "./validate.ts";
import { leavesOf, type SpecNode } from "./spec.ts";
import { specError, specResult } from "./spec_result.ts";

/** Engine settings; every field has a default in `defaultEngineOptions`. */
export interface EngineOptions {
  /** Sandbox workers (default: one per core). */
  workers: number;
  /** Cap on any item's `timeout_ms`. */
  maxTimeoutMs: number;
  /** Items that may wait in the queue before new batches get `overloaded` (HTTP 429). */
  maxQueueItems: number;
  /** Largest number of items sent to a worker in one message. */
  maxChunkItems: number;
  /** Longest `response` accepted (characters); longer items are caller errors. */
  maxResponseChars: number;
  /** Folder of the built kernels (`<name>.wasm`). */
  wasmDir: URL;
  /** Named reward specs, used as `{"spec": "name"}`. */
  specs: Record<string, unknown>;
  /** `data_source` → spec (a name or an inline spec), for items with neither verifier nor spec. */
  routes: Record<string, unknown>;
}

export const defaultEngineOptions: EngineOptions = {
  workers: navigator.hardwareConcurrency || 2,
  maxTimeoutMs: 30_000,
  maxQueueItems: 262_144,
  maxChunkItems: 1024,
  maxResponseChars: 8 * 1024 * 1024,
  wasmDir: new URL("../wasm/", import.meta.url),
  specs: {},
  routes: {},
};

/** The queue is full: retry after `retryAfterS` seconds (HTTP 429). */
export class OverloadedError extends Error {
  readonly code = "overloaded";
  override name = "OverloadedError";
  constructor(message: string, readonly retryAfterS: number) {
    super(message);
  }
}

/** A verifier the request needs cannot run here (its kernel did not load): HTTP 503. */
export class SandboxUnavailableError extends Error {
  readonly code = "sandbox_unavailable";
  override name = "SandboxUnavailableError";
}

/** Options of one batch. */
export interface BatchOptions {
  /** Time for the whole batch; items not verified by then get `overloaded`. */
  budgetMs?: number;
  /** Called once per item as soon as its result is known (completion order). */
  onResult?: (index: number, result: VerifyResult) => void;
}

/** What `/v1/verifiers` publishes about a verifier. */
export interface VerifierDescription {
  name: string;
  version: string;
  description: string;
  available: boolean;
  default_timeout_ms: number;
  schemas: { reference: unknown; options: unknown };
  examples: WasmVerifier["examples"];
}

/** Windows of items being prepared or scored at once per batch (each: 2 × workers × maxChunkItems). */
const WINDOWS_IN_FLIGHT = 2;

/** Creates an engine over a dispatch table of verifiers; resolves once the sandbox is ready. */
export async function createEngine(
  table: Record<string, WasmVerifier>,
  options: Partial<EngineOptions> = {},
): Promise<Engine> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const settings: EngineOptions = { ...defaultEngineOptions, ...given };
  const kernels: Record<string, string> = {};
  const unavailable: Record<string, string> = {};
  for (const name of Object.keys(table)) {
    const path = new URL(`${name}.wasm`, settings.wasmDir).pathname;
    try {
      await Deno.stat(path);
      kernels[name] = path;
    } catch (error) {
      unavailable[name] = `kernel wasm/${name}.wasm could not be read (${
        (error as Error).message
      }); run deno task build`;
    }
  }
  for (const verifier of Object.values(table)) {
    if (!verifier.availability || verifier.name in unavailable) continue;
    const reason = await verifier.availability();
    if (reason !== null) unavailable[verifier.name] = reason;
  }
  const pool = new WorkerPool({ size: settings.workers, kernels });
  await pool.ready();
  return new Engine(table, settings, pool, unavailable);
}

/** Verifies items; see `createEngine`. */
export class Engine {
  readonly metrics: EngineMetrics;
  /** Items admitted and not yet answered, over all batches (the queue the 429 limit applies to). */
  private pendingItems = 0;
  private readonly validator: ItemValidator;

  constructor(
    readonly table: Record<string, WasmVerifier>,
    readonly options: EngineOptions,
    readonly pool: WorkerPool,
    readonly unavailable: Record<string, string>,
  ) {
    this.validator = new ItemValidator(table, options.maxResponseChars);
    this.checkConfiguredSpecs();
    this.metrics = new EngineMetrics(new Set(Object.keys(table)));
  }

  /** Rejects configured specs and routes that could never work (at start-up, not per request). */
  private checkConfiguredSpecs(): void {
    const check = (where: string, spec: unknown) => {
      const problem = this.validator.checkSpec(spec);
      if (problem) throw new InvalidRequestError(`${where}: ${problem}`);
      for (const leaf of leavesOf(spec as SpecNode)) {
        if (!(leaf.verifier in this.table)) {
          throw new InvalidRequestError(`${where}: unknown verifier "${leaf.verifier}" at ${leaf.path}`);
        }
      }
    };
    for (const [name, spec] of Object.entries(this.options.specs)) check(`specs.${name}`, spec);
    for (const [source, route] of Object.entries(this.options.routes)) {
      if (typeof route === "string") {
        if (!(route in this.options.specs)) {
          throw new InvalidRequestError(`routes.${source}: unknown spec "${route}"`);
        }
      } else check(`routes.${source}`, route);
    }
  }

  /** Per verifier: "ok" or why it is unavailable. */
  health(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of Object.keys(this.table).sort()) out[name] = this.unavailable[name] ?? "ok";
    return out;
  }

  /** Descriptions, schemas and examples of every verifier, for `GET /v1/verifiers`. */
  describe(): VerifierDescription[] {
    return Object.values(this.table).sort((a, b) => a.name.localeCompare(b.name)).map((v) => ({
      name: v.name,
      version: v.version,
      description: v.description,
      available: !(v.name in this.unavailable),
      default_timeout_ms: v.defaultTimeoutMs,
      schemas: { reference: v.referenceSchema, options: v.optionsSchema },
      examples: v.examples,
    }));
  }

  /**
   * Validates one item: returns the caller error (`tooLarge` for an over-long response), or null
   * when the item is valid. `POST /v1/verify` uses it to answer 400 or 413 before anything runs.
   */
  invalidReason(raw: unknown): { message: string; tooLarge?: boolean } | null {
    const prepared = this.prepareAny(raw, () => {});
    if (!("result" in prepared)) return null;
    return { message: prepared.result.error!.message, tooLarge: prepared.tooLarge };
  }

  /**
   * Verifies a batch; resolves with one result per item in request order. Invalid items get an
   * `invalid_request` result; the others are scored in the sandbox. Throws `OverloadedError` when
   * the queue is full and `SandboxUnavailableError` when a needed kernel is missing.
   */
  verifyBatch(rawItems: unknown[], batch: BatchOptions = {}): Promise<VerifyResult[]> {
    try {
      return this.startBatch(rawItems, batch);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Like `verifyBatch`, but throws `OverloadedError` / `SandboxUnavailableError` synchronously,
   * before any result is delivered, so a streaming response can still answer 429 or 503.
   */
  startBatch(rawItems: unknown[], batch: BatchOptions = {}): Promise<VerifyResult[]> {
    // Admission first, cheaply and synchronously: a needed verifier that is unavailable, a full queue.
    for (const raw of rawItems) {
      const name = (raw as { verifier?: unknown } | null)?.verifier;
      if (typeof name === "string" && name in this.unavailable) {
        throw new SandboxUnavailableError(`Verifier "${name}" is unavailable: ${this.unavailable[name]}`);
      }
    }
    const pending = this.pendingItems;
    if (pending > 0 && pending + rawItems.length > this.options.maxQueueItems) {
      throw new OverloadedError(
        `The verification queue is full (${pending} items waiting, limit ${this.options.maxQueueItems})`,
        Math.max(1, Math.ceil(pending / 200_000)),
      );
    }
    this.pendingItems += rawItems.length;

    const results: VerifyResult[] = new Array(rawItems.length);
    let delivered = 0;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => finish = resolve);
    const deliver = (index: number, result: VerifyResult) => {
      results[index] = result;
      this.metrics.record(result);
      this.pendingItems--;
      batch.onResult?.(index, result);
      if (++delivered === rawItems.length) finish();
    };
    if (rawItems.length === 0) finish();

    const startedAt = performance.timeOrigin + performance.now();
    const deadlineAt = batch.budgetMs === undefined ? Infinity : startedAt + batch.budgetMs;
    const requests = new Set<ChunkRequest>();
    let budgetSpent = false;
    const runChunks = (items: PreparedItem[]) => {
      const started: Promise<unknown>[] = [];
      for (const chunk of this.chunksOf(items)) {
        if (budgetSpent) {
          for (const item of chunk) {
            item.sink(resultOfOutcome(item, { kind: "cancelled", ms: 0 }, batch.budgetMs, true));
          }
          continue;
        }
        const request = encodeChunk(chunk, deadlineAt);
        requests.add(request);
        started.push(
          this.pool.run(request, (position, outcome) => {
            const item = chunk[position];
            item.sink(resultOfOutcome(item, outcome, batch.budgetMs, budgetSpent));
          }).finally(() => requests.delete(request)),
        );
      }
      return Promise.all(started);
    };

    // Items are prepared (validated, parameters built, marshalled) a window at a time, and the
    // next window while the sandbox scores the previous ones, so preparing overlaps scoring.
    let next = 0;
    let windowsInFlight = 0;
    const pump = () => {
      while (windowsInFlight < WINDOWS_IN_FLIGHT && next < rawItems.length) {
        const end = Math.min(rawItems.length, next + 2 * this.options.workers * this.options.maxChunkItems);
        const groups = new Map<string, PreparedItem[]>();
        for (let index = next; index < end; index++) {
          const prepared = this.prepareAny(rawItems[index], (result) => deliver(index, result));
          if ("result" in prepared) {
            deliver(index, prepared.result);
            continue;
          }
          for (const item of prepared.items) {
            const name = item.head.verifier!;
            let group = groups.get(name);
            if (!group) groups.set(name, group = []);
            group.push(item);
          }
          prepared.ready?.();
        }
        next = end;
        const runs: Promise<unknown>[] = [];
        for (const items of groups.values()) {
          const verifier = this.table[items[0].head.verifier!];
          if (verifier.name in this.unavailable) {
            for (const item of items) {
              item.sink(
                noVerdict(item.head, "sandbox_unavailable", `Verifier "${verifier.name}" is unavailable`),
              );
            }
          } else if (verifier.stage) runs.push(this.stageItems(verifier, items).then(runChunks));
          else runs.push(runChunks(items));
        }
        windowsInFlight++;
        Promise.all(runs).finally(() => {
          windowsInFlight--;
          pump();
        });
      }
    };
    pump();

    let budgetTimer: ReturnType<typeof setTimeout> | undefined;
    if (batch.budgetMs !== undefined && delivered < rawItems.length) {
      budgetTimer = setTimeout(() => {
        budgetSpent = true;
        for (const request of requests) this.pool.cancel(request);
      }, batch.budgetMs);
    }
    return done.then(() => results).finally(() => clearTimeout(budgetTimer));
  }

  /** Verifies one item (already known to be valid or not): its result. */
  async verifyOne(raw: unknown): Promise<VerifyResult> {
    const [result] = await this.verifyBatch([raw]);
    return result;
  }

  /** Stops the sandbox processes (and any verifier's own, such as a renderer pool). */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), ...Object.values(this.table).map((v) => v.close?.())]);
  }

  /**
   * Prepares an item of any kind: a verifier item becomes one prepared item, a spec item (or one
   * routed by `data_source`) becomes its leaves, whose results `sink` receives combined. `ready`
   * must be called once the caller has queued the leaves (a spec without leaves resolves then).
   */
  private prepareAny(
    raw: unknown,
    sink: (result: VerifyResult) => void,
  ): { items: PreparedItem[]; ready?: () => void } | { result: VerifyResult; tooLarge?: boolean } {
    const item = (raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw : {}) as Record<
      string,
      unknown
    >;
    if (!("spec" in item) && !("verifier" in item) && "data_source" in item) {
      const route = this.options.routes[String(item.data_source)];
      if (route === undefined) {
        return {
          result: noVerdict(
            headOf(raw),
            "invalid_request",
            `No route for data_source ${JSON.stringify(item.data_source)}; configured: ${
              Object.keys(this.options.routes).join(", ") || "none"
            }`,
          ),
        };
      }
      const { data_source: _, ...rest } = item;
      return this.prepareSpec({ ...rest, spec: route }, sink);
    }
    if ("spec" in item) return this.prepareSpec(item, sink);
    const prepared = this.prepare(raw, sink);
    return "result" in prepared ? prepared : { items: [prepared.item] };
  }

  private prepareSpec(
    item: Record<string, unknown>,
    sink: (result: VerifyResult) => void,
  ): { items: PreparedItem[]; ready: () => void } | { result: VerifyResult; tooLarge?: boolean } {
    const id = typeof item.id === "string" ? item.id : undefined;
    const fail = (message: string, tooLarge = false) => ({
      result: specError(id, "invalid_request", message),
      tooLarge,
    });
    if ("verifier" in item) return fail("An item names exactly one of verifier or spec, not both");
    const envelope = this.validator.checkEnvelope(item);
    if (envelope) return fail(envelope.message, envelope.tooLarge);
    const specName = typeof item.spec === "string" ? item.spec : "inline";
    const node = typeof item.spec === "string" ? this.options.specs[item.spec] : item.spec;
    if (node === undefined) {
      return fail(
        `Unknown spec "${item.spec}"; configured specs: ${
          Object.keys(this.options.specs).join(", ") || "none"
        }`,
      );
    }
    const invalidSpec = this.validator.checkSpec(node);
    if (invalidSpec) return fail(invalidSpec);
    const spec = node as SpecNode;
    const { spec: _, ...base } = item;
    const leaves = leavesOf(spec);
    const results = new Map<string, VerifyResult>();
    const items: PreparedItem[] = [];
    const finish = () => sink(specResult(id, specName, spec, leaves, results));
    for (const leaf of leaves) {
      const leafRaw = {
        verifier: leaf.verifier,
        response: base.response,
        reference: leaf.reference === undefined ? base.reference : leaf.reference,
        options: leaf.options,
      };
      const prepared = this.prepare(leafRaw, (result) => {
        this.metrics.record(result);
        results.set(leaf.path, result);
        if (results.size === leaves.length) finish();
      });
      if ("result" in prepared) {
        return fail(`${leaf.path}: ${prepared.result.error!.message}`, prepared.tooLarge);
      }
      items.push(prepared.item);
    }
    return { items, ready: () => leaves.length === 0 && finish() };
  }

  private prepare(
    raw: unknown,
    sink: (result: VerifyResult) => void,
  ): { item: PreparedItem } | { result: VerifyResult; tooLarge?: boolean } {
    const head = headOf(raw);
    const checked = this.validator.check(raw);
    if ("message" in checked) {
      return { result: noVerdict(head, "invalid_request", checked.message), tooLarge: checked.tooLarge };
    }
    const item: ValidItem = checked.item;
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
        params: JSON.stringify(params),
        response: item.response,
        timeoutMs: Math.min(requested, this.options.maxTimeoutMs),
      },
    };
  }

  /**
   * Runs a verifier's host stage for each item (concurrently; the stage bounds its own work).
   * Items it settles get their result here; the others continue to the kernel with its input.
   */
  private async stageItems(verifier: WasmVerifier, items: PreparedItem[]): Promise<PreparedItem[]> {
    const outcomes = await Promise.all(items.map(async (item) => {
      try {
        return await verifier.stage!({ ...item.stageItem!, timeoutMs: item.timeoutMs });
      } catch (error) {
        return {
          error: {
            code: "internal" as const,
            message: `The ${verifier.name} stage failed: ${(error as Error).message}`,
          },
        };
      }
    }));
    const ready: PreparedItem[] = [];
    outcomes.forEach((outcome, i) => {
      const item = items[i];
      if ("input" in outcome) {
        item.input = outcome.input;
        ready.push(item);
      } else if ("verdict" in outcome) {
        const { reward, correct, details } = outcome.verdict;
        item.sink(verdict(item.head, reward, correct, details, 0));
      } else {
        item.sink(noVerdict(item.head, outcome.error.code, outcome.error.message));
      }
    });
    return ready;
  }

  /** Splits a verifier's items into chunks small enough to keep every worker busy. */
  private chunksOf(items: PreparedItem[]): PreparedItem[][] {
    // Two chunks per process: each process holds two jobs, so it never waits between them.
    const perWorker = Math.ceil(items.length / (this.options.workers * 2));
    const size = Math.max(16, Math.min(this.options.maxChunkItems, perWorker));
    const chunks: PreparedItem[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  }
}
