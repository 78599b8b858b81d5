/**
 * Errors the engine throws for a whole request (never for one item: an item's problem is its
 * result). The routes' one error handler maps each `code` to its HTTP status.
 */

/** The queue is full: retry after `retryAfterS` seconds (HTTP 429). */
export class OverloadedError extends Error {
  readonly code = "overloaded";
  override name = "OverloadedError";
  constructor(message: string, readonly retryAfterS: number) {
    super(message);
  }
}

/** A verifier the request needs cannot run here (its kernel or sandbox is missing): HTTP 503. */
export class SandboxUnavailableError extends Error {
  readonly code = "sandbox_unavailable";
  override name = "SandboxUnavailableError";
}

/**
 * A batch with more items than the queue can ever hold (`max_queue_items`): a caller error that no
 * retry fixes (HTTP 413); the client must split it.
 */
export class BatchTooLargeError extends Error {
  readonly code = "invalid_request";
  override name = "BatchTooLargeError";
  constructor(readonly items: number, readonly limit: number) {
    super(
      `The batch has ${items} items, more than max_queue_items (${limit}); split it into smaller batches`,
    );
  }
}
