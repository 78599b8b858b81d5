"""Exceptions raised by the Arbiter clients.

Per-item outcomes (a verdict, a no-verdict, a caller error inside a batch) are *results*, never
exceptions; exceptions are for requests that failed as a whole.
"""

from __future__ import annotations


class ArbiterError(Exception):
    """Base class of every exception the client raises."""


class ArbiterHTTPError(ArbiterError):
    """The server answered with a status that retrying cannot fix (400, 401, 404, 413, ...).

    ``code`` and ``message`` come from the server's ``{"error": {"code", "message"}}`` body.
    """

    def __init__(self, status: int, code: str, message: str, url: str = "") -> None:
        super().__init__(f"HTTP {status} from {url or 'the server'}: {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.url = url


class ArbiterAuthError(ArbiterHTTPError):
    """HTTP 401: the API key is missing or not valid."""


class ArbiterPayloadTooLarge(ArbiterHTTPError):
    """HTTP 413: the request body is over the server's ``max_body_bytes``."""


class ArbiterUnavailableError(ArbiterError):
    """Every attempt failed (connection errors, timeouts, 429 or 5xx) and the retries ran out."""

    def __init__(self, attempts: int, last_failure: str) -> None:
        super().__init__(f"Arbiter is unavailable after {attempts} attempts; last failure: {last_failure}")
        self.attempts = attempts
        self.last_failure = last_failure


class ArbiterProtocolError(ArbiterError):
    """The server's answer does not have the shape the contract promises."""


class ArbiterConfigurationError(ArbiterError):
    """An adapter was set up wrongly, e.g. every item of a call was rejected as ``invalid_request``."""


class ArbiterCallerError(ArbiterConfigurationError):
    """Results came back ``invalid_request``: the items are wrong (a reference the verifier rejects,
    an unknown option or spec). Adapters raise it rather than train on a reward nobody computed.

    ``index`` is the first such item's position, ``message`` the server's message, ``count`` how
    many items were rejected.
    """

    def __init__(self, context: str, index: int, message: str, count: int, total: int) -> None:
        super().__init__(
            f"{context}: {count} of {total} items are invalid_request (a caller error, not a reward to "
            f"substitute); item {index}: {message}"
        )
        self.index = index
        self.message = message
        self.count = count
