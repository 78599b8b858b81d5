"""The Hugging Face path on CPU, with real torch and transformers and tiny random-weight models built here.

    python trainer/tests/test_hf_path.py      # the venv of scripts/python_venv.sh; Arbiter from $ARBITER_URL
                                              # (tests/trainer_test.ts starts one) or started here with `deno`

Checks what would break first on a GPU: every loss tensor on the policy's device (the `meta` device
stands in for a GPU: mixing it with CPU tensors raises, as CUDA does); weights move under bf16
autocast at lr 1e-6; gradient checkpointing engages; completion-only, micro-batched log-probs equal
full-sequence ones; sampling uses no inherited generation settings; the old-log-prob pass's memory
stays flat as the batch grows; gradient accumulation equals one big batch; and, through train.py with
a LLaVA-style model and a dataset file with images, a few GRPO steps, an exact resume, a trimmed log,
and `--resume` without a checkpoint refused.
"""

import ctypes
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import unittest
from types import SimpleNamespace

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
sys.dont_write_bytecode = True
TESTS = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.dirname(TESTS)
sys.path[:0] = [TRAINER, TESTS, os.path.join(TRAINER, "examples")]

import torch  # noqa: E402

import tiny_models  # noqa: E402
from count_squares import squares_image  # noqa: E402
from arbiter_rewards import ArbiterRewards  # noqa: E402  (first: it puts clients/python on the path)
from arbiter_client import ArbiterCallerError  # noqa: E402
from checkpoint import trim_log  # noqa: E402
from data import read_rows, write_jsonl  # noqa: E402
import grpo  # noqa: E402
from grpo import group_advantages, grpo_update, micro_batch_loss  # noqa: E402
from hf_policy import HFPolicy  # noqa: E402
from policy import collate, completion_logprobs, generate_completions  # noqa: E402
from test_grpo_learns import arbiter, stop  # noqa: E402

torch.set_num_threads(1)
CONFIG = ["--config", os.path.join(TESTS, "arbiter.yaml")]


def update_args(**overrides):
    base = dict(temperature=1.0, clip_eps=0.2, clip_eps_high=0.2, kl_coef=0.0, loss_agg="token", ppo_epochs=1,
                minibatches=1, micro_batch=4, grad_clip=1.0)
    return SimpleNamespace(**{**base, **overrides})


def rollout_of(policy, prompts=("12+30=", "Add the two numbers. 1+1="), group=3, max_new_tokens=6, seed=0):
    """A small rollout as train.py makes it: prompts encoded once, G samples each, old log-probs."""
    torch.manual_seed(seed)
    encoded = [policy.encode_prompt({"prompt": p, "images": []}) for p in prompts]
    row_prompt = [i for i in range(len(prompts)) for _ in range(group)]
    completion, mask = generate_completions(policy, encoded, row_prompt, max_new_tokens)
    with torch.no_grad():
        old = completion_logprobs(policy, encoded, row_prompt, completion, mask).cpu()
    return {"prompts": encoded, "row_prompt": row_prompt, "completion": completion, "mask": mask, "old_logprobs": old}


def full_sequence_logprobs(policy, rollout):
    """Reference computation: one forward over every sample, logits for every position, log_softmax."""
    inputs = collate([rollout["prompts"][i] for i in rollout["row_prompt"]], policy.tokenizer.pad_id,
                     rollout["completion"], rollout["mask"])
    length = rollout["completion"].size(1)
    logits = policy.forward(inputs, keep_last=0)
    logp = torch.log_softmax(logits[:, -length - 1:-1], dim=-1)
    return logp.gather(-1, rollout["completion"].unsqueeze(-1)).squeeze(-1)


