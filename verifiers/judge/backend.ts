/**
 * The `judge` verifier's backend for the engine (a `RemoteBackend`): a `JudgeService` built from
 * the engine's settings, its outcomes, its pre-check switch and its `/metrics` lines.
 */
import type { RemoteBackend, RemoteSettings } from "../types.ts";
import { JudgeService } from "./service.ts";

function label(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/** Prometheus lines for the service's counters. */
export function judgeMetricLines(service: JudgeService): string[] {
  const stats = service.stats();
  const lines = [
    "# HELP arbiter_judge_cache_total Judge verdict cache lookups, by result.",
    "# TYPE arbiter_judge_cache_total counter",
    `arbiter_judge_cache_total{result="hit"} ${stats.cacheHits}`,
    `arbiter_judge_cache_total{result="miss"} ${stats.cacheMisses}`,
    "# HELP arbiter_judge_calls_total Judge calls (after retries), by judge and outcome.",
    "# TYPE arbiter_judge_calls_total counter",
  ];
  for (const [judge, byOutcome] of Object.entries(stats.calls)) {
    for (const [outcome, n] of Object.entries(byOutcome)) {
      lines.push(`arbiter_judge_calls_total{judge="${label(judge)}",outcome="${label(outcome)}"} ${n}`);
    }
  }
  lines.push("# HELP arbiter_judge_attempts_total HTTP requests made to judges, retries included.");
  lines.push("# TYPE arbiter_judge_attempts_total counter");
  for (const [judge, n] of Object.entries(stats.attempts)) {
    lines.push(`arbiter_judge_attempts_total{judge="${label(judge)}"} ${n}`);
  }
  lines.push(
    "# HELP arbiter_judge_in_flight_seconds_total Seconds of judge calls in flight, summed over calls (its rate is the average number in flight).",
  );
  lines.push("# TYPE arbiter_judge_in_flight_seconds_total counter");
  for (const [judge, ms] of Object.entries(stats.busyMs)) {
    lines.push(`arbiter_judge_in_flight_seconds_total{judge="${label(judge)}"} ${(ms / 1000).toFixed(3)}`);
  }
  lines.push("# HELP arbiter_judge_tokens_total Tokens the judges reported using.");
  lines.push("# TYPE arbiter_judge_tokens_total counter");
  for (const [judge, n] of Object.entries(stats.tokens)) {
    lines.push(`arbiter_judge_tokens_total{judge="${label(judge)}"} ${n}`);
  }
  return lines;
}

/** Builds the backend from the engine's settings (a bad `judges:` entry throws `JudgeConfigError`). */
export function judgeBackend(settings: RemoteSettings): RemoteBackend {
  const service = JudgeService.create({
    judges: settings.judges,
    templates: settings.judgeTemplates,
    cachePath: settings.judgeCache === "" ? ":memory:" : settings.judgeCache,
    dataRoots: settings.dataRoots,
  });
  return {
    unavailable: () => service.unavailableReason(),
    optionsProblem: (options) => service.optionsProblem(options),
    prechecks: (options) => options.precheck === true,
    known: (item) => service.cachedOutcome(item),
    run: (item, signal) => service.judge(item, signal),
    metricLines: () => judgeMetricLines(service),
    close: () => Promise.resolve(service.close()),
  };
}
