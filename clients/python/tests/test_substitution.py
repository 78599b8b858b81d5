"""``on_no_verdict``: group_mean, zero, none; counted and logged, never silent."""

from __future__ import annotations

import json
import unittest

from _support import REPO

from arbiter_client import ArbiterCallerError
from arbiter_client.substitution import SubstitutionCounter, substitute_rewards

#: The rule as cases, shared with the server's ``verifiers/_substitute/mod.ts`` (tests/compat_test.ts).
CASES = json.loads((REPO / "clients" / "substitution_cases.json").read_text())["cases"]


def verdict(reward: float) -> dict:
    return {"reward": reward, "correct": reward == 1, "error": None}


def no_verdict(code: str = "internal") -> dict:
    return {"reward": None, "correct": None, "error": {"code": code, "message": f"a {code} failure"}}


class SubstitutionTest(unittest.TestCase):
    """``substitute_rewards``."""

    def test_verdicts_pass_through_and_nothing_is_logged(self) -> None:
        rewards, report = substitute_rewards([verdict(1), verdict(0)], ["a", "a"])
        self.assertEqual(rewards, [1.0, 0.0])
        self.assertEqual(report.substituted, 0)

    def test_group_mean_uses_the_same_groups_verdicts(self) -> None:
        results = [verdict(1), verdict(0), no_verdict(), verdict(1), no_verdict("overloaded"), verdict(0.5)]
        groups = ["p", "p", "p", "q", "q", "r"]
        with self.assertLogs("arbiter_client", "WARNING") as logs:
            rewards, report = substitute_rewards(results, groups, "group_mean")
        self.assertEqual(rewards, [1.0, 0.0, 0.5, 1.0, 1.0, 0.5])
        self.assertEqual(report.substituted, 2)
        self.assertEqual(report.by_code, {"internal": 1, "overloaded": 1})
        self.assertEqual(report.indices, [2, 4])
        self.assertEqual(report.group_fallbacks, 0)
        self.assertIn("2 of 6 results had no verdict", logs.output[0])
        self.assertIn("internal=1, overloaded=1", logs.output[0])

    def test_a_group_without_any_verdict_gets_the_calls_mean(self) -> None:
        results = [verdict(1), verdict(0), verdict(1), verdict(1), no_verdict(), no_verdict()]
        groups = ["a", "a", "b", "b", "c", "c"]
        with self.assertLogs("arbiter_client", "WARNING") as logs:
            rewards, report = substitute_rewards(results, groups)
        self.assertEqual(rewards[4:], [0.75, 0.75])
        self.assertEqual(report.group_fallbacks, 1)
        self.assertIn("1 groups without any verdict", logs.output[0])

    def test_a_call_without_any_verdict_gets_zero(self) -> None:
        with self.assertLogs("arbiter_client", "WARNING"):
            rewards, report = substitute_rewards([no_verdict(), no_verdict()], ["a", "a"])
        self.assertEqual(rewards, [0.0, 0.0])
        self.assertEqual(report.group_fallbacks, 1)

    def test_zero_and_none(self) -> None:
        results = [verdict(1), no_verdict("sandbox_unavailable")]
        with self.assertLogs("arbiter_client", "WARNING"):
            self.assertEqual(substitute_rewards(results, ["a", "a"], "zero")[0], [1.0, 0.0])
        with self.assertLogs("arbiter_client", "WARNING"):
            self.assertEqual(substitute_rewards(results, ["a", "a"], "none")[0], [1.0, None])

    def test_the_shared_cases(self) -> None:
        for case in CASES:
            with self.subTest(case["name"]):
                results = [verdict(r) if r is not None else no_verdict() for r in case["rewards"]]
                fallback = case.get("fallback", 0.0)
                if None in case["rewards"]:
                    with self.assertLogs("arbiter_client", "WARNING"):
                        rewards, report = substitute_rewards(results, case["groups"], case["policy"], fallback=fallback)
                else:
                    rewards, report = substitute_rewards(results, case["groups"], case["policy"], fallback=fallback)
                self.assertEqual(rewards, case["expected"])
                self.assertTrue(all(r is None or type(r) is float for r in rewards))
                self.assertEqual(report.group_fallbacks, case["group_fallbacks"])

    def test_caller_errors_raise_with_the_servers_message_and_are_never_substituted(self) -> None:
        for policy in ("group_mean", "zero", "none"):
            with self.assertRaises(ArbiterCallerError) as raised:
                substitute_rewards([verdict(1), no_verdict(), no_verdict("invalid_request")], None, policy, "ctx")
            self.assertEqual(raised.exception.index, 2)
            self.assertIn("a invalid_request failure", str(raised.exception))
            self.assertIn("ctx: 1 of 3 items are invalid_request", str(raised.exception))

    def test_without_groups_each_sample_is_its_own_group(self) -> None:
        with self.assertLogs("arbiter_client", "WARNING"):
            rewards, report = substitute_rewards([verdict(1), verdict(0), no_verdict()])
        self.assertEqual(rewards, [1.0, 0.0, 0.5])
        self.assertEqual(report.group_fallbacks, 1)

    def test_a_counter_accumulates_reports(self) -> None:
        counter = SubstitutionCounter()
        with self.assertLogs("arbiter_client", "WARNING"):
            counter.add(substitute_rewards([verdict(1), no_verdict()], ["a", "a"])[1])
            counter.add(substitute_rewards([no_verdict("overloaded")], ["b"])[1])
        self.assertEqual(
            counter.as_dict(),
            {"total": 3, "substituted": 2, "group_fallbacks": 1, "by_code": {"internal": 1, "overloaded": 1}},
        )

    def test_an_unknown_policy_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            substitute_rewards([verdict(1)], None, "mean")


if __name__ == "__main__":
    unittest.main()
