/** `GET /healthz`: liveness, version, body limit and each verifier's availability. */
import { Hono } from "hono";
import type { Engine } from "../verifiers/mod.ts";
import { ARBITER_VERSION } from "../version.ts";

/** The health route; `status` is "ok" when every verifier is available, else "degraded". */
export function healthRoutes(engine: Engine, maxBodyBytes: number): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => {
    const verifiers = engine.health();
    const status = Object.values(verifiers).every((v) => v === "ok") ? "ok" : "degraded";
    return c.json({ status, version: ARBITER_VERSION, max_body_bytes: maxBodyBytes, verifiers });
  });
  return app;
}
