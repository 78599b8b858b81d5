"""GRPO with rewards from Arbiter. One flat loop; the CPU demo and a GPU run differ only in the policy.

    python trainer/train.py --arbiter_url http://127.0.0.1:8787 --out_dir runs/demo          # the CPU demo
    python trainer/train.py --policy hf --model_path DIR --train_data rows.jsonl --spec NAME  # a real model

Data: without --train_data, the built-in a+b= task (task_arithmetic.py); else JSONL or Parquet rows
(data.py: prompt, reference, optional images and data_source) with rewards from --spec (a spec name in
the server's config, or inline JSON), or from the server's routes by each row's data_source.

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
import sys
import time

import torch

sys.dont_write_bytecode = True  # no __pycache__ folders in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arbiter_rewards import ArbiterRewards  # noqa: E402
from checkpoint import load_checkpoint, require_checkpoint, restore_rng, save_checkpoint, trim_log  # noqa: E402
from data import read_rows  # noqa: E402
from grpo import group_advantages, grpo_update  # noqa: E402
from policy import completion_logprobs, generate_completions  # noqa: E402
import task_arithmetic  # noqa: E402
from warmup import greedy_accuracy, supervised_warmup  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a = p.add_argument
    a("--arbiter_url", action="append", help="repeat for several servers (default $ARBITER_URL or :8787)")
    a("--api_key", default=os.environ.get("ARBITER_API_KEY"))
    a("--on_no_verdict", default="group_mean", choices=["group_mean", "zero"])
    a("--out_dir", default="runs/grpo")
    a("--resume", action="store_true", help="continue from out_dir/ckpt (an error when there is none)")
    a("--seed", type=int, default=0)
    a("--threads", type=int, default=1, help="torch CPU threads (1 beat 2 on a 2-core machine)")
    # data and reward
    a("--train_data", help="JSONL or Parquet rows (data.py); default: the built-in a+b= task")
    a("--eval_data", help="held-out rows for greedy accuracy (default: the a+b= test split, or none)")
    a("--n_eval", type=int, default=500, help="at most this many held-out rows per evaluation")
    a("--spec", help="Arbiter spec: a name from the server's config, or inline JSON; "
                     "default with --train_data: route each row by its data_source")
    a("--accuracy_leaf", help="spec component whose `correct` is the accuracy (default: the spec's own)")
    # policy
    a("--policy", default="char", choices=["char", "hf"])
    a("--model_path", help="local Hugging Face model folder (--policy hf)")
    a("--vlm", action="store_true", help="load --model_path as a vision-language model")
    a("--dtype", choices=["bfloat16", "float32"], help="autocast dtype over float32 weights (default bfloat16 on CUDA)")
    a("--no_chat_template", action="store_true", help="send prompt strings as they are")
    a("--init_from", help="start from a saved policy folder (e.g. another run's warmup/) instead of warming up")
    # arithmetic task and the char model's warm-up
    a("--max_operand", type=int, default=100)
    a("--n_train", type=int, default=1000, help="supervised warm-up pairs")
    a("--warmup_target", type=float, default=0.25, help="greedy dev accuracy that ends the warm-up (0: none)")
    a("--warmup_lr", type=float, default=1e-3)
    a("--warmup_max_steps", type=int, default=3000)
    a("--warmup_only", action="store_true")
    # sampling
    a("--max_new_tokens", type=int, default=12)
    a("--temperature", type=float, default=1.0)
    a("--top_p", type=float, default=1.0)
    a("--top_k", type=int, default=0, help="0: off")
    a("--gen_batch", type=int, default=512, help="samples per generate call")
    # GRPO
    a("--steps", type=int, default=200)
    a("--prompts_per_step", type=int, default=64)
    a("--group_size", type=int, default=8)
    a("--lr", type=float, default=3e-4)
    a("--clip_eps", type=float, default=0.2)
    a("--clip_eps_high", type=float, default=None, help="upper clip (DAPO's clip-higher); default clip_eps")
    a("--kl_coef", type=float, default=0.0, help="KL penalty to the starting policy (k3 estimator); 0: no reference")
    a("--loss_agg", default="token", choices=["token", "sequence"],
      help="token: mean over all tokens of the batch (DAPO); sequence: mean per completion, then over completions")
    a("--no_std_scale", action="store_true", help="advantage = r - group mean, not divided by the group std")
    a("--ppo_epochs", type=int, default=1)
    a("--minibatches", type=int, default=1, help="optimizer steps per epoch over the batch")
    a("--micro_batch", type=int, default=64, help="samples per forward/backward (gradients accumulate)")
    a("--grad_clip", type=float, default=1.0)
    a("--no_overlap", action="store_true", help="wait for rewards before generating the next batch (on-policy)")
    a("--shuffle_rewards", action="store_true", help="negative control: permute rewards across the batch")
    a("--eval_every", type=int, default=20)
    a("--ckpt_every", type=int, default=50)
    args = p.parse_args(argv)
    args.arbiter_url = args.arbiter_url or [os.environ.get("ARBITER_URL", "http://127.0.0.1:8787")]
    args.clip_eps_high = args.clip_eps if args.clip_eps_high is None else args.clip_eps_high
    if args.spec and args.spec.lstrip().startswith("{"):
        args.spec = json.loads(args.spec)
    return args


def load_data(args, rng_seed):
    """(task or None, training rows, held-out rows, spec, accuracy leaf)."""
    if args.train_data:
        train_rows = read_rows(args.train_data)
        eval_rows = read_rows(args.eval_data)[:args.n_eval] if args.eval_data else []
        return None, train_rows, eval_rows, args.spec, args.accuracy_leaf
    task = task_arithmetic.ArithmeticTask(rng_seed, args.max_operand, args.n_train, n_test=args.n_eval)
    instruct = args.policy == "hf"
    return (task, task.rows(task.rl_pool, instruct), task.rows(task.test, instruct),
            args.spec or task_arithmetic.REWARD_SPEC, args.accuracy_leaf or "math")


def make_policy(args):
    if args.policy == "hf":
        if not args.model_path:
            sys.exit("--policy hf needs --model_path (a local folder; nothing is downloaded)")
        from hf_policy import HFPolicy

        return HFPolicy(args.model_path, dtype=args.dtype, vlm=args.vlm, chat_template=not args.no_chat_template,
                        top_p=args.top_p, top_k=args.top_k)
    if args.train_data:
        sys.exit("the char policy only knows the a+b= alphabet: use --policy hf with --train_data")
    from char_policy import CharPolicy, CharTokenizer

    tokenizer = CharTokenizer(task_arithmetic.ALPHABET, task_arithmetic.TAGS)
    return CharPolicy(tokenizer, d_model=64, n_layers=2, n_heads=4, max_len=32)


def make_rollout(policy, train_rows, rewards, rng, args):
    """Sample G completions for each of P prompts, record their old log-probs, send them to Arbiter (at once)."""
    rows = [rng.choice(train_rows) for _ in range(args.prompts_per_step)]
    prompts = [policy.encode_prompt(r) for r in rows]  # each prompt encoded once, shared by its G samples
    row_prompt = [i for i in range(len(rows)) for _ in range(args.group_size)]  # sample j of prompt i: i*G + j
    completion, mask = generate_completions(policy, prompts, row_prompt, args.max_new_tokens, args.temperature,
                                            micro_batch=args.gen_batch)
    with torch.no_grad():  # π_old: the policy that sampled, in eval mode like the sampling itself
        old_logprobs = completion_logprobs(policy, prompts, row_prompt, completion, mask, None, args.temperature,
                                           args.micro_batch).cpu()
    texts = policy.decode(completion)
    rollout = {"prompts": prompts, "row_prompt": row_prompt, "completion": completion, "mask": mask,
               "old_logprobs": old_logprobs, "texts": texts,
               "references": [rows[i]["reference"] for i in row_prompt],
               "data_sources": [rows[i].get("data_source") for i in row_prompt]}
    return submit(rollout, rewards)


def submit(rollout, rewards):
    rollout["future"] = rewards.submit(rollout["texts"], rollout["references"], rollout["row_prompt"],
                                       rollout["data_sources"])
    return rollout


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
    if args.resume:
        require_checkpoint(args.out_dir)  # before minutes of loading: --resume with nothing to resume is an error

    # 1. Determinism and threads. One thread: on 2 shared cores a second thread only adds contention.
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    log_path = os.path.join(args.out_dir, "log.jsonl")

    def log(line, record=None):
        print(line, flush=True)
        if record is not None:
            with open(log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")

    # 2. Data, reward spec, Arbiter (one client for the whole run), policy.
    task, train_rows, eval_rows, spec, accuracy_leaf = load_data(args, args.seed)
    rewards = ArbiterRewards(args.arbiter_url, spec, accuracy_leaf=accuracy_leaf, on_no_verdict=args.on_no_verdict,
                             api_key=args.api_key, log=log)
    policy = make_policy(args)
    n_params = sum(p.numel() for p in policy.parameters())
    init_dir = args.init_from or (args.model_path if args.policy == "hf" else os.path.join(args.out_dir, "warmup"))

    # 3. Where the weights start: a checkpoint, a saved policy, or (char model) a supervised warm-up.
    state = None
    if args.resume:
        state = load_checkpoint(args.out_dir, policy)  # exits when there is no checkpoint
        init_dir = state["init_dir"]
        trim_log(log_path, state["step"])  # the steps after the checkpoint will be logged again
    elif args.init_from:
        policy.load(args.init_from)
    elif task is not None and args.policy == "char" and args.warmup_target > 0:
        log(f"warm-up: {n_params:,} parameters, {len(task.train)} pairs, until greedy dev accuracy "
            f">= {args.warmup_target}")
        summary = supervised_warmup(policy, task, rewards, target_accuracy=args.warmup_target, lr=args.warmup_lr,
                                    max_steps=args.warmup_max_steps, max_new_tokens=args.max_new_tokens,
                                    seed=args.seed, log=log)
        policy.save(init_dir)
        log(f"warm-up done: {summary['steps']} steps, dev accuracy {summary['dev_accuracy']:.3f}, "
            f"{summary['seconds']:.1f} s -> {init_dir}", {"kind": "warmup", **summary})
    if args.warmup_only:
        rewards.close()
        return None

    # 4. Reference policy for the KL term: a frozen copy of where GRPO started.
    reference = None
    if args.kl_coef > 0:
        reference = copy.deepcopy(policy)
        if state is not None:  # the policy now holds trained weights; the reference is where training began
            reference.load(init_dir)
        for p in reference.parameters():
            p.requires_grad_(False)
        if getattr(reference, "autocast_dtype", None) is not None:  # never trained: half the memory is enough
            reference.model.to(reference.autocast_dtype)

    # 5. Optimizer (over the float32 weights), and the state to pick up when resuming.
    optimizer = torch.optim.Adam(policy.parameters(), lr=args.lr)
    history, start_step, pending = [], 0, None
    if state is not None:
        optimizer.load_state_dict(state["optimizer"])
        history, start_step = state["history"], state["step"]
        restore_rng(rng, state["rng"])
        if state["pending"] is not None:
            pending = submit(dict(state["pending"]), rewards)
        log(f"resumed at step {start_step} from {os.path.join(args.out_dir, 'ckpt')}")

    def evaluate(step):
        if not eval_rows:
            return
        ev = greedy_accuracy(policy, eval_rows, rewards, args.max_new_tokens, batch_size=args.gen_batch)
        record = {"kind": "eval", "step": step, **ev}
        history.append(record)
        log(f"eval step {step:4d} | held-out greedy accuracy {ev['accuracy']:.3f} | format {ev['format']}", record)

    if start_step == 0:
        evaluate(0)

    # 6. The loop. Batch t+1 is generated while Arbiter scores batch t, so with overlap each batch was
    #    sampled by the policy one update older than the one being trained; the ratio in the clipped
    #    loss corrects for exactly that (old log-probs are recorded at sampling time).
    if pending is None:
        pending = make_rollout(policy, train_rows, rewards, rng, args)
    for step in range(start_step, args.steps):
        t0 = time.monotonic()
        last = step + 1 == args.steps
        # Also after the last step: the checkpoint then holds the next batch, and a longer rerun with
        # --resume --steps N continues exactly as an uninterrupted run would have.
        upcoming = None if args.no_overlap else make_rollout(policy, train_rows, rewards, rng, args)
        t1 = time.monotonic()
        scored = pending["future"].result()  # pauses here, retrying, while Arbiter is down
        t2 = time.monotonic()

        # 6a. Advantages, on the policy's device: each sample against the other samples of its prompt.
        r = torch.tensor(scored.rewards, dtype=torch.float32)
        if args.shuffle_rewards:  # negative control: same reward distribution, no link to the completion
            r = r[torch.randperm(r.numel())]
        adv, zero_var = group_advantages(r, args.group_size, not args.no_std_scale, device=policy.device)

        # 6b. The clipped policy-gradient update (grpo.py), optional KL to the reference.
        stats = grpo_update(policy, optimizer, pending, adv, args, reference)
        t3 = time.monotonic()
        if upcoming is None:  # --no_overlap: sample the next batch only now, with the updated policy
            upcoming = make_rollout(policy, train_rows, rewards, rng, args)
        mask, B = pending["mask"].float(), r.numel()
        pending, t4 = upcoming, time.monotonic()

        # 6c. Log what tells a run apart: rewards, each component, no-verdicts, dead groups, time split.
        record = {"kind": "step", "step": step + 1, "reward_mean": r.mean().item(), "reward_std": r.std().item(),
                  "sample_accuracy": sum(c is True for c in scored.correct) / B,
                  "components": {k: sum(v for v in vals if v is not None) / max(1, sum(v is not None for v in vals))
                                 for k, vals in scored.components.items()},
                  "substituted": scored.substituted, "group_fallbacks": scored.group_fallbacks,
                  "errors": dict(scored.errors), "zero_var_groups": zero_var, **stats,
                  "completion_tokens": mask.sum(1).mean().item(),
                  "seconds": {"generate": (t1 - t0) + (t4 - t3), "reward_wait": t2 - t1, "update": t3 - t2,
                              "arbiter_call": scored.seconds}}
        if torch.cuda.is_available():
            record["peak_memory_gb"] = torch.cuda.max_memory_allocated() / 2**30
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
            plot_curve(args.out_dir, history, f"GRPO ({n_params:,} parameters, seed {args.seed}"
                       f"{', shuffled rewards' if args.shuffle_rewards else ''})")

    # 7. Summary line for scripts and tests.
    evals = [h for h in history if h["kind"] == "eval"]
    steps = [h for h in history if h["kind"] == "step"]
    summary = {"kind": "summary", "accuracy_start": evals[0]["accuracy"] if evals else None,
               "accuracy_end": evals[-1]["accuracy"] if evals else None, "steps": len(steps),
               "seconds_per_step": sum(sum(h["seconds"][k] for k in ("generate", "reward_wait", "update"))
                                       for h in steps) / max(1, len(steps))}
    if evals:
        log(f"done: held-out accuracy {summary['accuracy_start']:.3f} -> {summary['accuracy_end']:.3f}, "
            f"{summary['seconds_per_step']:.2f} s/step", summary)
    else:
        log(f"done: {summary['steps']} steps, {summary['seconds_per_step']:.2f} s/step", summary)
    rewards.close()
    return summary


if __name__ == "__main__":
    main()
