"""One policy interface for the GRPO loop, and its two implementations.

The loop in train.py only ever calls these five things, so the loop the CPU test runs is the loop
that runs on a GPU:

    policy.tokenizer                      .encode(str) -> list[int], .decode(list[int]) -> str,
                                          .pad_id, .eos_id
    policy.encode_prompts(prompts)        -> PromptBatch (left-padded ids, mask, model extras)
    policy.forward(ids, mask, extras)     -> logits [batch, time, vocab]
    policy.sample(batch, max_new, temperature, greedy)
                                          -> completion ids [batch, max_new], padded after EOS
    policy.save(dir) / policy.load(dir)   weights only; the optimizer is the loop's business

(a) HFPolicy: a Hugging Face causal LM or vision-language model from a local path. Debian has no
    `transformers`, so it is imported lazily and this class is not exercised here.
(b) CharPolicy: a ~100k-parameter character transformer trained from scratch on CPU.
"""

import math
import os
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class PromptBatch:
    input_ids: torch.Tensor  # [B, W] left-padded, so every completion starts at column W
    attention_mask: torch.Tensor  # [B, W] 1 for real tokens
    extras: dict = field(default_factory=dict)  # e.g. pixel_values for a VLM, one row per prompt


def mask_after_eos(completion_ids: torch.Tensor, eos_id: int) -> torch.Tensor:
    """1 for each completion token up to and including the first EOS, 0 after it."""
    is_eos = (completion_ids == eos_id).int()
    # eos_seen_before[t] counts EOS strictly before t; a token is live while none came before it.
    eos_seen_before = is_eos.cumsum(dim=1) - is_eos
    return (eos_seen_before == 0).int()


def positions_from_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """Position ids that ignore left padding: the first real token is at position 0."""
    return (attention_mask.long().cumsum(dim=1) - 1).clamp(min=0)


# ---------------------------------------------------------------------------------------------
# (b) the character-level policy
# ---------------------------------------------------------------------------------------------


class CharTokenizer:
    """Characters plus a few multi-character special tokens (e.g. `<answer>`) that are one token each.

    Making the tags single tokens keeps sequences short; the model can still emit them in any order,
    and the `format` verifier judges the layout.
    """

    def __init__(self, alphabet: str, specials: list[str]):
        self.tokens = ["<pad>", "<eos>"] + list(specials) + list(alphabet)
        self.pad_id, self.eos_id = 0, 1
        self.index = {tok: i for i, tok in enumerate(self.tokens)}
        self.specials = sorted(specials, key=len, reverse=True)  # longest match first

    def __len__(self):
        return len(self.tokens)

    def encode(self, text: str) -> list[int]:
        ids, i = [], 0
        while i < len(text):
            special = next((s for s in self.specials if text.startswith(s, i)), None)
            piece = special or text[i]
            if piece not in self.index:
                raise ValueError(f"Character {piece!r} is not in the tokenizer's alphabet")
            ids.append(self.index[piece])
            i += len(piece)
        return ids

    def decode(self, ids) -> str:
        return "".join(self.tokens[i] for i in ids if i not in (self.pad_id, self.eos_id))


class Block(nn.Module):
    """Pre-norm transformer block: causal self-attention then an MLP, each with a residual."""

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.ln1, self.ln2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, allowed, cache=None):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2) for t in (q, k, v))
        if cache is not None:  # sampling: keys and values of earlier tokens are kept, not recomputed
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        # torch 1.13 (Debian's) has no scaled_dot_product_attention, so spell attention out.
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(~allowed, float("-inf")).softmax(dim=-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(self.ln2(x))


class CharTransformer(nn.Module):
    """A GPT in miniature: token + learned position embeddings, blocks, tied output head."""

    def __init__(self, vocab_size: int, d_model=64, n_layers=2, n_heads=4, max_len=32):
        super().__init__()
        self.config = dict(vocab_size=vocab_size, d_model=d_model, n_layers=n_layers, n_heads=n_heads, max_len=max_len)
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln = nn.LayerNorm(d_model)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, input_ids, attention_mask, cache=None):
        """Logits for `input_ids`; `attention_mask` covers earlier cached tokens too (cache: one dict per block)."""
        T, T_all = input_ids.size(1), attention_mask.size(1)
        x = self.tok(input_ids) + self.pos(positions_from_mask(attention_mask)[:, T_all - T:])
        query_at = torch.arange(T_all - T, T_all, device=input_ids.device)[:, None]
        key_at = torch.arange(T_all, device=input_ids.device)[None, :]
        # A query sees earlier real tokens and itself (itself too when it is padding: no all -inf row).
        allowed = (key_at <= query_at) & (attention_mask.bool()[:, None, None, :] | (key_at == query_at))
        for i, block in enumerate(self.blocks):
            x = block(x, allowed, None if cache is None else cache[i])
        return self.ln(x) @ self.tok.weight.T


