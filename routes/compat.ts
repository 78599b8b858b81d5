/**
 * `POST /v1/compat/openrlhf`: OpenRLHF's remote reward model protocol. OpenRLHF posts
 * `{query, prompts, labels}` (query[i] is the prompt followed by the response) and turns the
 * answer's `rewards` into a tensor, so no null may go back: no-verdicts are filled in per
 * `on_no_verdict` (default `group_mean`, groups being samples of the same prompt) and counted.
 * Query parameters: `verifier` or `spec` (a configured name), and `on_no_verdict`.
 */
import { type Context, Hono } from "hono";
import type { Engine, VerifyResult } from "../verifiers/mod.ts";
import { ON_NO_VERDICT, type OnNoVerdict, substituteNoVerdicts } from "../verifiers/substitute.ts";
import { bodyReader, errorResponses, jsonContent, queryReader, type RouteContract } from "./contract.ts";
import { ApiError } from "./errors.ts";

interface OpenRlhfBody {
  query: string[];
  prompts: string[];
  labels: unknown[];
}

interface OpenRlhfQuery {
  verifier?: string;
  spec?: string;
  on_no_verdict?: Exclude<OnNoVerdict, "none">;
}

/** `POST /v1/compat/openrlhf`: OpenRLHF's remote reward model protocol. */
export const OPENRLHF: RouteContract = {
  method: "post",
  path: "/v1/compat/openrlhf",
  summary: "OpenRLHF remote reward model: {query, prompts, labels} → {rewards, scores, extra_logs}",
  query: {
    type: "object",
    properties: {
      verifier: { type: "string", description: "A verifier's name (give this or spec)" },
      spec: { type: "string", description: "A configured spec's name (give this or verifier)" },
      on_no_verdict: {
        enum: ON_NO_VERDICT.filter((m) => m !== "none"),
        default: "group_mean",
        description: "How a no-verdict sample is filled in (OpenRLHF cannot take null)",
      },
    },
  },
  body: {
    type: "object",
    required: ["query", "prompts", "labels"],
    properties: {
      query: { type: "array", items: { type: "string" }, description: "prompt followed by response" },
      prompts: { type: "array", items: { type: "string" } },
      labels: { type: "array", description: "references; a JSON-object string is an object reference" },
    },
  },
  responses: {
    "200": {
      description: "Rewards (never null)",
      content: jsonContent({
        type: "object",
        required: ["rewards", "scores", "extra_logs"],
        properties: {
          rewards: { type: "array", items: { type: "number" } },
          scores: { type: "array", items: { type: "number", minimum: 0, maximum: 1 } },
          extra_logs: { type: "object", additionalProperties: { type: "array", items: { type: "number" } } },
        },
      }),
    },
    ...errorResponses("400", "401", "413", "429", "503"),
  },
};

const readQuery = queryReader<OpenRlhfQuery>(OPENRLHF);
const readOpenRlhfBody = bodyReader<OpenRlhfBody>(OPENRLHF);

/** The body's lists are parallel: one entry per sample. */
async function readBody(c: Context): Promise<OpenRlhfBody> {
  const body = await readOpenRlhfBody(c);
  const n = body.query.length;
  for (const name of ["prompts", "labels"] as const) {
    if (body[name].length !== n) {
      throw new ApiError(400, "invalid_request", `${name}: has ${body[name].length} entries, query has ${n}`);
    }
  }
  return body;
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
  app.post(OPENRLHF.path, async (c) => {
    const { verifier, spec, on_no_verdict: mode = "group_mean" } = readQuery(c);
    if ((verifier === undefined) === (spec === undefined)) {
      throw new ApiError(400, "invalid_request", "Give exactly one of the query parameters verifier or spec");
    }
    const body = await readBody(c);
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
