/**
 * Generates answers for pending items: bounded, adaptive concurrency; retries on pushback (429,
 * 5xx, timeouts, network) up to `maxRetries`; every final outcome, success or error, is appended to
 * the journal the moment it is known.
 */
import { type DataRecord, type PreparedImage, prepareImages } from "../data/mod.ts";
import type { GenerationRecord, RunJournal } from "../journal/mod.ts";
import type { BenchItem } from "../suite/mod.ts";
import { AdaptiveConcurrency, type BackoffSettings } from "./adaptive_concurrency.ts";
import { type ChatEndpoint, requestCompletion, type SamplingParams } from "../../verifiers/mod.ts";

/** One generation to make: an item (one of its samples, with that sample's parameters). */
export interface GenerationTask {
  item: BenchItem;
  genKey: string;
  record: DataRecord;
  /** Overrides `settings.params` (a sample's own seed). */
  params?: SamplingParams;
}

/** How to generate. */
export interface GenerationSettings {
  endpoint: ChatEndpoint;
  params: SamplingParams;
  timeoutMs: number;
  concurrency: number;
  maxRetries: number;
  images: { field: string; dir: string } | null;
  backoff?: BackoffSettings;
  /** Aborting stops new requests and cancels those in flight (they are not journaled). */
  signal?: AbortSignal;
  /** Stop after this many consecutive items failed for a reason that says the endpoint is down. */
  maxConsecutiveFailures?: number;
}

/** Failures that say the endpoint (not the item) is in trouble: they trip the circuit breaker. */
const ENDPOINT_FAILURES = new Set(["server_error", "rate_limited", "timeout", "network", "http_error"]);

/** Why generation stopped early (null: every task ran). */
export interface GenerationEnd {
  stopped: null | { reason: "interrupted" | "circuit_breaker"; message: string };
}

async function generateOne(
  task: GenerationTask,
  settings: GenerationSettings,
  gate: AdaptiveConcurrency,
  imagesOf: (task: GenerationTask) => Promise<PreparedImage[]>,
): Promise<GenerationRecord | null> {
  const base = { genKey: task.genKey, itemId: task.item.id, extraction: null };
  let images: { dataUrl: string; sha256: string }[] = [];
  if (settings.images) {
    try {
      images = await imagesOf(task);
    } catch (error) {
      return {
        ...base,
        response: null,
        reasoning: null,
        finishReason: null,
        errorCode: "image_error",
        errorMessage: (error as Error).message,
        latencyMs: null,
        usage: null,
        imageHashes: [],
        attempts: 0,
      };
    }
  }
  const prompt = { ...task.item.prompt, images: images.map((i) => i.dataUrl) };
  const imageHashes = images.map((i) => i.sha256);
  for (let attempts = 1;; attempts++) {
    await gate.acquire();
    if (settings.signal?.aborted) {
      gate.releaseNeutral();
      return null;
    }
    const outcome = await requestCompletion(
      settings.endpoint,
      task.params ?? settings.params,
      prompt,
      settings.timeoutMs,
      settings.signal,
    );
    if (!outcome.ok && outcome.code === "cancelled") {
      gate.releaseNeutral();
      return null;
    }
    if (outcome.ok) {
      gate.releaseOk();
      return {
        ...base,
        response: outcome.answer,
        reasoning: outcome.reasoning,
        finishReason: outcome.finishReason,
        errorCode: null,
        errorMessage: null,
        latencyMs: outcome.latencyMs,
        usage: outcome.usage,
        imageHashes,
        attempts,
      };
    }
    if (outcome.retryable) gate.releaseThrottled(outcome.retryAfterMs);
    else gate.releaseNeutral();
    if (outcome.retryable && attempts <= settings.maxRetries) continue;
    return {
      ...base,
      response: outcome.answer ?? null,
      reasoning: outcome.reasoning ?? null,
      finishReason: outcome.finishReason ?? null,
      errorCode: outcome.code,
      errorMessage: outcome.message,
      latencyMs: outcome.latencyMs,
      usage: outcome.usage ?? null,
      imageHashes,
      attempts,
    };
  }
}

/**
 * Generates every task; `onFinished` sees each journaled record (for progress). Stops early, with
 * the reason, when `settings.signal` aborts or the circuit breaker trips; unstarted tasks stay
 * ungenerated (a resumed run does them).
 */
export async function generateAll(
  tasks: GenerationTask[],
  settings: GenerationSettings,
  journal: RunJournal,
  onFinished: (record: GenerationRecord) => void,
): Promise<GenerationEnd> {
  const gate = new AdaptiveConcurrency(settings.concurrency, settings.backoff);
  const limit = settings.maxConsecutiveFailures ?? 10;
  const breaker = new AbortController();
  const signal = settings.signal ? AbortSignal.any([settings.signal, breaker.signal]) : breaker.signal;
  // An item's images are read and encoded once for all its samples, and dropped after its last one.
  const prepared = new Map<string, Promise<PreparedImage[]>>();
  const pendingOf = new Map<string, number>();
  for (const task of tasks) pendingOf.set(task.item.id, (pendingOf.get(task.item.id) ?? 0) + 1);
  const imagesOf = (task: GenerationTask) => {
    if (!prepared.has(task.item.id)) {
      prepared.set(task.item.id, prepareImages(task.record, settings.images!.field, settings.images!.dir));
    }
    return prepared.get(task.item.id)!;
  };
  const finished = (task: GenerationTask) => {
    const left = pendingOf.get(task.item.id)! - 1;
    pendingOf.set(task.item.id, left);
    if (left === 0) prepared.delete(task.item.id);
  };
  let consecutive = 0;
  let tripped: string | null = null;
  await Promise.all(tasks.map(async (task) => {
    if (signal.aborted) return;
    const record = await generateOne(task, { ...settings, signal }, gate, imagesOf).finally(() =>
      finished(task)
    );
    if (record === null) return;
    journal.appendGeneration(record);
    onFinished(record);
    if (record.errorCode !== null && ENDPOINT_FAILURES.has(record.errorCode)) {
      if (++consecutive >= limit && tripped === null) {
        tripped = `${consecutive} items in a row failed (last: ${record.errorCode}: ${record.errorMessage})`;
        breaker.abort();
      }
    } else if (record.errorCode === null) consecutive = 0;
  }));
  if (tripped !== null) {
    return { stopped: { reason: "circuit_breaker", message: `Stopped: ${tripped}; is the endpoint up?` } };
  }
  if (settings.signal?.aborted) return { stopped: { reason: "interrupted", message: "Interrupted" } };
  return { stopped: null };
}
