"""The sync client against real Arbiter servers, and against a stub for retries, failover and timeouts."""

from __future__ import annotations

import json
import os
import time
import unittest
from unittest import mock

from _support import (
    API_KEY,
    SMALL_BODY_BYTES,
    StubServer,
    arbiter,
    arbiter_small,
    dead_url,
    math_item,
)

import arbiter_client.client
from arbiter_client import (
    ArbiterAuthError,
    ArbiterClient,
    ArbiterHTTPError,
    ArbiterUnavailableError,
)
from arbiter_client._transport import exchange, parse_retry_after


def counting_exchange():
    """A patch of the client's ``exchange`` that records every call (url, path, body size)."""
    calls = []

    def wrapper(base_url, method, path, body, headers, timeout):
        calls.append((base_url, path, len(body or b""), dict(headers)))
        return exchange(base_url, method, path, body, headers, timeout)

    return calls, mock.patch.object(arbiter_client.client, "exchange", wrapper)


class RealServerTest(unittest.TestCase):
    """Calls against the real server."""

    def test_health_and_verifiers(self) -> None:
        client = ArbiterClient(arbiter())
        health = client.health()
        self.assertEqual(health["status"], "ok")
        self.assertIn("math", health["verifiers"])
        self.assertEqual(client.max_body_bytes(), health["max_body_bytes"])
        self.assertTrue(client.verifiers())

    def test_verify_one_item_and_a_caller_error(self) -> None:
        client = ArbiterClient(arbiter())
        result = client.verify({"verifier": "math", "response": "so \\boxed{4}", "reference": "4"})
        self.assertEqual(result["reward"], 1)
        self.assertIsNone(result["error"])
        with self.assertRaises(ArbiterHTTPError) as caught:
            client.verify({"verifier": "no_such_verifier", "response": "x", "reference": "4"})
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(caught.exception.code, "invalid_request")

    def test_batch_results_come_back_in_order(self) -> None:
        client = ArbiterClient(arbiter())
        items = [math_item(i, answer=i if i % 3 else i + 1) for i in range(300)]
        items.insert(7, {"verifier": "no_such_verifier", "response": "x"})
        results = client.verify_batch(items)
        self.assertEqual(len(results), 301)
        self.assertEqual(results[7]["error"]["code"], "invalid_request")
        del results[7]
        for i, result in enumerate(results):
            self.assertEqual(result["id"], f"item-{i}")
            self.assertEqual(result["reward"], 0 if i % 3 == 0 else 1)

    def test_an_empty_batch_makes_no_request(self) -> None:
        client = ArbiterClient(arbiter())
        client.max_body_bytes()
        calls, patch = counting_exchange()
        with patch:
            self.assertEqual(client.verify_batch([]), [])
        self.assertEqual(calls, [])


