/**
 * The model endpoints a caller may make the server call (config `model_url_allow`). Each entry is
 * `loopback` (127.0.0.0/8, ::1, localhost, any port) or a URL prefix (`https://api.example.com/v1`):
 * scheme, host and port must match exactly, and the path must start with the entry's path at a
 * segment boundary. URLs with credentials, other schemes, or hosts not listed are refused.
 */

/** A URL the caller may not make the server fetch. */
export class UrlNotAllowedError extends Error {
  readonly code = "invalid_request";
  override name = "UrlNotAllowedError";
}

/** The default: only endpoints on this machine. */
export const LOOPBACK_ONLY: readonly string[] = ["loopback"];

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The allow-list, parsed once; a malformed entry throws at start-up (a configuration error). */
export class UrlAllowList {
  readonly #prefixes: URL[] = [];
  readonly #loopback: boolean;

  constructor(entries: readonly string[] = LOOPBACK_ONLY) {
    this.#loopback = entries.includes("loopback");
    for (const entry of entries) {
      if (entry === "loopback") continue;
      const url = parseUrl(entry);
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) {
        throw new TypeError(`model_url_allow: "${entry}" is neither "loopback" nor an http(s) URL prefix`);
      }
      this.#prefixes.push(url);
    }
  }

  /** The URL if the list allows it; throws UrlNotAllowedError naming `field` otherwise. */
  check(text: string, field: string): URL {
    const url = typeof text === "string" ? parseUrl(text) : null;
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new UrlNotAllowedError(`${field}: must be an http(s) URL`);
    }
    if (url.username || url.password) {
      throw new UrlNotAllowedError(`${field}: credentials in the URL are not accepted (use api_key)`);
    }
    if (this.#loopback && isLoopback(url.hostname)) return url;
    for (const prefix of this.#prefixes) {
      const path = prefix.pathname.replace(/\/+$/, "");
      if (
        url.protocol === prefix.protocol && url.host === prefix.host &&
        (url.pathname === path || url.pathname.startsWith(`${path}/`))
      ) return url;
    }
    throw new UrlNotAllowedError(
      `${field}: ${url.origin} is not on the server's model_url_allow list`,
    );
  }
}
