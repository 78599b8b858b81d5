"""OpenRLHF calling Arbiter exactly as its versions do, and what it then computes from the answer.

Followed (read, not copied), OpenRLHF's source at these tags:
- v0.7.5 ``openrlhf/utils/remote_rm_utils.py`` ``remote_rm_fn``: POST ``{query, prompts, labels}``,
  ``torch.tensor(answer["rewards"])``.
- v0.8.11 / v0.9.0 ``openrlhf/utils/remote_rm_utils.py`` ``RemoteRewardModel.get_rewards`` (the batch
  split over the comma-separated URLs; a ``.py`` path loads ``reward_func`` by file and calls it per
  micro-batch) and ``openrlhf/trainer/ppo_utils/experience_maker.py`` ``update_samples_with_rewards``
  (``torch.cat`` of ``torch.as_tensor(info["rewards"])``; extra_logs ``torch.cat(logs[key])`` in
  0.8.11, ``torch.cat(torch.as_tensor(logs[key]))`` in 0.9.0) and ``compute_advantages_and_returns``
  (``group_norm``: ``(r - mean) / (std + 1e-9)`` over ``reshape(-1, n_samples_per_prompt)``).
- v0.11.0 ``openrlhf/utils/agent.py`` ``SingleTurnAgentExecutor`` (one sample per request, the
  prompt's token ids left-truncated to fit ``max_length``, ``query`` decoded from them;
  ``rewards_info.get("rewards")``), ``openrlhf/trainer/ppo_utils/samples_generator.py``
  (``torch.tensor([reward_val])``, ``torch.tensor([value])`` per extra_logs key) and
  ``experience_maker.py`` ``compute_advantages_and_returns`` (as above).
"""

from __future__ import annotations

import importlib.util
import shlex
import tempfile
import unittest
import urllib.error
from pathlib import Path

from _trainer import arbiter, group_norm, local, post_json, snippet

import torch

PROMPTS = ["<|user|>What is 6*12?<|assistant|>", "<|user|>What is 2+2? (the answer is not 72)<|assistant|>"]
RESPONSES = [["so \\boxed{72}", "\\boxed{71}", "it is \\boxed{72}", "no idea"], ["\\boxed{4}"] * 3 + ["\\boxed{5}"]]
LABELS = [72, 4]  # JSON datasets give numbers; OpenRLHF passes them through
EXPECTED = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0]
N = 4  # --n_samples_per_prompt


def rollouts() -> tuple[list[str], list[str], list[object]]:
    queries, prompts, labels = [], [], []
    for prompt, responses, label in zip(PROMPTS, RESPONSES, LABELS):
        for response in responses:
            queries.append(prompt + response)
            prompts.append(prompt)
            labels.append(label)
    return queries, prompts, labels


def flag(command: str, name: str) -> str:
    """The value of ``--name`` in a documented shell command."""
    words = shlex.split(command.replace("\\\n", " "))
    return words[words.index(name) + 1]


def compat_url(snippet_name: str, server: str) -> str:
    """The reward URL of a documented OpenRLHF command, pointed at the test server."""
    command = snippet(snippet_name)
    name = "--reward.remote_url" if "--reward.remote_url" in command else "--remote_rm_url"
    return local(flag(command, name), server)


class OpenRlhfUpTo09Test(unittest.TestCase):
    """OpenRLHF ≤ 0.9: one request per server shard, the whole batch."""

    def shards(self, url: str, servers: int = 2) -> list[dict]:
        queries, prompts, labels = rollouts()
        size = (len(queries) + servers - 1) // servers
        return [
            post_json(url, {"query": queries[i : i + size], "prompts": prompts[i : i + size],
                            "labels": labels[i : i + size]})
            for i in range(0, len(queries), size)
        ]

    def test_v0_9_batch_rewards_are_float_and_group_norm_runs(self) -> None:
        url = compat_url("openrlhf-0.9", arbiter())
        answers = self.shards(url)
        rewards = torch.cat([torch.as_tensor(a["rewards"]) for a in answers], dim=0)
        scores = torch.cat([torch.as_tensor(a["scores"]) for a in answers], dim=0)
        logs = {k: torch.cat([torch.as_tensor(a["extra_logs"][k]) for a in answers], dim=0)
                for k in answers[0]["extra_logs"]}
        self.assertEqual(rewards.dtype, torch.float32)
        self.assertEqual(rewards.tolist(), EXPECTED)
        self.assertEqual(scores.shape, (8,))
        self.assertEqual(logs["correct"].dtype, torch.float32)
        self.assertEqual(logs["correct"].shape, (8,))
        advantages = group_norm(rewards, N)
        self.assertEqual(advantages.dtype, torch.float32)
        self.assertTrue(torch.isfinite(advantages).all())
        self.assertAlmostEqual(advantages[0].item(), 0.866, places=3)

    def test_v0_8_needs_extra_logs_none(self) -> None:
        url = compat_url("openrlhf-0.7-0.8", arbiter())
        self.assertIn("extra_logs=none", url)
        answers = self.shards(url)
        merged = {k: torch.cat([a["extra_logs"][k] for a in answers], dim=0) for k in answers[0]["extra_logs"]}
        self.assertEqual(merged, {})
        rewards = torch.cat([torch.as_tensor(a["rewards"]) for a in answers], dim=0)
        self.assertEqual(rewards.dtype, torch.float32)
        self.assertEqual(group_norm(rewards, N).dtype, torch.float32)
        # Why: 0.8.11 concatenates the JSON lists themselves, which torch refuses.
        per_sample = self.shards(url.replace("extra_logs=none", "extra_logs=per_sample"))
        with self.assertRaises(TypeError):
            torch.cat([a["extra_logs"]["correct"] for a in per_sample], dim=0)

    def test_v0_7_remote_rm_fn(self) -> None:
        url = compat_url("openrlhf-0.7-0.8", arbiter())
        queries, prompts, labels = rollouts()
        rewards = torch.tensor(post_json(url, {"query": queries, "prompts": prompts, "labels": labels})["rewards"])
        self.assertEqual(rewards.dtype, torch.float32)
        self.assertEqual(rewards.tolist(), EXPECTED)


