"""GRPO with rewards from Arbiter. One flat loop; the CPU demo and a GPU run differ only in the policy.

    /usr/bin/python3 trainer/train.py --arbiter_url http://127.0.0.1:8787 --out_dir runs/demo

Per step: sample G completions for each of P prompts, score all P×G in one Arbiter batch call (on a
thread, overlapping with the next step's generation), turn rewards into group-relative advantages,
take a clipped policy-gradient step (optionally with a KL penalty to the starting policy). Logs
reward mean/std, each reward component, no-verdict substitutions and error codes, and the fraction
of groups whose samples all got the same reward (they teach nothing). Checkpoints hold everything
needed to resume exactly, including the generated-but-not-yet-trained batch.
"""

import argparse
import copy
import json
import os
import random
import shutil
import sys
import time

import torch

sys.dont_write_bytecode = True  # no __pycache__ folders in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arbiter_rewards import ArbiterRewards  # noqa: E402
from policy import CharPolicy, CharTokenizer, HFPolicy, PromptBatch, completion_logprobs, mask_after_eos  # noqa: E402
import task_arithmetic  # noqa: E402
from warmup import greedy_accuracy, supervised_warmup  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a = p.add_argument
    a("--arbiter_url", action="append", help="repeat for several servers (default $ARBITER_URL or :8787)")
    a("--api_key", default=os.environ.get("ARBITER_API_KEY"))
    a("--on_no_verdict", default="group_mean", choices=["group_mean", "zero"])
    a("--out_dir", default="runs/grpo")
    a("--resume", action="store_true", help="continue from out_dir/ckpt")
    a("--seed", type=int, default=0)
    a("--threads", type=int, default=1, help="torch CPU threads (1 beat 2 on a 2-core machine)")
    # policy
    a("--policy", default="char", choices=["char", "hf"])
    a("--model_path", help="local Hugging Face model folder (--policy hf)")
    a("--vlm", action="store_true", help="load --model_path as a vision-language model")
    a("--init_from", help="start from a saved policy folder (e.g. another run's warmup/) instead of warming up")
    # task
    a("--max_operand", type=int, default=100)
    a("--n_train", type=int, default=1000, help="supervised warm-up pairs")
    a("--n_test", type=int, default=500, help="held-out questions for the accuracy curve")
    a("--max_new_tokens", type=int, default=12)
    # warm-up
    a("--warmup_target", type=float, default=0.25, help="greedy dev accuracy that ends the warm-up (0: none)")
    a("--warmup_lr", type=float, default=1e-3)
    a("--warmup_max_steps", type=int, default=3000)
    a("--warmup_only", action="store_true")
    # GRPO
    a("--steps", type=int, default=200)
    a("--prompts_per_step", type=int, default=64)
    a("--group_size", type=int, default=8)
    a("--temperature", type=float, default=1.0)
    a("--lr", type=float, default=3e-4)
    a("--clip_eps", type=float, default=0.2)
    a("--clip_eps_high", type=float, default=None, help="upper clip (DAPO's clip-higher); default clip_eps")
    a("--kl_coef", type=float, default=0.0, help="KL penalty to the starting policy (k3 estimator); 0: no reference")
    a("--loss_agg", default="token", choices=["token", "sequence"],
      help="token: mean over all tokens of the batch (DAPO); sequence: mean per completion, then over completions")
    a("--no_std_scale", action="store_true", help="advantage = r - group mean, not divided by the group std")
    a("--ppo_epochs", type=int, default=1)
    a("--minibatches", type=int, default=1)
    a("--grad_clip", type=float, default=1.0)
    a("--no_overlap", action="store_true", help="wait for rewards before generating the next batch (on-policy)")
    a("--shuffle_rewards", action="store_true", help="negative control: permute rewards across the batch")
    a("--eval_every", type=int, default=20)
    a("--ckpt_every", type=int, default=50)
    args = p.parse_args(argv)
    args.arbiter_url = args.arbiter_url or [os.environ.get("ARBITER_URL", "http://127.0.0.1:8787")]
    args.clip_eps_high = args.clip_eps if args.clip_eps_high is None else args.clip_eps_high
    return args


def group_advantages(rewards, group_size, scale_std=True):
    """(r - mean of its group) / (std of its group + eps); a group with equal rewards gets zeros."""
    r = rewards.view(-1, group_size)
    centered = r - r.mean(dim=1, keepdim=True)
    if scale_std:
        centered = centered / (r.std(dim=1, keepdim=True) + 1e-4)
    return centered.view(-1), (r.std(dim=1) < 1e-8).float().mean().item()


