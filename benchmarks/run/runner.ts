/**
 * Runs a suite: check the suite and its data (before any request), build the items, generate what
 * the journal lacks (model endpoint) or take a predictions file, score through the engine, and write
 * the sample log, the results and the HTML report. Running the same command again resumes the run.
 */
import type { ChatEndpoint, Engine, SamplingParams } from "../../verifiers/mod.ts";
import { type Prediction, readDataset, readPredictionsFile } from "../data/mod.ts";
import {
  contentKey,
  type GenerationSpec,
  type Provenance,
  type RunMeta,
  sha256File,
  sha256Hex,
  SuiteError,
} from "../core/mod.ts";
import { type GenerationRecord, RunJournal } from "../journal/mod.ts";
import { generateAll, listModels } from "../model/mod.ts";
import { buildItems, checkDatasetHash, checkImages, loadSuite } from "../suite/mod.ts";
import { arbiterVersion, gitState } from "./provenance.ts";
import { finishRun, type RunResults } from "./finish.ts";
import type { RunRequest } from "./request.ts";
import { confineRequest, confineSuite } from "./access.ts";
import { runPaths, slugOf } from "./run_store.ts";
import { scoringVersions } from "./scoring.ts";

/** Progress of a run: its phase and how many of the phase's items are done. */
export type ProgressListener = (phase: string, done: number, total: number) => void;

function samplingOf(generation: GenerationSpec): SamplingParams {
  const params: SamplingParams = { temperature: generation.temperature ?? 0 };
  if (generation.max_tokens !== undefined) params.max_tokens = generation.max_tokens;
  if (generation.top_p !== undefined) params.top_p = generation.top_p;
  if (generation.seed !== undefined) params.seed = generation.seed;
  return params;
}

/** The run id a request maps to, and its model identity (the same request always maps to the same id). */
async function identify(
  request: RunRequest,
  suiteName: string,
  keyParts: Record<string, unknown>,
): Promise<{ runId: string; model: Provenance["model"]; predictions?: Map<string, Prediction> }> {
  if (request.predictions) {
    const predictions = request.predictions.rows ??
      await readPredictionsFile(request.predictions.path!).catch((error) => {
        throw new SuiteError(`predictions: ${(error as Error).message}`);
      });
    const digest = request.predictions.path
      ? await sha256File(request.predictions.path)
      : sha256Hex(JSON.stringify([...predictions.values()]));
    const model = {
      kind: "predictions" as const,
      id: `predictions:${digest.slice(0, 12)}`,
      predictions_sha256: digest,
    };
    const runId = request.runId ??
      `${suiteName}-predictions-${contentKey({ ...keyParts, digest }).slice(0, 12)}`;
    return { runId, model, predictions };
  }
  const endpoint = request.endpoint!;
  const id = endpoint.model ?? await listModels(endpoint.url, endpoint.apiKey);
  const model = { kind: "endpoint" as const, id, url: endpoint.url };
  const runId = request.runId ?? `${suiteName}-${slugOf(id)}-${contentKey({ ...keyParts, id }).slice(0, 12)}`;
  return { runId, model };
}

