"""The asyncio Arbiter client: the same calls as ``ArbiterClient``, awaitable.

How it works (stdlib only): each HTTP exchange is the sync client's blocking ``http.client`` call,
run in the event loop's default thread pool with ``asyncio.to_thread``; the waits between retries
are ``asyncio.sleep``, so the loop never blocks. The chunks of a large ``verify_batch`` are sent
concurrently (at most ``max_concurrency`` at a time). Cancelling a call stops it between attempts;
an exchange already running in its thread finishes in the background and its answer is dropped.

Example::

    async with AsyncArbiterClient("http://127.0.0.1:8787") as client:
        results = await client.verify_batch(items)
"""

from __future__ import annotations

import asyncio
from typing import Any, Iterable, Optional, Union

from ._batching import BatchPlan, Chunk, decode_json, encode_json
from ._transport import TRANSPORT_ERRORS, HttpAnswer, Outcome, exchange, request_attempts
from .client import ArbiterClient, logger
from .errors import ArbiterPayloadTooLarge


class AsyncArbiterClient:
    """Asyncio twin of ``ArbiterClient``; the arguments mean the same, plus ``max_concurrency``."""

    def __init__(
        self,
        urls: Union[str, list[str]],
        api_key: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        *,
        max_concurrency: int = 4,
        **options: Any,
    ) -> None:
        # The sync client holds the configuration, the URL ring and the retry policy.
        self._sync = ArbiterClient(urls, api_key, timeout, max_retries, **options)
        self.max_concurrency = max(1, max_concurrency)
        self._limit_lock: Optional[asyncio.Lock] = None

    @property
    def urls(self) -> list[str]:
        """The server URLs, in round-robin order."""
        return self._sync.urls

    def __repr__(self) -> str:
        return f"AsyncArbiterClient({self.urls!r})"

    async def __aenter__(self) -> "AsyncArbiterClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Nothing to release (every request uses its own connection); present for symmetry."""

    async def request(
        self, method: str, path: str, body: Optional[bytes] = None, timeout: Optional[float] = None
    ) -> HttpAnswer:
        """Sends one request with retries and failover; returns the first 2xx answer."""
        client = self._sync
        attempts = request_attempts(client._ring, client.policy, method, path)
        headers = client.headers(body is not None)
        outcome: Optional[Outcome] = None
        try:
            while True:
                step = attempts.send(outcome)  # type: ignore[arg-type]
                if isinstance(step, float):
                    await asyncio.sleep(step)
                    outcome = None
                    continue
                try:
                    outcome = await asyncio.to_thread(
                        exchange, step, method, path, body, headers, timeout or client.timeout
                    )
                except TRANSPORT_ERRORS as error:
                    outcome = error
        except StopIteration as done:
            return done.value

    async def request_json(self, method: str, path: str, payload: Any = None) -> Any:
        """``request()`` with a JSON body (when ``payload`` is not None) and a JSON answer."""
        body = None if payload is None else encode_json(payload)
        return decode_json((await self.request(method, path, body)).body, f"{method} {path}")

    async def health(self) -> dict[str, Any]:
        """``GET /healthz``."""
        return await self.request_json("GET", "/healthz")

    async def verifiers(self) -> Any:
        """``GET /v1/verifiers``."""
        return await self.request_json("GET", "/v1/verifiers")

    async def verify(self, item: dict[str, Any]) -> dict[str, Any]:
        """``POST /v1/verify``: one item, one result."""
        return await self.request_json("POST", "/v1/verify", item)

    async def max_body_bytes(self) -> int:
        """The server's body limit, read once from ``/healthz``."""
        if self._limit_lock is None:
            self._limit_lock = asyncio.Lock()
        async with self._limit_lock:
            if self._sync._max_body_bytes is None:
                self._sync._max_body_bytes = await asyncio.to_thread(self._sync.max_body_bytes)
            return self._sync._max_body_bytes

    async def verify_batch(
        self,
        items: Iterable[dict[str, Any]],
        budget_ms: Optional[float] = None,
        fields: Optional[list[str]] = None,
    ) -> list[dict[str, Any]]:
        """Like ``ArbiterClient.verify_batch``, with up to ``max_concurrency`` requests in flight."""
        plan = BatchPlan(items, await self.max_body_bytes(), budget_ms, self._sync.max_batch_items, fields)
        gate = asyncio.Semaphore(self.max_concurrency)
        await asyncio.gather(*(self._send_chunk(plan, chunk, gate) for chunk in plan.chunks))
        return plan.finish()

    async def _send_chunk(self, plan: BatchPlan, chunk: Chunk, gate: asyncio.Semaphore) -> None:
        """Sends one chunk; a chunk refused with 413 is halved and its halves sent in turn."""
        async with gate:
            timeout = plan.request_timeout(self._sync.timeout)
            try:
                answer = await self.request("POST", "/v1/verify/batch", plan.body(chunk), timeout)
            except ArbiterPayloadTooLarge:
                logger.warning("Arbiter: a %d-item request was over the server's body limit; splitting it", len(chunk.indices))
                halves = plan.split(chunk)
            else:
                plan.accept(chunk, answer.body)
                return
        await asyncio.gather(*(self._send_chunk(plan, half, gate) for half in halves))
