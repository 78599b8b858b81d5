"""A Hugging Face causal LM or vision-language model from a local folder, behind policy.py's interface.

- Weights stay float32 (the optimizer's master copy); forward passes and sampling run under
  `torch.autocast` in `dtype` (bfloat16 by default on CUDA), so a learning rate of 1e-6 still moves
  the weights (in bfloat16 weights, most such updates round to nothing).
- Gradient checkpointing is enabled and engages in train mode (the loop calls `train()` before the
  passes that backpropagate and `eval()` before sampling and no-grad passes).
- Sampling is from the policy itself: the checkpoint's `generation_config` (repetition penalty,
  top-k, ...) is replaced by one built here (temperature, top_p, top_k, nothing else), and every EOS
  id of the tokenizer and of the checkpoint's generation config ends a completion.
- Prompts go through the chat template (the processor's for a VLM) unless `chat_template=False`;
  images are paths, opened here and given to the processor with their prompt.
"""

import contextlib
import os

import torch

from policy import Policy, positions_from_mask


def eos_ids_of(tokenizer, generation_config):
    """Every id that ends a completion: the tokenizer's EOS and the checkpoint's (an int or a list)."""
    ids = [tokenizer.eos_token_id]
    extra = getattr(generation_config, "eos_token_id", None) if generation_config is not None else None
    ids += extra if isinstance(extra, (list, tuple)) else [extra]
    return sorted({i for i in ids if i is not None})


class HFTokenizer:
    """Adapts a Hugging Face tokenizer to the interface of policy.py."""

    def __init__(self, tok, eos_ids):
        self.tok, self.eos_ids = tok, eos_ids
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else eos_ids[0]

    def decode(self, ids):
        return self.tok.decode(ids, skip_special_tokens=True)


class HFPolicy(Policy):
    """A local Hugging Face LM (or, with `vlm`, an image-text-to-text model and its processor) as a policy."""

    def __init__(self, path, device=None, dtype=None, vlm=False, chat_template=True, top_p=1.0, top_k=0,
                 gradient_checkpointing=True):
        import transformers  # lazy: the char demo does not need it

        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        dtype = dtype or ("bfloat16" if self.device.type == "cuda" else "float32")
        self.autocast_dtype = None if dtype == "float32" else getattr(torch, dtype)
        self.vlm, self.use_chat_template = vlm, chat_template
        self.top_p, self.top_k = top_p, top_k
        self.processor = transformers.AutoProcessor.from_pretrained(path) if vlm else None
        tok = self.processor.tokenizer if vlm else transformers.AutoTokenizer.from_pretrained(path)
        tok.padding_side = "left"
        self.model = self._auto().from_pretrained(path, dtype=torch.float32).to(self.device)
        self.tokenizer = HFTokenizer(tok, eos_ids_of(tok, self.model.generation_config))
        # Qwen2-VL-style models compute their own (multimodal) rotary positions from the mask.
        inner = getattr(self.model, "model", None)
        self.own_positions = hasattr(self.model, "get_rope_index") or hasattr(inner, "get_rope_index")
        self.model.generation_config = transformers.GenerationConfig(
            pad_token_id=self.tokenizer.pad_id, eos_token_id=self.tokenizer.eos_ids, bos_token_id=tok.bos_token_id)
        if gradient_checkpointing:  # activations for backward dominate memory on long completions
            self.model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        self.model.config.use_cache = False

    def _auto(self):
        import transformers

        return transformers.AutoModelForImageTextToText if self.vlm else transformers.AutoModelForCausalLM

    def _autocast(self):
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.autocast_dtype)

    def _messages(self, row):
        prompt, images = row["prompt"], row.get("images") or []
        if not isinstance(prompt, str):
            return prompt  # already chat messages
        if not images:
            return [{"role": "user", "content": prompt}]
        return [{"role": "user", "content": [{"type": "image"} for _ in images] + [{"type": "text", "text": prompt}]}]

    def encode_prompt(self, row) -> dict:
        """The row's prompt (chat template applied) and its images, as tensors with batch dimension 1."""
        images = row.get("images") or []
        if images and not self.vlm:
            raise ValueError("a row has images but the model was not loaded as a vision-language model (--vlm)")
        templater = self.processor or self.tokenizer.tok
        text = row["prompt"] if isinstance(row["prompt"], str) and not self.use_chat_template else \
            templater.apply_chat_template(self._messages(row), tokenize=False, add_generation_prompt=True)
        if self.vlm:
            from PIL import Image

            opened = [Image.open(p).convert("RGB") for p in images] or None
            enc = self.processor(text=[text], images=opened, return_tensors="pt", add_special_tokens=False)
        else:
            enc = self.tokenizer.tok([text], return_tensors="pt", add_special_tokens=False)
        return {k: v for k, v in enc.items() if torch.is_tensor(v)}

    def _kwargs(self, inputs):
        kwargs = dict(inputs)
        if not self.own_positions:  # a plain forward numbers positions 0..T-1 whatever the left padding
            kwargs["position_ids"] = positions_from_mask(inputs["attention_mask"])
        return kwargs

    def forward(self, inputs, keep_last=0):
        with self._autocast():
            out = self.model(**self._kwargs(inputs), use_cache=False, logits_to_keep=keep_last)
        return out.logits.float()

    @torch.no_grad()
    def generate(self, inputs, max_new_tokens, temperature=1.0, greedy=False, **extra):
        sampling = {} if greedy else {"temperature": temperature, "top_p": self.top_p, "top_k": self.top_k}
        with self._autocast():
            out = self.model.generate(**inputs, do_sample=not greedy, max_new_tokens=max_new_tokens, use_cache=True,
                                      **sampling, **extra)
        ids = out if torch.is_tensor(out) else out.sequences
        completion = ids[:, inputs["input_ids"].size(1):]
        return completion if torch.is_tensor(out) else (completion, out)


    def save(self, directory):
        os.makedirs(directory, exist_ok=True)
        self.model.save_pretrained(directory)
        (self.processor or self.tokenizer.tok).save_pretrained(directory)

    def load(self, directory):
        loaded = self._auto().from_pretrained(directory, dtype=torch.float32)
        self.model.load_state_dict(loaded.state_dict())
