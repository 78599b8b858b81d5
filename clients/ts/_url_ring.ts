/** The server URLs, taken round-robin; a URL that just failed goes to the back for a while. */

/** Checks a server URL (`http(s)://host:port` with an optional path prefix) and drops trailing slashes. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Not an http(s) server URL: ${JSON.stringify(url)}`);
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || !parsed.hostname) {
    throw new TypeError(`Not an http(s) server URL: ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, "");
}

/**
 * `order()` gives the URLs one request should try: starting one further each call (round-robin),
 * healthy URLs first, then those that failed within the last `cooldownMs` (still tried, last, so a
 * request never fails while some URL might answer).
 */
export class UrlRing {
  readonly urls: string[];
  private next = 0;
  private readonly failedAt = new Map<string, number>();

  constructor(urls: string[], readonly cooldownMs = 5000) {
    if (urls.length === 0) throw new TypeError("At least one server URL is needed");
    this.urls = urls.map(normalizeBaseUrl);
  }

  /** The URLs in the order the next request should try them. */
  order(now = performance.now()): string[] {
    const start = this.next;
    this.next = (this.next + 1) % this.urls.length;
    const rotated = [...this.urls.slice(start), ...this.urls.slice(0, start)];
    const cooling = (url: string) => now - (this.failedAt.get(url) ?? -Infinity) < this.cooldownMs;
    return [...rotated.filter((u) => !cooling(u)), ...rotated.filter(cooling)];
  }

  /** Records that `url` did not answer usefully (network error, timeout, 429, 5xx). */
  markFailed(url: string, now = performance.now()): void {
    this.failedAt.set(url, now);
  }

  /** Records that `url` answered. */
  markOk(url: string): void {
    this.failedAt.delete(url);
  }
}