/** Runs (or resumes) a suite and returns its results. */
export async function runSuite(
  engine: Engine,
  asked: RunRequest,
  onProgress: ProgressListener = () => {},
): Promise<RunResults> {
  const request = confineRequest(asked);
  if (!request.endpoint === !request.predictions) {
    throw new SuiteError(
      "Give exactly one of a model endpoint (--model-url) or a predictions file (--predictions)",
    );
  }
  // 1. The suite and its data, checked before anything is sent anywhere.
  onProgress("checking", 0, 1);
  const suite = loadSuite(request.suite, request.dataPath);
  confineSuite(suite, request.access);
  const spec = suite.spec;
  if (spec.scoring.verifier && !(spec.scoring.verifier in engine.table)) {
    throw new SuiteError(`scoring.verifier: unknown verifier "${spec.scoring.verifier}"`);
  }
  const datasetSha256 = await checkDatasetHash(suite);
  const records = await readDataset(spec.dataset, suite.dataPath);
  const images = await checkImages(suite, records, request.endpoint !== undefined);
  const items = buildItems(spec, records);
  const generation = { ...(spec.generation ?? {}), ...(request.generation ?? {}) };
  const params = samplingOf(generation);

  // 2. The run's identity and journal.
  const keyParts = {
    suite: spec.name,
    version: spec.version,
    prompt: spec.prompt.version,
    params,
    datasetSha256,
  };
  const { runId, model, predictions } = await identify(request, spec.name, keyParts);
  if (predictions) refuseUnknownIds(predictions, items);
  const paths = runPaths(request.runsDir, runId);
  await Deno.mkdir(paths.dir, { recursive: true });
  const journal = new RunJournal(paths.journal);
  try {
    const git = await gitState();
    const provenance: Provenance = {
      arbiter_version: arbiterVersion(),
      git_commit: git.commit,
      git_dirty: git.dirty,
      deno: Deno.version.deno,
      suite: {
        name: spec.name,
        version: spec.version,
        file: suite.file,
        sha256: suite.sha256,
        prompt_version: spec.prompt.version,
      },
      dataset: {
        path: suite.dataPath,
        sha256: datasetSha256,
        images_sha256: images.imagesSha256,
        images_checked: images.imagesChecked,
      },
      model,
      parameters: {
        ...params,
        timeout_s: generation.timeout_s ?? 300,
        concurrency: generation.concurrency ?? 8,
      },
      verifiers: scoringVersions(engine, spec.scoring),
      created_at: new Date().toISOString(),
    };
    const meta: RunMeta = { id: runId, suite: spec, provenance };
    journal.setMeta("run", meta);
    const genKeyOf = (id: string, prompt: unknown) =>
      contentKey({
        suite: spec.name,
        version: spec.version,
        prompt_version: spec.prompt.version,
        item: id,
        prompt,
        model: model.id,
        params,
      });
    const keyed = items.map((item) => ({ item, genKey: genKeyOf(item.id, item.prompt) }));
    journal.putItems(keyed.map(({ item, genKey }) => {
      const { id, index, ...data } = item;
      return { id, index, genKey, data };
    }));

    // 3. Generations the journal lacks (never-run items and failed ones).
    const have = journal.effectiveGenerations();
    const todo = keyed.filter(({ genKey }) => have.get(genKey)?.errorCode !== null);
    if (predictions) {
      for (const { item, genKey } of todo) {
        journal.appendGeneration(predictionRecord(item.id, genKey, predictions));
      }
    } else if (todo.length > 0) {
      const recordById = new Map(records.map((r) => [r.id, r.record]));
      let done = 0;
      onProgress("generating", 0, todo.length);
      const endpoint: ChatEndpoint = {
        url: request.endpoint!.url,
        model: model.id,
        apiKey: request.endpoint!.apiKey,
      };
      await generateAll(
        todo.map(({ item, genKey }) => ({ item, genKey, record: recordById.get(item.id)! })),
        {
          endpoint,
          params,
          timeoutMs: (generation.timeout_s ?? 300) * 1000,
          concurrency: generation.concurrency ?? 8,
          maxRetries: generation.max_retries ?? 4,
          images: spec.dataset.images && suite.imagesDir
            ? { field: spec.dataset.images.field, dir: suite.imagesDir }
            : null,
          backoff: request.backoff,
        },
        journal,
        () => onProgress("generating", ++done, todo.length),
      );
    }
    // 4. Scoring and the outputs.
    return await finishRun(engine, journal, paths, meta, onProgress);
  } finally {
    journal.close();
  }
}

function predictionRecord(
  id: string,
  genKey: string,
  predictions: Map<string, Prediction>,
): GenerationRecord {
  const p = predictions.get(id);
  const common = {
    genKey,
    itemId: id,
    reasoning: null,
    finishReason: null,
    latencyMs: null,
    usage: null,
    imageHashes: [],
    attempts: 1,
  };
  if (!p) {
    return {
      ...common,
      response: null,
      extraction: null,
      errorCode: "missing_prediction",
      errorMessage: `The predictions have no line with id "${id}"`,
    };
  }
  return {
    ...common,
    response: p.response,
    extraction: p.extraction ?? null,
    errorCode: null,
    errorMessage: null,
  };
}

/** Predictions for ids the suite does not have are an error (a wrong file or a wrong suite), not ignored. */
function refuseUnknownIds(predictions: Map<string, Prediction>, items: { id: string }[]): void {
  const known = new Set(items.map((item) => item.id));
  const unknown = [...predictions.keys()].filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 3).map((id) => JSON.stringify(id.slice(0, 64))).join(", ");
  throw new SuiteError(
    `predictions: ${unknown.length} of ${predictions.size} ids are not items of the suite (${shown}${
      unknown.length > 3 ? ", …" : ""
    }); check the suite and the file`,
  );
}
