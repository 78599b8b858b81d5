/**
 * The charting library inlined into every report (so a report is one self-contained file that works
 * offline): Chart.js and its error-bars plugin, read from the pinned npm packages' browser builds.
 * This is the one file that names these dependencies.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Chart } from "chart.js";
import { BarWithErrorBarsChart } from "chartjs-chart-error-bars";

/** Versions inlined, for the report's footer. */
export const CHART_LIBRARY_VERSIONS = { "chart.js": Chart.version, "chartjs-chart-error-bars": "4.4.5" };

let cached: string[] | undefined;

/** The browser builds' source (UMD, minified), to be placed in `<script>` tags. */
export function chartLibrarySources(): string[] {
  if (BarWithErrorBarsChart === undefined) throw new Error("chartjs-chart-error-bars did not load");
  const require = createRequire(import.meta.url);
  const chartDir = dirname(require.resolve("chart.js"));
  const errorBarsDir = dirname(require.resolve("chartjs-chart-error-bars"));
  cached ??= [
    Deno.readTextFileSync(join(chartDir, "chart.umd.min.js")),
    Deno.readTextFileSync(join(errorBarsDir, "index.umd.min.js")),
  ];
  return cached;
}
