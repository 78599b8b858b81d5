"""The synchronous Arbiter client: retries, failover across URLs, batching split by bytes.

Example::

    from arbiter_client import ArbiterClient

    client = ArbiterClient("http://127.0.0.1:8787")
    [result] = client.verify_batch([{"verifier": "math", "response": "so \\\\boxed{4}", "reference": "4"}])
    result["reward"]  # 1
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any, Iterable, Optional, Union

from ._batching import (
    DEFAULT_MAX_BODY_BYTES,
    BatchPlan,
    Chunk,
    decode_json,
    encode_json,
)
from ._transport import (
    TRANSPORT_ERRORS,
    HttpAnswer,
    Outcome,
    RetryPolicy,
    UrlRing,
    exchange,
    request_attempts,
)
from .errors import ArbiterPayloadTooLarge

logger = logging.getLogger("arbiter_client")


class ArbiterClient:
    """A thread-safe client for one Arbiter deployment (one or several equivalent servers).

    ``urls``: one base URL or a list; requests go round-robin and fail over to the next URL when one
    does not answer. ``api_key`` (default: the ``ARBITER_API_KEY`` environment variable) is sent as
    ``Authorization: Bearer``. ``timeout`` (seconds) bounds each attempt's connect and wait for the
    answer. ``max_retries``: attempts after the first one, over all URLs, before
    ``ArbiterUnavailableError``; 429, 5xx, refused connections and timeouts are retried with
    exponential backoff and jitter, honouring ``Retry-After``. ``max_batch_items`` caps the items per
    request (besides the byte limit).
    """

    def __init__(
        self,
        urls: Union[str, list[str]],
        api_key: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        *,
        max_batch_items: Optional[int] = None,
        backoff_base_s: float = 0.25,
        backoff_max_s: float = 30.0,
        failover_cooldown_s: float = 5.0,
    ) -> None:
        self._ring = UrlRing([urls] if isinstance(urls, str) else list(urls), failover_cooldown_s)
        self.urls = list(self._ring.urls)
        self.api_key = api_key if api_key is not None else (os.environ.get("ARBITER_API_KEY") or None)
        self.timeout = timeout
        self.policy = RetryPolicy(max_retries, backoff_base_s, backoff_max_s)
        self.max_batch_items = max_batch_items
        self._max_body_bytes: Optional[int] = None
        self._limit_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ArbiterClient({self.urls!r})"

    def __enter__(self) -> "ArbiterClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release (every request uses its own connection); present for symmetry."""

    # -- transport -------------------------------------------------------------------------------

    def headers(self, has_body: bool) -> dict[str, str]:
        """The headers of every request: JSON, and the API key when there is one."""
        headers = {"Accept": "application/json", "User-Agent": "arbiter-client-python"}
        if has_body:
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def request(
        self, method: str, path: str, body: Optional[bytes] = None, timeout: Optional[float] = None
    ) -> HttpAnswer:
        """Sends one request with retries and failover; returns the first 2xx answer.

        Raises ``ArbiterHTTPError`` (or a subclass) on a status that retrying cannot fix, and
        ``ArbiterUnavailableError`` when the retries ran out.
        """
        attempts = request_attempts(self._ring, self.policy, method, path)
        headers = self.headers(body is not None)
        outcome: Optional[Outcome] = None
        try:
            while True:
                step = attempts.send(outcome)  # type: ignore[arg-type]
                if isinstance(step, float):
                    time.sleep(step)
                    outcome = None
                    continue
                try:
                    outcome = exchange(step, method, path, body, headers, timeout or self.timeout)
                except TRANSPORT_ERRORS as error:
                    outcome = error
        except StopIteration as done:
            return done.value

    def request_json(self, method: str, path: str, payload: Any = None) -> Any:
        """``request()`` with a JSON body (when ``payload`` is not None) and a JSON answer."""
        body = None if payload is None else encode_json(payload)
        return decode_json(self.request(method, path, body).body, f"{method} {path}")

    # -- the API ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``GET /healthz``: ``{status, version, max_body_bytes, verifiers}``."""
        return self.request_json("GET", "/healthz")

    def verifiers(self) -> Any:
        """``GET /v1/verifiers``: every verifier's description, version, schemas and examples."""
        return self.request_json("GET", "/v1/verifiers")

    def verify(self, item: dict[str, Any]) -> dict[str, Any]:
        """``POST /v1/verify``: one item, one result (a caller error raises ``ArbiterHTTPError`` 400)."""
        return self.request_json("POST", "/v1/verify", item)

    def max_body_bytes(self) -> int:
        """The server's body limit, read once from ``/healthz`` and then remembered."""
        with self._limit_lock:
            if self._max_body_bytes is None:
                advertised = self.health().get("max_body_bytes")
                valid = isinstance(advertised, int) and advertised > 0
                self._max_body_bytes = advertised if valid else DEFAULT_MAX_BODY_BYTES
            return self._max_body_bytes

    def verify_batch(
        self,
        items: Iterable[dict[str, Any]],
        budget_ms: Optional[float] = None,
        fields: Optional[list[str]] = None,
    ) -> list[dict[str, Any]]:
        """``POST /v1/verify/batch``, split into requests under ``max_body_bytes``; results in item order.

        ``budget_ms`` is the budget of the whole call: each request carries what is left of it. An
        item that cannot be encoded, or is too large for any request, gets an ``invalid_request``
        result made by the client (it is not sent). Requests go one after another. ``fields`` asks
        for compact results (e.g. ``["reward", "correct", "reason"]``; ``id``, ``index``, ``reward``
        and ``error`` always come back); None for full results.
        """
        plan = BatchPlan(items, self.max_body_bytes(), budget_ms, self.max_batch_items, fields)
        pending = list(plan.chunks)
        while pending:
            chunk = pending.pop(0)
            pending[:0] = self._send_chunk(plan, chunk)
        return plan.finish()

    def _send_chunk(self, plan: BatchPlan, chunk: Chunk) -> list[Chunk]:
        """Sends one chunk; returns the halves to send instead when the server answered 413."""
        try:
            answer = self.request("POST", "/v1/verify/batch", plan.body(chunk), plan.request_timeout(self.timeout))
        except ArbiterPayloadTooLarge:
            logger.warning("Arbiter: a %d-item request was over the server's body limit; splitting it", len(chunk.indices))
            return plan.split(chunk)
        plan.accept(chunk, answer.body)
        return []