class TinyModels(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="hf-path-")
        cls.qwen = tiny_models.qwen2(os.path.join(cls.tmp.name, "qwen2"))
        cls.llava = tiny_models.llava(os.path.join(cls.tmp.name, "llava"))
        cls.image = squares_image(os.path.join(cls.tmp.name, "img", "a.png"), squares=3)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_completion_only_micro_batched_logprobs_equal_the_full_sequence_ones(self):
        policy = HFPolicy(self.qwen)
        rollout = rollout_of(policy)
        with torch.no_grad():
            full = full_sequence_logprobs(policy, rollout)
            for micro in (1, 2, 6):  # prompts of two lengths: each micro-batch pads to its own width
                part = completion_logprobs(policy, rollout["prompts"], rollout["row_prompt"], rollout["completion"],
                                           rollout["mask"], micro_batch=micro)
                live = rollout["mask"].bool()
                torch.testing.assert_close(part[live], full[live], atol=1e-5, rtol=1e-5)

    def test_vlm_logprobs_with_images_equal_the_full_sequence_ones(self):
        policy = HFPolicy(self.llava, vlm=True)
        rows = [{"prompt": "How many squares?", "images": [self.image]},
                {"prompt": "Count the squares in the picture, please.", "images": [self.image]}]
        encoded = [policy.encode_prompt(r) for r in rows]
        self.assertIn("pixel_values", encoded[0])
        row_prompt = [0, 0, 1, 1]
        completion, mask = generate_completions(policy, encoded, row_prompt, 5)
        rollout = {"prompts": encoded, "row_prompt": row_prompt, "completion": completion, "mask": mask}
        with torch.no_grad():
            full = full_sequence_logprobs(policy, rollout)
            part = completion_logprobs(policy, encoded, row_prompt, completion, mask, micro_batch=1)
        torch.testing.assert_close(part[mask.bool()], full[mask.bool()], atol=1e-5, rtol=1e-5)

    def test_sampling_uses_only_the_settings_given_and_every_eos(self):
        policy = HFPolicy(self.qwen)
        # the checkpoint's generation_config carries repetition_penalty 1.5, top_k 3, top_p 0.5 and two EOS ids
        im_end = policy.tokenizer.tok.convert_tokens_to_ids("<|im_end|>")
        self.assertEqual(policy.tokenizer.eos_ids, sorted({policy.tokenizer.tok.eos_token_id, im_end}))
        encoded = [policy.encode_prompt({"prompt": "12+30=", "images": []})]
        prompt_text = policy.tokenizer.tok.decode(encoded[0]["input_ids"][0])
        self.assertTrue(prompt_text.startswith("<|im_start|>user\n12+30=") and prompt_text.endswith("assistant\n"))
        inputs = collate(encoded * 4, policy.tokenizer.pad_id)
        torch.manual_seed(0)
        completion, out = policy.generate(inputs, 6, temperature=0.8, output_scores=True, output_logits=True,
                                          return_dict_in_generate=True)
        for processed, raw in zip(out.scores, out.logits):  # no penalty, no top-k/top-p: only the temperature
            torch.testing.assert_close(processed, raw / 0.8)
        # and the log-probs the loop records as π_old are those of the distribution sampled from
        sampled = torch.stack([torch.log_softmax(s, -1) for s in out.scores], 1)
        sampled = sampled.gather(-1, completion.unsqueeze(-1)).squeeze(-1)
        mask = torch.ones_like(completion)
        with torch.no_grad():
            recorded = completion_logprobs(policy, encoded, [0, 0, 0, 0], completion, mask, temperature=0.8)
        torch.testing.assert_close(recorded, sampled, atol=1e-4, rtol=1e-4)

    def test_bf16_autocast_with_fp32_weights_trains_at_lr_1e_6(self):
        def changed_fraction(policy):
            rollout = rollout_of(policy)
            rewards = torch.arange(6, dtype=torch.float32) % 3  # different rewards within each group
            adv, _ = group_advantages(rewards, 3, device=policy.device)
            before = [p.detach().clone() for p in policy.parameters()]
            grpo_update(policy, torch.optim.Adam(policy.parameters(), lr=1e-6), rollout, adv, update_args())
            moved = total = 0
            for b, p in zip(before, policy.parameters()):
                live = p.grad is not None and p.grad != 0
                moved += ((p.detach() != b) & live).sum().item()
                total += live.sum().item() if p.grad is not None else 0
            return moved / total

        policy = HFPolicy(self.qwen, dtype="bfloat16")
        self.assertEqual(next(policy.parameters()).dtype, torch.float32)
        self.assertGreater(changed_fraction(policy), 0.95)
        bf16 = HFPolicy(self.qwen, dtype="bfloat16")  # the control: what plain Adam on bf16 weights does
        bf16.model.to(torch.bfloat16)
        self.assertLess(changed_fraction(bf16), 0.2)

    def test_gradient_checkpointing_engages_in_the_update(self):
        def layer_calls(policy):
            calls = []
            # the layer's MLP, wrapped: module hooks are not run again by the recomputation, forward is
            mlp = policy.model.model.layers[0].mlp
            plain = mlp.forward
            mlp.forward = lambda *a, **k: calls.append(mlp.training) or plain(*a, **k)
            rollout = rollout_of(policy, group=2)
            calls.clear()  # count the update only (sampling and π_old ran in eval mode)
            adv, _ = group_advantages(torch.tensor([0.0, 1.0, 1.0, 0.0]), 2)
            grpo_update(policy, torch.optim.Adam(policy.parameters(), lr=1e-6), rollout, adv,
                        update_args(micro_batch=4))
            del mlp.forward
            self.assertFalse(policy.model.training)  # back in eval mode for sampling
            return calls

        # one micro-batch: one forward, plus one recomputation in backward when checkpointing engages
        self.assertEqual(layer_calls(HFPolicy(self.qwen)), [True, True])
        self.assertEqual(layer_calls(HFPolicy(self.qwen, gradient_checkpointing=False)), [True])

    def test_loss_and_advantages_live_on_the_policys_device(self):
        policy = HFPolicy(self.qwen)
        rollout = rollout_of(policy)  # kept on the CPU, as train.py keeps it
        policy.model.set_attn_implementation("eager")  # SDPA's mask shortcut reads a value (.item()) back
        policy.model.to("meta")  # a device other than the CPU: mixing the two raises, as CUDA does
        policy.device = torch.device("meta")
        adv, zero_var = group_advantages([0.0, 1.0, 0.5, 1.0, 1.0, 1.0], 3, device=policy.device)
        self.assertEqual((adv.device.type, zero_var), ("meta", 0.5))
        policy.train()
        for agg, kl in (("token", 0.0), ("sequence", 0.1)):
            args = update_args(loss_agg=agg, kl_coef=kl)
            ref = torch.zeros(6, rollout["completion"].size(1), device="meta") if kl else None
            loss, clipped, kl_sum = micro_batch_loss(policy, rollout, torch.arange(6), adv, 10.0, args, ref)
            self.assertEqual({t.device.type for t in (loss, clipped, kl_sum)}, {"meta"})
            loss.backward()

    def test_gradient_accumulation_equals_one_batch(self):
        grads = []
        for micro in (6, 2, 1):
            policy = HFPolicy(self.qwen)
            rollout = rollout_of(policy)
            adv, _ = group_advantages(torch.tensor([0.0, 1.0, 2.0, 1.0, 1.0, 0.0]), 3)
            for agg in ("token", "sequence"):
                policy.model.zero_grad()
                grpo_update(policy, torch.optim.SGD(policy.parameters(), lr=0.0), rollout, adv,
                            update_args(micro_batch=micro, loss_agg=agg))
                grads.append(torch.cat([p.grad.flatten() for p in policy.parameters() if p.grad is not None]))
        for i in range(2, len(grads)):  # micro-batches of 2 and 1 against 6, per aggregation
            torch.testing.assert_close(grads[i], grads[i % 2], atol=1e-6, rtol=1e-4)

    def test_clip_fraction_and_kl_are_token_weighted_over_every_minibatch(self):
        policy = HFPolicy(self.qwen)
        rollout = rollout_of(policy)
        reference = HFPolicy(self.qwen)
        adv, _ = group_advantages(torch.tensor([0.0, 1.0, 2.0, 2.0, 0.0, 1.0]), 3)
        seen = []  # per micro-batch: (clipped tokens, KL sum, tokens)
        plain = grpo.clipped_loss_terms

        def recording(logprobs, old, a, low, high, ref=None, kl_coef=0.0):
            per_token, clipped, kl = plain(logprobs, old, a, low, high, ref, kl_coef)
            seen.append((clipped, kl.detach()))
            return per_token, clipped, kl

        grpo.clipped_loss_terms = recording
        try:  # a large step between the two minibatches: the second one's ratios move, the first one's do not
            stats = grpo_update(policy, torch.optim.SGD(policy.parameters(), lr=50.0), rollout, adv,
                                update_args(minibatches=2, micro_batch=3, clip_eps=0.01, clip_eps_high=0.01,
                                            kl_coef=0.1), reference)
        finally:
            grpo.clipped_loss_terms = plain
        masks = [rollout["mask"][rows].float() for rows in torch.arange(6).chunk(2)]
        clipped = [(c * m).sum().item() for (c, _), m in zip(seen, masks)]
        kls = [(k * m).sum().item() for (_, k), m in zip(seen, masks)]
        tokens = sum(m.sum().item() for m in masks)
        self.assertEqual(clipped[0], 0.0)
        self.assertGreater(clipped[1], 0.0)
        self.assertAlmostEqual(stats["clip_frac"], sum(clipped) / tokens, places=6)
        self.assertAlmostEqual(stats["kl"], sum(kls) / tokens, places=6)

    def test_old_logprob_pass_memory_stays_flat_as_the_batch_grows(self):
        # Peak RSS only rises, so the measurement runs in a fresh process: an earlier test's peak in
        # this one would hide the growth being measured.
        out = subprocess.run([sys.executable, __file__, "--memory-probe", self.tmp.name],
                             capture_output=True, text=True, timeout=600)
        self.assertEqual(out.returncode, 0, out.stderr[-2000:])
        grown, unbatched = json.loads(out.stdout.strip().splitlines()[-1])
        # 128 × 33 × 16000 fp32 logits are 270 MB; a micro-batch of 8 is 17 MB, whatever the batch.
        self.assertLess(sum(grown), 60, grown)
        self.assertGreater(unbatched, 270, unbatched)