class BatchingTest(unittest.TestCase):
    """Splitting by bytes under the advertised ``max_body_bytes`` (a server with a 4 KiB limit)."""

    def test_a_batch_is_split_under_the_limit_and_reassembled_in_order(self) -> None:
        client = ArbiterClient(arbiter_small(), api_key=API_KEY)
        self.assertEqual(client.max_body_bytes(), SMALL_BODY_BYTES)
        items = [math_item(i, pad=150, answer=i if i % 2 else -1) for i in range(120)]
        calls, patch = counting_exchange()
        with patch:
            results = client.verify_batch(items, budget_ms=20_000)
        batch_calls = [c for c in calls if c[1] == "/v1/verify/batch"]
        self.assertGreater(len(batch_calls), 4)
        self.assertTrue(all(size <= SMALL_BODY_BYTES for _, _, size, _ in batch_calls))
        self.assertEqual([r["id"] for r in results], [f"item-{i}" for i in range(120)])
        self.assertEqual([r["reward"] for r in results], [i % 2 for i in range(120)])

    def test_max_batch_items_caps_the_items_per_request(self) -> None:
        client = ArbiterClient(arbiter(), max_batch_items=10)
        calls, patch = counting_exchange()
        with patch:
            results = client.verify_batch([math_item(i) for i in range(35)])
        self.assertEqual(len([c for c in calls if c[1] == "/v1/verify/batch"]), 4)
        self.assertEqual([r["reward"] for r in results], [1] * 35)

    def test_an_item_too_large_for_any_request_gets_a_local_caller_error(self) -> None:
        client = ArbiterClient(arbiter_small(), api_key=API_KEY)
        items = [math_item(0), math_item(1, pad=SMALL_BODY_BYTES), math_item(2)]
        items.append({"verifier": "math", "response": float("nan"), "reference": "1"})
        results = client.verify_batch(items)
        self.assertEqual([r["reward"] for r in results[::2]], [1, 1])
        self.assertEqual(results[1]["error"]["code"], "invalid_request")
        self.assertIn("max_body_bytes", results[1]["error"]["message"])
        self.assertEqual(results[1]["id"], "item-1")
        self.assertEqual(results[3]["error"]["code"], "invalid_request")
        self.assertIn("JSON", results[3]["error"]["message"])

    def test_a_413_halves_the_request(self) -> None:
        client = ArbiterClient(arbiter_small(), api_key=API_KEY)
        client._max_body_bytes = 1_000_000  # believes a larger limit than the server's
        items = [math_item(i, pad=100) for i in range(80)]
        with self.assertLogs("arbiter_client", "WARNING") as logs:
            results = client.verify_batch(items)
        self.assertTrue(any("splitting" in line for line in logs.output))
        self.assertEqual([r["id"] for r in results], [f"item-{i}" for i in range(80)])
        self.assertEqual({r["reward"] for r in results}, {1})


class AuthTest(unittest.TestCase):
    """``Authorization: Bearer`` with a server that has API keys."""

    def test_without_a_key_the_request_fails_without_retries(self) -> None:
        client = ArbiterClient(arbiter_small(), api_key="")
        calls, patch = counting_exchange()
        with patch, self.assertRaises(ArbiterAuthError) as caught:
            client.verify_batch([math_item(1)])
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(len([c for c in calls if c[1] == "/v1/verify/batch"]), 1)

    def test_the_key_is_sent_as_a_bearer_token(self) -> None:
        client = ArbiterClient(arbiter_small(), api_key=API_KEY)
        calls, patch = counting_exchange()
        with patch:
            [result] = client.verify_batch([math_item(3)])
        self.assertEqual(result["reward"], 1)
        self.assertEqual(calls[-1][3]["Authorization"], f"Bearer {API_KEY}")

    def test_the_key_defaults_to_the_environment(self) -> None:
        with mock.patch.dict(os.environ, {"ARBITER_API_KEY": API_KEY}):
            client = ArbiterClient(arbiter_small())
        self.assertEqual(client.verify(math_item(2))["reward"], 1)


class RetryTest(unittest.TestCase):
    """Retries with backoff on 429 / 5xx, honouring Retry-After, through a stub in front of the server."""

    def test_a_429_is_retried_after_retry_after(self) -> None:
        with StubServer([("status", 429, {"Retry-After": "1"})], upstream=arbiter()) as stub:
            client = ArbiterClient(stub.url, backoff_base_s=0.01)
            client._max_body_bytes = 1 << 20
            started = time.monotonic()
            results = client.verify_batch([math_item(i) for i in range(5)])
            elapsed = time.monotonic() - started
        self.assertEqual([r["reward"] for r in results], [1] * 5)
        self.assertEqual(len(stub.seen), 2)
        self.assertGreaterEqual(stub.seen[1].at - stub.seen[0].at, 1.0)
        self.assertLess(elapsed, 5)

    def test_5xx_answers_are_retried_with_backoff(self) -> None:
        script = [("status", 500, {}), ("status", 503, {}), ("status", 502, {})]
        with StubServer(script, upstream=arbiter()) as stub:
            client = ArbiterClient(stub.url, backoff_base_s=0.05, max_retries=3)
            client._max_body_bytes = 1 << 20
            [result] = client.verify_batch([math_item(9)])
        self.assertEqual(result["reward"], 1)
        self.assertEqual(len(stub.seen), 4)
        gaps = [b.at - a.at for a, b in zip(stub.seen, stub.seen[1:])]
        self.assertTrue(all(gap >= 0.02 for gap in gaps), gaps)

    def test_the_retries_run_out(self) -> None:
        with StubServer([("status", 503, {})] * 10) as stub:
            client = ArbiterClient(stub.url, backoff_base_s=0.01, max_retries=2)
            with self.assertRaises(ArbiterUnavailableError) as caught:
                client.health()
        self.assertEqual(caught.exception.attempts, 3)
        self.assertIn("503", caught.exception.last_failure)
        self.assertEqual(len(stub.seen), 3)

    def test_a_400_is_not_retried(self) -> None:
        with StubServer([("status", 400, {})]) as stub:
            client = ArbiterClient(stub.url, backoff_base_s=0.01)
            with self.assertRaises(ArbiterHTTPError):
                client.verify(math_item(1))
        self.assertEqual(len(stub.seen), 1)

    def test_retry_after_as_an_http_date(self) -> None:
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0), 10.0)
        self.assertEqual(parse_retry_after("3"), 3.0)
        self.assertIsNone(parse_retry_after("soon"))