class OpenRlhfFrom010Test(unittest.TestCase):
    """OpenRLHF ≥ 0.10: one request per sample (SingleTurnAgentExecutor), possibly left-truncated."""

    def per_sample(self, url: str, queries: list[str], prompts: list[str], labels: list[object]) -> torch.Tensor:
        experiences = []
        for query, prompt, label in zip(queries, prompts, labels):
            info = post_json(url, {"query": [query], "prompts": [prompt], "labels": [label]})
            reward_val = info.get("rewards")
            reward = torch.tensor([reward_val])
            logs = {k: torch.tensor([v.flatten()[0].item() if isinstance(v, torch.Tensor) else v])
                    for k, v in (info.get("extra_logs") or {}).items()}
            self.assertEqual(reward.dtype, torch.float32)
            self.assertTrue(all(t.dtype == torch.float32 and t.shape == (1,) for t in logs.values()), logs)
            experiences.append(reward)
        return torch.cat(experiences, dim=0).reshape(-1)

    def test_every_flag_generation_scores_one_sample_per_request(self) -> None:
        for name in ("openrlhf-0.10.0-0.10.1", "openrlhf-0.10.2"):
            with self.subTest(name):
                url = compat_url(name, arbiter())
                self.assertIn("extra_logs=scalar", url)
                rewards = self.per_sample(url, *rollouts())
                self.assertEqual(rewards.tolist(), EXPECTED)
                advantages = group_norm(rewards, N)
                self.assertEqual(advantages.dtype, torch.float32)
                self.assertTrue(torch.isfinite(advantages).all())

    def test_left_truncated_prompts_are_scored_not_refused(self) -> None:
        url = compat_url("openrlhf-0.10.2", arbiter())
        long_prompt = "<|user|>Example: the answer to 1+1 is \\boxed{72}. " + "Context. " * 30 + PROMPTS[0]
        cut = long_prompt[60:]  # what decoding the kept tail of the prompt's token ids gives
        queries = [cut + r for r in RESPONSES[0]]
        info = post_json(url, {"query": queries[3:4], "prompts": [long_prompt], "labels": [72]})
        self.assertEqual(info["rewards"], [0.0], "the prompt's head (holding \\boxed{72}) is not scored")
        self.assertEqual(info["extra_logs"]["prompt_truncated"], 1.0)
        rewards = self.per_sample(url, queries, [long_prompt] * 4, [72] * 4)
        self.assertEqual(rewards.tolist(), EXPECTED[:4])

    def test_a_misspelt_parameter_is_a_clear_400_not_a_zero(self) -> None:
        url = compat_url("openrlhf-0.10.2", arbiter()).replace("verifier=", "verifer=")
        with self.assertRaises(urllib.error.HTTPError) as raised:
            post_json(url, {"query": ["p\\boxed{1}"], "prompts": ["p"], "labels": ["1"]})
        self.assertEqual(raised.exception.code, 400)
        self.assertIn('Unknown query parameter \\"verifer\\"', raised.exception.read().decode())


class OpenRlhfRewardFileTest(unittest.TestCase):
    """``--remote_rm_url /path/to/arbiter_reward.py`` (``--reward.remote_url`` from 0.10.2)."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.folder = tempfile.TemporaryDirectory()
        path = Path(cls.folder.name) / "arbiter_reward.py"
        path.write_text(local(snippet("openrlhf-reward-file"), arbiter()))
        # Loaded by file location under the module name "reward_func", as OpenRLHF does.
        spec = importlib.util.spec_from_file_location("reward_func", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cls.reward_func = staticmethod(module.reward_func)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.folder.cleanup()

    def test_up_to_0_9_micro_batches(self) -> None:
        queries, prompts, labels = rollouts()
        micro = 4  # --micro_rollout_batch_size
        infos = [self.reward_func(queries[i : i + micro], prompts[i : i + micro], labels[i : i + micro])
                 for i in range(0, len(queries), micro)]
        rewards = torch.cat([torch.as_tensor(info["rewards"]) for info in infos], dim=0)
        logs = {k: torch.cat([info["extra_logs"][k] for info in infos], dim=0) for k in infos[0]["extra_logs"]}
        self.assertEqual(rewards.dtype, torch.float32)
        self.assertEqual(rewards.tolist(), EXPECTED)
        self.assertEqual(logs["no_verdict_substituted"].tolist(), [0.0] * 8)
        self.assertTrue(torch.isfinite(group_norm(rewards, N)).all())

    def test_from_0_10_one_sample_per_call(self) -> None:
        rewards = []
        for query, prompt, label in zip(*rollouts()):
            info = self.reward_func([query], [prompt], [label])
            reward = torch.tensor([info.get("rewards")])
            self.assertEqual((reward.dtype, reward.shape), (torch.float32, (1,)))
            for value in info["extra_logs"].values():
                self.assertIsInstance(value.flatten()[0].item(), float)
            rewards.append(reward)
        self.assertEqual(torch.cat(rewards).tolist(), EXPECTED)

    def test_a_caller_error_raises(self) -> None:
        from arbiter_client import ArbiterHTTPError

        with self.assertRaises(ArbiterHTTPError) as raised:
            self.reward_func(["p x"], ["p"], [{"not": "an answer"}])
        self.assertIn("labels[0]", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
