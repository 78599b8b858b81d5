/** `GET /healthz`: liveness, version, body limit and each verifier's availability. */
import { Hono } from "hono";
import type { Engine } from "../verifiers/mod.ts";
import { ARBITER_VERSION } from "../verifiers/mod.ts";
import { jsonContent, type RouteContract } from "./contract.ts";

/** `GET /healthz`: open without an API key (load balancers and readiness probes call it). */
export const HEALTH: RouteContract = {
  method: "get",
  path: "/healthz",
  summary: "Health: version, body limit, each verifier's availability",
  public: true,
  responses: {
    "200": {
      description: "Health",
      content: jsonContent({
        type: "object",
        required: ["status", "version", "max_body_bytes", "verifiers"],
        properties: {
          status: { enum: ["ok", "degraded"] },
          version: { type: "string" },
          max_body_bytes: { type: "integer" },
          verifiers: { type: "object", additionalProperties: { type: "string" } },
        },
      }),
    },
  },
};

/**
 * The health route; `status` is "degraded" when a verifier the server runs itself is unavailable
 * (a missing kernel or sandbox); a remote verifier (judge) only reports its reason in `verifiers`.
 */
export function healthRoutes(engine: Engine, maxBodyBytes: number): Hono {
  const app = new Hono();
  app.get(HEALTH.path, (c) => {
    const verifiers = engine.health();
    const status = engine.isDegraded() ? "degraded" : "ok";
    return c.json({ status, version: ARBITER_VERSION, max_body_bytes: maxBodyBytes, verifiers });
  });
  return app;
}
