/**
 * `POST /v1/compat/openrlhf`: OpenRLHF's remote reward model protocol. OpenRLHF posts
 * `{query, prompts, labels}` (query[i] is the prompt followed by the response) and turns the
 * answer's `rewards` into a tensor, so no null may go back and every number is a JSON float (`1.0`,
 * never `1`: a list of JSON integers becomes an int64 tensor, on which its estimators' `std()` fails).
 * No-verdicts are filled in per `on_no_verdict` (default `group_mean`, groups being samples of the
 * same prompt; a call without any verdict, e.g. OpenRLHF ≥ 0.10's one-sample requests, gets
 * `fallback`, 0.0 by default) and counted. A query that does not start with its prompt (OpenRLHF
 * left-truncates long prompts) is cut after the longest tail of the prompt that it starts with.
 * Query parameters: `verifier` or `spec` (a configured name), `on_no_verdict`, `fallback`, and
 * `extra_logs` (`per_sample` lists, `scalar` means, or `none`).
 */
import { type Context, Hono } from "hono";
import type { Engine, VerifyResult } from "../verifiers/mod.ts";
import { IO_TURN_MS, ON_NO_VERDICT, type OnNoVerdict, substituteNoVerdicts } from "../verifiers/mod.ts";
import { bodyReader, errorResponses, jsonContent, queryReader, type RouteContract } from "./contract.ts";
import { ApiError } from "./errors.ts";

interface OpenRlhfBody {
  query: string[];
  prompts: string[];
  labels: unknown[];
}

/** The forms of `extra_logs` OpenRLHF's versions can take (README "Trainers" says which). */
const EXTRA_LOGS = ["per_sample", "scalar", "none"] as const;
type ExtraLogs = typeof EXTRA_LOGS[number];

interface OpenRlhfQuery {
  verifier?: string;
  spec?: string;
  on_no_verdict?: Exclude<OnNoVerdict, "none">;
  fallback?: string;
  extra_logs?: ExtraLogs;
}

/** A prompt's tail must be this long (or the whole prompt) to mark where a truncated query's response starts. */
export const MIN_PROMPT_OVERLAP = 16;

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
      fallback: {
        type: "string",
        pattern: "^-?[0-9]+(\\.[0-9]+)?$",
        default: "0",
        description: "What group_mean gives when the request has no verdict at all (e.g. a lone sample)",
      },
      extra_logs: {
        enum: [...EXTRA_LOGS],
        default: "per_sample",
        description: "per_sample: a list per key; scalar: the mean per key; none: an empty object",
      },
    },
  },
  body: {
    type: "object",
    required: ["query", "prompts", "labels"],
    properties: {
      query: { type: "array", items: { type: "string" }, description: "prompt followed by response" },
      prompts: { type: "array", items: { type: "string" } },
      labels: {
        type: "array",
        description: "references (strings, numbers, objects); a JSON-object string is an object reference",
      },
    },
  },
  responses: {
    "200": {
      description: "Rewards (never null, always JSON floats)",
      content: jsonContent({
        type: "object",
        required: ["rewards", "scores", "extra_logs"],
        properties: {
          rewards: { type: "array", items: { type: "number" } },
          scores: { type: "array", items: { type: "number", minimum: 0, maximum: 1 } },
          extra_logs: {
            type: "object",
            additionalProperties: {
              oneOf: [{ type: "number" }, { type: "array", items: { type: "number" } }],
            },
          },
        },
      }),
    },
    ...errorResponses("400", "401", "413", "429", "503"),
  },
};

const QUERY_PARAMETERS = Object.keys((OPENRLHF.query!.properties ?? {}) as Record<string, unknown>);
const readQuery = queryReader<OpenRlhfQuery>(OPENRLHF);
const readOpenRlhfBody = bodyReader<OpenRlhfBody>(OPENRLHF);

/** The query parameters, checked: known names only, exactly one of verifier and spec, and that one exists. */
function readTarget(c: Context, engine: Engine): OpenRlhfQuery & { fallbackValue: number } {
  const unknown = Object.keys(c.req.query()).filter((name) => !QUERY_PARAMETERS.includes(name));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      "invalid_request",
      `Unknown query parameter "${unknown[0]}"; the parameters are ${QUERY_PARAMETERS.join(", ")}`,
    );
  }
  const query = readQuery(c);
  const { verifier, spec } = query;
  if ((verifier === undefined) === (spec === undefined)) {
    throw new ApiError(400, "invalid_request", "Give exactly one of the query parameters verifier or spec");
  }
  if (verifier !== undefined && !engine.verifier(verifier)) {
    const known = Object.keys(engine.table).sort().join(", ");
    throw new ApiError(400, "invalid_request", `verifier: unknown verifier "${verifier}"; known: ${known}`);
  }
  if (spec !== undefined && !Object.hasOwn(engine.options.specs, spec)) {
    const known = Object.keys(engine.options.specs).sort().join(", ") || "none configured";
    throw new ApiError(400, "invalid_request", `spec: unknown spec "${spec}"; named specs: ${known}`);
  }
  return { ...query, fallbackValue: Number(query.fallback ?? "0") };
}

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

