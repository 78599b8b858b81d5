/**
 * Runs a suite: check the suite and its data (before any request), pre-flight the endpoint, fix
 * the run's identity (refusing to resume under another), generate what the journal lacks (model
 * endpoint, one or more samples per item) or take a predictions file, score through the engine,
 * and write the sample log, the results and the HTML report. The same command again resumes.
 */
import type { ChatEndpoint, Engine, SamplingParams } from "../../verifiers/mod.ts";
import { contentKey, type GenerationSpec, type Provenance, type RunMeta, SuiteError } from "../core/mod.ts";
import { imagePathsOf, type Prediction } from "../data/mod.ts";
import { resolve } from "node:path";
import { RunJournal } from "../journal/mod.ts";
import { generateAll, type GenerationEnd, servedModel } from "../model/mod.ts";
import type { BenchItem } from "../suite/mod.ts";
import { confineRequest } from "./access.ts";
import { finishRun, type RunResults } from "./finish.ts";
import { checkIdentity, type RunIdentity } from "./identity.ts";
import { predictionRecord, readPredictions, refuseUnknownIds } from "./predictions_run.ts";
import { type PreparedRun, prepareRun } from "./prepare.ts";
import { arbiterVersion, gitState } from "./provenance.ts";
import type { RunRequest } from "./request.ts";
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

/** Sample j's parameters: with several samples each gets its own seed (base seed + j). */
function sampleParams(params: SamplingParams, samples: number, j: number): SamplingParams {
  return samples === 1 ? params : { ...params, seed: (params.seed ?? 0) + j };
}

interface ModelSide {
  model: Provenance["model"];
  identity: RunIdentity["model"];
  predictions?: Map<string, Prediction>;
}

/** The model side of a run: predictions read and checked, or the endpoint's pre-flight check. */
async function modelSide(request: RunRequest, items: BenchItem[]): Promise<ModelSide> {
  if (request.predictions) {
    const { predictions, sha256 } = await readPredictions(request);
    refuseUnknownIds(predictions, items);
    return {
      model: { kind: "predictions", id: `predictions:${sha256.slice(0, 12)}`, predictions_sha256: sha256 },
      identity: { kind: "predictions", sha256 },
      predictions,
    };
  }
  const endpoint = request.endpoint!;
  const served = await servedModel(endpoint.url, endpoint.apiKey, endpoint.model);
  return {
    model: {
      kind: "endpoint",
      id: served.id,
      url: endpoint.url,
      fingerprint: served.fingerprint,
      models_entry: served.entry,
    },
    identity: {
      kind: "endpoint",
      url: endpoint.url,
      name: served.id,
      fingerprint: served.fingerprint,
      entry: served.entry,
    },
  };
}

