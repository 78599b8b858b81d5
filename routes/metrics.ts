/** `GET /metrics`: Prometheus text exposition of the engine's and the HTTP layer's counters. */
import { Hono } from "hono";
import type { MiddlewareHandler } from "hono";
import { type Engine, Histogram, LATENCY_BUCKETS_MS } from "../verifiers/mod.ts";
import { errorResponses, type RouteContract } from "./contract.ts";

/** Requests per route and status, and request latency. */
export class HttpMetrics {
  readonly requests = new Map<string, number>();
  readonly latency = new Histogram(LATENCY_BUCKETS_MS);

  /** Middleware that counts every request once it is answered. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const key = `${c.req.method} ${c.req.routePath}\u0000${c.res.status}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      this.latency.observe(performance.now() - started);
    };
  }
}

function label(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function histogramLines(name: string, labels: string, h: Histogram): string[] {
  const lines: string[] = [];
  let cumulative = 0;
  const sep = labels ? "," : "";
  h.bounds.forEach((bound, i) => {
    cumulative += h.counts[i];
    lines.push(`${name}_bucket{${labels}${sep}le="${bound / 1000}"} ${cumulative}`);
  });
  lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${h.count}`);
  lines.push(`${name}_sum{${labels}} ${h.sum / 1000}`);
  lines.push(`${name}_count{${labels}} ${h.count}`);
  return lines;
}

/** Renders every metric in the Prometheus text format (latencies in seconds). */
export function renderMetrics(engine: Engine, http: HttpMetrics): string {
  const lines: string[] = [];
  lines.push("# HELP arbiter_items_total Items verified, by verifier and outcome.");
  lines.push("# TYPE arbiter_items_total counter");
  for (const [verifier, byOutcome] of engine.metrics.items) {
    for (const [outcome, n] of byOutcome) {
      lines.push(`arbiter_items_total{verifier="${label(verifier)}",outcome="${label(outcome)}"} ${n}`);
    }
  }
  lines.push("# HELP arbiter_item_seconds Time an item ran in the sandbox.");
  lines.push("# TYPE arbiter_item_seconds histogram");
  for (const [verifier, h] of engine.metrics.latency) {
    lines.push(...histogramLines("arbiter_item_seconds", `verifier="${label(verifier)}"`, h));
  }
  const { pool: stats, pendingItems, rejectedBatches, prep } = engine.stats();
  const gauges: [string, string, number, string][] = [
    ["arbiter_pool_workers", "gauge", stats.workers, "Sandbox processes in the pool."],
    ["arbiter_pool_busy_workers", "gauge", stats.busyWorkers, "Sandbox processes running a chunk."],
    ["arbiter_queue_items", "gauge", stats.queuedItems, "Items waiting for a sandbox process."],
    ["arbiter_pending_items", "gauge", pendingItems, "Items admitted and not yet answered (the 429 limit)."],
    ["arbiter_timeouts_total", "counter", stats.timeouts, "Items stopped at their deadline or budget."],
    ["arbiter_respawns_total", "counter", stats.respawns, "Sandbox processes replaced."],
    ["arbiter_sandbox_deaths_total", "counter", stats.deaths, "Sandbox processes that died unasked."],
    ["arbiter_kernel_faults_total", "counter", stats.faults, "Kernel traps contained by the sandbox."],
    [
      "arbiter_sandbox_oom_kills_total",
      "counter",
      stats.oomKills,
      "Sandbox processes the kernel's OOM killer stopped at their memory cgroup's limit (also in deaths).",
    ],
    [
      "arbiter_sandbox_memory_cgroup_bytes",
      "gauge",
      stats.memoryCgroupBytes,
      "Memory cgroup limit of each sandbox process; 0: no cgroup (RLIMIT_DATA only).",
    ],
    [
      "arbiter_prep_threads",
      "gauge",
      prep?.threads ?? 0,
      "Threads preparing large batches off the main thread.",
    ],
    [
      "arbiter_prep_slices_total",
      "counter",
      prep?.slices ?? 0,
      "Batch slices the preparation threads prepared.",
    ],
    [
      "arbiter_prep_fallbacks_total",
      "counter",
      prep?.fallbacks ?? 0,
      "Slices prepared on the main thread because a preparation thread had failed.",
    ],
  ];
  for (const [name, type, value, help] of gauges) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  }
  lines.push("# HELP arbiter_rejected_batches_total Batches refused whole, by reason.");
  lines.push("# TYPE arbiter_rejected_batches_total counter");
  for (const [reason, n] of Object.entries(rejectedBatches)) {
    lines.push(`arbiter_rejected_batches_total{reason="${reason}"} ${n}`);
  }
  if (stats.lastDeathReason) {
    lines.push("# HELP arbiter_sandbox_last_death_info Why the last sandbox process died.");
    lines.push("# TYPE arbiter_sandbox_last_death_info gauge");
    lines.push(`arbiter_sandbox_last_death_info{reason="${label(stats.lastDeathReason.slice(0, 200))}"} 1`);
  }
  lines.push(
    "# HELP arbiter_sandbox_memory_cgroup_info Where the sandbox processes' memory cgroups are, or why there are none.",
    "# TYPE arbiter_sandbox_memory_cgroup_info gauge",
    `arbiter_sandbox_memory_cgroup_info{status="${label(stats.memoryCgroup.slice(0, 300))}"} 1`,
  );
  lines.push("# HELP arbiter_http_requests_total HTTP requests, by route and status.");
  lines.push("# TYPE arbiter_http_requests_total counter");
  for (const [key, n] of http.requests) {
    const [route, status] = key.split("\u0000");
    lines.push(`arbiter_http_requests_total{route="${label(route)}",status="${status}"} ${n}`);
  }
  lines.push("# HELP arbiter_http_request_seconds HTTP request latency.");
  lines.push("# TYPE arbiter_http_request_seconds histogram");
  lines.push(...histogramLines("arbiter_http_request_seconds", "", http.latency));
  lines.push(...engine.remoteMetricLines()); // judges: calls, cache hits and misses, tokens
  return lines.join("\n") + "\n";
}

/** `GET /metrics`: Prometheus text exposition. */
export const METRICS: RouteContract = {
  method: "get",
  path: "/metrics",
  summary: "Prometheus metrics",
  responses: {
    "200": { description: "Text exposition", content: { "text/plain": { schema: { type: "string" } } } },
    ...errorResponses("401"),
  },
};

/** The metrics route. */
export function metricsRoutes(engine: Engine, http: HttpMetrics): Hono {
  const app = new Hono();
  app.get(
    METRICS.path,
    (c) => c.text(renderMetrics(engine, http), 200, { "content-type": "text/plain; version=0.0.4" }),
  );
  return app;
}