/**
 * The length of the longest tail of `prompt` that `query` starts with (Knuth–Morris–Pratt over the
 * first `prompt.length` characters of the query: linear time, no regex on model text).
 *
 * ```ts
 * promptOverlap("…the question? Answer:", "question? Answer: 42"); // 17
 * ```
 */
export function promptOverlap(prompt: string, query: string): number {
  const head = query.slice(0, prompt.length);
  if (head.length === 0) return 0;
  const failure = new Int32Array(head.length);
  for (let i = 1, k = 0; i < head.length; i++) {
    while (k > 0 && head[i] !== head[k]) k = failure[k - 1];
    if (head[i] === head[k]) k++;
    failure[i] = k;
  }
  let matched = 0;
  for (let i = 0; i < prompt.length; i++) {
    while (matched > 0 && (matched === head.length || prompt[i] !== head[matched])) {
      matched = failure[matched - 1];
    }
    if (prompt[i] === head[matched]) matched++;
  }
  return matched;
}

/** Where sample i's response starts in its query, and whether the prompt was truncated. */
function responseStart(query: string, prompt: string, i: number): { start: number; truncated: boolean } {
  if (query.startsWith(prompt)) return { start: prompt.length, truncated: false };
  const overlap = promptOverlap(prompt, query);
  if (overlap >= Math.min(MIN_PROMPT_OVERLAP, prompt.length)) return { start: overlap, truncated: true };
  throw new ApiError(
    400,
    "invalid_request",
    `query[${i}]: does not start with prompts[${i}] nor with a tail of it of at least ` +
      `${
        Math.min(MIN_PROMPT_OVERLAP, prompt.length)
      } characters; the response cannot be told from the prompt`,
  );
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

/** `extra_logs` in the asked form: per-sample lists, their means, or nothing. */
function shapeLogs(logs: Record<string, number[]>, form: ExtraLogs): Record<string, number | number[]> {
  if (form === "none") return {};
  if (form === "per_sample") return logs;
  return Object.fromEntries(
    Object.entries(logs).map(([key, values]) => [
      key,
      values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0,
    ]),
  );
}

/** A number as a JSON float: `1` → `1.0`, `0.25` stays, `1e+21` stays (already a float in JSON). */
export function floatText(value: number): string {
  const text = JSON.stringify(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** JSON text in which every number is written as a float (`floatText`). */
export function floatJson(value: unknown): string {
  if (typeof value === "number") return floatText(value);
  if (Array.isArray(value)) return `[${value.map(floatJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${floatJson(v)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Turns an item's caller error into a 400 naming the OpenRLHF field it came from. */
function callerError(results: VerifyResult[]): ApiError | null {
  const i = results.findIndex((r) => r.error?.code === "invalid_request");
  if (i < 0) return null;
  const message = results[i].error!.message;
  const field = message.includes("reference") ? `labels[${i}]` : `query[${i}]`;
  return new ApiError(400, "invalid_request", `${field}: ${message}`);
}

/** The OpenRLHF compatibility route. */
export function compatRoutes(engine: Engine): Hono {
  const app = new Hono();
  app.post(OPENRLHF.path, async (c) => {
    const target = readTarget(c, engine);
    const mode = target.on_no_verdict ?? "group_mean";
    const body = await readBody(c);
    const truncated: number[] = [];
    const items = body.query.map((query, i) => {
      const { start, truncated: cut } = responseStart(query, body.prompts[i], i);
      truncated.push(cut ? 1 : 0);
      const item: Record<string, unknown> = { response: query.slice(start) };
      const label = body.labels[i];
      if (label !== null && label !== undefined) item.reference = referenceOf(label);
      if (target.verifier !== undefined) item.verifier = target.verifier;
      else item.spec = target.spec;
      return item;
    });
    const results = await engine.verifyBatch(items, { ioTurnMs: IO_TURN_MS });
    const error = callerError(results);
    if (error) throw error;
    const filled = substituteNoVerdicts(
      results.map((r) => r.reward),
      body.prompts,
      mode,
      target.fallbackValue,
    );
    const cuts = truncated.reduce((a, b) => a + b, 0);
    if (filled.count > 0) {
      const fallback = filled.callFallback
        ? ` (no verdict in the request: fallback ${target.fallbackValue})`
        : "";
      console.error(
        `openrlhf: ${filled.count} of ${results.length} samples had no verdict; filled in by ${mode}${fallback}`,
      );
    }
    if (cuts > 0) {
      console.error(
        `openrlhf: ${cuts} of ${results.length} queries held a left-truncated prompt; cut at its tail`,
      );
    }
    const rewards = filled.rewards as number[];
    const logs = {
      ...componentLogs(results),
      correct: results.map((r) => (r.correct ? 1 : 0)),
      no_verdict_substituted: filled.substituted.map((s) => (s ? 1 : 0)),
      prompt_truncated: truncated,
    };
    const answer = {
      rewards,
      scores: rewards.map((r) => Math.min(1, Math.max(0, r))),
      extra_logs: shapeLogs(logs, target.extra_logs ?? "per_sample"),
    };
    return c.body(floatJson(answer), 200, { "content-type": "application/json; charset=UTF-8" });
  });
  return app;
}
