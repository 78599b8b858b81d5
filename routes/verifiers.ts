/** `GET /v1/verifiers`: every verifier's description, schemas and examples with expected results. */
import { Hono } from "hono";
import type { Engine } from "../verifiers/mod.ts";

/** The verifier catalogue route. */
export function verifierRoutes(engine: Engine): Hono {
  const app = new Hono();
  const catalogue = { verifiers: engine.describe() };
  app.get("/v1/verifiers", (c) => c.json(catalogue));
  return app;
}
