/**
 * Benchmark runs over HTTP: `POST /v1/benchmarks/runs` starts a run in the background,
 * `GET /v1/benchmarks/runs/:id` gives its progress and then its results, and
 * `GET /v1/benchmarks/runs/:id/report` its HTML report. Runs go through the server's engine.
 */
import { type Context, Hono } from "hono";
import type { Engine } from "../verifiers/mod.ts";
import { DataRoots, UrlAllowList } from "../verifiers/_access/mod.ts";
import {
  checkPredictions,
  checkRunRequest,
  generationSchema,
  type Prediction,
  RUN_ID_PATTERN,
  type RunAccess,
  runPaths,
  type RunRequest,
  runSuite,
  SuiteError,
} from "../benchmarks/mod.ts";
import { bodyReader, errorResponses, jsonContent, type RouteContract } from "./contract.ts";
import { ApiError } from "./errors.ts";

interface RunState {
  id: string;
  /** `stopped`: the circuit breaker ended generation; `cancelled`: DELETE did (both resumable). */
  status: "running" | "done" | "failed" | "stopped" | "cancelled";
  phase: string;
  done: number;
  total: number;
  error: string | null;
}

const nonEmpty = { type: "string", minLength: 1 };

/** `POST /v1/benchmarks/runs`: the suite and its data are checked before the run starts. */
export const START_RUN: RouteContract = {
  method: "post",
  path: "/v1/benchmarks/runs",
  summary: "Start a benchmark run in the background (give model_url or predictions)",
  body: {
    type: "object",
    required: ["suite"],
    additionalProperties: false,
    properties: {
      suite: { ...nonEmpty, description: "A built-in suite's name or a suite file" },
      model_url: { ...nonEmpty, description: "An OpenAI-compatible endpoint that generates the responses" },
      model: nonEmpty,
      api_key: nonEmpty,
      predictions: {
        type: ["string", "array"],
        description: "A predictions file, or the rows {id, response, extraction?}",
        items: {
          type: "object",
          required: ["id", "response"],
          properties: {
            id: { type: ["string", "number"] },
            response: { type: "string" },
            extraction: { type: ["string", "null"] },
          },
        },
      },
      data: { ...nonEmpty, description: "The suite's dataset, where it is not the built-in one" },
      generation: { ...generationSchema, description: "Generation settings passed to the model" },
      run_id: { type: "string", pattern: RUN_ID_PATTERN.source },
      data_sha256: {
        type: "string",
        pattern: "^[0-9a-f]{64}$",
        description: "The sha256 that `data` must have (the published file where the suite ships a sample)",
      },
      samples: { type: "integer", minimum: 1, maximum: 1024, description: "Generations per item (pass@k)" },
      limit: { type: "integer", minimum: 1, description: "Only the first N items" },
      ids: { type: "array", items: nonEmpty, maxItems: 100000, description: "Only these items" },
      allow_identity_change: {
        type: "boolean",
        description: "Resume a run although its endpoint, checkpoint or settings changed",
      },
      options: {
        type: "object",
        additionalProperties: { type: "boolean" },
        description:
          "The suite's run options to turn on, by name (e.g. mathvista_testmini's execute_code: score each response " +
          "by executing it as a Python program); they change the scoring, and results and report name them",
      },
    },
  },
  responses: {
    "202": {
      description: "Started",
      content: jsonContent({
        type: "object",
        required: ["id", "status", "url"],
        properties: { id: { type: "string" }, status: { type: "string" }, url: { type: "string" } },
      }),
    },
    ...errorResponses("400", "401", "409", "413"),
  },
};

/** `GET /v1/benchmarks/runs/:id`. */
export const GET_RUN: RouteContract = {
  method: "get",
  path: "/v1/benchmarks/runs/:id",
  summary: "A run's progress, then its results",
  responses: {
    "200": {
      description: "Progress or results",
      content: jsonContent({
        type: "object",
        required: ["id", "status", "phase", "error"],
        properties: {
          id: { type: "string" },
          status: { enum: ["running", "done", "failed", "stopped", "cancelled"] },
          phase: { type: "string" },
          done: { type: "integer" },
          total: { type: "integer" },
          error: { type: ["string", "null"] },
          results: { type: "object" },
        },
      }),
    },
    ...errorResponses("400", "401", "404"),
  },
};

/** `GET /v1/benchmarks/runs/:id/report`. */
export const RUN_REPORT: RouteContract = {
  method: "get",
  path: "/v1/benchmarks/runs/:id/report",
  summary: "A finished run's HTML report",
  responses: {
    "200": { description: "HTML report", content: { "text/html": { schema: { type: "string" } } } },
    ...errorResponses("400", "401", "404", "409"),
  },
};

/** `DELETE /v1/benchmarks/runs/:id`: stops a running run's generation (what was generated is kept). */
export const CANCEL_RUN: RouteContract = {
  method: "delete",
  path: "/v1/benchmarks/runs/:id",
  summary:
    "Cancel a running run: no new requests; it is scored and reported as incomplete, and resumes when started again",
  responses: {
    "202": {
      description: "Cancelling",
      content: jsonContent({
        type: "object",
        required: ["id", "status", "url"],
        properties: { id: { type: "string" }, status: { enum: ["cancelling"] }, url: { type: "string" } },
      }),
    },
    ...errorResponses("400", "401", "404", "409"),
  },
};

/** The benchmark routes' contracts. */
export const BENCHMARK_ROUTES: RouteContract[] = [START_RUN, GET_RUN, RUN_REPORT, CANCEL_RUN];