def make_rollout(policy, task, rewards, rng, args):
    """Sample G completions per prompt, record their log-probs, and send them to Arbiter (returns at once)."""
    pairs = task.sample_rl(rng, args.prompts_per_step)
    G = args.group_size
    prompts = [p for p in task.prompts(pairs, instruct=args.policy == "hf") for _ in range(G)]
    references = [r for r in task.references(pairs) for _ in range(G)]
    groups = [i for i in range(len(pairs)) for _ in range(G)]  # sample j of prompt i sits at i*G + j
    batch = policy.encode_prompts(prompts)
    completion = policy.sample(batch, args.max_new_tokens, args.temperature)
    mask = mask_after_eos(completion, policy.tokenizer.eos_id)
    with torch.no_grad():
        old_logprobs = completion_logprobs(policy, batch, completion, mask, args.temperature)
    texts = policy.decode(completion)
    return {"pairs": pairs, "references": references, "groups": groups, "batch": batch, "completion": completion,
            "mask": mask, "old_logprobs": old_logprobs, "texts": texts,
            "future": rewards.submit(texts, references, groups)}


def save_checkpoint(out_dir, policy, optimizer, step, history, rng, pending, init_dir, args):
    """Write ckpt.tmp then swap it in, so a crash mid-write leaves the previous checkpoint intact."""
    tmp, final = os.path.join(out_dir, "ckpt.tmp"), os.path.join(out_dir, "ckpt")
    shutil.rmtree(tmp, ignore_errors=True)
    policy.save(os.path.join(tmp, "policy"))
    pending_state = None
    if pending is not None:  # the batch generated for the next step: train on it after resuming
        pending_state = {k: v for k, v in pending.items() if k not in ("future", "batch")}
        pending_state["batch"] = vars(pending["batch"])
    torch.save({"optimizer": optimizer.state_dict(), "step": step, "history": history, "py_rng": rng.getstate(),
                "torch_rng": torch.get_rng_state(), "pending": pending_state, "init_dir": init_dir,
                "args": vars(args)}, os.path.join(tmp, "state.pt"))
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)


