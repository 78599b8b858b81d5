/**
 * Errors thrown by the Arbiter client. Per-item outcomes (a verdict, a no-verdict, a caller error
 * inside a batch) are results, never errors; errors are for requests that failed as a whole.
 */

/** Base class of every error the client throws. */
export class ArbiterError extends Error {
  override name = "ArbiterError";
}

/**
 * The server answered with a status that retrying cannot fix (400, 401, 404, 413, …); `code` and
 * `message` come from its `{error: {code, message}}` body.
 */
export class ArbiterHTTPError extends ArbiterError {
  override name = "ArbiterHTTPError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly url = "",
  ) {
    super(`HTTP ${status} from ${url || "the server"}: ${code}: ${serverMessage}`);
  }
}

/** HTTP 401: the API key is missing or not valid. */
export class ArbiterAuthError extends ArbiterHTTPError {
  override name = "ArbiterAuthError";
}

/** HTTP 413: the request body is over the server's `max_body_bytes`. */
export class ArbiterPayloadTooLarge extends ArbiterHTTPError {
  override name = "ArbiterPayloadTooLarge";
}

/** Every attempt failed (network errors, timeouts, 429 or 5xx) and the retries ran out. */
export class ArbiterUnavailableError extends ArbiterError {
  override name = "ArbiterUnavailableError";
  constructor(readonly attempts: number, readonly lastFailure: string) {
    super(`Arbiter is unavailable after ${attempts} attempts; last failure: ${lastFailure}`);
  }
}

/** The server's answer does not have the shape the contract promises. */
export class ArbiterProtocolError extends ArbiterError {
  override name = "ArbiterProtocolError";
}

/**
 * Results came back `invalid_request`: the items are wrong (a reference the verifier rejects, an
 * unknown option or spec). `substituteRewards` throws it rather than fill in a reward nobody computed.
 */
export class ArbiterCallerError extends ArbiterError {
  override name = "ArbiterCallerError";
  constructor(
    context: string,
    readonly index: number,
    readonly serverMessage: string,
    readonly count: number,
    total: number,
  ) {
    super(
      `${context}: ${count} of ${total} items are invalid_request (a caller error, not a reward to ` +
        `substitute); item ${index}: ${serverMessage}`,
    );
  }
}

/** The error for a non-retryable status, with the server's error code and message when it sent them. */
export function httpErrorOf(status: number, body: string, url: string): ArbiterHTTPError {
  let code = `http_${status}`;
  let message = body.slice(0, 500);
  try {
    const error = (JSON.parse(body) as { error?: unknown })?.error;
    if (error !== null && typeof error === "object") {
      const { code: c, message: m } = error as { code?: unknown; message?: unknown };
      if (c !== undefined) code = String(c);
      if (m !== undefined) message = String(m);
    }
  } catch { /* not JSON: keep the raw text */ }
  const Kind = status === 401 ? ArbiterAuthError : status === 413 ? ArbiterPayloadTooLarge : ArbiterHTTPError;
  return new Kind(status, code, message, url);
}
