/**
 * `deploy/`: the Kubernetes manifests checked at the schema level (kinds, required fields, selectors
 * that select, probes on real routes and ports, drain timing, settings the server knows), the nginx
 * config accepted by `nginx -t` with the server's body limit, and the image and unit files agreeing
 * with them.
 */
import assert from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { ConfigError, defaultConfig, loadConfig } from "../config.ts";
import { createApp } from "../routes/mod.ts";
import { createProbeEngine } from "./_probe.ts";
import { checkNginxConfig, ensureNginx, NGINX_SITE, writeNginxConfig } from "./replicas_nginx.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;

const deploy = new URL("../deploy/", import.meta.url);
const manifests: Doc[] = parseAllDocuments(
  await Deno.readTextFile(new URL("kubernetes/arbiter.yaml", deploy)),
)
  .map((d) => d.toJS());
const byKind = (kind: string): Doc => {
  const found = manifests.filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0];
};

/** Required fields per kind, as paths (the API server rejects a manifest without them). */
const REQUIRED: Record<string, { apiVersion: string; paths: string[] }> = {
  Deployment: {
    apiVersion: "apps/v1",
    paths: [
      "metadata.name",
      "spec.selector.matchLabels",
      "spec.template.metadata.labels",
      "spec.template.spec.containers",
    ],
  },
  Service: { apiVersion: "v1", paths: ["metadata.name", "spec.selector", "spec.ports"] },
  HorizontalPodAutoscaler: {
    apiVersion: "autoscaling/v2",
    paths: [
      "metadata.name",
      "spec.scaleTargetRef.kind",
      "spec.scaleTargetRef.name",
      "spec.maxReplicas",
      "spec.metrics",
    ],
  },
  PodDisruptionBudget: {
    apiVersion: "policy/v1",
    paths: ["metadata.name", "spec.selector.matchLabels", "spec.minAvailable"],
  },
};

const at = (doc: Doc, path: string): unknown => path.split(".").reduce((v, k) => v?.[k], doc);
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

Deno.test("Kubernetes manifests: the four kinds, their required fields, selectors that select", () => {
  assert.deepEqual(manifests.map((m) => m.kind).sort(), Object.keys(REQUIRED).sort());
  for (const doc of manifests) {
    const { apiVersion, paths } = REQUIRED[doc.kind];
    assert.equal(doc.apiVersion, apiVersion, doc.kind);
    for (const path of paths) assert.ok(at(doc, path) !== undefined, `${doc.kind}: ${path} is required`);
  }
  const deployment = byKind("Deployment");
  const labels = deployment.spec.template.metadata.labels;
  assert.ok(selects(deployment.spec.selector.matchLabels, labels), "the Deployment selects its own pods");
  const container = deployment.spec.template.spec.containers[0];
  assert.ok(container.name && container.image, "a container has a name and an image");
  const portNames = new Map<string, number>(container.ports.map((p: Doc) => [p.name, p.containerPort]));

  const service = byKind("Service");
  assert.ok(selects(service.spec.selector, labels), "the Service selects the Deployment's pods");
  for (const port of service.spec.ports) {
    assert.ok(
      portNames.has(port.targetPort) || [...portNames.values()].includes(port.targetPort),
      port.targetPort,
    );
  }

  const hpa = byKind("HorizontalPodAutoscaler");
  assert.deepEqual(hpa.spec.scaleTargetRef, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    name: deployment.metadata.name,
  });
  assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas);
  for (const metric of hpa.spec.metrics) {
    assert.ok(["Resource", "Pods", "Object", "External", "ContainerResource"].includes(metric.type));
    if (metric.type === "Resource") {
      assert.ok(container.resources.requests[metric.resource.name], "utilization needs a request");
    }
  }

  const pdb = byKind("PodDisruptionBudget");
  assert.ok(selects(pdb.spec.selector.matchLabels, labels), "the budget covers the Deployment's pods");
  assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, "a node drain can still evict one pod");
  assert.ok(pdb.spec.minAvailable < deployment.spec.replicas);
  assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, "rollouts keep full capacity");
});

