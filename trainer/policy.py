"""The policy interface the GRPO loop uses, and the pieces shared by its two implementations.

The loop in train.py only calls these, so the loop the CPU test runs is the loop that runs on a GPU:

    policy.device, policy.tokenizer      .decode(ids) -> str, .pad_id, .eos_ids (every id that ends a completion)
    policy.encode_prompt(row)            -> dict of tensors with a batch dimension of 1, on the CPU:
                                            input_ids, attention_mask, and model extras (pixel_values, ...)
    policy.forward(inputs, keep_last)    -> float32 logits of the last `keep_last` positions [B, keep_last, V]
    policy.generate(inputs, max_new_tokens, temperature, greedy)
                                         -> completion ids [B, <= max_new_tokens], pad after the first EOS
    policy.train() / policy.eval()       train mode for the passes that backpropagate (it is what turns
                                         gradient checkpointing on), eval mode for sampling and no-grad passes
    policy.parameters(), .save(dir), .load(dir)

Implementations: `char_policy.CharPolicy` (a ~100k-parameter transformer trained from scratch on CPU)
and `hf_policy.HFPolicy` (a Hugging Face causal LM or vision-language model from a local folder).

A rollout keeps each prompt encoded once (`prompts`, one dict per prompt) and maps each sample to
its prompt (`row_prompt`); `collate` builds the model input of any subset of samples, left-padding
the prompts so that every completion starts at the same column. Every pass over a rollout (sampling,
old, reference and current log-probs) goes `micro_batch` samples at a time, and log-probs are taken
from the completion positions only: memory is bounded by the micro-batch, not by prompts × samples.
"""

import torch


class Policy:
    """What both policies share; a subclass sets `self.model` (a torch module) and `self.tokenizer`."""

    def decode(self, completion_ids: torch.Tensor) -> list[str]:
        return [self.tokenizer.decode(row.tolist()) for row in completion_ids]

    def parameters(self):
        return self.model.parameters()

    def train(self, mode=True):
        self.model.train(mode)

    def eval(self):
        self.model.eval()


def mask_after_eos(completion_ids: torch.Tensor, eos_ids) -> torch.Tensor:
    """1 for each completion token up to and including the first EOS (any of `eos_ids`), 0 after it."""
    is_eos = torch.isin(completion_ids, torch.tensor(list(eos_ids), device=completion_ids.device)).int()
    # eos_seen_before[t] counts EOS strictly before t; a token is live while none came before it.
    eos_seen_before = is_eos.cumsum(dim=1) - is_eos
    return (eos_seen_before == 0).int()


def positions_from_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """Position ids that ignore left padding: the first real token is at position 0."""
    return (attention_mask.long().cumsum(dim=1) - 1).clamp(min=0)


def collate(prompts, pad_id, completion=None, completion_mask=None, device="cpu"):
    """One model input from prompt encodings (dicts with batch dimension 1), left-padded to one width.

    Token-aligned tensors (shape [1, T] like input_ids) are left-padded (input_ids with pad_id, the
    rest with 0) and, with a completion, extended by it (attention_mask by completion_mask, others by
    0). Other tensors (pixel_values, image_grid_thw, ...) are concatenated along dimension 0, which
    is how processors batch them: one row per image for LLaVA, one per patch for Qwen2-VL.
    """
    width = max(p["input_ids"].size(1) for p in prompts)
    out = {}
    for key in prompts[0]:
        parts = [p[key] for p in prompts]
        aligned = all(t.dim() == 2 and t.size(1) == p["input_ids"].size(1) for t, p in zip(parts, prompts))
        if not aligned:
            out[key] = torch.cat(parts, 0)
            continue
        fill = pad_id if key == "input_ids" else 0
        rows = [torch.cat([t.new_full((1, width - t.size(1)), fill), t], 1) for t in parts]
        out[key] = torch.cat(rows, 0)
    if completion is not None:
        for key, value in out.items():
            if value.dim() == 2 and value.size(1) == width:
                tail = {"input_ids": completion, "attention_mask": completion_mask}.get(key)
                tail = torch.zeros_like(completion) if tail is None else tail
                out[key] = torch.cat([value, tail.to(value.device, value.dtype)], 1)
    return {k: v.to(device) for k, v in out.items()}


def completion_logprobs(policy, prompts, row_prompt, completion, mask, rows=None, temperature=1.0, micro_batch=8):
    """Log-prob of each completion token under `policy` (sampling temperature applied): [len(rows), L], float32.

    `prompts`: the rollout's prompt encodings; `row_prompt[i]`: the prompt of sample i; `completion`
    and `mask`: [N, L]. `rows` picks samples (default all). Runs `micro_batch` samples per forward and
    keeps logits for the L completion positions only. Gradients flow when called with grad enabled;
    the result is on the policy's device.
    """
    rows = torch.arange(completion.size(0)) if rows is None else rows
    out = []
    for chunk in rows.split(micro_batch):
        inputs = collate([prompts[row_prompt[i]] for i in chunk.tolist()], policy.tokenizer.pad_id,
                         completion[chunk], mask[chunk], policy.device)
        comp = inputs["input_ids"][:, -completion.size(1):]
        length = comp.size(1)
        # position t predicts token t+1: the L completion tokens are predicted by the L positions before them.
        logits = policy.forward(inputs, keep_last=length + 1)[:, :-1, :] / temperature
        # gather minus logsumexp: log_softmax at the chosen token without a second [B, L, V] tensor.
        out.append(logits.gather(-1, comp.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(dim=-1))
    return torch.cat(out, 0)


@torch.no_grad()
def generate_completions(policy, prompts, row_prompt, max_new_tokens, temperature=1.0, greedy=False, micro_batch=64):
    """Samples one completion per entry of `row_prompt`, `micro_batch` at a time (eval mode).

    Returns (completion [N, max_new_tokens] on the CPU, padded with pad_id; its mask [N, max_new_tokens]).
    """
    policy.eval()
    pad = policy.tokenizer.pad_id
    completion = torch.full((len(row_prompt), max_new_tokens), pad, dtype=torch.long)
    for start in range(0, len(row_prompt), micro_batch):
        chunk = row_prompt[start:start + micro_batch]
        inputs = collate([prompts[i] for i in chunk], pad, device=policy.device)
        ids = policy.generate(inputs, max_new_tokens, temperature, greedy).cpu()
        completion[start:start + len(chunk), :ids.size(1)] = ids
    mask = mask_after_eos(completion, policy.tokenizer.eos_ids)
    return completion.masked_fill(mask == 0, pad), mask
