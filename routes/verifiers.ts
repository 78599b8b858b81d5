/** `GET /v1/verifiers`: every verifier's description, schemas and examples with expected results. */
import { Hono } from "hono";
import type { Engine } from "../verifiers/mod.ts";
import { errorResponses, jsonContent, type RouteContract } from "./contract.ts";

/** `GET /v1/verifiers`. */
export const VERIFIERS_LIST: RouteContract = {
  method: "get",
  path: "/v1/verifiers",
  summary: "Verifiers, their schemas and examples with expected results",
  responses: {
    "200": {
      description: "Catalogue",
      content: jsonContent({
        type: "object",
        required: ["verifiers"],
        properties: { verifiers: { type: "array", items: { type: "object" } } },
      }),
    },
    ...errorResponses("401"),
  },
};

/** The verifier catalogue route. */
export function verifierRoutes(engine: Engine): Hono {
  const app = new Hono();
  const catalogue = { verifiers: engine.describe() };
  app.get(VERIFIERS_LIST.path, (c) => c.json(catalogue));
  return app;
}
