/**
 * `POST /v1/compat/openrlhf`: OpenRLHF's remote reward model protocol. OpenRLHF posts
 * `{query, prompts, labels}` (query[i] is the prompt followed by the response) and turns the
 * answer's `rewards` into a tensor, so no null may go back: no-verdicts are filled in per
 * `on_no_verdict` (default `group_mean`, groups being samples of the same prompt) and counted.
 * Query parameters: `verifier` or `spec` (a configured name), and `on_no_verdict`.
 */
import { Hono } from "hono";
import type { Engine, VerifyResult } from "../verifiers/mod.ts";
import { ON_NO_VERDICT, type OnNoVerdict, substituteNoVerdicts } from "../verifiers/substitute.ts";
import { ApiError, readJson } from "./errors.ts";

interface OpenRlhfBody {
  query: string[];
  prompts: string[];
  labels: unknown[];
}

function readBody(body: unknown): OpenRlhfBody {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, "invalid_request", "The body must be OpenRLHF's object {query, prompts, labels}");
  }
  const { query, prompts, labels } = body as Record<string, unknown>;
  for (const [name, value] of [["query", query], ["prompts", prompts]] as const) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
      throw new ApiError(400, "invalid_request", `${name}: must be a list of strings`);
    }
  }
  if (!Array.isArray(labels)) throw new ApiError(400, "invalid_request", "labels: must be a list");
  const n = (query as string[]).length;
  if ((prompts as string[]).length !== n) {
    throw new ApiError(
      400,
      "invalid_request",
      `prompts: has ${(prompts as string[]).length} entries, query has ${n}`,
    );
  }
  if (labels.length !== n) {
    throw new ApiError(400, "invalid_request", `labels: has ${labels.length} entries, query has ${n}`);
  }
  return { query: query as string[], prompts: prompts as string[], labels };
}

/** A label that parses as a JSON object is an object reference; anything else is used as it is. */
function referenceOf(label: unknown): unknown {
  if (typeof label !== "string") return label;
  const text = label.trim();
  if (!text.startsWith("{")) return label;
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : label;
  } catch {
    return label;
  }
}

/** Each component's rewards per sample, keyed "path:verifier" (0 where a component had no verdict). */
function componentLogs(results: VerifyResult[]): Record<string, number[]> {
  const logs: Record<string, number[]> = {};
  results.forEach((result, i) => {
    for (const c of result.components ?? []) {
      const key = `${c.path}:${c.verifier}`;
      (logs[key] ??= new Array(results.length).fill(0))[i] = c.reward ?? 0;
    }
  });
  return logs;
}

/** The OpenRLHF compatibility route. */
export function compatRoutes(engine: Engine): Hono {
  const app = new Hono();
  app.post("/v1/compat/openrlhf", async (c) => {
    const verifier = c.req.query("verifier");
    const spec = c.req.query("spec");
    const mode = (c.req.query("on_no_verdict") ?? "group_mean") as OnNoVerdict;
    if ((verifier === undefined) === (spec === undefined)) {
      throw new ApiError(400, "invalid_request", "Give exactly one of the query parameters verifier or spec");
    }
    if (!ON_NO_VERDICT.includes(mode) || mode === "none") {
      throw new ApiError(
        400,
        "invalid_request",
        `on_no_verdict: must be group_mean or zero (OpenRLHF cannot take null), got "${mode}"`,
      );
    }
    const body = readBody(await readJson(c));
    const items = body.query.map((query, i) => {
      const prompt = body.prompts[i];
      if (!query.startsWith(prompt)) {
        throw new ApiError(
          400,
          "invalid_request",
          `query[${i}]: does not start with prompts[${i}]; the response cannot be told from the prompt`,
        );
      }
      const item: Record<string, unknown> = {
        response: query.slice(prompt.length),
        reference: referenceOf(body.labels[i]),
      };
      if (verifier !== undefined) item.verifier = verifier;
      else item.spec = spec;
      return item;
    });
    const results = await engine.verifyBatch(items);
    const callerError = results.findIndex((r) => r.error?.code === "invalid_request");
    if (callerError >= 0) {
      throw new ApiError(
        400,
        "invalid_request",
        `labels[${callerError}]: ${results[callerError].error!.message}`,
      );
    }
    const filled = substituteNoVerdicts(results.map((r) => r.reward), body.prompts, mode);
    if (filled.count > 0) {
      console.error(
        `openrlhf: ${filled.count} of ${results.length} samples had no verdict; filled in by ${mode}`,
      );
    }
    const rewards = filled.rewards as number[];
    return c.json({
      rewards,
      scores: rewards.map((r) => Math.min(1, Math.max(0, r))),
      extra_logs: {
        ...componentLogs(results),
        correct: results.map((r) => (r.correct ? 1 : 0)),
        no_verdict_substituted: filled.substituted.map((s) => (s ? 1 : 0)),
      },
    });
  });
  return app;
}