async function provenanceOf(
  engine: Engine,
  prepared: PreparedRun,
  model: Provenance["model"],
  params: SamplingParams,
): Promise<Provenance> {
  const { suite, generation } = prepared;
  const spec = suite.spec;
  const git = await gitState();
  return {
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
      sha256: prepared.datasetSha256,
      images_sha256: prepared.images.imagesSha256,
      images_checked: prepared.images.imagesChecked,
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
}

/** The question images that are files (absolute paths) per item id, for the report; embedded ones are left out. */
function imageFilesOf(prepared: PreparedRun): Map<string, string[]> {
  const images = prepared.suite.spec.dataset.images;
  const dir = prepared.suite.imagesDir;
  const out = new Map<string, string[]>();
  if (!images || !dir) return out;
  for (const { id, record } of prepared.records) {
    const files = imagePathsOf(record, images.field).map((p) => resolve(dir, p)).filter((p) =>
      p.startsWith(`${dir}/`)
    );
    if (files.length > 0) out.set(id, files);
  }
  return out;
}

/** A finished (or stopped) run: its results, and why generation stopped early if it did. */
export interface RunOutcome extends RunResults {
  stopped: GenerationEnd["stopped"];
  /** Identity differences that `allowIdentityChange` let through. */
  identityChanges: string[];
}

/** Runs (or resumes) a suite and returns its results. */
export async function runSuite(
  engine: Engine,
  asked: RunRequest,
  onProgress: ProgressListener = () => {},
): Promise<RunOutcome> {
  const request = confineRequest(asked);
  if (!request.endpoint === !request.predictions) {
    throw new SuiteError(
      "Give exactly one of a model endpoint (--model-url) or a predictions file (--predictions)",
    );
  }
  // 1. The suite and its data, checked before anything is sent anywhere.
  onProgress("checking", 0, 1);
  const prepared = await prepareRun(engine, request);
  const spec = prepared.suite.spec;
  const { items, generation } = prepared;
  const params = samplingOf(generation);
  const samples = request.samples ?? 1;

  // 2. The model side (pre-flight), the run's identity and journal.
  const side = await modelSide(request, prepared.allItems);
  const identity: RunIdentity = {
    suite: {
      name: spec.name,
      version: spec.version,
      prompt_version: spec.prompt.version,
      dataset_sha256: prepared.datasetSha256,
    },
    generation: { ...params },
    samples,
    model: side.identity,
  };
  const modelKey = side.identity.kind === "predictions" ? side.identity.sha256 : side.identity.name;
  // Run options change the scoring: a run with them is a run of its own (named in its id).
  const optionNames = prepared.options.map((o) => o.name);
  const keyParts = {
    suite: spec.name,
    version: spec.version,
    prompt: spec.prompt.version,
    params,
    samples,
    ...(optionNames.length > 0 ? { options: optionNames } : {}),
  };
  // A subset (--limit, --ids) is a run of its own: it never overwrites the full run's results.
  const subsetKey = items.length < prepared.allItems.length
    ? `-subset-${contentKey(items.map((item) => item.id)).slice(0, 8)}`
    : "";
  const runId = request.runId ??
    `${[spec.name, ...optionNames].join("-")}-${side.predictions ? "predictions" : slugOf(modelKey)}-${
      contentKey({ ...keyParts, datasetSha256: prepared.datasetSha256, modelKey }).slice(0, 12)
    }${subsetKey}`;
  const paths = runPaths(request.runsDir, runId);
  await Deno.mkdir(paths.dir, { recursive: true });
  const journal = new RunJournal(paths.journal);
  try {
    const identityChanges = checkIdentity(
      runId,
      journal.getMeta<RunIdentity>("identity"),
      identity,
      request.allowIdentityChange === true,
    );
    if (identityChanges.length > 0) {
      const log = journal.getMeta<unknown[]>("identity_changes") ?? [];
      journal.setMeta("identity_changes", [...log, {
        at: new Date().toISOString(),
        changes: identityChanges,
      }]);
    }
    journal.setMeta("identity", identity);
    const subset = subsetKey !== "";
    const meta: RunMeta = {
      id: runId,
      suite: spec,
      provenance: await provenanceOf(engine, prepared, side.model, params),
      suite_items: prepared.allItems.length,
      ...(subset ? { item_ids: items.map((item) => item.id) } : {}),
      ...(samples > 1 ? { samples } : {}),
      ...(prepared.options.length > 0 ? { options: prepared.options } : {}),
    };
    journal.setMeta("run", meta);
    const genKeyOf = (item: BenchItem, j: number) =>
      contentKey({
        suite: spec.name,
        version: spec.version,
        prompt_version: spec.prompt.version,
        item: item.id,
        prompt: item.prompt,
        model: side.model.id,
        params,
        ...(j > 0 ? { sample: j } : {}),
      });
    const units = items.flatMap((item) =>
      Array.from({ length: samples }, (_, j) => ({ item, sample: j, genKey: genKeyOf(item, j) }))
    );
    const imageFiles = imageFilesOf(prepared);
    journal.putItems(items.map((item) => {
      const { id, index, ...data } = item;
      const sampleKeys = Array.from({ length: samples }, (_, j) => genKeyOf(item, j));
      const files = imageFiles.get(id);
      return {
        id,
        index,
        genKey: sampleKeys[0],
        data: { ...data, ...(samples > 1 ? { sampleKeys } : {}), ...(files ? { imageFiles: files } : {}) },
      };
    }));

    // 3. Generations the journal lacks (never-run items and failed ones).
    const have = journal.effectiveGenerations();
    const todo = units.filter(({ genKey }) => have.get(genKey)?.errorCode !== null);
    const generated = units.filter(({ genKey }) => have.get(genKey)?.errorCode === null).length;
    if (units.some(({ genKey }) => have.has(genKey))) onProgress("resuming", generated, units.length);
    let stopped: GenerationEnd["stopped"] = null;
    if (side.predictions) {
      for (const { item, genKey } of todo) {
        journal.appendGeneration(predictionRecord(item.id, genKey, side.predictions));
      }
    } else if (todo.length > 0) {
      const recordById = new Map(prepared.records.map((r) => [r.id, r.record]));
      let done = 0;
      onProgress("generating", 0, todo.length);
      const endpoint: ChatEndpoint = {
        url: request.endpoint!.url,
        model: side.model.id,
        apiKey: request.endpoint!.apiKey,
      };
      const images = spec.dataset.images && prepared.suite.imagesDir
        ? { field: spec.dataset.images.field, dir: prepared.suite.imagesDir }
        : null;
      ({ stopped } = await generateAll(
        todo.map(({ item, genKey, sample }) => ({
          item,
          genKey,
          record: recordById.get(item.id)!,
          params: sampleParams(params, samples, sample),
        })),
        {
          endpoint,
          params,
          timeoutMs: (generation.timeout_s ?? 300) * 1000,
          concurrency: generation.concurrency ?? 8,
          maxRetries: generation.max_retries ?? 4,
          images,
          backoff: request.backoff,
          signal: request.signal,
          maxConsecutiveFailures: request.maxConsecutiveFailures,
        },
        journal,
        () => onProgress("generating", ++done, todo.length),
      ));
    }
    // 4. Scoring and the outputs (a stopped run too: its report says what is missing).
    const results = await finishRun(engine, journal, paths, meta, onProgress);
    return { ...results, stopped, identityChanges };
  } finally {
    journal.close();
  }
}
