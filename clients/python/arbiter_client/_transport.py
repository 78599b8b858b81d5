"""One HTTP exchange, the ring of server URLs, and the retry loop shared by both clients.

The sync and asyncio clients drive the same loop, ``request_attempts()``: it yields the next step
(a URL to try, or a delay to sleep) and is sent each attempt's outcome (an ``HttpAnswer`` or the
transport exception). Only the way the drivers block differs.
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Generator, Mapping, Optional, Union
from urllib.parse import urlsplit

from ._batching import http_error
from .errors import ArbiterUnavailableError

logger = logging.getLogger("arbiter_client")

#: Statuses worth another attempt: the queue is full, or the server (or a proxy) failed.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

#: Exceptions that mean "this server did not answer": refused, reset, timed out, cut off.
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class HttpAnswer:
    """A complete HTTP response: status, lower-cased headers and the raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str


def normalize_base_url(url: str) -> str:
    """Checks a server URL (``http://host:port`` with an optional path prefix) and drops a trailing slash."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"Not an http(s) server URL: {url!r}")
    return url.rstrip("/")


def exchange(
    base_url: str,
    method: str,
    path: str,
    body: Optional[bytes],
    headers: Mapping[str, str],
    timeout: float,
) -> HttpAnswer:
    """Performs one request on a fresh connection and reads the whole answer.

    ``timeout`` bounds the connect and every read, so a server that computes for longer than
    ``timeout`` seconds before answering counts as timed out. Raises one of ``TRANSPORT_ERRORS``
    when the server cannot be reached or stops answering. A fresh connection per request keeps the
    function safe to call from several threads at once (the asyncio client does).
    """
    parts = urlsplit(base_url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path + path, body=body, headers=dict(headers))
        response = connection.getresponse()
        data = response.read()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return HttpAnswer(response.status, answer_headers, data, base_url + path)
    finally:
        connection.close()


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class UrlRing:
    """Server URLs taken in round-robin order; a URL that just failed goes to the back for a while.

    ``order()`` gives the URLs to try for one request: starting one further each call (round-robin),
    healthy URLs first, then the ones that failed within the last ``cooldown_s`` seconds (they are
    still tried, last, so that a request never fails while some URL might answer).
    """

    def __init__(self, urls: list[str], cooldown_s: float = 5.0) -> None:
        if not urls:
            raise ValueError("At least one server URL is needed")
        self.urls = [normalize_base_url(u) for u in urls]
        self.cooldown_s = cooldown_s
        self._next = 0
        self._failed_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def order(self) -> list[str]:
        """The URLs in the order one request should try them."""
        with self._lock:
            start = self._next
            self._next = (self._next + 1) % len(self.urls)
            rotated = self.urls[start:] + self.urls[:start]
            now = time.monotonic()
            cooling = {u for u, t in self._failed_at.items() if now - t < self.cooldown_s}
        return [u for u in rotated if u not in cooling] + [u for u in rotated if u in cooling]

    def mark_failed(self, url: str) -> None:
        """Records that ``url`` did not answer usefully (connection error, timeout, 5xx)."""
        with self._lock:
            self._failed_at[url] = time.monotonic()

    def mark_ok(self, url: str) -> None:
        """Records that ``url`` answered."""
        with self._lock:
            self._failed_at.pop(url, None)


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter; a ``Retry-After`` from the server is a lower bound.

    The n-th wait (n = 1, 2, ...) is drawn uniformly from ``[b/2, b]`` with
    ``b = min(backoff_max_s, backoff_base_s * 2 ** (n - 1))`` ("equal jitter": spread out, never
    near zero). When the server sent ``Retry-After: s``, the wait is at least ``s`` plus up to 10 %
    jitter, capped at ``retry_after_max_s``.
    """

    max_retries: int = 5
    backoff_base_s: float = 0.25
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, wait_number: int, retry_after_s: Optional[float]) -> float:
        """Seconds to sleep before the ``wait_number``-th new round of attempts."""
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** max(0, wait_number - 1))
        wait = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if retry_after_s is not None:
            honoured = min(self.retry_after_max_s, retry_after_s * (1 + self.rng.uniform(0, 0.1)))
            wait = max(wait, honoured)
        return wait


