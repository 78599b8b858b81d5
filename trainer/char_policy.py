"""The from-scratch CPU policy: a character tokenizer and a ~100k-parameter GPT in miniature.

It implements the interface of policy.py, so the CPU demo and test run the same GRPO loop as a
Hugging Face model on a GPU.
"""

import math
import os

import torch
import torch.nn as nn

from policy import Policy, positions_from_mask



class CharTokenizer:
    """Characters plus a few multi-character special tokens (e.g. `<answer>`) that are one token each.

    Making the tags single tokens keeps sequences short; the model can still emit them in any order,
    and the `format` verifier judges the layout.
    """

    def __init__(self, alphabet: str, specials: list[str]):
        self.tokens = ["<pad>", "<eos>"] + list(specials) + list(alphabet)
        self.pad_id, self.eos_id = 0, 1
        self.eos_ids = [self.eos_id]
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

    def forward(self, input_ids, attention_mask, cache=None, keep_last=0):
        """Logits for `input_ids` (the last `keep_last` positions; 0: all); `attention_mask` covers earlier
        cached tokens too (cache: one dict per block)."""
        T, T_all = input_ids.size(1), attention_mask.size(1)
        x = self.tok(input_ids) + self.pos(positions_from_mask(attention_mask)[:, T_all - T:])
        query_at = torch.arange(T_all - T, T_all, device=input_ids.device)[:, None]
        key_at = torch.arange(T_all, device=input_ids.device)[None, :]
        # A query sees earlier real tokens and itself (itself too when it is padding: no all -inf row).
        allowed = (key_at <= query_at) & (attention_mask.bool()[:, None, None, :] | (key_at == query_at))
        for i, block in enumerate(self.blocks):
            x = block(x, allowed, None if cache is None else cache[i])
        return self.ln(x[:, -keep_last:]) @ self.tok.weight.T


class CharPolicy(Policy):
    """The from-scratch CPU policy; `generate` keeps a KV cache so each new token costs one position."""

    def __init__(self, tokenizer: CharTokenizer, device="cpu", **model_config):
        self.tokenizer = tokenizer
        self.device = torch.device(device)
        self.model = CharTransformer(len(tokenizer), **model_config).to(self.device)

    def encode_prompt(self, row) -> dict:
        ids = torch.tensor([self.tokenizer.encode(row["prompt"])])
        return {"input_ids": ids, "attention_mask": torch.ones_like(ids)}

    def forward(self, inputs, keep_last=0):
        return self.model(inputs["input_ids"], inputs["attention_mask"], keep_last=keep_last)

    @torch.no_grad()
    def generate(self, inputs, max_new_tokens: int, temperature=1.0, greedy=False) -> torch.Tensor:
        mask = inputs["attention_mask"]
        cache = [{} for _ in self.model.blocks]
        logits = self.model(inputs["input_ids"], mask, cache)[:, -1, :]
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


    def save(self, directory: str):
        os.makedirs(directory, exist_ok=True)
        torch.save({"config": self.model.config, "tokens": self.tokenizer.tokens, "state": self.model.state_dict()},
                   os.path.join(directory, "policy.pt"))

    def load(self, directory: str):
        saved = torch.load(os.path.join(directory, "policy.pt"), map_location=self.device)
        if saved["tokens"] != self.tokenizer.tokens:
            raise ValueError(f"Checkpoint in {directory} was made with another tokenizer")
        self.model.load_state_dict(saved["state"])
