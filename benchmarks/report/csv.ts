/** `results.csv`: one row per sample, for spreadsheets and pandas (RFC 4180 quoting). */
import type { Sample } from "../core/mod.ts";

function field(value: unknown): string {
  const text = value === null || value === undefined
    ? ""
    : typeof value === "string"
    ? value
    : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text: a header, then each sample (breakdown labels joined by `|`). */
export function samplesCsv(samples: Sample[], breakdownKeys: string[]): string {
  const header = [
    "id",
    "sample",
    "outcome",
    "reward",
    "correct",
    "reason",
    "error",
    "extracted",
    "reference",
    "latency_ms",
    "prompt_tokens",
    "completion_tokens",
    "finish_reason",
    ...breakdownKeys,
  ];
  const rows = samples.map((s) => [
    s.id,
    s.sample,
    s.error ? "no_verdict" : s.correct ? "correct" : "wrong",
    s.reward,
    s.correct,
    s.reason,
    s.error?.code ?? null,
    s.extracted,
    s.reference,
    s.latency_ms,
    s.usage?.prompt_tokens ?? null,
    s.usage?.completion_tokens ?? null,
    s.finish_reason,
    ...breakdownKeys.map((key) => (s.breakdown[key] ?? []).join("|")),
  ]);
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}
