/** The run summary and breakdown tables as plain text for stdout. */
import type { RunSummary } from "../stats/mod.ts";
import { accuracyText, headlineName, interval, intervalName, percent } from "./format.ts";

/** Pads columns into an aligned text table (first column left, the others right). */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** `length 1, timeout 2` (codes sorted), or "none". */
export function errorBreakdown(errors: Record<string, number>): string {
  const entries = Object.entries(errors).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([code, n]) => `${code} ${n}`).join(", ") : "none";
}

/** `latency p50 820 ms, p90 …; tokens: 312 prompt, 95 completion per generation (…)`, or null. */
export function usageText(summary: RunSummary): string | null {
  const { latencyMs, tokens } = summary.usage;
  const parts: string[] = [];
  if (latencyMs) {
    parts.push(
      `latency p50 ${Math.round(latencyMs.p50)} ms, p90 ${Math.round(latencyMs.p90)} ms, p99 ${
        Math.round(latencyMs.p99)
      } ms`,
    );
  }
  if (tokens) {
    parts.push(
      `tokens per generation: ${tokens.promptMean.toFixed(0)} prompt, ${
        tokens.completionMean.toFixed(0)
      } completion (${tokens.completionTotal} completion in all)`,
    );
  }
  return parts.length ? parts.join("; ") : null;
}

/** Whether the run is complete, and if not why, in one line. */
export function statusText(summary: RunSummary): string {
  if (summary.complete) return "complete";
  const parts: string[] = [];
  if (summary.unanswered > 0) {
    parts.push(`${summary.unanswered} of ${summary.items} items have no answer (counted as wrong)`);
  }
  const failed = summary.sampling?.failedSamples ?? 0;
  if (failed > 0) {
    parts.push(
      `${failed} of ${summary.items * summary.sampling!.n} samples have no answer (counted as wrong)`,
    );
  }
  if (summary.items < summary.suite_items) {
    parts.push(`a subset: ${summary.items} of ${summary.suite_items} items`);
  }
  return `INCOMPLETE: ${parts.join("; ")}`;
}

/**
 * The summary lines: the headline over every item (`accuracy: 66.7% (8/12)`), "of answered", the
 * uncertainty, Acc@threshold, the unextractable rate, the errors and whether the run is complete.
 */
export function summaryLines(summary: RunSummary): string[] {
  const o = summary.overall;
  const a = summary.answered;
  const missing = summary.items - summary.verdicts;
  const lines = [
    `${headlineName(o.binary)}: ${accuracyText(o.mean, o.correct, o.n, o.binary)}` +
    (missing > 0 ? `; the ${missing} items without a verdict count as wrong` : ""),
    `of answered: ${accuracyText(a.mean, a.correct, a.n, a.binary)}`,
    `standard error: ${percent(o.se)}; ${intervalName(o.binary)} ${interval(o.ci95)}` +
    (o.clusterSe !== null ? `; cluster-robust SE ${percent(o.clusterSe)} (${o.clusters} clusters)` : ""),
  ];
  const t = summary.threshold;
  if (t) {
    lines.push(
      `Acc@${t.threshold}: ${percent(t.rate)} (${t.hits}/${t.n}); Wilson 95% CI ${interval(t.wilson95)}`,
    );
  }
  lines.push(
    `unextractable: ${
      percent(summary.unextractable.rate)
    } (${summary.unextractable.count}/${summary.verdicts})`,
  );
  const errorCount = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
  lines.push(`errors: ${errorCount}${errorCount ? ` (${errorBreakdown(summary.errors)})` : ""}`);
  const usage = usageText(summary);
  if (usage) lines.push(usage);
  const sampling = summary.sampling;
  if (sampling) {
    lines.push(
      `samples: ${sampling.n} per item (headline: mean@${sampling.n}); mean per-item variance ${
        sampling.meanItemVariance.toFixed(4)
      }`,
    );
    for (const r of sampling.rows) {
      lines.push(
        `  k=${r.k}: pass@${r.k} ${percent(r.pass)}  maj@${r.k} ${percent(r.maj)}  mean@${r.k} ${
          percent(r.mean)
        }`,
      );
    }
  }
  lines.push(`status: ${statusText(summary)}`);
  return lines;
}

/** One table per breakdown key, largest buckets first; buckets under 30 items are marked `*`. */
export function breakdownTables(summary: RunSummary): string[] {
  const name = headlineName(summary.overall.binary);
  return summary.breakdowns.map(({ key, rows }) => {
    const table = textTable(
      ["bucket", "items", "verdicts", name, "SE", intervalName(summary.overall.binary)],
      rows.map((r) => [
        `${r.label}${r.items < SMALL_BUCKET ? " *" : ""}`,
        String(r.items),
        String(r.verdicts),
        percent(r.mean),
        percent(r.se),
        interval(r.ci95),
      ]),
    );
    const small = rows.some((r) => r.items < SMALL_BUCKET)
      ? `\n* fewer than ${SMALL_BUCKET} items: wide interval`
      : "";
    return `${key}\n${table}${small}`;
  });
}

/** Buckets with fewer items than this are marked small. */
export const SMALL_BUCKET = 30;
