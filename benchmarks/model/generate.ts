/**
 * Generates answers for pending items: bounded, adaptive concurrency; retries on pushback (429,
 * 5xx, timeouts, network) up to `maxRetries`; every final outcome, success or error, is appended to
 * the journal the moment it is known.
 */
import { type DataRecord, prepareImages } from "../data/mod.ts";
import type { GenerationRecord, RunJournal } from "../journal/mod.ts";
import type { BenchItem } from "../suite/mod.ts";
import { AdaptiveConcurrency, type BackoffSettings } from "./adaptive_concurrency.ts";
import { type ChatEndpoint, requestCompletion, type SamplingParams } from "../../verifiers/mod.ts";

/** One item to generate. */
export interface GenerationTask {
  item: BenchItem;
  genKey: string;
  record: DataRecord;
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
}

async function generateOne(
  task: GenerationTask,
  settings: GenerationSettings,
  gate: AdaptiveConcurrency,
): Promise<GenerationRecord> {
  const base = { genKey: task.genKey, itemId: task.item.id, extraction: null };
  let images: { dataUrl: string; sha256: string }[] = [];
  if (settings.images) {
    try {
      images = await prepareImages(task.record, settings.images.field, settings.images.dir);
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
    const outcome = await requestCompletion(settings.endpoint, settings.params, prompt, settings.timeoutMs);
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

/** Generates every task; `onFinished` sees each journaled record (for progress). */
export async function generateAll(
  tasks: GenerationTask[],
  settings: GenerationSettings,
  journal: RunJournal,
  onFinished: (record: GenerationRecord) => void,
): Promise<void> {
  const gate = new AdaptiveConcurrency(settings.concurrency, settings.backoff);
  await Promise.all(tasks.map(async (task) => {
    const record = await generateOne(task, settings, gate);
    journal.appendGeneration(record);
    onFinished(record);
  }));
}
