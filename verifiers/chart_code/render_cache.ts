/**
 * Successful renderings by content hash (kind, code or image, size): a reference is rendered once,
 * and a candidate repeated within a group of samples is rendered once. Bounded by total bytes
 * (least recently used out first); failures are not kept (a deadline depends on the load).
 */

/** A rendering kept for reuse. */
export interface CachedRender {
  pixels: Uint8Array;
  trace: Uint8Array;
}

/** An LRU map of renderings, with in-flight renders shared. */
export class RenderCache {
  private readonly entries = new Map<string, CachedRender>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private bytes = 0;

  constructor(readonly maxBytes = 256 * 1024 * 1024) {}

  /** SHA-256 of the job's identity, as hex. */
  static async key(parts: (string | number)[]): Promise<string> {
    const data = new TextEncoder().encode(JSON.stringify(parts));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** The cached rendering, or the result of `make` (kept when it is a rendering). */
  get<T>(key: string, make: () => Promise<T | CachedRender>): Promise<T | CachedRender> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return Promise.resolve(hit);
    }
    const pending = this.inFlight.get(key) as Promise<T | CachedRender> | undefined;
    if (pending) return pending;
    const promise = make().then((value) => {
      if (value !== null && typeof value === "object" && "pixels" in value && "trace" in value) {
        this.put(key, value as CachedRender);
      }
      return value;
    }).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private put(key: string, value: CachedRender): void {
    const size = value.pixels.length + value.trace.length;
    if (size > this.maxBytes) return;
    this.entries.set(key, value);
    this.bytes += size;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.pixels.length + old.trace.length;
    }
  }
}