def memory_probe(tmp: str) -> None:
    """Prints [peak growths with micro-batches of 8 for 32, 128, 512 rows, growth unbatched at 128]."""
    # A 16k vocabulary makes logits the dominant allocation, as 152k does for Qwen2.5.
    policy = HFPolicy(tiny_models.qwen2(os.path.join(tmp, "wide"), vocab_size=16000))
    prompt = [policy.encode_prompt({"prompt": "12+30=", "images": []})]
    # glibc keeps freed blocks under a sliding threshold in its heap; a fixed 1 MiB mmap threshold
    # hands large blocks back to the OS when freed, so the peak RSS measures the pass, not the allocator.
    ctypes.CDLL("libc.so.6").mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD

    def peak_growth_mb(n, micro):
        completion = torch.randint(0, 300, (n, 32))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with torch.no_grad():
            completion_logprobs(policy, prompt, [0] * n, completion, torch.ones_like(completion), micro_batch=micro)
        return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024

    peak_growth_mb(8, 8)  # warm-up: allocator pools, one-time buffers
    grown = [peak_growth_mb(n, 8) for n in (32, 128, 512)]  # the peak only rises: smaller passes go first
    unbatched = peak_growth_mb(128, 128)  # the control: one pass without micro-batching
    print(json.dumps([grown, unbatched]))


