/**
 * The comparison page of runs against a baseline: for each run, the paired difference (B − A) with
 * its 95% interval and McNemar's test, overall and per breakdown bucket (largest first, small ones
 * marked). Self-contained HTML, readable without scripts.
 */
import type { PairedComparison } from "../stats/mod.ts";
import { interval, percent, pValue } from "./format.ts";
import { escapeHtml } from "./html.ts";
import { REPORT_STYLE } from "./page_assets.ts";
import { SMALL_BUCKET } from "./text_tables.ts";

/** One run compared with the baseline (what `compareRuns` returns). */
export interface ComparisonView extends PairedComparison {
  idA: string;
  idB: string;
  onlyInA: number;
  onlyInB: number;
  withoutVerdict: number;
  categories: { key: string; rows: ({ label: string } & PairedComparison)[] }[];
}

function cells(c: PairedComparison): string[] {
  return [
    String(c.n),
    percent(c.meanA),
    percent(c.meanB),
    percent(c.difference),
    interval(c.ci95),
    `${c.onlyA} / ${c.onlyB}`,
    `${pValue(c.mcnemarP)} (${c.mcnemarMethod})`,
  ];
}

const HEADER = ["items", "score A", "score B", "B − A", "95% CI", "A-only / B-only correct", "McNemar p"];

function table(first: string, rows: string[][], id?: string): string {
  const head = `<tr>${[first, ...HEADER].map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  return `<table${
    id ? ` id="${id}"` : ""
  } class="comparison"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The page comparing each of `comparisons` (all against the same baseline run A). */
export function renderComparison(comparisons: ComparisonView[]): string {
  const baseline = comparisons[0]?.idA ?? "";
  const sections = comparisons.map((c, i) => {
    const overall = table("", [["all paired items", ...cells(c)]], `comparison-${i}-overall`);
    const categories = c.categories.map(({ key, rows }) =>
      `<h3>${escapeHtml(key)}</h3>${
        table(
          "bucket",
          rows.map((r) => [`${r.label}${r.n < SMALL_BUCKET ? " (small)" : ""}`, ...cells(r)]),
        )
      }`
    ).join("\n");
    return `<section class="run-comparison" data-run="${escapeHtml(c.idB)}">
<h2>${escapeHtml(c.idB)} (B) vs ${escapeHtml(c.idA)} (A)</h2>
<p>On ${c.n} paired items (in both runs; ${c.withoutVerdict} without a verdict in one or both count as wrong)${
      c.onlyInA + c.onlyInB > 0 ? `; not compared: ${c.onlyInA} only in A, ${c.onlyInB} only in B` : ""
    }.</p>
${overall}
${categories}</section>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`Comparison against ${baseline}`)}</title>
<style>${REPORT_STYLE}</style></head><body>
<h1>${escapeHtml(`Comparison against ${baseline}`)}</h1>
<p class="footer">Differences are B − A over paired items with a 95% interval (normal approximation of the paired
mean difference); McNemar's test on the items whose correctness differs (exact below 25 discordant pairs).</p>
${sections}
</body></html>
`;
}
