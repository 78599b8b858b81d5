/** What the server answers: results (the server's own type), health and the verifier catalogue. */
export type { ErrorCode, VerifyResult } from "../../verifiers/_contract/mod.ts";

/** `GET /healthz`. */
export interface Health {
  /** "ok" when every verifier is available, else "degraded". */
  status: "ok" | "degraded";
  version: string;
  /** The largest request body the server accepts; `verifyBatch` splits under it. */
  max_body_bytes: number;
  /** Per verifier: "ok", or why it is unavailable. */
  verifiers: Record<string, string>;
}

/** One published example of a verifier, with the result it must get. */
export interface VerifierExample {
  title: string;
  item: { response: string; reference: unknown; options?: Record<string, unknown> };
  expected: { reward: number; correct: boolean; details?: Record<string, unknown> };
}

/** What `GET /v1/verifiers` says about one verifier. */
export interface VerifierInfo {
  name: string;
  version: string;
  description: string;
  available: boolean;
  default_timeout_ms: number;
  /** The JSON Schemas that `types.ts` is generated from. */
  schemas: { reference: Record<string, unknown>; options: Record<string, unknown> };
  examples: VerifierExample[];
}

/** `GET /v1/verifiers`. */
export interface VerifierCatalogue {
  verifiers: VerifierInfo[];
}