Deno.test("Kubernetes: probes on real routes and ports; the drain fits the grace period; env the server knows", async () => {
  const deployment = byKind("Deployment");
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const portNames = new Map<string, number>(container.ports.map((p: Doc) => [p.name, p.containerPort]));
  const env: Record<string, string> = Object.fromEntries(
    container.env.filter((e: Doc) => e.value !== undefined).map((e: Doc) => [e.name, e.value]),
  );
  // Every variable is a setting the server reads: changing it changes the config (or is rejected).
  for (const e of container.env) {
    const base = JSON.stringify(loadConfig({}));
    let known: boolean;
    try {
      known = JSON.stringify(loadConfig({ env: { [e.name]: "12345" } })) !== base;
    } catch (error) {
      known = error instanceof ConfigError;
    }
    assert.ok(known, `${e.name} is a setting the server reads`);
  }
  const config = loadConfig({ env });
  assert.equal(config.host, "0.0.0.0", "listens on the pod's address");
  assert.equal(config.port, portNames.get("http"), "ARBITER_PORT is the container port");
  assert.deepEqual(container.command.slice(-2), ["main.ts", "serve"]);

  // The probes' routes, answered by a real app: open without an API key, and 503 once draining
  // (so that readiness drops as soon as SIGTERM starts the drain).
  const engine = await createProbeEngine({ workers: 1 });
  try {
    const app = createApp(engine, { maxBodyBytes: config.max_body_bytes, apiKeys: ["secret"] });
    const probes = ["readinessProbe", "startupProbe"].map((name) => [name, container[name]] as const);
    for (const [name, probe] of probes) {
      assert.ok(portNames.has(probe.httpGet.port), `${name} names a container port`);
      const mounted = app.routes.some((r) => r.method === "GET" && r.path === probe.httpGet.path);
      assert.ok(mounted, `${name}: GET ${probe.httpGet.path} is a route`);
      const res = await app.request(probe.httpGet.path);
      assert.equal(res.status, 200, `${name} needs no API key`);
      await res.body?.cancel();
    }
    assert.ok(portNames.has(container.livenessProbe.tcpSocket.port), "liveness names a container port");
    await app.drain();
    const draining = await app.request(container.readinessProbe.httpGet.path);
    assert.equal(draining.status, 503, "a draining replica is not ready");
    await draining.body?.cancel();
  } finally {
    await engine.close();
  }

  const [sleep, seconds] = container.lifecycle.preStop.exec.command;
  assert.equal(sleep, "sleep");
  const preStop = Number(seconds);
  assert.ok(preStop >= 5, "preStop waits for the endpoints to drop the pod");
  const readiness = container.readinessProbe;
  assert.ok(
    readiness.periodSeconds * readiness.failureThreshold <= preStop,
    "readiness fails within the preStop wait",
  );
  assert.ok(pod.terminationGracePeriodSeconds >= preStop + 60, "a minute of drain after preStop");
});

Deno.test("nginx: the shipped config passes nginx -t; its body limit is max_body_bytes; it replays on errors", async () => {
  const site = await Deno.readTextFile(NGINX_SITE);
  const limit = /client_max_body_size (\d+)m;/.exec(site);
  assert.ok(limit, "client_max_body_size in MiB");
  assert.equal(Number(limit[1]) * 1024 * 1024, defaultConfig.max_body_bytes);
  const tooLarge = /return 413 '(.*)';/.exec(site);
  assert.ok(tooLarge);
  const body = JSON.parse(tooLarge[1]);
  assert.equal(body.error.code, "invalid_request", "the API's error shape");
  assert.match(body.error.message, new RegExp(`max_body_bytes \\(${defaultConfig.max_body_bytes} bytes\\)`));
  const retry = /proxy_next_upstream ([^;]+);/.exec(site)![1].split(/\s+/);
  for (const condition of ["error", "timeout", "http_503", "non_idempotent"]) {
    assert.ok(retry.includes(condition), condition);
  }
  assert.match(site, /max_fails=\d+ fail_timeout=\d+s/, "passive health checks");

  const nginx = await ensureNginx();
  const dir = await Deno.makeTempDir({ prefix: "arbiter-nginx-" });
  try {
    const output = await checkNginxConfig(
      nginx,
      dir,
      await writeNginxConfig(dir, 8780, [8781, 8782, 8783, 8784]),
    );
    assert.match(output, /syntax is ok/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the image, the systemd unit and the Deployment start the server the same way", async () => {
  const dockerfile = await Deno.readTextFile(new URL("Dockerfile", deploy));
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]);
  assert.deepEqual(cmd, byKind("Deployment").spec.template.spec.containers[0].command);
  const unit = await Deno.readTextFile(new URL("systemd/arbiter@.service", deploy));
  const exec = /^ExecStart=\S+ (.*)$/m.exec(unit)![1].split(" ");
  assert.deepEqual(exec, cmd.slice(1));
  assert.match(unit, /^Environment=ARBITER_PORT=%i$/m);
  assert.match(unit, /^KillSignal=SIGTERM$/m);
});
