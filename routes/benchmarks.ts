/**
 * Benchmark runs over HTTP: `POST /v1/benchmarks/runs` starts a run in the background,
 * `GET /v1/benchmarks/runs/:id` gives its progress and then its results, and
 * `GET /v1/benchmarks/runs/:id/report` its HTML report. Runs go through the server's engine.
 */
import { Hono } from "hono";
import type { Engine } from "../verifiers/mod.ts";
import {
  checkDatasetHash,
  checkPredictions,
  loadSuite,
  type Prediction,
  RUN_ID_PATTERN,
  runPaths,
  type RunRequest,
  runSuite,
  SuiteError,
} from "../benchmarks/mod.ts";
import { ApiError, readJson } from "./errors.ts";

interface RunState {
  id: string;
  status: "running" | "done" | "failed";
  phase: string;
  done: number;
  total: number;
  error: string | null;
}

const FIELDS = new Set([
  "suite",
  "model_url",
  "model",
  "api_key",
  "predictions",
  "data",
  "generation",
  "run_id",
]);

function invalid(message: string): ApiError {
  return new ApiError(400, "invalid_request", message);
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0) throw invalid(`${field}: must be a non-empty string`);
  return value;
}

/** Reads and checks a run request body (the suite and its data are checked before the run starts). */
async function readRunBody(raw: unknown, runsDir: string): Promise<{ request: RunRequest; id: string }> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw invalid("The body must be an object {suite, model_url | predictions, …}");
  }
  const body = raw as Record<string, unknown>;
  const unknown = Object.keys(body).find((k) => !FIELDS.has(k));
  if (unknown) throw invalid(`Unknown field "${unknown}" in the run body`);
  const suite = optionalString(body, "suite");
  if (!suite) throw invalid("suite: required (a suite name or path)");
  const modelUrl = optionalString(body, "model_url");
  if ((modelUrl === undefined) === (body.predictions === undefined)) {
    throw invalid("Give exactly one of model_url or predictions");
  }
  let predictions: RunRequest["predictions"];
  if (typeof body.predictions === "string") predictions = { path: body.predictions };
  else if (Array.isArray(body.predictions)) {
    let rows: Map<string, Prediction>;
    try {
      rows = checkPredictions(body.predictions, "predictions");
    } catch (error) {
      throw invalid((error as Error).message);
    }
    predictions = { rows };
  } else if (body.predictions !== undefined) {
    throw invalid("predictions: must be an array of {id, response, extraction?} or a file path");
  }
  if (body.generation !== undefined && (typeof body.generation !== "object" || body.generation === null)) {
    throw invalid("generation: must be an object");
  }
  const runId = optionalString(body, "run_id");
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId)) throw invalid(`run_id: invalid "${runId}"`);
  const dataPath = optionalString(body, "data");
  try {
    await checkDatasetHash(loadSuite(suite, dataPath));
  } catch (error) {
    if (error instanceof SuiteError) throw invalid(error.message);
    throw error;
  }
  const id = runId ??
    `${suite.replace(/^.*\//, "").replace(/\.ya?ml$/, "").replace(/[^A-Za-z0-9._-]/g, "-")}-${
      Date.now().toString(36)
    }-${crypto.randomUUID().slice(0, 8)}`;
  const request: RunRequest = {
    suite,
    dataPath,
    endpoint: modelUrl
      ? { url: modelUrl, model: optionalString(body, "model"), apiKey: optionalString(body, "api_key") }
      : undefined,
    predictions,
    runsDir,
    runId: id,
    generation: body.generation as RunRequest["generation"],
  };
  return { request, id };
}

async function readResults(runsDir: string, id: string): Promise<unknown | null> {
  try {
    return JSON.parse(await Deno.readTextFile(runPaths(runsDir, id).results));
  } catch {
    return null;
  }
}

/** The benchmark routes; runs are stored under `runsDir`. */
export function benchmarkRoutes(engine: Engine, runsDir: string): Hono {
  const app = new Hono();
  const runs = new Map<string, RunState>();

  app.post("/v1/benchmarks/runs", async (c) => {
    const { request, id } = await readRunBody(await readJson(c), runsDir);
    if (runs.get(id)?.status === "running") {
      throw new ApiError(409, "invalid_request", `Run "${id}" is running`);
    }
    const state: RunState = { id, status: "running", phase: "checking", done: 0, total: 0, error: null };
    runs.set(id, state);
    runSuite(engine, request, (phase, done, total) => Object.assign(state, { phase, done, total }))
      .then(() => Object.assign(state, { status: "done", phase: "done" }))
      .catch((error) => Object.assign(state, { status: "failed", error: (error as Error).message }));
    return c.json({ id, status: state.status, url: `/v1/benchmarks/runs/${id}` }, 202);
  });

  app.get("/v1/benchmarks/runs/:id", async (c) => {
    const id = c.req.param("id");
    if (!RUN_ID_PATTERN.test(id)) throw invalid(`Invalid run id "${id}"`);
    const state = runs.get(id);
    if (state && state.status !== "done") return c.json(state);
    const results = await readResults(runsDir, id);
    if (results === null) throw new ApiError(404, "invalid_request", `No run "${id}"`);
    return c.json({ id, status: "done", phase: "done", error: null, results });
  });

  app.get("/v1/benchmarks/runs/:id/report", async (c) => {
    const id = c.req.param("id");
    if (!RUN_ID_PATTERN.test(id)) throw invalid(`Invalid run id "${id}"`);
    if (runs.get(id)?.status === "running") {
      throw new ApiError(
        409,
        "invalid_request",
        `Run "${id}" is still running; its report is not written yet`,
      );
    }
    try {
      return c.html(await Deno.readTextFile(runPaths(runsDir, id).report));
    } catch {
      throw new ApiError(404, "invalid_request", `No report for run "${id}"`);
    }
  });

  return app;
}
