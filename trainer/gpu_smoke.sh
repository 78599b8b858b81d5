#!/bin/sh
# GPU smoke test of the trainer's Hugging Face path: N GRPO steps on one GPU against a local Arbiter,
# then step time, peak GPU memory and the reward curve.
#
#   trainer/gpu_smoke.sh [MODEL_DIR] [--vlm] [extra train.py flags]
#
# MODEL_DIR: a local checkpoint (e.g. Qwen2.5-0.5B-Instruct; Qwen2.5-VL-3B-Instruct with --vlm).
# Without it, a random-weight model with Qwen2.5-0.5B's shapes (24 layers, 896 wide, 151,936-token
# vocabulary) is built from a config (no download): it checks device placement, bf16 autocast over
# fp32 weights, gradient checkpointing and memory, not learning.
#
# Environment: PYTHON (with torch+CUDA and transformers; default python3), ARBITER_URL (default: start
# `deno task start` from this checkout on port 8787), STEPS (10), PROMPTS (16), GROUP (8),
# MAX_NEW (256), MICRO (16), OUT (runs/gpu-smoke), SMOKE_ALLOW_CPU.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
STEPS="${STEPS:-10}" PROMPTS="${PROMPTS:-16}" GROUP="${GROUP:-8}" MAX_NEW="${MAX_NEW:-256}" MICRO="${MICRO:-16}"
OUT="${OUT:-runs/gpu-smoke}"
rm -rf "$OUT" && mkdir -p "$OUT"

# SMOKE_ALLOW_CPU=1 runs the same flow on the CPU (to check the script itself, with a tiny MODEL_DIR).
"$PYTHON" -c 'import os, torch, transformers
assert torch.cuda.is_available() or os.environ.get("SMOKE_ALLOW_CPU"), "no CUDA device"
name = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none (CPU)"
print("gpu:", name, "| torch", torch.__version__, "| transformers", transformers.__version__)'

MODEL="${1:-}"
case "$MODEL" in --*|"") MODEL="";; *) shift;; esac
if [ -z "$MODEL" ]; then
  MODEL="$OUT/random-qwen2.5-0.5b"
  "$PYTHON" -c "
import sys; sys.path.insert(0, 'trainer/tests')
import tiny_models
tiny_models.qwen2('$MODEL', vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                  num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768, rope_theta=1e6)
print('built a random-weight model with Qwen2.5-0.5B shapes in $MODEL')"
fi

SERVER=""
if [ -z "${ARBITER_URL:-}" ]; then
  ARBITER_URL="http://127.0.0.1:8787"
  deno task start >"$OUT/arbiter.log" 2>&1 &
  SERVER=$!
  trap 'kill "$SERVER" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do grep -q "listening on" "$OUT/arbiter.log" && break; sleep 1; done
fi

"$PYTHON" trainer/task_arithmetic.py --write "$OUT/data" --instruct
SPEC="$("$PYTHON" -c 'import json, sys; sys.path.insert(0, "trainer"); import task_arithmetic; print(json.dumps(task_arithmetic.REWARD_SPEC))')"
"$PYTHON" trainer/train.py --policy hf --model_path "$MODEL" --arbiter_url "$ARBITER_URL" \
  --train_data "$OUT/data/train.jsonl" --eval_data "$OUT/data/test.jsonl" --n_eval 64 --spec "$SPEC" --accuracy_leaf math \
  --dtype bfloat16 --steps "$STEPS" --prompts_per_step "$PROMPTS" --group_size "$GROUP" \
  --max_new_tokens "$MAX_NEW" --micro_batch "$MICRO" --gen_batch 128 --lr 1e-6 --kl_coef 0.01 \
  --minibatches 2 --eval_every 1000 --ckpt_every 1000 --threads 8 --out_dir "$OUT" "$@"

"$PYTHON" - "$OUT/log.jsonl" <<'EOF'
import json, sys
steps = [r for r in map(json.loads, open(sys.argv[1])) if r["kind"] == "step"]
print(f"{'step':>4} {'s/step':>7} {'generate':>8} {'update':>7} {'peak GB':>8} {'reward':>7} {'tokens':>7}")
for r in steps:
    s = r["seconds"]
    print(f"{r['step']:>4} {s['generate'] + s['reward_wait'] + s['update']:>7.2f} {s['generate']:>8.2f} "
          f"{s['update']:>7.2f} {r.get('peak_memory_gb', float('nan')):>8.2f} {r['reward_mean']:>7.3f} "
          f"{r['completion_tokens']:>7.1f}")
later = steps[1:] or steps
print(f"mean s/step after the first: {sum(sum(r['seconds'][k] for k in ('generate', 'reward_wait', 'update')) for r in later) / len(later):.2f}; "
      f"peak memory {max(r.get('peak_memory_gb', 0) for r in steps):.2f} GB")
EOF
