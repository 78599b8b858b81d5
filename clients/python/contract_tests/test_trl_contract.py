"""TRL for real: ``trl.GRPOTrainer`` (the installed trl, 1.x) with Arbiter's reward functions.

A tiny random-weight Llama built from a config and a byte-level tokenizer built in memory (nothing
is downloaded). Two training steps run TRL's own generation and reward path (plain and
conversational prompts); the reward computation itself (``GRPOTrainer._calculate_rewards``, trl 1.13
``trl/trainer/grpo_trainer.py``: ``reward_func(prompts=, completions=, completion_ids=, **columns)``
then ``torch.tensor(rewards, dtype=torch.float32)`` per function, ``nansum`` over the weighted
functions and per-group mean/std) is driven with chosen completions, plain, conversational (with
``reasoning_content``) and with images, to assert exact values.
"""

from __future__ import annotations

import pickle
import tempfile
import unittest
import warnings

from _trainer import arbiter, local, snippet

import datasets
import torch
import transformers
import trl
from PIL import Image
from tokenizers import Tokenizer, decoders, models, pre_tokenizers

from _support import StubServer

from arbiter_client.trl import RewardFunction, reward_function

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['content'] is string %}{{ m['content'] }}{% else %}{% for p in m['content'] %}"
    "{% if p['type'] == 'text' %}{{ p['text'] }}{% else %}<image>{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def tiny_tokenizer() -> transformers.PreTrainedTokenizerFast:
    """Byte-level, no merges: every byte is a token; a chat template for conversational prompts."""
    vocab = {c: i for i, c in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    core = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=core, eos_token="<|endoftext|>", pad_token="<|pad|>"
    )
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def tiny_model(tokenizer) -> transformers.LlamaForCausalLM:
    torch.manual_seed(0)
    config = transformers.LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
        num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=512,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, bos_token_id=None,
    )
    return transformers.LlamaForCausalLM(config)


def grpo_config(**overrides) -> trl.GRPOConfig:
    args = dict(
        output_dir=tempfile.mkdtemp(prefix="arbiter_trl_"), per_device_train_batch_size=4, num_generations=4,
        max_completion_length=8, max_steps=1, report_to=[], logging_steps=1, save_strategy="no",
        use_cpu=True, bf16=False, seed=0,
    )
    args.update(overrides)
    return trl.GRPOConfig(**args)


