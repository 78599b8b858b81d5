/**
 * TypeScript client for Arbiter, the sandboxed reward-verification server. Runs wherever `fetch`
 * does (Deno, Node ≥ 20, browsers); item types are generated from the verifiers' JSON Schemas.
 *
 * ```ts
 * import { ArbiterClient, substituteRewards } from "./clients/ts/mod.ts";
 *
 * const client = new ArbiterClient({ urls: ["http://10.0.0.5:8787", "http://10.0.0.6:8787"] });
 * const results = await client.verifyBatch([
 *   { verifier: "math", response: "… so \\boxed{4}", reference: "4" },
 *   { verifier: "iou", response: "[10, 20, 110, 220]", reference: { box: [12, 20, 110, 230] } },
 * ], { budgetMs: 5000 });
 * const { rewards } = substituteRewards(results, { groups: ["q1", "q1"], onNoVerdict: "group_mean" });
 * ```
 * @module
 */
export { ArbiterClient, type ArbiterClientOptions, type BatchCallOptions, RETRY_STATUSES } from "./client.ts";
export {
  ArbiterAuthError,
  ArbiterCallerError,
  ArbiterError,
  ArbiterHTTPError,
  ArbiterPayloadTooLarge,
  ArbiterProtocolError,
  ArbiterUnavailableError,
} from "./errors.ts";
export { consoleLogger, type Logger } from "./log.ts";
export type {
  ErrorCode,
  Health,
  VerifierCatalogue,
  VerifierExample,
  VerifierInfo,
  VerifyResult,
} from "./results.ts";
export {
  checkPolicy,
  errorCodeOf,
  ON_NO_VERDICT,
  type OnNoVerdict,
  substituteNoVerdicts,
  type SubstituteOptions,
  substituteRewards,
  SubstitutionCounter,
  type SubstitutionReport,
  verdictOf,
} from "./substitution.ts";
export type * from "./types.ts";
