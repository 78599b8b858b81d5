"""``on_no_verdict``: group_mean, zero, none; counted and logged, never silent."""

from __future__ import annotations

import unittest

import _support  # noqa: F401  (quiets the client's logger)

from arbiter_client.substitution import SubstitutionCounter, substitute_rewards


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

    def test_caller_errors_are_substituted_and_logged_as_errors(self) -> None:
        with self.assertLogs("arbiter_client", "ERROR") as logs:
            rewards, report = substitute_rewards([verdict(1), no_verdict("invalid_request")], None, "zero")
        self.assertEqual(rewards, [1.0, 0.0])
        self.assertEqual(report.by_code, {"invalid_request": 1})
        self.assertIn("a invalid_request failure", logs.output[0])

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