def pixels(color: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", (8, 8), color)


class TrlContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        warnings.simplefilter("ignore")
        cls.tokenizer = tiny_tokenizer()
        namespace: dict = {}
        exec(local(snippet("trl"), arbiter()), namespace)  # the README's snippet, as written
        cls.accuracy = namespace["accuracy"]
        cls.layout = reward_function(arbiter(), verifier="format", reference_column=None,
                                     options={"tags": ["think", "answer"]})

    def trainer(self, rows: dict, reward_funcs: list, **config) -> trl.GRPOTrainer:
        return trl.GRPOTrainer(
            model=tiny_model(self.tokenizer), reward_funcs=reward_funcs, args=grpo_config(**config),
            train_dataset=datasets.Dataset.from_dict(rows), processing_class=self.tokenizer,
        )

    def test_the_reward_functions_pickle(self) -> None:
        for fn, completion in ((self.accuracy, "\\boxed{4}"), (self.layout, "<think>a</think><answer>4</answer>")):
            copy = pickle.loads(pickle.dumps(fn))
            self.assertIsInstance(copy, RewardFunction)
            self.assertEqual(copy.__name__, fn.__name__)
            self.assertEqual(copy(["q"], [completion], solution=["4"]), [1.0])

    def test_a_plain_training_step(self) -> None:
        rows = {"prompt": ["What is 2+2?"] * 4, "solution": [4] * 4}  # numeric references
        trainer = self.trainer(rows, [self.accuracy, self.layout], reward_weights=[0.9, 0.1])
        trainer.train()
        logged = trainer.state.log_history[0]
        for key in ("rewards/arbiter_math/mean", "rewards/arbiter_format/mean", "reward", "reward_std"):
            self.assertIn(key, logged)
            self.assertTrue(torch.isfinite(torch.tensor(logged[key])), key)

    def test_a_conversational_training_step(self) -> None:
        prompt = [{"role": "user", "content": "What is 2+2? Put it in \\boxed{}."}]
        rows = {"prompt": [prompt] * 4, "solution": ["#### 4"] * 4}
        accuracy = reward_function(arbiter(), verifier="math", reference_format="gsm8k")
        trainer = self.trainer(rows, [accuracy])
        trainer.train()
        self.assertIn("rewards/arbiter_math/mean", trainer.state.log_history[0])
        self.assertEqual(accuracy.substitutions.substituted, 0)

    def rewards(self, trainer: trl.GRPOTrainer, inputs: list, completions: list) -> torch.Tensor:
        prompts = [row["prompt"] for row in inputs]
        ids = [self.tokenizer(completion if isinstance(completion, str) else "completion")["input_ids"]
               for completion in completions]  # the ids are not scored: Arbiter reads the text
        return trainer._calculate_rewards(inputs, prompts, completions, ids)

    def test_reward_computation_plain_and_conversational(self) -> None:
        rows = {"prompt": ["What is 2+2?"] * 4, "solution": ["4"] * 4}
        trainer = self.trainer(rows, [self.accuracy, self.layout], reward_weights=[0.9, 0.1])
        plain = ["<think>2+2</think><answer>\\boxed{4}</answer>", "\\boxed{4}", "\\boxed{5}", "no idea"]
        per_func = self.rewards(trainer, [{"prompt": "What is 2+2?", "solution": "4"}] * 4, plain)
        self.assertEqual(per_func.dtype, torch.float32)
        self.assertEqual(per_func.shape, (4, 2))
        self.assertEqual(per_func.tolist(), [[1.0, 1.0], [1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
        rewards = (per_func * trainer.reward_weights.unsqueeze(0)).nansum(dim=1)
        grouped = rewards.view(-1, 4)
        advantages = (rewards - grouped.mean(dim=1).repeat_interleave(4)) / (grouped.std(dim=1).repeat_interleave(4) + 1e-4)
        self.assertTrue(torch.isfinite(advantages).all())
        self.assertGreater(advantages[0].item(), advantages[1].item())

        prompt = [{"role": "user", "content": "What is 2+2?"}]
        chat = [
            [{"role": "assistant", "reasoning_content": "2+2", "content": "<answer>\\boxed{4}</answer>"}],
            [{"role": "assistant", "content": "<answer>\\boxed{4}</answer>"}],
            [{"role": "assistant", "content": [{"type": "text", "text": "\\boxed{3}"}]}],
            [{"role": "assistant", "reasoning_content": "hmm", "content": "<answer>5</answer>"}],
        ]
        per_func = self.rewards(trainer, [{"prompt": prompt, "solution": "4"}] * 4, chat)
        self.assertEqual(per_func.tolist(), [[1.0, 1.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])

    def test_reward_computation_with_images_keeps_each_image_prompt_one_group(self) -> None:
        red, blue = pixels((255, 0, 0)), pixels((0, 0, 255))

        def prompt(image):
            return [{"role": "user", "content": [{"type": "image", "image": image},
                                                 {"type": "text", "text": "How many squares?"}]}]

        # TRL hands each generation its own prompt copy; the images are equal by pixels, not identity.
        inputs = [{"prompt": prompt(img.copy()), "image": img, "solution": "1"} for img in (red, red, blue, blue)]
        results = [{"reward": 1, "error": None},
                   {"reward": None, "error": {"code": "sandbox_unavailable", "message": "restarting"}},
                   {"reward": 0, "error": None},
                   {"reward": None, "error": {"code": "sandbox_unavailable", "message": "restarting"}}]
        with StubServer([("json", 200, {"results": results})], upstream=arbiter(),
                        script_path="/v1/verify/batch") as stub:
            accuracy = reward_function(stub.url, verifier="math")
            trainer = self.trainer({"prompt": ["x"] * 4, "solution": ["1"] * 4}, [accuracy])
            with self.assertLogs("arbiter_client", "WARNING"):
                per_func = self.rewards(trainer, inputs, ["\\boxed{1}", "?", "\\boxed{2}", "?"])
        self.assertEqual(per_func[:, 0].tolist(), [1.0, 1.0, 0.0, 0.0])
        self.assertEqual(accuracy.substitutions.substituted, 2)


if __name__ == "__main__":
    unittest.main()
