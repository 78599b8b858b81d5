/** The HTTP app: middleware (metrics, auth, body limit), the routes, and the one error handler. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Engine } from "../verifiers/mod.ts";
import { apiKeyAuth } from "./auth.ts";
import { benchmarkRoutes } from "./benchmarks.ts";
import { compatRoutes } from "./compat.ts";
import { DrainTracker } from "./drain.ts";
import { ApiError, renderError } from "./errors.ts";
import { healthRoutes } from "./health.ts";
import { HttpMetrics, metricsRoutes } from "./metrics.ts";
import { openApiRoutes } from "./openapi.ts";
import { verifierRoutes } from "./verifiers.ts";
import { verifyRoutes } from "./verify.ts";

export interface AppOptions {
  maxBodyBytes: number;
  apiKeys: string[];
  /** Folder of benchmark runs; without it the benchmark routes are not mounted. */
  runsDir?: string;
}

/** Builds the Arbiter HTTP app over an engine; `drain` waits for in-flight work (for SIGTERM). */
export function createApp(engine: Engine, options: AppOptions): Hono & { drain: () => Promise<void> } {
  const app = new Hono();
  const http = new HttpMetrics();
  const tracker = new DrainTracker();
  app.use("*", http.middleware());
  app.use("*", tracker.middleware());
  app.use("*", apiKeyAuth(options.apiKeys));
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
  if (options.runsDir) app.route("/", benchmarkRoutes(engine, options.runsDir));
  app.route("/", openApiRoutes(engine));
  app.route("/", metricsRoutes(engine, http));
  app.notFound((c) =>
    c.json({ error: { code: "invalid_request", message: `No route for ${c.req.method} ${c.req.path}` } }, 404)
  );
  app.onError(renderError);
  return Object.assign(app, { drain: () => tracker.drain() });
}
