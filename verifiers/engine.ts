/**
 * The engine: admits batches, hands them to a `BatchRun` (preparing, chunking, deadlines, budgets)
 * over the sandbox pool, and answers what the routes ask of the verifiers (health, descriptions,
 * counters). The HTTP API, the CLI and the benchmark runner all go through it, so they all give the
 * same result for the same item.
 */
import { DEFAULT_CGROUP_MEMORY_BYTES, type PoolStats, sandboxLaunch, WorkerPool } from "../wasm/mod.ts";
import { EngineMetrics } from "./metrics.ts";
import type { VerifyResult } from "./result.ts";
import { InvalidRequestError, type RemoteBackend, type WasmVerifier } from "./types.ts";
import { ItemValidator, withTimeoutOption } from "./validate.ts";
import { leavesOf, type SpecNode, specSizeProblem } from "./spec.ts";
import { BatchTooLargeError, OverloadedError, SandboxUnavailableError } from "./errors.ts";
import { ItemPreparer, ownValue } from "./item_preparer.ts";
import { type BatchOptions, BatchRun } from "./batch_run.ts";
import { StagedChecks } from "./staged_checks.ts";
import { RawItem } from "./raw_item.ts";
import { PrepPool, type PrepStats } from "./prep_pool.ts";
import { VERIFIERS } from "./registry.ts";

/** Engine settings; every field has a default in `defaultEngineOptions`. */
export interface EngineOptions {
  /** Sandbox workers (default: one per core). */
  workers: number;
  /**
   * Threads that parse, validate and marshal large batches of raw items (HTTP bodies, CLI lines)
   * off the main thread (default: cores − 1, at least 1, at most 4; 0: all on the main thread). Only
   * plain kernel verifiers are prepared there; see README, Performance, for the measured effect.
   */
  prepThreads: number;
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
  /** Deepest nesting of a spec's operators. */
  maxSpecDepth: number;
  /** Most leaves (verifiers and constants) in one spec. */
  maxSpecLeaves: number;
  /** Most response characters one spec item may send to the sandbox (leaves × response length). */
  maxSpecLeafBytes: number;
  /**
   * RLIMIT_DATA of each sandbox process, in bytes (0: none). Measured with Deno 2.9.6: under 1 GiB the
   * kernel Worker cannot start (V8 fails to reserve its CodeRange); at 1.5 GiB it starts and a 1.2 GB
   * ArrayBuffer is a catchable RangeError. The default, 2 GiB, leaves room for more compiled kernels.
   */
  sandboxMemoryBytes: number;
  /** Memory cgroup limit of each sandbox process, in bytes, where a cgroup can be made (0: none). */
  sandboxCgroupMemoryBytes: number;
  /** Compile each verifier's schemas on its first item (one-shot commands) instead of at start. */
  lazyValidators: boolean;
  /**
   * Start without waiting for what a run may not need (`deno task verify`): a staged verifier's
   * sandbox check runs when its first items come (they are `sandbox_unavailable` if it fails; a run
   * without charts or programs then does not wait for a Python sandbox to start, 1.3 s here), and
   * the preparation threads take slices once they have started (a slice sent before waits in the
   * thread's queue; a thread that fails to start hands its slices back to the main thread).
   */
  lazyStart: boolean;
  /** Judge endpoints by name (config `judges:`), for the remote `judge` verifier. */
  judges: Record<string, unknown>;
  /** Rubric templates added to the shipped ones (config `judge_templates:`). */
  judgeTemplates: Record<string, unknown>;
  /** SQLite file of the judge verdict cache (config `judge_cache`; "" keeps it in memory). */
  judgeCache: string;
  /** Folders whose files items may name (e.g. judge `images`). */
  dataRoots: string[];
}

/** The defaults, written once; `config.ts` starts from these. */
export const defaultEngineOptions: EngineOptions = {
  workers: navigator.hardwareConcurrency || 2,
  prepThreads: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
  maxTimeoutMs: 30_000,
  maxQueueItems: 262_144,
  maxChunkItems: 1024,
  maxResponseChars: 8 * 1024 * 1024,
  wasmDir: new URL("../wasm/", import.meta.url),
  specs: {},
  routes: {},
  maxSpecDepth: 32,
  maxSpecLeaves: 256,
  maxSpecLeafBytes: 64 * 1024 * 1024,
  sandboxMemoryBytes: 2048 * 1024 * 1024,
  sandboxCgroupMemoryBytes: DEFAULT_CGROUP_MEMORY_BYTES,
  lazyValidators: false,
  lazyStart: false,
  judges: {},
  judgeTemplates: {},
  judgeCache: "",
  dataRoots: [],
};

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

