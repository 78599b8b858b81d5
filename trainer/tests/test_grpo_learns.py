"""GRPO with Arbiter's rewards raises held-out verified accuracy; the same run with shuffled rewards does not.

Runs train.py as a user would (subprocesses, fixed seeds, one torch thread) against a real Arbiter:
$ARBITER_URL when set (tests/trainer_test.ts starts one), else a server started here with `deno`.
Needs torch: run it with the venv of scripts/python_venv.sh (tests/trainer_test.ts does):

    $(scripts/python_venv.sh torch transformers) trainer/tests/test_grpo_learns.py

Budget: 65–80 s on 2 quiet CPU cores (warm-up, two GRPO runs, a resume check); 12 min at a load average of 15.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import torch

TRAINER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINER)
SEED = 0
GRPO_STEPS = 60
MARGIN = 0.12  # GRPO must beat the warm-up's held-out accuracy by this much (absolute)
CONTROL_SLACK = 0.03  # shuffled rewards may not beat the warm-up by more than this


def start_arbiter(extra=()):
    """`main.ts serve --port 0 [extra]` as a subprocess; returns (process, url) once it prints its address."""
    deno = os.environ.get("DENO", shutil.which("deno") or "deno")
    proc = subprocess.Popen(
        [deno, "run", "--allow-net", "--allow-read", "--allow-env", "--allow-sys", "--allow-run", "--allow-ffi",
         os.path.join(REPO, "main.ts"), "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"})
    seen = []
    for line in proc.stdout:
        seen.append(line)
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return proc, match.group(1)
    raise RuntimeError("Arbiter exited before listening:\n" + "".join(seen))


def arbiter(extra=()):
    """(process or None, url): $ARBITER_URL when set, else a server started here."""
    url = os.environ.get("ARBITER_URL")
    return (None, url) if url else start_arbiter(extra)


def stop(server):
    if server is not None:
        server.terminate()  # SIGTERM: the server drains and exits
        server.wait(timeout=30)


def train(url, out_dir, *args):
    """Run train.py; return its log records. On failure, raise with the run's output."""
    cmd = [sys.executable, os.path.join(TRAINER, "train.py"), "--arbiter_url", url, "--out_dir", out_dir,
           "--seed", str(SEED), *args]
    started = time.monotonic()
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    print(f"  {' '.join(args)}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    with open(os.path.join(out_dir, "log.jsonl")) as f:
        return [json.loads(line) for line in f]


def summary(records):
    return next(r for r in reversed(records) if r["kind"] == "summary")


class GRPOLearns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.url = arbiter()
        cls.tmp = tempfile.mkdtemp(prefix="grpo-test-")
        # One warm-up shared by the treatment and the control: the same starting policy for both.
        records = train(cls.url, os.path.join(cls.tmp, "warm"), "--warmup_only")
        cls.warmup = next(r for r in records if r["kind"] == "warmup")
        cls.init = os.path.join(cls.tmp, "warm", "warmup")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        stop(cls.server)

    def test_warmup_stops_at_the_target_accuracy(self):
        self.assertGreaterEqual(self.warmup["dev_accuracy"], 0.25)

    def test_grpo_beats_the_warmup_and_shuffled_rewards_do_not(self):
        common = ["--init_from", self.init, "--steps", str(GRPO_STEPS), "--eval_every", "50"]
        grpo = summary(train(self.url, os.path.join(self.tmp, "grpo"), *common))
        control = summary(train(self.url, os.path.join(self.tmp, "shuffled"), *common, "--shuffle_rewards"))
        print(f"  held-out accuracy: warm-up {grpo['accuracy_start']:.3f}, GRPO {grpo['accuracy_end']:.3f}, "
              f"shuffled {control['accuracy_end']:.3f}; {grpo['seconds_per_step']:.2f} s/step", file=sys.stderr)
        self.assertEqual(grpo["accuracy_start"], control["accuracy_start"])  # same start, same held-out set
        self.assertGreaterEqual(grpo["accuracy_end"], grpo["accuracy_start"] + MARGIN)
        self.assertLessEqual(control["accuracy_end"], control["accuracy_start"] + CONTROL_SLACK)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "grpo", "learning_curve.png")))

    def test_resume_continues_exactly_where_the_run_stopped(self):
        small = ["--init_from", self.init, "--prompts_per_step", "8", "--eval_every", "100", "--ckpt_every", "2"]
        straight, split = os.path.join(self.tmp, "straight"), os.path.join(self.tmp, "split")
        train(self.url, straight, *small, "--steps", "4")
        train(self.url, split, *small, "--steps", "2")
        records = train(self.url, split, *small, "--steps", "4", "--resume")
        self.assertTrue(any(r["kind"] == "step" and r["step"] == 4 for r in records))
        a = torch.load(os.path.join(straight, "ckpt", "policy", "policy.pt"))["state"]
        b = torch.load(os.path.join(split, "ckpt", "policy", "policy.pt"))["state"]
        for name in a:
            self.assertTrue(torch.equal(a[name], b[name]), f"{name} differs after resuming")


if __name__ == "__main__":
    unittest.main(verbosity=2)
