/** Arbiter's own version, reported by `/healthz`, the OpenAPI document and run provenance. */
export const ARBITER_VERSION = "0.1.0";