class FailoverTest(unittest.TestCase):
    """Several URLs: round-robin, and failover when one is dead."""

    def test_a_dead_first_url_fails_over_to_the_second(self) -> None:
        client = ArbiterClient([dead_url(), arbiter()], backoff_base_s=0.01)
        started = time.monotonic()
        results = client.verify_batch([math_item(i) for i in range(10)])
        self.assertEqual([r["reward"] for r in results], [1] * 10)
        self.assertLess(time.monotonic() - started, 5)
        # The dead URL now cools down: the next requests go to the live one first.
        calls, patch = counting_exchange()
        with patch:
            for _ in range(3):
                client.health()
        self.assertTrue(all(url == client.urls[1] for url, *_ in calls), calls)

    def test_requests_go_round_robin(self) -> None:
        with StubServer(upstream=arbiter()) as first, StubServer(upstream=arbiter()) as second:
            client = ArbiterClient([first.url, second.url])
            for _ in range(6):
                client.health()
        self.assertEqual((len(first.seen), len(second.seen)), (3, 3))

    def test_every_url_dead(self) -> None:
        client = ArbiterClient([dead_url(), dead_url()], max_retries=3, backoff_base_s=0.01)
        with self.assertRaises(ArbiterUnavailableError) as caught:
            client.health()
        self.assertEqual(caught.exception.attempts, 4)


class TimeoutTest(unittest.TestCase):
    """Per-request timeouts."""

    def test_a_slow_answer_times_out_and_is_retried(self) -> None:
        with StubServer([("sleep", 3)], upstream=arbiter()) as stub:
            client = ArbiterClient(stub.url, timeout=0.5, backoff_base_s=0.01)
            client._max_body_bytes = 1 << 20
            started = time.monotonic()
            [result] = client.verify_batch([math_item(5)])
            elapsed = time.monotonic() - started
        self.assertEqual(result["reward"], 1)
        self.assertEqual(len(stub.seen), 2)
        self.assertGreaterEqual(elapsed, 0.5)
        self.assertLess(elapsed, 2.5)

    def test_a_timeout_without_retries_raises(self) -> None:
        with StubServer([("sleep", 2)], upstream=arbiter()) as stub:
            client = ArbiterClient(stub.url, timeout=0.3, max_retries=0)
            with self.assertRaises(ArbiterUnavailableError) as caught:
                client.health()
        self.assertIn("timed out", caught.exception.last_failure)


class EncodingTest(unittest.TestCase):
    """Bodies are compact UTF-8 JSON."""

    def test_non_ascii_text_is_sent_as_utf8(self) -> None:
        client = ArbiterClient(arbiter())
        [result] = client.verify_batch(
            [{"verifier": "math", "response": "答案是 \\boxed{7} ✓ \ud800", "reference": "7"}]
        )
        self.assertEqual(result["reward"], 1)
        self.assertEqual(json.loads(json.dumps(result))["reward"], 1)


if __name__ == "__main__":
    unittest.main()
