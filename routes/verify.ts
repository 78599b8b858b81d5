/** `POST /v1/verify` (one item) and `POST /v1/verify/batch` (JSON, or NDJSON in completion order). */
import { type Context, Hono } from "hono";
import {
  type Engine,
  type FieldSelection,
  fieldsSchema,
  IO_TURN_MS,
  resultJson,
  resultJsonWith,
  selectFields,
  type VerifyResult,
} from "../verifiers/mod.ts";
import type { DrainTracker } from "./drain.ts";
import { bodyChecker, errorResponses, jsonContent, type RouteContract } from "./contract.ts";
import { MalformedBodyError, splitBatchBody } from "./batch_body.ts";
import { ApiError, readJson } from "./errors.ts";

const JSON_TYPE = { "content-type": "application/json" };
const itemRef = { $ref: "#/components/schemas/Item" };
const resultRef = { $ref: "#/components/schemas/Result" };

/** `POST /v1/verify`: the item is checked by the engine against its verifier's schemas. */
export const VERIFY_ONE: RouteContract = {
  method: "post",
  path: "/v1/verify",
  summary: "Verify one item",
  body: itemRef,
  responses: {
    "200": { description: "Result", content: jsonContent(resultRef) },
    ...errorResponses("400", "401", "413", "429", "503"),
  },
};

/** `POST /v1/verify/batch`: a bad item gets its own `invalid_request` result, not a 400. */
export const VERIFY_BATCH: RouteContract = {
  method: "post",
  path: "/v1/verify/batch",
  summary: "Verify a batch (JSON in request order, or NDJSON in completion order with index)",
  body: {
    type: "object",
    required: ["items"],
    additionalProperties: false,
    properties: {
      items: { type: "array", items: itemRef },
      budget_ms: { type: "number", exclusiveMinimum: 0, description: "Time for the whole batch" },
      fields: fieldsSchema,
    },
  },
  responses: {
    "200": {
      description: "Results",
      content: {
        ...jsonContent({
          type: "object",
          properties: { results: { type: "array", items: resultRef } },
        }),
        "application/x-ndjson": { schema: resultRef },
      },
    },
    ...errorResponses("400", "401", "413", "429", "503"),
  },
};

const checkBatchBody = bodyChecker<{ items: unknown[]; budget_ms?: number; fields?: string[] }>(VERIFY_BATCH);

/**
 * Reads a batch body: its items are split off as raw JSON texts (parsed by the engine a window at a
 * time, so a maximal batch never blocks the server in one long parse), the rest checked by the schema.
 */
async function readBatchBody(c: Context, maxItems: number) {
  let split;
  try {
    split = await splitBatchBody(new Uint8Array(await c.req.arrayBuffer()), maxItems);
  } catch (error) {
    if (error instanceof MalformedBodyError) throw new ApiError(400, "invalid_request", error.message);
    throw error;
  }
  const body = checkBatchBody(split.rest);
  return split.items === null ? body : { ...body, items: split.items };
}

/** Results serialized per this many, so a large answer is written in pieces between other work. */
const RESULTS_PER_PIECE = 2048;

/**
 * `{"results":[…]}` as a stream that serializes a piece of results each time the connection takes
 * one (a small answer is one piece): the server never spends one long stretch on a large answer.
 */
function resultsBody(
  results: VerifyResult[],
  selection: FieldSelection,
): ReadableStream<Uint8Array> | string {
  const piece = (from: number) =>
    results.slice(from, from + RESULTS_PER_PIECE).map((result) => resultJsonWith(result, selection)).join(
      ",",
    );
  if (results.length <= RESULTS_PER_PIECE) return `{"results":[${piece(0)}]}`;
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const text = (next === 0 ? '{"results":[' : ",") + piece(next);
      next += RESULTS_PER_PIECE;
      controller.enqueue(encoder.encode(next >= results.length ? `${text}]}` : text));
      if (next >= results.length) controller.close();
    },
  });
}

/** Routes that verify items. */
export function verifyRoutes(engine: Engine, tracker: DrainTracker): Hono {
  const app = new Hono();

  app.post(VERIFY_ONE.path, async (c) => {
    const item = await readJson(c);
    const invalid = engine.invalidReason(item);
    if (invalid !== null) {
      throw new ApiError(invalid.tooLarge ? 413 : 400, "invalid_request", invalid.message);
    }
    return c.body(resultJson(await engine.verifyOne(item)), 200, JSON_TYPE);
  });

  app.post(VERIFY_BATCH.path, async (c) => {
    const { items, budget_ms, fields } = await readBatchBody(c, engine.options.maxQueueItems);
    const selection = selectFields(fields);
    const wantsStream = (c.req.header("accept") ?? "").includes("application/x-ndjson");
    if (!wantsStream) {
      const results = await engine.verifyBatch(items, { budgetMs: budget_ms, ioTurnMs: IO_TURN_MS });
      return new Response(resultsBody(results, selection), { status: 200, headers: JSON_TYPE });
    }
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    // A client that hangs up cancels the stream, and the cancellation flows into the batch: its
    // queued items are dropped and its queue slots released.
    const hangUp = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      cancel: () => hangUp.abort(),
    });
    const onResult = (index: number, result: VerifyResult) => {
      controller.enqueue(encoder.encode(`${resultJsonWith(result, selection, index)}\n`));
    };
    // Throws a full queue or a missing kernel synchronously, before the stream starts (429/503).
    const done = engine.startBatch(items, {
      budgetMs: budget_ms,
      onResult,
      signal: hangUp.signal,
      ioTurnMs: IO_TURN_MS,
    });
    tracker.track(done);
    done.then(() => {
      if (!hangUp.signal.aborted) controller.close();
    }, (error) => {
      if (!hangUp.signal.aborted) controller.error(error);
    }).catch(() => {/* the client is gone: nothing left to tell it */});
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  });

  return app;
}
