/**
 * The HTML report of a run: one self-contained file with the summary, a table and a bar chart (with
 * 95% error bars: Wilson for 0/1 scores, bootstrap for continuous ones) per breakdown, a reward histogram, a browsable table of samples with their
 * explanations, and the provenance. Tables are rendered here (readable without scripts); the charts
 * and the sample browser are drawn in the page by Chart.js from the embedded data.
 */
import type { RunMeta, Sample } from "../core/mod.ts";
import type { RunSummary } from "../stats/mod.ts";
import { CHART_LIBRARY_VERSIONS, chartLibrarySources } from "./chart_library.ts";
import { accuracyText, headlineName, interval, intervalName, percent } from "./format.ts";
import { errorBreakdown, SMALL_BUCKET, statusText, usageText } from "./text_tables.ts";
import { REPORT_PAGE_SCRIPT, REPORT_STYLE } from "./page_assets.ts";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

function clip(text: string | null, max: number): string | null {
  return text === null || text.length <= max
    ? text
    : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

function row(cells: string[], tag = "td"): string {
  return `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join("")}</tr>`;
}

function summaryTable(meta: RunMeta, summary: RunSummary): string {
  const o = summary.overall;
  const a = summary.answered;
  const p = meta.provenance;
  const t = summary.threshold;
  const rows: [string, string][] = [
    ["status", statusText(summary)],
    ["suite", `${meta.suite.name} (version ${meta.suite.version}, prompt ${meta.suite.prompt.version})`],
    ["model", p.model.id],
    ...(meta.options ?? []).map((o) => [`run option ${o.name}`, o.description] as [string, string]),
    ["items", `${summary.items}${summary.items < summary.suite_items ? ` of ${summary.suite_items}` : ""}`],
    ["verdicts", String(summary.verdicts)],
    [
      `${headlineName(o.binary)} (every item; no verdict = wrong)`,
      accuracyText(o.mean, o.correct, o.n, o.binary),
    ],
    ["of answered", accuracyText(a.mean, a.correct, a.n, a.binary)],
    ["standard error", percent(o.se)],
    [intervalName(o.binary), interval(o.ci95)],
    ...(t
      ? [[
        `Acc@${t.threshold}`,
        `${percent(t.rate)} (${t.hits}/${t.n}); Wilson 95% CI ${interval(t.wilson95)}`,
      ]] as [
        string,
        string,
      ][]
      : []),
    ...(o.clusterSe !== null
      ? [[
        "cluster-robust SE",
        `${percent(o.clusterSe)} (${o.clusters} clusters of ${meta.suite.cluster})`,
      ]] as [
        string,
        string,
      ][]
      : []),
    [
      "unextractable",
      `${percent(summary.unextractable.rate)} (${summary.unextractable.count}/${summary.verdicts})`,
    ],
    ["errors (no verdict)", errorBreakdown(summary.errors)],
    ...(usageText(summary) ? [["generation", usageText(summary)!]] as [string, string][] : []),
    ...(summary.sampling
      ? summary.sampling.rows.map((r) =>
        [
          `k = ${r.k} of ${summary.sampling!.n} samples`,
          `pass@${r.k} ${percent(r.pass)}, maj@${r.k} ${percent(r.maj)}, mean@${r.k} ${percent(r.mean)}`,
        ] as [string, string]
      )
      : []),
  ];
  return `<table id="summary-table" class="summary${summary.complete ? "" : " incomplete"}"><tbody>${
    rows.map(([k, v]) => row([escapeHtml(k), escapeHtml(v)])).join("")
  }</tbody></table>`;
}

function breakdownSection(summary: RunSummary): string {
  return summary.breakdowns.map(({ key, rows }, i) => {
    const body = rows.map((r) =>
      row([
        escapeHtml(r.label) + (r.items < SMALL_BUCKET ? ' <span class="small">(small)</span>' : ""),
        String(r.items),
        String(r.verdicts),
        percent(r.mean),
        percent(r.se),
        interval(r.ci95),
      ])
    ).join("");
    return `<section class="breakdown" data-key="${escapeHtml(key)}"><h3>${escapeHtml(key)}</h3>
<div class="chart"><canvas id="breakdown-chart-${i}" class="breakdown-chart"></canvas></div>
<table class="breakdown-table"><thead>${
      row(["bucket", "items", "verdicts", "score", "SE", "95% CI"], "th")
    }</thead><tbody>${body}</tbody></table></section>`;
  }).join("\n");
}

function sampleView(s: Sample) {
  return {
    id: s.id,
    sample: s.sample,
    reward: s.reward,
    reference: s.reference,
    images: (s.image_files ?? []).map((path) => new URL(`file://${path}`).href),
    correct: s.correct,
    reason: s.reason,
    extracted: s.extracted,
    method: s.method,
    scored: s.scored,
    given_extraction: s.given_extraction,
    error: s.error,
    response: clip(s.response, 6000),
    reasoning: clip(s.reasoning, 3000),
    prompt: clip(s.prompt.user, 3000),
    details: s.details,
    breakdown: s.breakdown,
    latency_ms: s.latency_ms,
    finish_reason: s.finish_reason,
  };
}

/** The category filter's options: every breakdown bucket, as `key=label`. */
function categoryOptions(summary: RunSummary): string {
  return summary.breakdowns.flatMap(({ key, rows }) =>
    rows.map((r) => {
      const value = escapeHtml(JSON.stringify([key, r.label]));
      return `<option value="${value}">${escapeHtml(`${key}: ${r.label} (${r.items})`)}</option>`;
    })
  ).join("");
}

/** The run options the run was scored with, above everything (they depart from the suite's procedure). */
function optionsBanner(meta: RunMeta): string {
  const options = meta.options ?? [];
  if (options.length === 0) return "";
  return `<p id="options-banner" class="notice">${
    options.map((o) => `Scored with run option ${escapeHtml(o.name)}: ${escapeHtml(o.description)}`).join(
      "<br>",
    )
  }</p>`;
}

/** The report page. */
export function renderReport(meta: RunMeta, summary: RunSummary, samples: Sample[]): string {
  const title = `${meta.suite.name} — ${meta.provenance.model.id}`;
  const data = {
    breakdowns: summary.breakdowns.map(({ key, rows }) => ({
      key,
      rows: rows.map((r) => ({
        label: r.label,
        mean: r.mean,
        low: r.ci95[0],
        high: r.ci95[1],
        n: r.n,
      })),
    })),
    histogram: summary.histogram,
    samples: samples.map(sampleView),
  };
  const libraries = chartLibrarySources().map((source) =>
    `<script>${source.replace(/<\/script/gi, "<\\/script")}</script>`
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${REPORT_STYLE}</style>
${libraries}
</head><body>
<h1>${escapeHtml(title)}</h1>${optionsBanner(meta)}${
    summary.complete
      ? ""
      : `<p id="incomplete-banner" class="incomplete">${escapeHtml(statusText(summary))}</p>`
  }
<section id="summary"><h2>Summary</h2>${summaryTable(meta, summary)}</section>
<section id="breakdowns"><h2>Breakdowns</h2>${
    breakdownSection(summary) || "<p>The suite defines no breakdowns.</p>"
  }</section>
<section id="rewards"><h2>Reward histogram</h2><div class="chart"><canvas id="reward-histogram"></canvas></div></section>
<section id="samples"><h2>Samples</h2>
<div class="controls"><input id="sample-filter" type="search" placeholder="Filter by id, answer, reason…">
<select id="sample-outcome"><option value="all">all</option><option value="correct">correct</option>
<option value="wrong">wrong</option><option value="error">no verdict</option></select>
<select id="sample-category"><option value="">every category</option>${categoryOptions(summary)}</select>
<button id="sample-prev" type="button">‹ previous</button><span id="sample-page"></span>
<button id="sample-next" type="button">next ›</button></div>
<table id="samples-table"><thead>${
    row(["id", "outcome", "reward", "extracted", "reference", "reason / error", "response"], "th")
  }</thead><tbody></tbody></table></section>
<section id="provenance"><h2>Provenance</h2><pre>${escapeHtml(JSON.stringify(meta.provenance, null, 2))}</pre>
<p class="footer">Charts: ${
    escapeHtml(Object.entries(CHART_LIBRARY_VERSIONS).map(([k, v]) => `${k} ${v}`).join(", "))
  }. Error bars: ${escapeHtml(intervalName(summary.overall.binary))}.</p></section>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${REPORT_PAGE_SCRIPT}</script>
</body></html>
`;
}
