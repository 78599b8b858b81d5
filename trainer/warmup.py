"""Supervised warm-up (teaches the answer format) and greedy verified accuracy (what the warm-up stops on).

GRPO only learns from differences between a prompt's samples. A model that never writes
`<answer>…</answer>` gets reward 0 on every sample, every group has zero variance, and nothing moves.
So the char model first imitates `<think></think><answer>SUM</answer>` on 1,000 pairs until greedy
accuracy on the dev split reaches a target (0.25): late enough that GRPO has signal, early enough
that there is plenty left to learn. A fixed step count is unreliable: depending on the seed the jump
from ~0 to ~0.25 comes anywhere between 250 and 500 steps.
"""

import random
import time

import torch

from policy import completion_logprobs, generate_completions, mask_after_eos


@torch.no_grad()
def greedy_accuracy(policy, rows, rewards, max_new_tokens, batch_size=256):
    """Greedy-decode every row's prompt and let Arbiter verify: fraction correct, format, mean reward."""
    prompts = [policy.encode_prompt(r) for r in rows]
    completion, _ = generate_completions(policy, prompts, list(range(len(rows))), max_new_tokens, greedy=True,
                                         micro_batch=batch_size)
    texts = policy.decode(completion)
    scored = rewards.score(texts, [r["reference"] for r in rows], groups=list(range(len(rows))),
                           data_sources=[r.get("data_source") for r in rows])
    fmt = scored.components.get("format", [None])
    return {
        "accuracy": sum(c is True for c in scored.correct) / len(texts),
        "format": sum(f == 1 for f in fmt) / len(texts) if fmt[0] is not None else None,
        "reward": sum(scored.rewards) / len(texts),
        "sample": texts[0],
    }


def encode_targets(policy, targets):
    """Right-padded target ids with EOS appended, and their mask."""
    tok = policy.tokenizer
    rows = [tok.encode(t) + [tok.eos_id] for t in targets]
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), tok.pad_id, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
    return ids, mask_after_eos(ids, tok.eos_ids)


def supervised_warmup(policy, task, rewards, *, target_accuracy=0.25, lr=1e-3, batch_size=64, max_steps=3000,
                      eval_every=25, max_new_tokens=12, seed=0, log=print):
    """Teacher-forced training on `task.train` until greedy dev accuracy >= target_accuracy. Returns a summary."""
    rng = random.Random(seed)
    optimizer = torch.optim.Adam(policy.parameters(), lr=lr)
    dev_rows = task.rows(task.dev)
    started, step, dev = time.monotonic(), 0, {"accuracy": 0.0}
    while step < max_steps:
        pairs = [rng.choice(task.train) for _ in range(batch_size)]
        prompts = [policy.encode_prompt(r) for r in task.rows(pairs)]
        ids, mask = encode_targets(policy, task.targets(pairs))
        policy.train()
        logprobs = completion_logprobs(policy, prompts, list(range(batch_size)), ids, mask, micro_batch=batch_size)
        loss = -(logprobs * mask).sum() / mask.sum()  # mean negative log-likelihood per target token
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        step += 1
        if step % eval_every == 0:
            dev = greedy_accuracy(policy, dev_rows, rewards, max_new_tokens)
            log(f"warmup step {step:4d} | loss {loss.item():.3f} | dev accuracy {dev['accuracy']:.3f} "
                f"| format {dev['format']} | e.g. {dev['sample']!r}")
            if dev["accuracy"] >= target_accuracy:
                break
    return {"steps": step, "dev_accuracy": dev["accuracy"], "seconds": time.monotonic() - started}