class RetrySession:
    """The attempt schedule of one logical request.

    ``next_step()`` returns a URL (str) to try now or a delay (float seconds) to sleep first. After
    a failed attempt, call ``failed()``; it raises ``ArbiterUnavailableError`` once ``max_retries``
    retries have been used. Within one round every URL is tried once without sleeping (failover);
    a sleep comes only after all URLs of the round failed.
    """

    def __init__(self, ring: UrlRing, policy: RetryPolicy) -> None:
        self._ring = ring
        self._policy = policy
        self._pending: list[str] = ring.order()
        self._attempts = 0
        self._waits = 0
        self._round_retry_after: Optional[float] = None
        self._must_wait = False
        self.last_failure = ""

    def next_step(self) -> Union[str, float]:
        """The next URL to try, or the seconds to sleep before the next round."""
        if not self._pending:
            if self._must_wait:
                self._must_wait = False
                self._waits += 1
                return self._policy.delay(self._waits, self._round_retry_after)
            self._pending = self._ring.order()
            self._round_retry_after = None
        self._attempts += 1
        return self._pending.pop(0)

    def failed(self, url: str, description: str, retry_after_s: Optional[float] = None) -> None:
        """Records a failed attempt; raises ``ArbiterUnavailableError`` when no retry is left."""
        self.last_failure = f"{url}: {description}"
        self._ring.mark_failed(url)
        if retry_after_s is not None:
            self._round_retry_after = max(self._round_retry_after or 0.0, retry_after_s)
        if self._attempts > self._policy.max_retries:
            raise ArbiterUnavailableError(self._attempts, self.last_failure)
        if not self._pending:
            self._must_wait = True

    def succeeded(self, url: str) -> None:
        """Records that ``url`` answered."""
        self._ring.mark_ok(url)


def describe_transport_error(error: BaseException) -> str:
    """A short text for a connection-level failure."""
    if isinstance(error, (socket.timeout, TimeoutError)):
        return f"timed out ({error})"
    return f"{type(error).__name__}: {error}"


def describe_status(answer: HttpAnswer) -> str:
    """A short text for a retryable HTTP answer, with the server's error code and message."""
    error = http_error(answer.status, answer.body, answer.url)
    return f"HTTP {answer.status} {error.code}: {error.message}"


#: What ``request_attempts()`` is sent back after trying a URL: the answer, or the transport error.
Outcome = Union[HttpAnswer, BaseException]


def request_attempts(
    ring: UrlRing, policy: RetryPolicy, method: str, path: str
) -> Generator[Union[str, float], Outcome, HttpAnswer]:
    """The retry loop of one request, for both clients: yields a URL to try or seconds to sleep.

    After a URL, send the attempt's outcome; after a delay, send ``None``. Returns (``StopIteration``)
    the first 2xx answer; raises ``ArbiterHTTPError`` for a status retrying cannot fix and
    ``ArbiterUnavailableError`` when the retries ran out.
    """
    session = RetrySession(ring, policy)
    while True:
        step = session.next_step()
        if isinstance(step, float):
            logger.warning("Arbiter: every server failed (%s); retrying in %.2f s", session.last_failure, step)
            yield step
            continue
        outcome = yield step
        if isinstance(outcome, BaseException):
            logger.info("Arbiter: %s %s%s failed: %s", method, step, path, describe_transport_error(outcome))
            session.failed(step, describe_transport_error(outcome))
            continue
        if outcome.status in RETRY_STATUSES:
            logger.info("Arbiter: %s %s%s answered %s", method, step, path, outcome.status)
            session.failed(step, describe_status(outcome), parse_retry_after(outcome.headers.get("retry-after")))
            continue
        session.succeeded(step)
        if outcome.status >= 300:
            raise http_error(outcome.status, outcome.body, outcome.url)
        return outcome
