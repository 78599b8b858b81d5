/** The HTTP app: middleware (metrics, auth, body limit), the routes, and the one error handler. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Engine } from "../verifiers/mod.ts";
import { apiKeyAuth } from "./auth.ts";
import { BENCHMARK_ROUTES, benchmarkRoutes } from "./benchmarks.ts";
import { compatRoutes, OPENRLHF } from "./compat.ts";
import type { RouteContract } from "./contract.ts";
import { DrainTracker } from "./drain.ts";
import { ApiError, renderError } from "./errors.ts";
import { HEALTH, healthRoutes } from "./health.ts";
import { HttpMetrics, METRICS, metricsRoutes } from "./metrics.ts";
import { openApiRoutes } from "./openapi.ts";
import { verifierRoutes, VERIFIERS_LIST } from "./verifiers.ts";
import { VERIFY_BATCH, VERIFY_ONE, verifyRoutes } from "./verify.ts";

export interface AppOptions {
  maxBodyBytes: number;
  apiKeys: string[];
  /** Folder of benchmark runs; without it the benchmark routes are not mounted. */
  runsDir?: string;
  /** Folders (absolute) under which benchmark requests may name files; none: built-in suites only. */
  dataRoots?: readonly string[];
  /** Model endpoints benchmark requests may name: `loopback` and/or URL prefixes. */
  modelUrlAllow?: readonly string[];
}

/** Builds the Arbiter HTTP app over an engine; `drain` waits for in-flight work (for SIGTERM). */
export function createApp(engine: Engine, options: AppOptions): Hono & { drain: () => Promise<void> } {
  const app = new Hono();
  const http = new HttpMetrics();
  const tracker = new DrainTracker();
  app.use("*", http.middleware());
  app.use("*", tracker.middleware());
  // The routes' contracts, which /openapi.json lists (tests/openapi_test.ts checks that every
  // mounted route is there) and which say the routes open without an API key.
  const contracts: RouteContract[] = [HEALTH, VERIFIERS_LIST, VERIFY_ONE, VERIFY_BATCH, OPENRLHF, METRICS];
  if (options.runsDir) contracts.push(...BENCHMARK_ROUTES);
  app.use("*", apiKeyAuth(options.apiKeys, contracts.filter((c) => c.public)));
  app.use(
    "*",
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: () => {
        throw new ApiError(
          413,
          "invalid_request",
          `The request body is larger than max_body_bytes (${options.maxBodyBytes} bytes); split the batch`,
        );
      },
    }),
  );
  app.route("/", healthRoutes(engine, options.maxBodyBytes));
  app.route("/", verifierRoutes(engine));
  app.route("/", verifyRoutes(engine, tracker));
  app.route("/", compatRoutes(engine));
  if (options.runsDir) {
    app.route(
      "/",
      benchmarkRoutes(engine, options.runsDir, {
        dataRoots: options.dataRoots,
        modelUrlAllow: options.modelUrlAllow,
      }),
    );
  }
  app.route("/", metricsRoutes(engine, http));
  app.route("/", openApiRoutes(engine, contracts));
  app.notFound((c) =>
    c.json({ error: { code: "invalid_request", message: `No route for ${c.req.method} ${c.req.path}` } }, 404)
  );
  app.onError(renderError);
  return Object.assign(app, { drain: () => tracker.drain() });
}
