"""The asyncio client: the same calls, batching, retries and failover."""

from __future__ import annotations

import asyncio
import time
import unittest

from _support import API_KEY, SMALL_BODY_BYTES, StubServer, arbiter, arbiter_small, dead_url, math_item

from arbiter_client import ArbiterAuthError, ArbiterUnavailableError, AsyncArbiterClient


class AsyncClientTest(unittest.IsolatedAsyncioTestCase):
    """``AsyncArbiterClient`` against the real servers and the stub."""

    @classmethod
    def setUpClass(cls) -> None:
        # Start the servers here, not inside a test's event loop (starting one blocks).
        arbiter()
        arbiter_small()

    async def test_health_verify_and_verifiers(self) -> None:
        async with AsyncArbiterClient(arbiter()) as client:
            self.assertEqual((await client.health())["status"], "ok")
            self.assertTrue(await client.verifiers())
            result = await client.verify({"verifier": "math", "response": "\\boxed{12}", "reference": "12"})
            self.assertEqual(result["reward"], 1)

    async def test_a_batch_is_split_sent_concurrently_and_reassembled_in_order(self) -> None:
        client = AsyncArbiterClient(arbiter_small(), api_key=API_KEY, max_concurrency=3)
        self.assertEqual(await client.max_body_bytes(), SMALL_BODY_BYTES)
        items = [math_item(i, pad=150, answer=i if i % 4 else 0) for i in range(100)]
        results = await client.verify_batch(items)
        self.assertEqual([r["id"] for r in results], [f"item-{i}" for i in range(100)])
        self.assertEqual([r["reward"] for r in results], [1 if i % 4 or i == 0 else 0 for i in range(100)])

    async def test_a_413_halves_the_request(self) -> None:
        client = AsyncArbiterClient(arbiter_small(), api_key=API_KEY)
        client._sync._max_body_bytes = 1_000_000
        results = await client.verify_batch([math_item(i, pad=100) for i in range(60)])
        self.assertEqual([r["id"] for r in results], [f"item-{i}" for i in range(60)])

    async def test_without_the_key(self) -> None:
        client = AsyncArbiterClient(arbiter_small(), api_key="")
        with self.assertRaises(ArbiterAuthError):
            await client.verify_batch([math_item(1)])

    async def test_failover_and_429_retry(self) -> None:
        with StubServer([("status", 429, {"Retry-After": "1"})], upstream=arbiter()) as stub:
            client = AsyncArbiterClient([dead_url(), stub.url], backoff_base_s=0.01)
            client._sync._max_body_bytes = 1 << 20
            started = time.monotonic()
            results = await client.verify_batch([math_item(i) for i in range(4)])
            elapsed = time.monotonic() - started
        self.assertEqual([r["reward"] for r in results], [1] * 4)
        self.assertGreaterEqual(elapsed, 1.0)
        self.assertEqual(len(stub.seen), 2)

    async def test_timeouts_and_exhaustion(self) -> None:
        with StubServer([("sleep", 2)] * 3) as stub:
            client = AsyncArbiterClient(stub.url, timeout=0.3, max_retries=1, backoff_base_s=0.01)
            with self.assertRaises(ArbiterUnavailableError) as caught:
                await client.health()
        self.assertIn("timed out", caught.exception.last_failure)

    async def test_the_loop_is_not_blocked_while_waiting(self) -> None:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.05)
                ticks += 1

        with StubServer([("status", 503, {"Retry-After": "1"})], upstream=arbiter()) as stub:
            client = AsyncArbiterClient(stub.url)
            task = asyncio.create_task(ticker())
            await client.health()
            task.cancel()
        self.assertGreater(ticks, 10)


if __name__ == "__main__":
    unittest.main()