class CharPolicy:
    """The from-scratch CPU policy; `sample` keeps a KV cache so each new token costs one position."""

    def __init__(self, tokenizer: CharTokenizer, device="cpu", **model_config):
        self.tokenizer = tokenizer
        self.device = torch.device(device)
        self.model = CharTransformer(len(tokenizer), **model_config).to(self.device)

    def encode_prompts(self, prompts: list[str]) -> PromptBatch:
        rows = [self.tokenizer.encode(p) for p in prompts]
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), self.tokenizer.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, width - len(r):] = torch.tensor(r)
            mask[i, width - len(r):] = 1
        return PromptBatch(ids.to(self.device), mask.to(self.device))

    def forward(self, input_ids, attention_mask, extras=None):
        return self.model(input_ids, attention_mask)

    @torch.no_grad()
    def sample(self, batch: PromptBatch, max_new_tokens: int, temperature=1.0, greedy=False) -> torch.Tensor:
        mask = batch.attention_mask
        cache = [{} for _ in self.model.blocks]
        logits = self.model(batch.input_ids, mask, cache)[:, -1, :]
        done = torch.zeros(mask.size(0), dtype=torch.bool, device=mask.device)
        out = []
        for _ in range(max_new_tokens):
            if greedy:
                nxt = logits.argmax(dim=-1)
            else:
                nxt = torch.multinomial((logits / temperature).softmax(dim=-1), 1).squeeze(1)
            nxt = torch.where(done, torch.full_like(nxt, self.tokenizer.pad_id), nxt)
            out.append(nxt)
            live = ~done  # this token counts (an EOS included); after it, padding that nothing attends to
            done = done | (nxt == self.tokenizer.eos_id)
            if done.all():
                break
            mask = torch.cat([mask, live.long()[:, None]], dim=1)
            logits = self.model(nxt[:, None], mask, cache)[:, -1, :]
        return torch.stack(out, dim=1)

    def decode(self, completion_ids: torch.Tensor) -> list[str]:
        return [self.tokenizer.decode(row.tolist()) for row in completion_ids]

    def parameters(self):
        return self.model.parameters()

    def train(self, mode=True):
        self.model.train(mode)

    def save(self, directory: str):
        os.makedirs(directory, exist_ok=True)
        torch.save({"config": self.model.config, "tokens": self.tokenizer.tokens, "state": self.model.state_dict()},
                   os.path.join(directory, "policy.pt"))

    def load(self, directory: str):
        saved = torch.load(os.path.join(directory, "policy.pt"), map_location=self.device)
        if saved["tokens"] != self.tokenizer.tokens:
            raise ValueError(f"Checkpoint in {directory} was made with another tokenizer")
        self.model.load_state_dict(saved["state"])


# ---------------------------------------------------------------------------------------------
# (a) the Hugging Face policy (real code; needs `transformers`, which Debian does not package)
# ---------------------------------------------------------------------------------------------


class HFTokenizer:
    """Adapts a Hugging Face tokenizer to the interface above."""

    def __init__(self, tok):
        self.tok = tok
        self.eos_id = tok.eos_token_id
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id

    def encode(self, text):
        return self.tok.encode(text, add_special_tokens=False)

    def decode(self, ids):
        return self.tok.decode(ids, skip_special_tokens=True)