/** The engine's counters for `/metrics`: the sandbox pool's, and admission's. */
export interface EngineStats {
  pool: PoolStats;
  /** Items admitted and not yet answered, over all batches. */
  pendingItems: number;
  /** Batches refused whole, by reason: the queue was full (429), too many items (413), unavailable (503). */
  rejectedBatches: { overloaded: number; too_large: number; unavailable: number };
  /** The preparation threads' counters (null when the engine prepares everything on its main thread). */
  prep: PrepStats | null;
}

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
    const path = new URL(`${table[name].kernel ?? name}.wasm`, settings.wasmDir).pathname;
    try {
      await Deno.stat(path);
      kernels[name] = path;
    } catch (error) {
      unavailable[name] = `kernel wasm/${table[name].kernel ?? name}.wasm could not be read (${
        (error as Error).message
      }); run deno task build`;
    }
  }
  // Remote verifiers (judge): one backend each, built from the settings; it may be unavailable.
  const remotes: Record<string, RemoteBackend> = {};
  const effective = { ...table };
  for (const verifier of Object.values(table)) {
    if (!verifier.remote) continue;
    const backend = remotes[verifier.name] = verifier.remote(settings);
    const reason = backend.unavailable();
    if (reason !== null && !Object.hasOwn(unavailable, verifier.name)) unavailable[verifier.name] = reason;
    // Options that name what is not configured (an unknown judge) are caller errors before anything runs.
    if (reason === null) effective[verifier.name] = { ...verifier, params: remoteParams(verifier, backend) };
  }
  const launch = await sandboxLaunch({
    kernels,
    memoryBytes: settings.sandboxMemoryBytes,
    cgroupMemoryBytes: settings.sandboxCgroupMemoryBytes,
  });
  const pool = new WorkerPool({ size: settings.workers, kernels, launch });
  const prep = prepPoolFor(effective, settings, kernels);
  // Staged verifiers' own checks (e.g. starting a Python sandbox) run while the kernels compile, or
  // (lazyStart) when their first items come.
  const checks = new StagedChecks();
  for (const verifier of Object.values(table)) {
    const check = verifier.availability;
    if (!check || Object.hasOwn(unavailable, verifier.name)) continue;
    checks.add(verifier.name, async () => {
      const reason = await check().catch((error) => `its check failed: ${(error as Error).message}`);
      if (reason !== null && !Object.hasOwn(unavailable, verifier.name)) unavailable[verifier.name] = reason;
    });
  }
  try {
    const prepReady = prep?.ready();
    // Lazily: a thread that fails to start is handled per slice (its slices fall back).
    if (settings.lazyStart) prepReady?.catch(() => {});
    await Promise.all([
      pool.ready(),
      settings.lazyStart ? undefined : prepReady,
      settings.lazyStart ? undefined : checks.all(),
    ]);
  } catch (error) {
    prep?.close();
    await pool.close();
    throw error;
  }
  return new Engine(effective, settings, pool, unavailable, remotes, prep, checks);
}

/**
 * Preparation threads for the verifiers they can prepare exactly as the engine does: the shipped
 * plain kernel verifiers (no host stage, not remote), as the table has them. Null when none or off.
 */
function prepPoolFor(
  table: Record<string, WasmVerifier>,
  settings: EngineOptions,
  kernels: Record<string, string>,
): PrepPool | undefined {
  const verifiers = Object.keys(table).filter((name) =>
    Object.hasOwn(VERIFIERS, name) && table[name] === VERIFIERS[name] && !table[name].stage &&
    !table[name].remote && Object.hasOwn(kernels, name)
  );
  if (settings.prepThreads <= 0 || verifiers.length === 0) return undefined;
  return new PrepPool(settings.prepThreads, {
    verifiers,
    maxResponseChars: settings.maxResponseChars,
    maxTimeoutMs: settings.maxTimeoutMs,
    lazyValidators: settings.lazyValidators,
  });
}