class TrainPyWithAVisionModel(unittest.TestCase):
    """train.py as a user runs it: a LLaVA-style model, a JSONL file with images, a named spec."""

    @classmethod
    def setUpClass(cls):
        cls.server, cls.url = arbiter(CONFIG)
        cls.tmp = tempfile.TemporaryDirectory(prefix="hf-train-")
        cls.model = tiny_models.llava(os.path.join(cls.tmp.name, "llava"))
        data = os.path.join(cls.tmp.name, "data")
        rows = []
        for i in range(6):
            squares_image(os.path.join(data, "img", f"{i}.png"), squares=1 + i % 4, seed=i)
            rows.append({"prompt": "How many squares? Answer inside <answer></answer>.", "images": [f"img/{i}.png"],
                         "reference": str(1 + i % 4), "data_source": "shapes"})
        write_jsonl(os.path.join(data, "train.jsonl"), rows)
        cls.data = os.path.join(data, "train.jsonl")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        stop(cls.server)

    def train(self, out_dir, *extra, check=True):
        cmd = [sys.executable, os.path.join(TRAINER, "train.py"), "--arbiter_url", self.url, "--out_dir", out_dir,
               "--policy", "hf", "--vlm", "--model_path", self.model, "--train_data", self.data,
               "--eval_data", self.data, "--spec", "tiny_graded", "--dtype", "bfloat16", "--prompts_per_step", "2",
               "--group_size", "3", "--max_new_tokens", "8", "--micro_batch", "2", "--minibatches", "2",
               "--lr", "1e-3", "--kl_coef", "0.05", "--eval_every", "100", "--ckpt_every", "2", *extra]
        started = time.monotonic()
        run = subprocess.run(cmd, capture_output=True, text=True)
        print(f"  train.py {' '.join(extra)}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        if check and run.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
        return run

    def test_grpo_steps_run_and_resume_exactly(self):
        straight, split = os.path.join(self.tmp.name, "straight"), os.path.join(self.tmp.name, "split")
        self.train(straight, "--steps", "4")
        with open(os.path.join(straight, "log.jsonl")) as f:
            steps = [r for r in map(json.loads, f) if r["kind"] == "step"]
        self.assertEqual([r["step"] for r in steps], [1, 2, 3, 4])
        self.assertTrue(all(r["reward_std"] > 0 for r in steps), steps)  # graded rewards: advantages not all 0
        self.assertTrue(all(r["kl"] >= 0 and 0 <= r["clip_frac"] <= 1 for r in steps))
        refused = self.train(split, "--steps", "2", "--resume", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("no checkpoint", refused.stderr)
        self.train(split, "--steps", "2")
        self.train(split, "--steps", "4", "--resume")
        with open(os.path.join(split, "log.jsonl")) as f:
            logged = [r for r in map(json.loads, f) if r["kind"] == "step"]
        self.assertEqual([r["step"] for r in logged], [1, 2, 3, 4])
        a = HFPolicy(os.path.join(straight, "ckpt", "policy"), vlm=True).model.state_dict()
        b = HFPolicy(os.path.join(split, "ckpt", "policy"), vlm=True).model.state_dict()
        for name in a:
            self.assertTrue(torch.equal(a[name], b[name]), f"{name} differs after resuming")
        start = HFPolicy(self.model, vlm=True).model.state_dict()
        self.assertFalse(all(torch.equal(start[name], a[name]) for name in a))  # the steps did train
        self.assertEqual([r["reward_mean"] for r in steps], [r["reward_mean"] for r in logged])


class DataRows(unittest.TestCase):
    def test_jsonl_and_parquet_give_the_same_rows_with_image_paths_resolved(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [{"prompt": "How many?", "images": ["img/0.png"], "reference": "3", "data_source": "shapes"},
                {"prompt": [{"role": "user", "content": "1+1="}], "reference": 2}]
        with tempfile.TemporaryDirectory() as tmp:
            write_jsonl(os.path.join(tmp, "d.jsonl"), rows)
            pq.write_table(pa.Table.from_pylist(rows[:1]), os.path.join(tmp, "d.parquet"))
            from_jsonl = read_rows(os.path.join(tmp, "d.jsonl"))
            from_parquet = read_rows(os.path.join(tmp, "d.parquet"))
            self.assertEqual(from_jsonl[0]["images"], [os.path.join(tmp, "img", "0.png")])
            self.assertEqual(from_jsonl[1], {"prompt": rows[1]["prompt"], "reference": 2, "data_source": None,
                                             "images": []})
            self.assertEqual(from_parquet, from_jsonl[:1])

    def test_rows_without_prompt_or_reference_or_with_bad_images_are_refused(self):
        bad = [({"reference": "1"}, "prompt"), ({"prompt": "x"}, "reference"),
               ({"prompt": "x", "reference": "1", "images": "a.png"}, "images"),
               ({"prompt": "x", "reference": "1", "images": [3]}, "images")]
        with tempfile.TemporaryDirectory() as tmp:
            for row, word in bad:
                path = os.path.join(tmp, "bad.jsonl")
                write_jsonl(path, [{"prompt": "fine", "reference": "1"}, row])
                with self.assertRaisesRegex(ValueError, f"row 2.*{word}|{word}.*row 2"):
                    read_rows(path)
            write_jsonl(os.path.join(tmp, "empty.jsonl"), [])
            with self.assertRaisesRegex(ValueError, "no rows"):
                read_rows(os.path.join(tmp, "empty.jsonl"))


class ResumeLog(unittest.TestCase):
    def test_resuming_trims_the_log_to_the_checkpoint(self):
        # a crash after step 3 was logged but before its checkpoint: the resumed run logs step 3 again
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "log.jsonl")
            records = [{"kind": "warmup", "steps": 600}, {"kind": "eval", "step": 0}] + \
                [{"kind": "step", "step": s} for s in (1, 2, 3)] + [{"kind": "eval", "step": 3}, {"kind": "summary"}]
            write_jsonl(path, records)
            trim_log(path, 2)
            with open(path) as f:
                self.assertEqual([json.loads(line) for line in f], records[:4])


class RewardsByDataSource(unittest.TestCase):
    def test_routes_by_data_source_and_caller_errors_stop(self):
        server, url = arbiter(CONFIG)
        try:
            rewards = ArbiterRewards(url, None, log=lambda *_: None)
            scored = rewards.score(["<answer>3</answer>", "no"], ["3", "3"], [0, 0], ["shapes", "shapes"])
            self.assertEqual(set(scored.components), {"math", "length"})
            self.assertGreater(scored.rewards[0], scored.rewards[1])
            with self.assertRaises(ValueError):
                rewards.score(["x"], ["3"], [0], [None])
            rewards.close()
            unknown = ArbiterRewards(url, "no_such_spec", log=lambda *_: None)
            with self.assertRaises(ArbiterCallerError):  # a caller error stops the run, it is never a reward
                unknown.score(["<answer>3</answer>"], ["3"], [0])
            unknown.close()
        finally:
            stop(server)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--memory-probe":
        memory_probe(sys.argv[2])
    else:
        unittest.main(verbosity=2)
