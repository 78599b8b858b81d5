"""Tiny random-weight Hugging Face models built from configs (nothing is downloaded), saved like checkpoints.

- `qwen2(dir)`: a Qwen2-style causal LM with a byte-level BPE tokenizer trained here on a few lines,
  a Qwen-style chat template, and a saved `generation_config` carrying what real checkpoints carry
  (repetition penalty, top-k, top-p, a second EOS id) so tests can check none of it leaks into sampling.
- `llava(dir)`: a LLaVA-style VLM (CLIP-style vision tower + Qwen2 language model) with its processor.
"""

import os

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<|pad|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['content'] is string %}{{ m['content'] }}{% else %}{% for c in m['content'] %}"
    "{% if c['type'] == 'image' %}<image>{% else %}{{ c['text'] }}{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
CORPUS = ["How many squares are in the image? Answer inside <answer></answer>.",
          "<think>count them</think><answer>3</answer>", "Add the two numbers. 12+30=", "0123456789 +-=*/"]


def tokenizer():
    """A byte-level BPE tokenizer (~300 tokens) with Qwen-style special tokens and chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=320, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS * 4, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<|pad|>",
                                   extra_special_tokens={"image_token": "<image>"})
    fast.chat_template = CHAT_TEMPLATE
    return fast


def text_config(vocab_size, **overrides):
    from transformers import Qwen2Config

    base = dict(vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=True)
    return Qwen2Config(**{**base, **overrides})


def leaky_generation_config(tok):
    """What a real checkpoint's generation_config may hold, none of which GRPO sampling should use."""
    from transformers import GenerationConfig

    im_end = tok.convert_tokens_to_ids("<|im_end|>")
    return GenerationConfig(do_sample=True, repetition_penalty=1.5, top_k=3, top_p=0.5, temperature=0.7,
                            eos_token_id=[tok.eos_token_id, im_end], pad_token_id=tok.pad_token_id)


def qwen2(directory, vocab_size=None, seed=0, **overrides):
    """Saves a tiny Qwen2-style causal LM with tokenizer and a leaky generation_config; returns the folder."""
    import torch
    from transformers import Qwen2ForCausalLM

    torch.manual_seed(seed)
    tok = tokenizer()
    model = Qwen2ForCausalLM(text_config(vocab_size or len(tok), **overrides))
    model.generation_config = leaky_generation_config(tok)
    model.save_pretrained(directory)
    tok.save_pretrained(directory)
    return directory


def llava(directory, seed=0):
    """Saves a tiny LLaVA-style VLM (CLIP vision tower, Qwen2 text model) and its processor; returns the folder."""
    import torch
    from transformers import CLIPImageProcessor, CLIPVisionConfig, LlavaConfig, LlavaForConditionalGeneration, \
        LlavaProcessor

    torch.manual_seed(seed)
    tok = tokenizer()
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                              image_size=28, patch_size=14, projection_dim=32)
    config = LlavaConfig(vision_config=vision, text_config=text_config(len(tok)),
                         image_token_index=tok.convert_tokens_to_ids("<image>"), vision_feature_layer=-1,
                         vision_feature_select_strategy="default", projector_hidden_act="gelu")
    model = LlavaForConditionalGeneration(config)
    model.generation_config = leaky_generation_config(tok)
    images = CLIPImageProcessor(size={"shortest_edge": 28}, crop_size={"height": 28, "width": 28})
    processor = LlavaProcessor(image_processor=images, tokenizer=tok, patch_size=14,
                               vision_feature_select_strategy="default", chat_template=CHAT_TEMPLATE,
                               num_additional_image_tokens=1)
    model.save_pretrained(directory)
    processor.save_pretrained(directory)
    return directory
