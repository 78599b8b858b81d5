/**
 * The `chart_code` verifier: renders untrusted matplotlib code in a bubblewrap sandbox pool and
 * scores it against a reference chart (texts, layout, chart types, colors, image) in WASM.
 */
import type { WasmVerifier } from "../types.ts";
import { PythonPool } from "../_python/mod.ts";
import { chartSandboxAvailability, rendererPath } from "./availability.ts";
import { chartExamples } from "./examples.ts";
import { chartParams } from "./params.ts";
import { RenderCache } from "./render_cache.ts";
import { chartOptionsSchema, chartReferenceSchema } from "./schemas.ts";
import { createChartStage } from "./stage.ts";

export { rendererPath } from "./availability.ts";
export { readRecord, renderJob, type RenderRequest } from "./record.ts";

let pool: PythonPool | null = null;
const cache = new RenderCache();

export const chartCodeVerifier: WasmVerifier = {
  name: "chart_code",
  version: "1.1.1",
  description:
    "Runs a model's matplotlib code in a bubblewrap sandbox (nobody, no network, rlimits, deadline) and compares " +
    "the chart with a reference: text, tick, layout, chart-type and color F1 (CIEDE2000, Hungarian matching) and " +
    "image similarity (SSIM on luminance plus a color histogram); a `chartmimic` profile reproduces ChartMimic's " +
    "low-level metrics.",
  referenceSchema: chartReferenceSchema,
  optionsSchema: chartOptionsSchema,
  defaultTimeoutMs: 10_000,
  params: chartParams,
  examples: chartExamples,
  stage: createChartStage(() => pool ??= new PythonPool({ handlers: [rendererPath] }), cache),
  availability: chartSandboxAvailability,
  async close() {
    const closing = pool;
    pool = null;
    await closing?.close();
  },
};
