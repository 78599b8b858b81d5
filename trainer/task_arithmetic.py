"""The demo task, made by the project: `a+b=` questions whose answers Arbiter verifies.

A completion is expected as `<think>…</think><answer>SUM</answer>`. The reward is Arbiter's
composite: 0.9 × `math` (the answer equals the reference) + 0.1 × `format` (the tagged layout).
The char model writes an empty think block: at ~100k parameters it does not reason in text, but
the layout is the one a real model is trained to, and the same spec scores both.

Question sets are disjoint: `train` (supervised warm-up pairs), `dev` (stops the warm-up),
`test` (held-out accuracy, never trained on). GRPO draws its prompts from every pair outside
`dev` and `test`, so it sees questions the warm-up never did, and learns from rewards alone.
"""

import argparse
import os
import random
import sys

ALPHABET = "0123456789+="
TAGS = ["<think>", "</think>", "<answer>", "</answer>"]

# One item per sample with this inline spec. Weights and tags live here so the task owns its reward.
MATH_WEIGHT, FORMAT_WEIGHT = 0.9, 0.1
FORMAT_OPTIONS = {"tags": ["think", "answer"]}
REWARD_SPEC = {"sum": [{"weight": MATH_WEIGHT, "verifier": "math"},
                       {"weight": FORMAT_WEIGHT, "verifier": "format", "options": FORMAT_OPTIONS}]}

# Prepended to the question for a pretrained chat model (the char model never sees it).
INSTRUCTION = ("Add the two numbers. Think inside <think></think>, then give only the sum inside "
               "<answer></answer>.\n")


def prompt(a: int, b: int) -> str:
    return f"{a}+{b}="


def reference(a: int, b: int) -> str:
    return str(a + b)


def target(a: int, b: int) -> str:
    """The supervised completion for the warm-up (the tokenizer adds EOS after it)."""
    return f"<think></think><answer>{a + b}</answer>"


class ArithmeticTask:
    """Disjoint question splits for one seed; `sample_rl` draws GRPO prompts outside dev and test."""

    def __init__(self, seed: int, max_operand=100, n_train=1000, n_dev=200, n_test=500):
        rng = random.Random(seed)
        pairs = [(a, b) for a in range(max_operand) for b in range(max_operand)]
        rng.shuffle(pairs)
        self.test = pairs[:n_test]
        self.dev = pairs[n_test:n_test + n_dev]
        self.train = pairs[n_test + n_dev:n_test + n_dev + n_train]
        self.rl_pool = pairs[n_test + n_dev:]  # includes the warm-up pairs: any unseen-at-eval pair

    def sample_rl(self, rng: random.Random, n: int) -> list[tuple[int, int]]:
        return [rng.choice(self.rl_pool) for _ in range(n)]

    @staticmethod
    def prompts(pairs, instruct=False) -> list[str]:
        return [(INSTRUCTION if instruct else "") + prompt(a, b) for a, b in pairs]

    @staticmethod
    def references(pairs) -> list[str]:
        return [reference(a, b) for a, b in pairs]

    @staticmethod
    def targets(pairs) -> list[str]:
        return [target(a, b) for a, b in pairs]

    @classmethod
    def rows(cls, pairs, instruct=False) -> list[dict]:
        """The pairs as data rows (see data.py): the same shape as a dataset file's."""
        return [{"prompt": p, "reference": r, "images": [], "data_source": "arithmetic"}
                for p, r in zip(cls.prompts(pairs, instruct), cls.references(pairs))]


if __name__ == "__main__":  # write the demo as data files, e.g. to train a Hugging Face model on it
    parser = argparse.ArgumentParser(description="Write the a+b= task as train.jsonl and test.jsonl")
    parser.add_argument("--write", required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--instruct", action="store_true", help="prepend the one-line instruction for chat models")
    cli = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from data import write_jsonl

    task = ArithmeticTask(cli.seed)
    write_jsonl(os.path.join(cli.write, "train.jsonl"), task.rows(task.rl_pool, cli.instruct))
    write_jsonl(os.path.join(cli.write, "test.jsonl"), task.rows(task.test, cli.instruct))
