/**
 * Graceful shutdown: counts requests in flight (including NDJSON streams still being written) so
 * that SIGTERM can wait for them; once draining, new requests get 503.
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

/** Tracks in-flight work and resolves `drain()` when there is none left. */
export class DrainTracker {
  private inFlight = 0;
  private draining = false;
  private idle: (() => void)[] = [];

  /** Counts a piece of work until `done` settles. */
  track(done: Promise<unknown>): void {
    this.inFlight++;
    done.finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) { for (const resolve of this.idle.splice(0)) resolve(); }
    }).catch(() => {});
  }

  /** Middleware: refuses requests once draining, counts the others until they are answered. */
  middleware(): MiddlewareHandler {
    return async (_c, next) => {
      if (this.draining) {
        throw new ApiError(503, "sandbox_unavailable", "The server is shutting down", { "Retry-After": "1" });
      }
      const answered = next();
      this.track(answered);
      await answered;
    };
  }

  /** Stops taking requests; resolves once every tracked request and stream has finished. */
  drain(): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