interface RunBody {
  suite: string;
  model_url?: string;
  model?: string;
  api_key?: string;
  predictions?: string | unknown[];
  data?: string;
  generation?: RunRequest["generation"];
  run_id?: string;
  data_sha256?: string;
  samples?: number;
  limit?: number;
  ids?: string[];
  allow_identity_change?: boolean;
  options?: Record<string, boolean>;
}

const readRunJson = bodyReader<RunBody>(START_RUN);

function invalid(message: string): ApiError {
  return new ApiError(400, "invalid_request", message);
}

/** Reads and checks a run request body (the suite and its data are checked before the run starts). */
async function readRunBody(
  c: Context,
  runsDir: string,
  access: RunAccess,
): Promise<{ request: RunRequest; id: string }> {
  const body = await readRunJson(c);
  const { suite, model_url: modelUrl, run_id: runId, data: dataPath } = body;
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
  }
  const id = runId ??
    `${suite.replace(/^.*\//, "").replace(/\.ya?ml$/, "").replace(/[^A-Za-z0-9._-]/g, "-")}-${
      Date.now().toString(36)
    }-${crypto.randomUUID().slice(0, 8)}`;
  const request: RunRequest = {
    suite,
    dataPath,
    endpoint: modelUrl ? { url: modelUrl, model: body.model, apiKey: body.api_key } : undefined,
    predictions,
    runsDir,
    runId: id,
    generation: body.generation,
    dataSha256: body.data_sha256,
    samples: body.samples,
    limit: body.limit,
    ids: body.ids,
    allowIdentityChange: body.allow_identity_change,
    options: body.options,
    access,
  };
  try {
    return { request: await checkRunRequest(request), id };
  } catch (error) {
    if (error instanceof SuiteError) throw invalid(error.message);
    throw error;
  }
}

async function readResults(runsDir: string, id: string): Promise<unknown | null> {
  try {
    return JSON.parse(await Deno.readTextFile(runPaths(runsDir, id).results));
  } catch {
    return null;
  }
}

/** What callers may make the server touch (config `data_roots`, `model_url_allow`). */
export interface BenchmarkAccessConfig {
  /** Folders under which suites, datasets and predictions may be named; default none (built-in suites only). */
  dataRoots?: readonly string[];
  /** `loopback` and/or URL prefixes of model endpoints; default loopback only. */
  modelUrlAllow?: readonly string[];
}

/**
 * The benchmark routes; runs are stored under `runsDir`. Paths and model URLs in a request are
 * confined by `config` (see `verifiers/_access/`); without it only built-in suites and loopback models.
 */
export function benchmarkRoutes(engine: Engine, runsDir: string, config: BenchmarkAccessConfig = {}): Hono {
  const access: RunAccess = {
    dataRoots: new DataRoots(config.dataRoots ?? []),
    modelUrls: new UrlAllowList(config.modelUrlAllow ?? ["loopback"]),
  };
  const app = new Hono();
  const runs = new Map<string, RunState>();
  const cancels = new Map<string, AbortController>();

  app.post(START_RUN.path, async (c) => {
    const { request, id } = await readRunBody(c, runsDir, access);
    if (runs.get(id)?.status === "running") {
      throw new ApiError(409, "invalid_request", `Run "${id}" is running`);
    }
    const state: RunState = { id, status: "running", phase: "checking", done: 0, total: 0, error: null };
    runs.set(id, state);
    const cancel = new AbortController();
    cancels.set(id, cancel);
    runSuite(engine, { ...request, signal: cancel.signal }, (phase, done, total) => {
      Object.assign(state, { phase, done, total });
    })
      .then((outcome) => {
        const stopped = outcome.stopped;
        if (!stopped) Object.assign(state, { status: "done", phase: "done" });
        else {
          const status = stopped.reason === "interrupted" ? "cancelled" : "stopped";
          Object.assign(state, { status, phase: status, error: stopped.message });
        }
      })
      .catch((error) => Object.assign(state, { status: "failed", error: (error as Error).message }))
      .finally(() => cancels.delete(id));
    return c.json({ id, status: state.status, url: `/v1/benchmarks/runs/${id}` }, 202);
  });

  app.get(GET_RUN.path, async (c) => {
    const id = c.req.param("id") ?? "";
    if (!RUN_ID_PATTERN.test(id)) throw invalid(`Invalid run id "${id}"`);
    const state = runs.get(id);
    if (state && (state.status === "running" || state.status === "failed")) return c.json(state);
    const results = await readResults(runsDir, id);
    if (results === null) throw new ApiError(404, "invalid_request", `No run "${id}"`);
    // A stopped or cancelled run has results too (marked incomplete); it resumes when started again.
    return c.json(
      state ? { ...state, results } : { id, status: "done", phase: "done", error: null, results },
    );
  });

  app.delete(CANCEL_RUN.path, (c) => {
    const id = c.req.param("id") ?? "";
    if (!RUN_ID_PATTERN.test(id)) throw invalid(`Invalid run id "${id}"`);
    const state = runs.get(id);
    const cancel = cancels.get(id);
    if (!state) throw new ApiError(404, "invalid_request", `No run "${id}" was started by this server`);
    if (state.status !== "running" || !cancel) {
      throw new ApiError(409, "invalid_request", `Run "${id}" is not running (${state.status})`);
    }
    cancel.abort();
    return c.json({ id, status: "cancelling", url: `/v1/benchmarks/runs/${id}` }, 202);
  });

  app.get(RUN_REPORT.path, async (c) => {
    const id = c.req.param("id") ?? "";
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
