/** Test helpers: an engine over the real verifiers and the Hono app on top of it. */
import { createApp } from "../routes/mod.ts";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import type { Hono } from "hono";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";

/** Runs `body` with a real engine (real sandbox processes) and an app; closes the engine after. */
export async function withApp(
  options: {
    maxBodyBytes?: number;
    apiKeys?: string[];
    maxQueueItems?: number;
    workers?: number;
    specs?: Record<string, unknown>;
    routes?: Record<string, unknown>;
  },
  body: (app: Hono, engine: Engine) => Promise<void>,
): Promise<void> {
  // chart_code needs Debian's matplotlib and bubblewrap (installed here when missing, as root).
  await ensureChartDeps();
  const engine = await createEngine(VERIFIERS, {
    workers: options.workers ?? 2,
    maxQueueItems: options.maxQueueItems,
    specs: options.specs ?? {},
    routes: options.routes ?? {},
  });
  try {
    const app = createApp(engine, {
      maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
      apiKeys: options.apiKeys ?? [],
    });
    await body(app, engine);
  } finally {
    await engine.close();
  }
}

/** POSTs JSON to the app in-process. */
export function postJson(
  app: Hono,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  }));
}
