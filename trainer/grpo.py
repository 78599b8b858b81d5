"""The GRPO update: group-relative advantages, the clipped loss, the KL penalty, minibatches and accumulation.

Every tensor of the loss lives on the policy's device: rewards arrive as Python floats and the
rollout (completions, masks, old log-probs) is kept on the CPU; each is moved where the log-probs are.

`minibatches` is the number of optimizer steps per epoch over the rollout (PPO's minibatches);
`micro_batch` is how many samples go through one forward/backward. A minibatch's gradient is
accumulated over its micro-batches with the minibatch's own normaliser (its token count, or its
sequence count), so it equals the gradient of the whole minibatch at once.
"""

import torch

from policy import completion_logprobs

LOG_RATIO_CLAMP = 20.0  # exp(±20): a stale or off-policy token cannot overflow the ratio


def group_advantages(rewards, group_size, scale_std=True, device="cpu"):
    """(r - mean of its group) / (std of its group + 1e-4); a group with equal rewards gets zeros.

    Returns the advantages on `device` and the fraction of groups whose rewards are all equal.
    """
    cpu = torch.as_tensor(rewards, dtype=torch.float32).view(-1, group_size)
    zero_var = (cpu.std(dim=1) < 1e-8).float().mean().item()
    r = cpu.to(device)
    centered = r - r.mean(dim=1, keepdim=True)
    if scale_std:
        centered = centered / (r.std(dim=1, keepdim=True) + 1e-4)
    return centered.view(-1), zero_var


def clipped_loss_terms(logprobs, old_logprobs, advantages, clip_low, clip_high, ref_logprobs=None, kl_coef=0.0):
    """Per-token loss −min(ρA, clip(ρ)A) (+ kl_coef × k3 KL to the reference), the clipped flags and the KL."""
    log_ratio = (logprobs - old_logprobs).clamp(-LOG_RATIO_CLAMP, LOG_RATIO_CLAMP)
    ratio = torch.exp(log_ratio)
    a = advantages.unsqueeze(1)
    per_token = -torch.min(ratio * a, ratio.clamp(clip_low, clip_high) * a)
    clipped = ((ratio < clip_low) | (ratio > clip_high)).float()
    kl = None
    if ref_logprobs is not None:
        # k3 estimator of KL(policy || reference): unbiased, always >= 0.
        d = (ref_logprobs - logprobs).clamp(-LOG_RATIO_CLAMP, LOG_RATIO_CLAMP)
        kl = torch.exp(d) - d - 1
        per_token = per_token + kl_coef * kl
    return per_token, clipped.detach(), kl


def micro_batch_loss(policy, rollout, rows, advantages, norm, args, ref_logprobs=None):
    """The loss of samples `rows` (a tensor of indices), normalised by its minibatch's `norm`, with grad.

    Returns (loss, clipped tokens, KL sum), all tensors on the policy's device. Everything the rollout
    holds on the CPU is moved there first; `advantages` and `ref_logprobs` are already on it.
    """
    device = policy.device
    mask = rollout["mask"][rows].to(device).float()
    on_device = rows.to(device)
    logprobs = completion_logprobs(policy, rollout["prompts"], rollout["row_prompt"], rollout["completion"],
                                   rollout["mask"], rows, args.temperature, args.micro_batch)
    per_token, clipped, kl = clipped_loss_terms(
        logprobs, rollout["old_logprobs"][rows].to(device), advantages[on_device], 1 - args.clip_eps,
        1 + args.clip_eps_high, None if ref_logprobs is None else ref_logprobs[on_device], args.kl_coef)
    if args.loss_agg == "token":  # long completions weigh by their length (DAPO)
        loss = (per_token * mask).sum() / norm
    else:  # each completion weighs the same (the original GRPO)
        loss = ((per_token * mask).sum(1) / mask.sum(1).clamp(min=1)).sum() / norm
    kl_sum = (kl.detach() * mask).sum() if kl is not None else torch.zeros((), device=device)
    return loss, (clipped * mask).sum(), kl_sum


def grpo_update(policy, optimizer, rollout, advantages, args, reference=None):
    """`args.ppo_epochs` passes over the rollout, each `args.minibatches` optimizer steps. Returns stats.

    `rollout`: prompts, row_prompt, completion, mask, old_logprobs (CPU); `advantages`: [N] on the
    policy's device. Clip fraction and KL are token-weighted means over every minibatch and epoch.
    """
    n = rollout["completion"].size(0)
    totals = {"tokens": 0.0, "clipped": 0.0, "kl": 0.0, "loss": 0.0, "grad_norm": 0.0, "updates": 0}
    ref_logprobs = None
    if reference is not None:  # the reference never changes during the update: one no-grad pass
        reference.eval()
        with torch.no_grad():
            ref_logprobs = completion_logprobs(reference, rollout["prompts"], rollout["row_prompt"],
                                               rollout["completion"], rollout["mask"], None, args.temperature,
                                               args.micro_batch).to(policy.device)
    policy.train()  # train mode: what makes gradient checkpointing engage
    for _ in range(args.ppo_epochs):
        for rows in torch.arange(n).chunk(args.minibatches):
            tokens = rollout["mask"][rows].sum().item()
            norm = float(tokens if args.loss_agg == "token" else len(rows))
            optimizer.zero_grad(set_to_none=True)
            for micro in rows.split(args.micro_batch):  # gradient accumulation over micro-batches
                loss, clipped, kl = micro_batch_loss(policy, rollout, micro, advantages, norm, args, ref_logprobs)
                loss.backward()
                totals["loss"] += loss.item()
                totals["clipped"] += clipped.item()
                totals["kl"] += kl.item()
            grad_norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), args.grad_clip)
            optimizer.step()
            totals["tokens"] += tokens
            totals["grad_norm"] += float(grad_norm)
            totals["updates"] += 1
    policy.eval()
    tokens, updates = max(totals["tokens"], 1.0), max(totals["updates"], 1)
    return {"loss": totals["loss"] / updates, "grad_norm": totals["grad_norm"] / updates,
            "clip_frac": totals["clipped"] / tokens, "kl": totals["kl"] / tokens}
