/**
 * The `chart_code` host stage: extracts the candidate's code, renders it and the reference in the
 * sandbox pool, and hands both renderings to the kernel; failures of the candidate's code settle the
 * item with a verdict, a sandbox that cannot start gives `sandbox_unavailable`.
 */
import type { StageItem, StageOutcome } from "../types.ts";
import { budgetSignal, extractCode, type PythonPool } from "../_python/mod.ts";
import { kernelInput, type RenderingPng } from "./kernel_input.ts";
import { type ChartVerdict, classifyRender, type RenderCancelled } from "./outcome.ts";
import { compareSize } from "./params.ts";
import { type CachedRender, RenderCache } from "./render_cache.ts";
import { renderJob, type RenderRequest } from "./record.ts";
import { renderingPng } from "./rendering_png.ts";
import { MAX_CODE_CHARS } from "./schemas.ts";

/** The reference's deadline is the item's, but never below this (the caller's code is trusted to end). */
const REFERENCE_MIN_TIMEOUT_MS = 10_000;

interface Reference {
  code?: string;
  image?: string;
}

function settle(reason: string, problem: string, message?: string): StageOutcome {
  const details: Record<string, unknown> & { reason: string } = { reason, problem };
  if (message) details.message = message;
  return { verdict: { reward: 0, correct: false, details } };
}

/**
 * Renders a request through the cache; a failed render comes back as its classification. A render
 * shared with another batch may have been cancelled by that batch's budget: then it is run again,
 * unless this item's own budget is spent.
 */
async function cachedRender(
  pool: PythonPool,
  cache: RenderCache,
  request: RenderRequest,
  signal: AbortSignal,
) {
  const { kind, code, pngBase64, width, height } = request;
  const key = await RenderCache.key([kind, code ?? pngBase64 ?? "", width, height]);
  for (let attempt = 0;; attempt++) {
    const result = await cache.get(
      key,
      async () => classifyRender(await pool.run(renderJob(request), signal), width, height),
    );
    if (!("cancelled" in result) || signal.aborted || attempt >= 2) return result;
  }
}

/** The stage function over a pool (created on first use by `getPool`) and a cache. */
export function createChartStage(getPool: () => PythonPool, cache: RenderCache) {
  return async function chartStage(item: StageItem): Promise<StageOutcome> {
    const [width, height] = compareSize(item.options);
    const reference = item.reference as Reference;
    const extracted = extractCode(item.response);
    if (extracted === null) return settle("render_failed", "no_code", "the response holds no code");
    if (extracted.code.length > MAX_CODE_CHARS) {
      return settle("too_complex", "code_too_long", `more than ${MAX_CODE_CHARS} characters of code`);
    }
    let pool: PythonPool;
    try {
      pool = getPool();
    } catch (error) {
      return { error: { code: "sandbox_unavailable", message: (error as Error).message } };
    }
    const refTimeout = Math.max(item.timeoutMs, REFERENCE_MIN_TIMEOUT_MS);
    const size = { width, height };
    const budget = budgetSignal(item.deadlineAt);
    try {
      const renders = await Promise.all([
        cachedRender(
          pool,
          cache,
          { kind: "code", code: extracted.code, ...size, timeoutMs: item.timeoutMs },
          budget.signal,
        ),
        reference.code === undefined ? null : cachedRender(pool, cache, {
          kind: "code",
          code: reference.code,
          ...size,
          timeoutMs: refTimeout,
        }, budget.signal),
        reference.image === undefined ? null : cachedRender(pool, cache, {
          kind: "image",
          pngBase64: reference.image,
          ...size,
          timeoutMs: refTimeout,
        }, budget.signal),
      ]);
      const cancelled = renders.find((r) => r !== null && "cancelled" in r);
      if (cancelled) {
        return {
          error: {
            code: "overloaded",
            message: `The batch's budget_ms ran out before this item was rendered (${
              (cancelled as RenderCancelled).cancelled
            })`,
          },
        };
      }
      const [candidate, refCode, refImage] = renders as (CachedRender | ChartVerdict | null)[];
      if (candidate === null) throw new Error("the candidate was not rendered");
      for (const [name, ref] of [["code", refCode], ["image", refImage]] as const) {
        if (ref !== null && !("pixels" in ref)) {
          return {
            error: {
              // The caller's reference is at fault, not the candidate: no verdict, a caller error.
              code: "invalid_request",
              message: `The reference ${name} did not render (${ref.details.problem}${
                ref.details.message ? `: ${ref.details.message}` : ""
              })`,
            },
          };
        }
      }
      if (!("pixels" in candidate)) {
        return {
          verdict: { ...candidate, details: { ...candidate.details, extraction: extracted.extraction } },
        };
      }
      const refPixels = ((refImage ?? refCode) as CachedRender).pixels;
      const refTrace = refCode === null ? null : (refCode as CachedRender).trace;
      // return_image: the candidate's raw pixels (fixed size, checked) encoded here; the kernel copies the PNG.
      const png: RenderingPng = item.options.return_image === true
        ? await renderingPng(candidate.pixels, width, height)
        : undefined;
      return { input: kernelInput(width, height, candidate, { pixels: refPixels, trace: refTrace }, png) };
    } catch (error) {
      return {
        error: {
          code: "sandbox_unavailable",
          message: `The chart sandbox could not run: ${(error as Error).message}`,
        },
      };
    } finally {
      budget.clear();
    }
  };
}
