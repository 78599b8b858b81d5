/** `POST /v1/verify` (one item) and `POST /v1/verify/batch` (JSON, or NDJSON in completion order). */
import { Hono } from "hono";
import { type Engine, resultJson, type VerifyResult } from "../verifiers/mod.ts";
import type { DrainTracker } from "./drain.ts";
import { ApiError, readJson } from "./errors.ts";

const JSON_TYPE = { "content-type": "application/json" };

interface BatchBody {
  items: unknown[];
  budget_ms?: number;
}

function readBatchBody(body: unknown): BatchBody {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, "invalid_request", "The body must be an object {items: [...], budget_ms?}");
  }
  const { items, budget_ms, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new ApiError(400, "invalid_request", `Unknown field "${unknown[0]}" in the batch body`);
  }
  if (!Array.isArray(items)) throw new ApiError(400, "invalid_request", "items: must be an array of items");
  if (
    budget_ms !== undefined &&
    (typeof budget_ms !== "number" || !Number.isFinite(budget_ms) || budget_ms <= 0)
  ) {
    throw new ApiError(
      400,
      "invalid_request",
      `budget_ms: must be a positive number, got ${JSON.stringify(budget_ms)}`,
    );
  }
  return { items, budget_ms: budget_ms as number | undefined };
}

/** Routes that verify items. */
export function verifyRoutes(engine: Engine, tracker: DrainTracker): Hono {
  const app = new Hono();

  app.post("/v1/verify", async (c) => {
    const item = await readJson(c);
    const invalid = engine.invalidReason(item);
    if (invalid !== null) {
      throw new ApiError(invalid.tooLarge ? 413 : 400, "invalid_request", invalid.message);
    }
    return c.body(resultJson(await engine.verifyOne(item)), 200, JSON_TYPE);
  });

  app.post("/v1/verify/batch", async (c) => {
    const { items, budget_ms } = readBatchBody(await readJson(c));
    const wantsStream = (c.req.header("accept") ?? "").includes("application/x-ndjson");
    if (!wantsStream) {
      const results = await engine.verifyBatch(items, { budgetMs: budget_ms });
      return c.body(`{"results":[${results.map(resultJson).join(",")}]}`, 200, JSON_TYPE);
    }
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const onResult = (index: number, result: VerifyResult) => {
      controller.enqueue(encoder.encode(`{"index":${index},${resultJson(result).slice(1)}\n`));
    };
    // Throws a full queue or a missing kernel synchronously, before the stream starts (429/503).
    const done = engine.startBatch(items, { budgetMs: budget_ms, onResult });
    tracker.track(done);
    done.then(() => controller.close(), (error) => controller.error(error));
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  });

  return app;
}
