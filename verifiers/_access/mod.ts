/**
 * What a caller may make the server touch: files under the configured `data_roots`, and model
 * endpoints on the `model_url_allow` list. Used by the benchmark routes; meant for any route or
 * verifier that takes a path or a URL from a request (judge images, reward-model endpoints).
 */
export { DataRoots, PathNotAllowedError } from "./data_roots.ts";
export { LOOPBACK_ONLY, UrlAllowList, UrlNotAllowedError } from "./url_allow.ts";