/** A remote verifier's `params` that also asks its backend whether the options fit the config. */
function remoteParams(verifier: WasmVerifier, backend: RemoteBackend): WasmVerifier["params"] {
  return (reference, options) => {
    const problem = backend.optionsProblem(options);
    if (problem !== null) throw new InvalidRequestError(problem);
    return verifier.params(reference, options);
  };
}

/** Verifies items; see `createEngine`. */
export class Engine {
  readonly metrics: EngineMetrics;
  /** Items admitted and not yet answered, over all batches (the queue the 429 limit applies to). */
  private pendingItems = 0;
  private readonly rejected = { overloaded: 0, too_large: 0, unavailable: 0 };
  private readonly validator: ItemValidator;
  private readonly preparer: ItemPreparer;

  constructor(
    readonly table: Record<string, WasmVerifier>,
    readonly options: EngineOptions,
    private readonly pool: WorkerPool,
    private readonly unavailable: Record<string, string>,
    private readonly remotes: Record<string, RemoteBackend> = {},
    private readonly prep?: PrepPool,
    /** Staged verifiers' sandbox checks (settled at start unless `lazyStart`). */
    private readonly checks = new StagedChecks(),
  ) {
    this.validator = new ItemValidator(table, options.maxResponseChars, options.lazyValidators);
    this.metrics = new EngineMetrics(new Set(Object.keys(table)));
    this.preparer = new ItemPreparer(this.validator, options, (result) => this.metrics.record(result));
    this.checkConfiguredSpecs();
  }

  /** The verifier of that name (own keys only: `constructor` is not a verifier), or undefined. */
  verifier(name: string): WasmVerifier | undefined {
    return ownValue(this.table, name);
  }

  /** Rejects configured specs and routes that could never work (at start-up, not per request). */
  private checkConfiguredSpecs(): void {
    const limits = { maxDepth: this.options.maxSpecDepth, maxLeaves: this.options.maxSpecLeaves };
    const check = (where: string, spec: unknown) => {
      const problem = specSizeProblem(spec, limits) ?? this.validator.checkSpec(spec);
      if (problem) throw new InvalidRequestError(`${where}: ${problem}`);
      for (const leaf of leavesOf(spec as SpecNode)) {
        if (!this.verifier(leaf.verifier)) {
          throw new InvalidRequestError(`${where}: unknown verifier "${leaf.verifier}" at ${leaf.path}`);
        }
      }
    };
    for (const [name, spec] of Object.entries(this.options.specs)) check(`specs.${name}`, spec);
    for (const [source, route] of Object.entries(this.options.routes)) {
      if (typeof route === "string") {
        if (!Object.hasOwn(this.options.specs, route)) {
          throw new InvalidRequestError(`routes.${source}: unknown spec "${route}"`);
        }
      } else check(`routes.${source}`, route);
    }
  }