def plot_curve(out_dir, history, title):
    """learning_curve.png: train reward and sample accuracy per step, held-out greedy accuracy per eval."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not importable: no learning_curve.png (Debian: apt-get install python3-matplotlib)")
        return
    steps = [h for h in history if h["kind"] == "step"]
    evals = [h for h in history if h["kind"] == "eval"]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot([h["step"] for h in steps], [h["reward_mean"] for h in steps], lw=0.8, alpha=0.6, label="train reward (mean)")
    ax.plot([h["step"] for h in steps], [h["sample_accuracy"] for h in steps], lw=0.8, alpha=0.6,
            label="train sample accuracy (T=1)")
    ax.plot([h["step"] for h in evals], [h["accuracy"] for h in evals], "o-", color="black",
            label="held-out greedy accuracy (verified)")
    ax.set_xlabel("GRPO step")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "learning_curve.png"), dpi=110)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)

    # 1. Determinism and threads. One thread: on 2 shared cores a second thread only adds contention.
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    log_file = open(os.path.join(args.out_dir, "log.jsonl"), "a")

    def log(line, record=None):
        print(line, flush=True)
        if record is not None:
            log_file.write(json.dumps(record) + "\n")
            log_file.flush()

    # 2. Arbiter: one client for the whole run; it checks once whether the server evaluates specs.
    rewards = ArbiterRewards(args.arbiter_url, task_arithmetic.REWARD_SPEC, accuracy_leaf="math",
                             on_no_verdict=args.on_no_verdict, api_key=args.api_key, log=log)

    # 3. Task and policy. The same interface either way; only the char model needs a warm-up.
    task = task_arithmetic.ArithmeticTask(args.seed, args.max_operand, args.n_train, n_test=args.n_test)
    if args.policy == "hf":
        if not args.model_path:
            sys.exit("--policy hf needs --model_path (a local folder; nothing is downloaded)")
        policy = HFPolicy(args.model_path, vlm=args.vlm)
        init_dir = args.init_from or args.model_path
    else:
        tokenizer = CharTokenizer(task_arithmetic.ALPHABET, task_arithmetic.TAGS)
        policy = CharPolicy(tokenizer, d_model=64, n_layers=2, n_heads=4, max_len=32)
        init_dir = args.init_from or os.path.join(args.out_dir, "warmup")
    n_params = sum(p.numel() for p in policy.parameters())
    ckpt_dir = os.path.join(args.out_dir, "ckpt")
    resuming = args.resume and os.path.exists(os.path.join(ckpt_dir, "state.pt"))
    if resuming:
        state = torch.load(os.path.join(ckpt_dir, "state.pt"))
        policy.load(os.path.join(ckpt_dir, "policy"))
        init_dir = state["init_dir"]
    elif args.init_from:
        policy.load(args.init_from)
    elif args.policy == "char" and args.warmup_target > 0:
        log(f"warm-up: {n_params:,} parameters, {len(task.train)} pairs, until greedy dev accuracy "
            f">= {args.warmup_target}")
        summary = supervised_warmup(policy, task, rewards, target_accuracy=args.warmup_target, lr=args.warmup_lr,
                                    max_steps=args.warmup_max_steps, max_new_tokens=args.max_new_tokens,
                                    seed=args.seed, log=log)
        policy.save(init_dir)
        log(f"warm-up done: {summary['steps']} steps, dev accuracy {summary['dev_accuracy']:.3f}, "
            f"{summary['seconds']:.1f} s -> {init_dir}", {"kind": "warmup", **summary})
    if args.warmup_only:
        return

    # 4. Reference policy for the KL term: a frozen copy of where GRPO started.
    reference = None
    if args.kl_coef > 0:
        reference = copy.deepcopy(policy)
        if resuming:  # the policy now holds trained weights; the reference is where training began
            reference.load(init_dir)
        for p in reference.parameters():
            p.requires_grad_(False)

    # 5. Optimizer, and the state to pick up when resuming.
    optimizer = torch.optim.Adam(policy.parameters(), lr=args.lr)
    history, start_step, pending = [], 0, None
    if resuming:
        optimizer.load_state_dict(state["optimizer"])
        history, start_step = state["history"], state["step"]
        rng.setstate(state["py_rng"])
        torch.set_rng_state(state["torch_rng"])
        if state["pending"] is not None:
            pending = dict(state["pending"])
            pending["batch"] = PromptBatch(**pending["batch"])
            pending["future"] = rewards.submit(pending["texts"], pending["references"], pending["groups"])
        log(f"resumed at step {start_step} from {ckpt_dir}")
    test_prompts = task.prompts(task.test, instruct=args.policy == "hf")
    test_refs = task.references(task.test)

    def evaluate(step):
        ev = greedy_accuracy(policy, test_prompts, test_refs, rewards, args.max_new_tokens)
        record = {"kind": "eval", "step": step, **ev}
        history.append(record)
        log(f"eval step {step:4d} | held-out greedy accuracy {ev['accuracy']:.3f} | format {ev['format']}", record)

    if start_step == 0:
        evaluate(0)

    # 6. The loop. Batch t+1 is generated while Arbiter scores batch t, so with overlap each batch was
    #    sampled by the policy one update older than the one being trained; the ratio in the clipped
    #    loss corrects for exactly that (old log-probs are recorded at sampling time).
    clip_low, clip_high = 1 - args.clip_eps, 1 + args.clip_eps_high
    if pending is None:
        pending = make_rollout(policy, task, rewards, rng, args)
    for step in range(start_step, args.steps):
        t0 = time.monotonic()
        last = step + 1 == args.steps
        # Also after the last step: the checkpoint then holds the next batch, and a longer rerun with
        # --resume --steps N continues exactly as an uninterrupted run would have.
        upcoming = None if args.no_overlap else make_rollout(policy, task, rewards, rng, args)
        t1 = time.monotonic()
        scored = pending["future"].result()  # pauses here, retrying, while Arbiter is down
        t2 = time.monotonic()

        # 6a. Advantages: each sample against the other samples of its own prompt.
        r = torch.tensor(scored.rewards, dtype=torch.float32)
        if args.shuffle_rewards:  # negative control: same reward distribution, no link to the completion
            r = r[torch.randperm(r.numel())]
        adv, zero_var = group_advantages(r, args.group_size, not args.no_std_scale)

        # 6b. Clipped policy-gradient loss, optional KL to the reference, averaged per token or per sequence.
        B, mask = r.numel(), pending["mask"].float()
        stats = {"clip_frac": 0.0, "kl": 0.0}
        order = torch.arange(B)
        for _ in range(args.ppo_epochs):
            for rows in order.chunk(args.minibatches):
                m = mask[rows]
                logprobs = completion_logprobs(policy, pending["batch"], pending["completion"][rows], pending["mask"][rows],
                                               args.temperature, rows=rows)
                ratio = torch.exp(logprobs - pending["old_logprobs"][rows])
                a = adv[rows].unsqueeze(1)
                per_token = -torch.min(ratio * a, ratio.clamp(clip_low, clip_high) * a)
                if reference is not None:
                    with torch.no_grad():
                        ref_lp = completion_logprobs(reference, pending["batch"], pending["completion"][rows],
                                                     pending["mask"][rows], args.temperature, rows=rows)
                    # k3 estimator of KL(policy || reference): unbiased, always >= 0.
                    kl = torch.exp(ref_lp - logprobs) - (ref_lp - logprobs) - 1
                    per_token = per_token + args.kl_coef * kl
                    stats["kl"] = ((kl * m).sum() / m.sum()).item()
                if args.loss_agg == "token":  # long completions weigh by their length (DAPO)
                    loss = (per_token * m).sum() / m.sum()
                else:  # each completion weighs the same (the original GRPO)
                    loss = ((per_token * m).sum(1) / m.sum(1).clamp(min=1)).mean()
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                grad_norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), args.grad_clip)
                optimizer.step()
                clipped = ((ratio < clip_low) | (ratio > clip_high)).float()
                stats["clip_frac"] = ((clipped * m).sum() / m.sum()).item()
        t3 = time.monotonic()
        if upcoming is None:  # --no_overlap: sample the next batch only now, with the updated policy
            upcoming = make_rollout(policy, task, rewards, rng, args)
        pending, t4 = upcoming, time.monotonic()

        # 6c. Log what tells a run apart: rewards, each component, no-verdicts, dead groups, time split.
        record = {"kind": "step", "step": step + 1, "reward_mean": r.mean().item(), "reward_std": r.std().item(),
                  "sample_accuracy": sum(c is True for c in scored.correct) / B,
                  "components": {k: sum(v for v in vals if v is not None) / max(1, sum(v is not None for v in vals))
                                 for k, vals in scored.components.items()},
                  "substituted": scored.substituted, "errors": dict(scored.errors), "zero_var_groups": zero_var,
                  "loss": loss.item(), "grad_norm": float(grad_norm), **stats,
                  "completion_tokens": mask.sum(1).mean().item(),
                  "seconds": {"generate": (t1 - t0) + (t4 - t3), "reward_wait": t2 - t1, "update": t3 - t2,
                              "arbiter_call": scored.seconds}}
        history.append(record)
        comps = " ".join(f"{k} {v:.2f}" for k, v in record["components"].items())
        log(f"step {step + 1:4d} | reward {record['reward_mean']:.3f}±{record['reward_std']:.3f} | {comps} "
            f"| acc {record['sample_accuracy']:.3f} | zero-var {zero_var:.2f} | no-verdict {scored.substituted} "
            f"{dict(scored.errors) or ''}| clip {stats['clip_frac']:.3f} | {t4 - t0:.2f} s", record)

        # 6d. Evaluation and checkpoint (which holds `pending`, the batch for the next step).
        if (step + 1) % args.eval_every == 0 or last:
            evaluate(step + 1)
        if (step + 1) % args.ckpt_every == 0 or last:
            save_checkpoint(args.out_dir, policy, optimizer, step + 1, history, rng, pending, init_dir, args)
            plot_curve(args.out_dir, history, f"GRPO on a+b= ({n_params:,}-parameter char model, seed {args.seed}"
                       f"{', shuffled rewards' if args.shuffle_rewards else ''})")

    # 7. Summary line for scripts and tests.
    evals = [h for h in history if h["kind"] == "eval"]
    steps = [h for h in history if h["kind"] == "step"]
    summary = {"kind": "summary", "accuracy_start": evals[0]["accuracy"], "accuracy_end": evals[-1]["accuracy"],
               "steps": len(steps),
               "seconds_per_step": sum(sum(h["seconds"][k] for k in ("generate", "reward_wait", "update"))
                                       for h in steps) / max(1, len(steps))}
    log(f"done: held-out accuracy {summary['accuracy_start']:.3f} -> {summary['accuracy_end']:.3f}, "
        f"{summary['seconds_per_step']:.2f} s/step", summary)
    rewards.pool.shutdown()
    return summary


if __name__ == "__main__":
    main()
