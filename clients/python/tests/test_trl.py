"""The TRL reward function: standard and conversational completions, groups, on_no_verdict."""

from __future__ import annotations

import json
import unittest

from _support import API_KEY, StubServer, arbiter, arbiter_small

from arbiter_client import ArbiterClient, ArbiterConfigurationError
from arbiter_client.trl import completion_text, reward_function


def no_verdict() -> dict:
    return {"verifier": "math", "version": "1.0.0", "reward": None, "correct": None, "details": None,
            "error": {"code": "internal", "message": "kernel trap"}, "ms": 0}


def verdict(reward: float) -> dict:
    return {"verifier": "math", "version": "1.0.0", "reward": reward, "correct": reward == 1,
            "details": {"reason": None}, "error": None, "ms": 0}


class TrlAdapterTest(unittest.TestCase):
    """``reward_function`` against the real server."""

    def test_conversational_completions_score_the_assistant_content(self) -> None:
        fn = reward_function(arbiter(), verifier="math")
        self.assertEqual(fn.__name__, "arbiter_math")
        prompts = [[{"role": "user", "content": "What is 2+2? Put it in \\boxed{}."}]] * 2 + [
            [{"role": "user", "content": "What is 3+3? The answer is \\boxed{6}"}]
        ] * 2
        completions = [
            [{"role": "assistant", "content": "2+2 is \\boxed{4}"}],
            [{"role": "assistant", "content": [{"type": "text", "text": "I get \\boxed{5}"}]}],
            [{"role": "assistant", "content": "no idea"}],  # the prompt's \\boxed{6} must not count
            [{"role": "assistant", "content": "so \\boxed{6}"}],
        ]
        rewards = fn(prompts=prompts, completions=completions, solution=["4", "4", "6", "6"], trainer_state=None)
        self.assertEqual(rewards, [1.0, 0.0, 0.0, 1.0])
        self.assertEqual(fn.substitutions.substituted, 0)

    def test_standard_completions_and_options(self) -> None:
        fn = reward_function(ArbiterClient(arbiter()), verifier="format", reference_column=None,
                             options={"tags": ["think", "answer"]}, name="fmt")
        self.assertEqual(fn.__name__, "fmt")
        completions = ["<think>hm</think><answer>4</answer>", "just 4"]
        rewards = fn(["q", "q"], completions, solution=["4", "4"])
        self.assertEqual(rewards[0], 1.0)
        self.assertEqual(rewards[1], 0.0)

    def test_object_references_given_as_json_text(self) -> None:
        fn = reward_function(arbiter(), verifier="iou")
        response = '<answer>{"bbox_2d": [0, 0, 10, 10]}</answer>'
        rewards = fn(["p"], [response], solution=['{"box": [0, 0, 10, 10]}'])
        self.assertEqual(rewards, [1.0])

    def test_no_verdicts_get_the_groups_mean_and_are_counted(self) -> None:
        canned = {"results": [verdict(1), verdict(0), no_verdict(), verdict(1), no_verdict()]}
        with StubServer([("json", 200, canned)], upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            fn = reward_function(stub.url, verifier="math")
            with self.assertLogs("arbiter_client", "WARNING") as logs:
                rewards = fn(["a", "a", "a", "b", "b"], ["x"] * 5, solution=["1"] * 5)
        self.assertEqual(rewards, [1.0, 0.0, 0.5, 1.0, 1.0])
        self.assertEqual(fn.substitutions.as_dict()["substituted"], 2)
        self.assertEqual(fn.substitutions.as_dict()["by_code"], {"internal": 2})
        self.assertIn("arbiter_math: 2 of 5 results had no verdict", logs.output[0])
        sent = json.loads(stub.seen[-1].body)
        self.assertEqual(sent["items"][0], {"verifier": "math", "response": "x", "reference": "1"})

    def test_on_no_verdict_none_returns_none_for_trl_to_nansum(self) -> None:
        canned = {"results": [verdict(1), no_verdict()]}
        with StubServer([("json", 200, canned)], upstream=arbiter(), script_path="/v1/verify/batch") as stub:
            fn = reward_function(stub.url, verifier="math", on_no_verdict="none")
            with self.assertLogs("arbiter_client", "WARNING"):
                self.assertEqual(fn(["a", "a"], ["x", "y"], solution=["1", "1"]), [1.0, None])

    def test_a_composite_spec(self) -> None:
        spec = {"sum": [{"weight": 0.9, "verifier": "math"}, {"weight": 0.1, "verifier": "format"}]}
        fn = reward_function(arbiter(), spec=spec)
        self.assertEqual(fn.__name__, "arbiter_spec")
        completions = ["<think>a</think><answer>\\boxed{4}</answer>", "\\boxed{4}", "<think>a</think><answer>5</answer>"]
        rewards = fn(["p"] * 3, completions, solution=["4"] * 3)
        for got, expected in zip(rewards, [1.0, 0.9, 0.1]):
            self.assertAlmostEqual(got, expected)

    def test_a_named_spec(self) -> None:
        client = ArbiterClient(arbiter_small(), api_key=API_KEY)
        fn = reward_function(client, spec="math_and_format")
        self.assertEqual(fn.__name__, "arbiter_math_and_format")
        rewards = fn(["p"], ["\\boxed{4}"], solution=["4"])
        self.assertAlmostEqual(rewards[0], 0.9)

    def test_set_up_errors_fail_fast(self) -> None:
        with self.assertRaises(ValueError):
            reward_function(arbiter())
        with self.assertRaises(ValueError):
            reward_function(arbiter(), verifier="math", spec="x")
        with self.assertRaises(ValueError):
            reward_function(arbiter(), verifier="math", on_no_verdict="mean")
        fn = reward_function(arbiter(), verifier="mathh")
        with self.assertRaises(ArbiterConfigurationError):
            fn(["a"], ["x"], solution=["1"])
        fn = reward_function(arbiter(), verifier="math", reference_column="gold")
        with self.assertRaises(KeyError):
            fn(["a"], ["x"], solution=["1"])

    def test_completion_text(self) -> None:
        self.assertEqual(completion_text("plain"), "plain")
        messages = [
            {"role": "assistant", "content": "call tool"},
            {"role": "tool", "content": "42"},
            {"role": "assistant", "content": [{"type": "image"}, {"type": "text", "text": "it is 42"}]},
        ]
        self.assertEqual(completion_text(messages), "call tool\n\nit is 42")


if __name__ == "__main__":
    unittest.main()
