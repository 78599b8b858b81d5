"""The verl reward functions: compute_score, and the batch function (one HTTP call per step)."""

from __future__ import annotations

import json
import os
import unittest
from unittest import mock

from _support import API_KEY, StubServer, arbiter, arbiter_small

import arbiter_client.client
from arbiter_client import verl
from arbiter_client._transport import exchange


def no_verdict() -> dict:
    return {"reward": None, "correct": None, "error": {"code": "overloaded", "message": "budget ran out"}}


class VerlAdapterTest(unittest.TestCase):
    """``compute_score`` and ``compute_score_batch``."""

    def test_compute_score(self) -> None:
        self.assertEqual(verl.compute_score("gsm8k", "so \\boxed{72}", "72", {"index": 3}, url=arbiter(),
                                            verifier="math"), 1.0)
        with mock.patch.dict(os.environ, {"ARBITER_URL": arbiter()}):
            self.assertEqual(verl.compute_score("gsm8k", "so \\boxed{71}", "72", verifier="math"), 0.0)

    def test_the_batch_function_makes_one_http_call_per_step(self) -> None:
        count = 256
        sources = ["gsm8k"] * count
        responses = [f"step by step ... \\boxed{{{i // 8 if i % 3 else -1}}}" for i in range(count)]
        truths = [str(i // 8) for i in range(count)]
        infos = [{"index": i // 8, "split": "train"} for i in range(count)]
        verl.compute_score_batch(sources[:1], responses[:1], truths[:1], infos[:1], url=arbiter(), verifier="math")
        calls = []

        def counted(*args):
            calls.append(args[2])
            return exchange(*args)

        with mock.patch.object(arbiter_client.client, "exchange", counted):
            scores = verl.compute_score_batch(sources, responses, truths, infos, url=arbiter(), verifier="math")
        self.assertEqual(calls, ["/v1/verify/batch"])
        self.assertEqual(scores, [0.0 if i % 3 == 0 else 1.0 for i in range(count)])

    def test_no_verdicts_get_the_mean_of_the_prompts_samples(self) -> None:
        canned = {"results": [{"reward": 1, "error": None}, {"reward": 0, "error": None}, no_verdict(),
                              {"reward": 1, "error": None}]}
        with StubServer([("json", 200, canned)], upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            with self.assertLogs("arbiter_client", "WARNING"):
                scores = verl.compute_score_batch(
                    ["d"] * 4, ["a", "b", "c", "d"], ["1", "1", "1", "2"],
                    [{"index": 0}, {"index": 0}, {"index": 0}, {"index": 1}],
                    url=stub.url, verifier="math", details=True,
                )
        self.assertEqual([s["score"] for s in scores], [1.0, 0.0, 0.5, 1.0])
        self.assertEqual([s["no_verdict"] for s in scores], [0.0, 0.0, 1.0, 0.0])
        self.assertGreaterEqual(verl.substitutions.as_dict()["by_code"].get("overloaded", 0), 1)

    def test_without_verifier_or_spec_items_are_routed_by_data_source(self) -> None:
        canned = {"results": [{"reward": 1, "error": None}]}
        with StubServer([("json", 200, canned)], upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            self.assertEqual(verl.compute_score("openai/gsm8k", "\\boxed{1}", "1", url=stub.url), 1.0)
        item = json.loads(stub.seen[-1].body)["items"][0]
        self.assertEqual(item, {"data_source": "openai/gsm8k", "response": "\\boxed{1}", "reference": "1"})

    def test_routing_by_data_source_on_a_real_server(self) -> None:
        with mock.patch.dict(os.environ, {"ARBITER_API_KEY": API_KEY}):
            scores = verl.compute_score_batch(
                ["openai/gsm8k", "openai/gsm8k"],
                ["<think>2+2</think><answer>\\boxed{4}</answer>", "\\boxed{4}"],
                ["4", "4"],
                url=arbiter_small(),
            )
            named = verl.compute_score("any", "\\boxed{4}", "4", url=arbiter_small(), spec="math_and_format")
        self.assertAlmostEqual(scores[0], 1.0)
        self.assertAlmostEqual(scores[1], 0.9)
        self.assertAlmostEqual(named, 0.9)

    def test_none_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            verl.compute_score_batch(["d"], ["x"], ["1"], None, url=arbiter(), verifier="math", on_no_verdict="none")


if __name__ == "__main__":
    unittest.main()
