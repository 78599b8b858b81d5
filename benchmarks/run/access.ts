/**
 * Confines a run asked for over the network: the suite is built in or a file under the data roots,
 * the dataset, images and predictions lie under the data roots (a built-in suite's own dataset
 * excepted), and the model endpoint is on the allow-list. Nothing is read before these checks pass.
 */
import { dirname } from "node:path";
import { SuiteError } from "../core/mod.ts";
import { applyRunOptions, checkDatasetHash, isSuiteName, type LoadedSuite, loadSuite } from "../suite/mod.ts";
import type { RunAccess, RunRequest } from "./request.ts";

function refused(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  if (code === "invalid_request") throw new SuiteError((error as Error).message);
  throw error;
}

/** The request with every caller-named path resolved under the data roots; throws SuiteError if refused. */
export function confineRequest(request: RunRequest): RunRequest {
  const access = request.access;
  if (!access) return request;
  try {
    const suite = isSuiteName(request.suite)
      ? request.suite
      : access.dataRoots.resolve(request.suite, "suite");
    const dataPath = request.dataPath === undefined
      ? undefined
      : access.dataRoots.resolve(request.dataPath, "data");
    const predictions = request.predictions?.path === undefined
      ? request.predictions
      : { ...request.predictions, path: access.dataRoots.resolve(request.predictions.path, "predictions") };
    if (request.endpoint) access.modelUrls.check(request.endpoint.url, "model_url");
    return { ...request, suite, dataPath, predictions };
  } catch (error) {
    refused(error);
  }
}

/** Checks that a loaded suite's dataset and image folder may be read under `access`. */
export function confineSuite(suite: LoadedSuite, access: RunAccess | undefined): void {
  if (!access || suite.builtIn) return;
  if (!access.dataRoots.contains(suite.dataPath)) {
    throw new SuiteError(`dataset.path of suite ${suite.spec.name} leads outside the server's data_roots`);
  }
  if (suite.imagesDir !== null && suite.imagesDir !== dirname(suite.dataPath)) {
    if (!access.dataRoots.contains(suite.imagesDir)) {
      throw new SuiteError(
        `dataset.images.dir of suite ${suite.spec.name} leads outside the server's data_roots`,
      );
    }
  }
}

/**
 * The checks a route makes before it accepts a run (answering 400 at once rather than failing in
 * the background): the request confined, the suite loaded and confined, its run options known, the
 * dataset's pinned hash.
 */
export async function checkRunRequest(request: RunRequest): Promise<RunRequest> {
  const confined = confineRequest(request);
  const suite = loadSuite(confined.suite, confined.dataPath);
  confineSuite(suite, confined.access);
  applyRunOptions(suite.spec, confined.options);
  await checkDatasetHash(suite, confined.dataPath === undefined ? undefined : confined.dataSha256);
  return confined;
}