class HFPolicy:
    """A causal LM (`AutoModelForCausalLM`) or a VLM (`AutoModelForImageTextToText`) from a local folder.

    Prompts are strings, chat message lists (rendered with the chat template), or for a VLM
    `{"messages": [...], "images": [PIL.Image, ...]}`. Sampling uses `model.generate`; the loop then
    recomputes log-probs with `forward`, the same as for the char model.
    """

    def __init__(self, path: str, device=None, dtype="bfloat16", vlm=False):
        import transformers  # lazy: only this path needs it

        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.vlm = vlm
        torch_dtype = getattr(torch, dtype) if self.device.type == "cuda" else torch.float32
        if vlm:
            self.processor = transformers.AutoProcessor.from_pretrained(path)
            self.processor.tokenizer.padding_side = "left"
            auto = getattr(transformers, "AutoModelForImageTextToText", None) or transformers.AutoModelForVision2Seq
            self.model = auto.from_pretrained(path, torch_dtype=torch_dtype).to(self.device)
            hf_tok = self.processor.tokenizer
        else:
            hf_tok = transformers.AutoTokenizer.from_pretrained(path, padding_side="left")
            self.processor = None
            self.model = transformers.AutoModelForCausalLM.from_pretrained(path, torch_dtype=torch_dtype).to(self.device)
        if hf_tok.pad_token is None:
            hf_tok.pad_token = hf_tok.eos_token
        self.tokenizer = HFTokenizer(hf_tok)
        # Activations for backward dominate memory on long completions.
        self.model.gradient_checkpointing_enable()
        self.model.config.use_cache = False

    def _render(self, prompt):
        messages = prompt["messages"] if isinstance(prompt, dict) else prompt
        if isinstance(messages, str):
            return messages
        templater = self.processor or self.tokenizer.tok
        return templater.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def encode_prompts(self, prompts) -> PromptBatch:
        texts = [self._render(p) for p in prompts]
        if self.vlm:
            images = [p.get("images") for p in prompts if isinstance(p, dict)] or None
            enc = self.processor(text=texts, images=images, return_tensors="pt", padding=True)
        else:
            enc = self.tokenizer.tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        enc = {k: v.to(self.device) for k, v in enc.items()}
        ids, mask = enc.pop("input_ids"), enc.pop("attention_mask")
        return PromptBatch(ids, mask, enc)

    def forward(self, input_ids, attention_mask, extras=None):
        kwargs = dict(extras or {})
        if not self.vlm:
            # A plain forward uses positions 0..T-1 whatever the mask says; left padding needs these.
            kwargs["position_ids"] = positions_from_mask(attention_mask)
        return self.model(input_ids=input_ids, attention_mask=attention_mask, use_cache=False, **kwargs).logits.float()

    @torch.no_grad()
    def sample(self, batch: PromptBatch, max_new_tokens: int, temperature=1.0, greedy=False) -> torch.Tensor:
        self.model.config.use_cache = True
        out = self.model.generate(
            input_ids=batch.input_ids, attention_mask=batch.attention_mask, **batch.extras,
            do_sample=not greedy, temperature=temperature if not greedy else None, top_k=0, top_p=1.0,
            max_new_tokens=max_new_tokens, pad_token_id=self.tokenizer.pad_id, eos_token_id=self.tokenizer.eos_id,
        )
        self.model.config.use_cache = False
        completion = out[:, batch.input_ids.size(1):]
        live = mask_after_eos(completion, self.tokenizer.eos_id).bool()
        return completion.masked_fill(~live, self.tokenizer.pad_id)

    def decode(self, completion_ids):
        return [self.tokenizer.decode(row.tolist()) for row in completion_ids]

    def parameters(self):
        return self.model.parameters()

    def train(self, mode=True):
        self.model.train(mode)

    def save(self, directory: str):
        self.model.save_pretrained(directory)
        (self.processor or self.tokenizer.tok).save_pretrained(directory)

    def load(self, directory: str):
        import transformers

        auto = transformers.AutoModelForCausalLM
        if self.vlm:
            auto = getattr(transformers, "AutoModelForImageTextToText", None) or transformers.AutoModelForVision2Seq
        loaded = auto.from_pretrained(directory, torch_dtype=self.model.dtype)
        self.model.load_state_dict(loaded.state_dict())


def completion_logprobs(policy, batch: PromptBatch, completion_ids, completion_mask, temperature=1.0, rows=None):
    """Log-prob of each completion token under `policy` (sampling temperature applied), [B, L].

    The one place the loop turns logits into log-probs: for old, current and reference policies alike.
    `rows` selects a minibatch of the prompt batch (the extras follow along when they have a row per prompt).
    """
    ids, mask, extras = batch.input_ids, batch.attention_mask, batch.extras
    if rows is not None:
        ids, mask = ids[rows], mask[rows]
        extras = {k: v[rows] if torch.is_tensor(v) and v.size(0) == batch.input_ids.size(0) else v
                  for k, v in extras.items()}
    width = ids.size(1)
    logits = policy.forward(torch.cat([ids, completion_ids], 1), torch.cat([mask, completion_mask], 1), extras)
    logits = logits[:, width - 1:-1, :] / temperature  # position t predicts token t+1
    # gather minus logsumexp: the same as log_softmax then gather, without a [B, L, vocab] copy.
    return logits.gather(-1, completion_ids.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(dim=-1)
