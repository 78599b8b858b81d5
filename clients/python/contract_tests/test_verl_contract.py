"""verl calling Arbiter's reward functions exactly as its managers do, and the GRPO advantages after.

Followed (read, not copied), verl's source at v0.7.0:
- ``verl/trainer/ppo/reward.py`` ``get_custom_reward_fn``: loads ``custom_reward_function.name`` from
  the file ``custom_reward_function.path`` by location, and merges ``reward_kwargs`` (a Hydra
  ``DictConfig`` turned into a dict) into every call; an ``async def`` stays awaitable.
- ``verl/experimental/reward_loop/reward_manager/naive.py`` (and ``dapo.py``, ``limited.py``): the
  reward loop, on by default (``reward_model.use_reward_loop``); one task per sample, each awaiting
  ``compute_score(data_source=, solution_str=, ground_truth=, extra_info=, **extra)`` where
  ``extra`` holds ``reward_router_address`` and ``reward_model_tokenizer`` when a reward router runs;
  a dict result gives its ``score``.
- ``verl/workers/reward_manager/naive.py`` (legacy): one synchronous call per sample;
  ``verl/workers/reward_manager/batch.py`` (legacy): ``compute_score(data_sources=, solution_strs=,
  ground_truths=, extra_infos=, **reward_kwargs)`` with NumPy object arrays; both write each score
  into a float32 ``zeros_like(responses)`` at the response's last token.
- ``verl/trainer/ppo/core_algos.py`` ``compute_grpo_outcome_advantage``: per ``uid`` group,
  ``torch.stack`` of the scores, ``torch.mean`` and ``torch.std``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import numpy as np
from omegaconf import OmegaConf

from _trainer import arbiter, snippet

import arbiter_client.client
from arbiter_client._transport import exchange

import torch

RESPONSES = ["so \\boxed{72}", "\\boxed{71}", "it is \\boxed{72}", "no idea", "\\boxed{4}", "\\boxed{4}",
             "\\boxed{4}", "\\boxed{5}"]
# verl's parquet rows: ground truths come back as NumPy values; extra_info as written by its
# preprocessing scripts (split, index).
GROUND_TRUTHS = [np.int64(72)] * 2 + [np.array([72])] * 2 + ["4"] * 4
EXTRA = [{"split": "train", "index": np.int64(i // 4)} for i in range(8)]
UIDS = np.array(["a"] * 4 + ["b"] * 4, dtype=object)
EXPECTED = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0]
RESPONSE_LENGTH = 6


def overrides(name: str, reward_file: Path) -> "OmegaConf":
    """The Hydra overrides of a documented command as a config (``+key=value`` adds a key)."""
    words = snippet(name).replace("\\\n", " ").split()
    dotlist = [w.lstrip("+") for w in words]
    config = OmegaConf.from_dotlist(dotlist)
    config.custom_reward_function.path = str(reward_file)
    return config


def load_reward_fn(config) -> tuple:
    """The custom reward function and its reward_kwargs, as verl resolves them from the config."""
    section = config.custom_reward_function
    spec = importlib.util.spec_from_file_location("custom_module", section.path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, section.name), dict(section.get("reward_kwargs", {}))


def token_rewards(scores: list) -> torch.Tensor:
    """Each score at its response's last token of a float32 (batch, response_length) tensor."""
    tensor = torch.zeros((len(scores), RESPONSE_LENGTH), dtype=torch.float32)
    for i, score in enumerate(scores):
        tensor[i, RESPONSE_LENGTH - 1] = score["score"] if isinstance(score, dict) else score
    return tensor


def grpo_advantages(token_level: torch.Tensor, uids: np.ndarray) -> torch.Tensor:
    scores = token_level.sum(dim=-1)
    groups: dict = {}
    for i, uid in enumerate(uids):
        groups.setdefault(uid, []).append(scores[i])
    stats = {uid: (torch.mean(torch.stack(s)), torch.std(torch.stack(s))) for uid, s in groups.items()}
    return torch.stack([(scores[i] - stats[u][0]) / (stats[u][1] + 1e-6) for i, u in enumerate(uids)])


class VerlContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.folder = tempfile.TemporaryDirectory()
        cls.reward_file = Path(cls.folder.name) / "arbiter_reward.py"
        cls.reward_file.write_text(snippet("verl-file"))
        cls.env = mock.patch.dict(os.environ, {"ARBITER_URL": arbiter()})
        cls.env.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.env.stop()
        cls.folder.cleanup()

    def check_step(self, scores: list) -> None:
        token_level = token_rewards(scores)
        self.assertEqual(token_level.dtype, torch.float32)
        self.assertEqual(token_level.sum(-1).tolist(), EXPECTED)
        advantages = grpo_advantages(token_level, UIDS)
        self.assertEqual(advantages.shape, (8,))
        self.assertTrue(torch.isfinite(advantages).all())

    def test_reward_loop_v0_7_awaits_each_sample_and_arbiter_batches_them(self) -> None:
        config = overrides("verl-reward-loop", self.reward_file)
        fn, kwargs = load_reward_fn(config)
        self.assertTrue(inspect.iscoroutinefunction(fn))
        self.assertEqual(kwargs, {"verifier": "math"})
        calls: list = []

        def counted(*args):
            calls.append(args[2])
            return exchange(*args)

        async def run_single(i: int):
            extra = {"reward_router_address": "127.0.0.1:9", "reward_model_tokenizer": object()}
            return await fn(data_source="openai/gsm8k", solution_str=RESPONSES[i], ground_truth=GROUND_TRUTHS[i],
                            extra_info=dict(EXTRA[i]), **{**extra, **kwargs})

        async def step():
            return await asyncio.gather(*(asyncio.create_task(run_single(i)) for i in range(8)))

        asyncio.run(step())  # first step: the client is made and the verifier checked
        with mock.patch.object(arbiter_client.client, "exchange", counted):
            scores = asyncio.run(step())
        self.assertEqual(calls, ["/v1/verify/batch"], "eight awaited samples, one HTTP call")
        self.assertTrue(all(type(s) is float for s in scores))
        self.check_step(scores)

    def test_legacy_batch_manager(self) -> None:
        config = overrides("verl-legacy-batch", self.reward_file)
        self.assertFalse(config.reward_model.use_reward_loop)
        self.assertEqual(config.reward_model.reward_manager, "batch")
        fn, kwargs = load_reward_fn(config)
        scores = fn(
            data_sources=np.array(["openai/gsm8k"] * 8, dtype=object),
            solution_strs=RESPONSES,
            ground_truths=[{"ground_truth": g}["ground_truth"] for g in GROUND_TRUTHS],
            extra_infos=np.array([dict(e) for e in EXTRA], dtype=object),
            **kwargs,
        )
        self.check_step(scores)

    def test_legacy_naive_manager_and_hydra_options(self) -> None:
        config = overrides("verl-legacy-batch", self.reward_file)
        config.custom_reward_function.name = "compute_score"
        config.custom_reward_function.reward_kwargs.options = OmegaConf.create({"strict": True})
        fn, kwargs = load_reward_fn(config)
        self.assertEqual(type(kwargs["options"]).__name__, "DictConfig")
        scores = [fn(data_source="openai/gsm8k", solution_str=RESPONSES[i], ground_truth=GROUND_TRUTHS[i],
                     extra_info=dict(EXTRA[i]), **kwargs) for i in range(8)]
        self.check_step(scores)


if __name__ == "__main__":
    unittest.main()