  /** Per verifier: "ok" or why it is unavailable. */
  health(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of Object.keys(this.table).sort()) out[name] = ownValue(this.unavailable, name) ?? "ok";
    return out;
  }

  /**
   * True when a verifier this server runs itself (kernel or staged) is unavailable. A remote
   * verifier (a judge) depends on configuration and on endpoints elsewhere, so it never makes the
   * server itself degraded (a readiness probe must not fail because a judge is down or unconfigured).
   */
  isDegraded(): boolean {
    return Object.values(this.table).some((v) => !v.remote && Object.hasOwn(this.unavailable, v.name));
  }

  /** The engine's counters (pool, queue, refused batches), for `/metrics`. */
  stats(): EngineStats {
    return {
      pool: { ...this.pool.stats },
      pendingItems: this.pendingItems,
      rejectedBatches: { ...this.rejected },
      prep: this.prep ? { ...this.prep.stats } : null,
    };
  }

  /** Descriptions, schemas and examples of every verifier, for `GET /v1/verifiers`. */
  describe(): VerifierDescription[] {
    return Object.values(this.table).sort((a, b) => a.name.localeCompare(b.name)).map((v) => ({
      name: v.name,
      version: v.version,
      description: v.description,
      available: !Object.hasOwn(this.unavailable, v.name),
      default_timeout_ms: v.defaultTimeoutMs,
      schemas: { reference: v.referenceSchema, options: withTimeoutOption(v.optionsSchema) },
      examples: v.examples,
    }));
  }

  /**
   * Validates one item: returns the caller error (`tooLarge` for an over-long response), or null
   * when the item is valid. `POST /v1/verify` uses it to answer 400 or 413 before anything runs.
   */
  invalidReason(raw: unknown): { message: string; tooLarge?: boolean } | null {
    const prepared = this.preparer.prepareAny(raw, () => {});
    if (!("result" in prepared)) return null;
    return { message: prepared.result.error!.message, tooLarge: prepared.tooLarge };
  }

  /**
   * Verifies a batch; resolves with one result per item in request order. Invalid items get an
   * `invalid_request` result; the others are scored in the sandbox. Rejects with `OverloadedError`
   * when the queue is full, `BatchTooLargeError` when the batch could never fit, and
   * `SandboxUnavailableError` when a needed verifier is unavailable.
   */
  verifyBatch(rawItems: unknown[], batch: BatchOptions = {}): Promise<VerifyResult[]> {
    try {
      return this.startBatch(rawItems, batch);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Like `verifyBatch`, but throws the admission errors synchronously, before any result is
   * delivered, so a streaming response can still answer 413, 429 or 503.
   */
  startBatch(rawItems: unknown[], batch: BatchOptions = {}): Promise<VerifyResult[]> {
    this.admit(rawItems);
    this.pendingItems += rawItems.length;
    const run = new BatchRun(
      {
        pool: this.pool,
        preparer: this.preparer,
        table: this.table,
        unavailable: this.unavailable,
        workers: this.options.workers,
        maxChunkItems: this.options.maxChunkItems,
        record: (result) => this.metrics.record(result),
        release: (count) => this.pendingItems -= count,
        remotes: this.remotes,
        prep: this.prep,
        checks: this.checks,
      },
      rawItems,
      batch,
    );
    return run.start();
  }

  /** Admission, cheap and synchronous: the batch's size, needed verifiers, room in the queue. */
  private admit(rawItems: unknown[]): void {
    if (rawItems.length > this.options.maxQueueItems) {
      this.rejected.too_large++;
      throw new BatchTooLargeError(rawItems.length, this.options.maxQueueItems);
    }
    // An indexed loop: this runs once per batch, mostly before it is optimized, where `for…of`
    // made an iterator result per item (40 bytes an item of garbage).
    for (let i = 0; i < rawItems.length; i++) {
      const raw = rawItems[i];
      const name = raw instanceof RawItem ? raw.verifier : (raw as { verifier?: unknown } | null)?.verifier;
      const reason = typeof name === "string" ? ownValue(this.unavailable, name) : undefined;
      if (reason !== undefined) {
        this.rejected.unavailable++;
        throw new SandboxUnavailableError(`Verifier "${name}" is unavailable: ${reason}`);
      }
    }
    const pending = this.pendingItems;
    if (pending > 0 && pending + rawItems.length > this.options.maxQueueItems) {
      this.rejected.overloaded++;
      throw new OverloadedError(
        `The verification queue is full (${pending} items waiting, limit ${this.options.maxQueueItems})`,
        Math.max(1, Math.ceil(pending / 200_000)),
      );
    }
  }

  /** Verifies one item (already known to be valid or not): its result. */
  async verifyOne(raw: unknown): Promise<VerifyResult> {
    const [result] = await this.verifyBatch([raw]);
    return result;
  }

  /** Stops the sandbox processes (and any verifier's own, such as a renderer pool). */
  async close(): Promise<void> {
    // A deferred check may still be starting its sandbox: let it finish (it stops what it started).
    await this.checks.started();
    this.prep?.close();
    await Promise.all([
      this.pool.close(),
      ...Object.values(this.table).map((v) => v.close?.()),
      ...Object.values(this.remotes).map((r) => r.close()),
    ]);
  }

  /** Prometheus lines of the remote verifiers (judge calls, cache hits and misses, tokens). */
  remoteMetricLines(): string[] {
    return Object.values(this.remotes).flatMap((remote) => remote.metricLines());
  }
}
