"""The adapters with the values trainers really pass: NumPy and Hydra values, GSM8K answer columns,
images in prompts, reasoning split off by TRL, extra keywords from verl; caller errors fail fast.

NumPy and OmegaConf come from Debian (``python3-numpy``, ``python3-omegaconf``; the test runner
installs them), seen by the venv through ``--system-site-packages``.
"""

from __future__ import annotations

import asyncio
import json
import pickle
import unittest
from unittest import mock

import numpy as np
from omegaconf import OmegaConf
from PIL import Image

from _support import StubServer, arbiter

import arbiter_client.client
from arbiter_client import ArbiterCallerError
from arbiter_client import verl
from arbiter_client._adapter import gsm8k_answer, to_json
from arbiter_client._transport import exchange
from arbiter_client.trl import RewardFunction, completion_text, prompt_key, reward_function


def counting_exchange() -> tuple[list[str], "mock._patch"]:
    calls: list[str] = []

    def counted(*args):
        calls.append(args[2])
        return exchange(*args)

    return calls, mock.patch.object(arbiter_client.client, "exchange", counted)


class CompactResultsTest(unittest.TestCase):
    """``fields``: the client passes it through; the adapters ask for compact results by default."""

    def test_verify_batch_sends_fields_and_gets_compact_results(self) -> None:
        from arbiter_client import ArbiterClient

        items = [{"id": "a", "verifier": "math", "response": "\\boxed{1}", "reference": "1"}]
        full = ArbiterClient(arbiter()).verify_batch(items)
        compact = ArbiterClient(arbiter()).verify_batch(items, fields=["reward", "reason"])
        self.assertIn("details", full[0])
        self.assertNotIn("details", compact[0])
        self.assertEqual((compact[0]["id"], compact[0]["reward"], compact[0]["error"]), ("a", 1, None))

    def test_adapters_ask_for_reward_correct_and_reason(self) -> None:
        canned = {"results": [{"reward": 1, "error": None}]}
        with StubServer([("json", 200, canned)] * 2, upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            reward_function(stub.url, verifier="math")(["q"], ["x"], solution=["1"])
            verl.compute_score("d", "x", "1", url=stub.url, verifier="math")
        batches = [json.loads(seen.body) for seen in stub.seen if seen.path == "/v1/verify/batch"]
        self.assertEqual(len(batches), 2)
        for body in batches:
            self.assertEqual(body["fields"], ["reward", "correct", "reason"])


class PlainJsonTest(unittest.TestCase):
    """``to_json`` and ``reference_format``."""

    def test_numpy_and_hydra_values_become_plain_json(self) -> None:
        cases = [
            (np.int64(72), 72),
            (np.float32(0.5), 0.5),
            (np.array([72]), [72]),
            (np.array([["a", "b"]]), [["a", "b"]]),
            (np.bool_(True), True),
            (OmegaConf.create({"tags": ["think", "answer"], "n": 2}), {"tags": ["think", "answer"], "n": 2}),
            (OmegaConf.create([1, {"a": 3}]), [1, {"a": 3}]),
            ({"box": (np.int64(1), 2.0)}, {"box": [1, 2.0]}),
        ]
        for value, expected in cases:
            with self.subTest(repr(value)):
                got = to_json(value)
                self.assertEqual(got, expected)
                json.dumps(got)  # plain JSON
                self.assertEqual(type(json.loads(json.dumps(got))), type(expected))

    def test_gsm8k_answers(self) -> None:
        for text, answer in [
            ("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", "72"),
            ("… so 1,000 + 18 = 1,018\n#### 1,018", "1018"),
            ("#### -3.5 ", "-3.5"),
            ("72", "72"),
        ]:
            self.assertEqual(gsm8k_answer(text), answer)


class VerlWithTrainerDataTest(unittest.TestCase):
    """verl passes NumPy arrays and Hydra configs, and keywords of its own."""

    def test_numpy_ground_truths_and_hydra_kwargs_score_on_a_real_server(self) -> None:
        kwargs = OmegaConf.create({"url": arbiter(), "verifier": "math", "options": {"strict": True}})
        scores = verl.compute_score_batch(
            np.array(["openai/gsm8k"] * 4, dtype=object),
            ["\\boxed{72}", "\\boxed{72}", "\\boxed{72}", "\\boxed{71}"],
            [np.int64(72), np.array([72]), 72.0, "72"],
            np.array([{"index": np.int64(0)}] * 4, dtype=object),
            **dict(kwargs),
        )
        self.assertEqual(scores, [1.0, 1.0, 1.0, 0.0])
        self.assertTrue(all(type(s) is float for s in scores))

    def test_unknown_keywords_are_ignored(self) -> None:
        score = verl.compute_score(
            data_source="gsm8k", solution_str="\\boxed{72}", ground_truth="#### 72", extra_info={"index": 1},
            url=arbiter(), verifier="math", reference_format="gsm8k",
            reward_router_address="10.0.0.1:3000", reward_model_tokenizer=object(), something_new=1,
        )
        self.assertEqual(score, 1.0)

    def test_a_caller_error_raises_with_the_servers_message(self) -> None:
        with self.assertRaises(ArbiterCallerError) as raised:
            verl.compute_score_batch(["d"], ["x"], [{"not": "an answer"}], None, url=arbiter(), verifier="math")
        self.assertIn("reference", str(raised.exception))
        with self.assertRaises(ArbiterCallerError):  # no route for this data_source on the default server
            verl.compute_score("unrouted/source", "\\boxed{1}", "1", url=arbiter())

    def test_a_lone_no_verdict_gets_the_fallback(self) -> None:
        canned = {"results": [{"reward": None, "error": {"code": "overloaded", "message": "queue full"}}]}
        with StubServer([("json", 200, canned)] * 2, upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            with self.assertLogs("arbiter_client", "WARNING"):
                self.assertEqual(verl.compute_score("d", "x", "1", url=stub.url, verifier="math"), 0.0)
            with self.assertLogs("arbiter_client", "WARNING"):
                self.assertEqual(verl.compute_score("d", "x", "1", url=stub.url, verifier="math", fallback=0.5), 0.5)

    def test_the_async_reward_loop_path_sends_concurrent_samples_as_one_batch(self) -> None:
        verl.compute_score("d", "\\boxed{1}", "1", url=arbiter(), verifier="math")  # client made and checked
        calls, patch = counting_exchange()

        async def step() -> list:
            return await asyncio.gather(*(
                verl.compute_score_async(
                    data_source="gsm8k", solution_str=f"\\boxed{{{i % 3}}}", ground_truth=np.int64(i % 2),
                    extra_info={"index": i // 4}, url=arbiter(), verifier="math", reward_router_address=None,
                )
                for i in range(32)
            ))

        with patch:
            scores = asyncio.run(step())
        self.assertEqual(calls, ["/v1/verify/batch"])
        self.assertEqual(scores, [1.0 if i % 3 == i % 2 else 0.0 for i in range(32)])


def pixels(color: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", (8, 8), color)


class TrlWithTrainerDataTest(unittest.TestCase):
    """TRL's VLM prompts, reasoning_content, pickling, GSM8K columns."""

    def test_group_keys_hash_images_by_content(self) -> None:
        question = [{"role": "user", "content": [{"type": "image", "image": pixels((255, 0, 0))},
                                                 {"type": "text", "text": "What colour?"}]}]
        same = [{"role": "user", "content": [{"type": "image", "image": pixels((255, 0, 0))},
                                             {"type": "text", "text": "What colour?"}]}]
        other = [{"role": "user", "content": [{"type": "image", "image": pixels((0, 0, 255))},
                                              {"type": "text", "text": "What colour?"}]}]
        self.assertEqual(prompt_key(question), prompt_key(same))  # two objects, same pixels
        self.assertNotEqual(prompt_key(question), prompt_key(other))
        self.assertNotIn("0x", str(prompt_key(question)))  # never an object repr
        self.assertNotEqual(prompt_key("p", [pixels((1, 1, 1))]), prompt_key("p", [pixels((2, 2, 2))]))
        self.assertEqual(prompt_key("plain text"), "plain text")
        with self.assertRaises(TypeError):
            prompt_key("p", [object()])

    def test_judges_get_the_prompt(self) -> None:
        canned = {"results": [{"reward": 1, "error": None}] * 2}
        prompts = ["What is 2+2?", [{"role": "system", "content": "Be brief."},
                                    {"role": "user", "content": [{"type": "image", "image": pixels((1, 2, 3))},
                                                                 {"type": "text", "text": "Colour?"}]}]]
        with StubServer([("json", 200, canned)] * 2, upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            with mock.patch("arbiter_client.trl.VerifierCheck.__call__", lambda self: None):
                reward_function(stub.url, verifier="judge", reference_column=None)(prompts, ["4", "red"])
            reward_function(stub.url, verifier="math")(prompts, ["4", "red"], solution=["4", "red"])
        judged, plain = [json.loads(s.body)["items"] for s in stub.seen if s.path == "/v1/verify/batch"]
        self.assertEqual([item["prompt"] for item in judged], [
            "What is 2+2?",
            [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Colour?"}],
        ])
        self.assertTrue(all("prompt" not in item for item in plain))

    def test_reasoning_content_is_joined_back(self) -> None:
        message = {"role": "assistant", "reasoning_content": "2+2=4", "content": "<answer>4</answer>"}
        self.assertEqual(completion_text([message]), "<think>2+2=4</think><answer>4</answer>")
        self.assertEqual(completion_text([message], join_reasoning=False), "<answer>4</answer>")
        fmt = reward_function(arbiter(), verifier="format", reference_column=None,
                              options={"tags": ["think", "answer"]})
        self.assertEqual(fmt(["q"], [[message]]), [1.0])
        raw = reward_function(arbiter(), verifier="format", reference_column=None,
                              options={"tags": ["think", "answer"]}, join_reasoning=False)
        self.assertEqual(raw(["q"], [[message]]), [0.0])

    def test_reward_functions_pickle_and_work_after(self) -> None:
        fn = reward_function(arbiter(), verifier="math", reference_format="gsm8k")
        self.assertEqual(fn(["q"], ["\\boxed{72}"], solution=["… #### 72"]), [1.0])
        copy = pickle.loads(pickle.dumps(fn))
        self.assertIsInstance(copy, RewardFunction)
        self.assertEqual(copy.__name__, "arbiter_math")
        self.assertEqual(copy(["q", "q"], ["\\boxed{72}", "\\boxed{7}"], solution=["#### 72", "#### 72"]),
                         [1.0, 0.0])

    def test_a_server_down_mid_step_makes_the_step_wait_not_fail(self) -> None:
        down = [("status", 503, {})] * 6  # more failures than a default client's 5 retries
        with StubServer(down, upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            fn = reward_function(stub.url, verifier="math")
            copy = pickle.loads(pickle.dumps(fn))
            self.assertEqual(fn(["q"], ["\\boxed{72}"], solution=[72]), [1.0])
        with StubServer(down, upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            copy.urls = [stub.url]
            self.assertEqual(copy(["q"], ["\\boxed{72}"], solution=[72]), [1.0])
        with StubServer(down, upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            self.assertEqual(verl.compute_score("d", "\\boxed{72}", 72, url=stub.url, verifier="math"), 1.0)

    def test_a_caller_error_raises_instead_of_a_substituted_reward(self) -> None:
        fn = reward_function(arbiter(), verifier="iou")
        with self.assertRaises(ArbiterCallerError) as raised:
            fn(["p", "p"], ["<answer>[0,0,1,1]</answer>"] * 2, solution=["not a box", "not a box"])
        self.assertIn("2 of 2 items are invalid_request", str(raised.exception))
        self.assertEqual(fn.substitutions.substituted, 0)

    def test_samples_of_one_image_prompt_share_their_groups_mean(self) -> None:
        results = [{"reward": 1, "error": None}, {"reward": None, "error": {"code": "internal", "message": "t"}},
                   {"reward": 0, "error": None}, {"reward": None, "error": {"code": "internal", "message": "t"}}]
        red, blue = pixels((255, 0, 0)), pixels((0, 0, 255))

        def prompt(image: Image.Image) -> list:
            return [{"role": "user", "content": [{"type": "image", "image": image},
                                                 {"type": "text", "text": "Colour?"}]}]

        with StubServer([("json", 200, {"results": results})], upstream=arbiter(),
                        script_path="/v1/verify/batch") as stub:
            fn = reward_function(stub.url, verifier="math")
            with self.assertLogs("arbiter_client", "WARNING"):
                rewards = fn([prompt(red), prompt(red.copy()), prompt(blue), prompt(blue.copy())],
                             ["a", "b", "c", "d"], solution=["1"] * 4, image=[red, red, blue, blue])
        self.assertEqual(rewards, [1.0, 1.0, 0.0, 0.0])


if __name__ == "__main__":
    unittest.main()
