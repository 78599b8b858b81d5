/** The run summary and breakdown tables as plain text for stdout. */
import type { RunSummary } from "../stats/mod.ts";
import { accuracyText, interval, percent } from "./format.ts";

/** Pads columns into an aligned text table (first column left, the others right). */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The summary lines: `accuracy: 29.2% (292/1000)`, its uncertainty, unextractable rate, errors. */
export function summaryLines(summary: RunSummary): string[] {
  const o = summary.overall;
  const lines = [
    `accuracy: ${accuracyText(o.mean, o.correct, o.n, o.binary)}`,
    `standard error: ${percent(o.se)}; Wilson 95% CI ${interval(o.wilson95)}` +
    (o.clusterSe !== null ? `; cluster-robust SE ${percent(o.clusterSe)} (${o.clusters} clusters)` : ""),
    `unextractable: ${
      percent(summary.unextractable.rate)
    } (${summary.unextractable.count}/${summary.verdicts})`,
  ];
  const errors = Object.entries(summary.errors).sort(([a], [b]) => a.localeCompare(b));
  const errorCount = errors.reduce((sum, [, n]) => sum + n, 0);
  lines.push(
    `errors: ${errorCount}${
      errors.length ? ` (${errors.map(([code, n]) => `${code} ${n}`).join(", ")})` : ""
    }`,
  );
  return lines;
}

/** One table per breakdown key. */
export function breakdownTables(summary: RunSummary): string[] {
  return summary.breakdowns.map(({ key, rows }) =>
    `${key}\n` + textTable(
      ["bucket", "items", "verdicts", "accuracy", "SE", "Wilson 95% CI"],
      rows.map((
        r,
      ) => [r.label, String(r.items), String(r.n), percent(r.mean), percent(r.se), interval(r.wilson95)]),
    )
  );
}
