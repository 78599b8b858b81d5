"""Checkpoints that resume exactly: weights, optimizer, step, history, every RNG, and the pending batch.

Written to `ckpt.tmp` and swapped in, so a crash mid-write leaves the previous checkpoint intact.
The pending batch (generated for the next step, not trained on yet) is saved without its reward
future; the loop submits it to Arbiter again after resuming.
"""

import json
import os
import random
import shutil

import torch


def rng_states(rng: random.Random):
    """The Python, torch CPU and (when present) CUDA generator states."""
    return {"py": rng.getstate(), "torch": torch.get_rng_state(),
            "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None}


def restore_rng(rng: random.Random, states):
    rng.setstate(states["py"])
    torch.set_rng_state(states["torch"])
    if states.get("cuda") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def save_checkpoint(out_dir, policy, optimizer, step, history, rng, pending, init_dir, args):
    tmp, final = os.path.join(out_dir, "ckpt.tmp"), os.path.join(out_dir, "ckpt")
    shutil.rmtree(tmp, ignore_errors=True)
    policy.save(os.path.join(tmp, "policy"))
    pending_state = None if pending is None else {k: v for k, v in pending.items() if k != "future"}
    torch.save({"optimizer": optimizer.state_dict(), "step": step, "history": history, "rng": rng_states(rng),
                "pending": pending_state, "init_dir": init_dir, "args": vars(args)}, os.path.join(tmp, "state.pt"))
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)


def require_checkpoint(out_dir):
    """Exits with a message when `out_dir` holds no checkpoint to resume from; returns its folder."""
    ckpt = os.path.join(out_dir, "ckpt")
    if not os.path.exists(os.path.join(ckpt, "state.pt")):
        raise SystemExit(f"--resume: no checkpoint in {ckpt} (nothing to resume; drop --resume to start afresh)")
    return ckpt


def load_checkpoint(out_dir, policy):
    """Loads the weights into `policy` and returns the rest of the state; exits when there is none."""
    ckpt = require_checkpoint(out_dir)
    state = torch.load(os.path.join(ckpt, "state.pt"), map_location="cpu", weights_only=False)
    policy.load(os.path.join(ckpt, "policy"))
    return state


def trim_log(path, step):
    """Drops the records a resumed run will write again: steps and evaluations after `step`, summaries."""
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    kept = [r for r in records if r.get("kind") != "summary" and r.get("step", 0) <= step]
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in kept)
