"""A TRL reward function backed by Arbiter: ``GRPOTrainer(reward_funcs=[reward_function(...)])``.

TRL (checked against trl 1.13, ``GRPOTrainer._calculate_rewards``) calls
``fn(prompts=..., completions=..., completion_ids=..., **columns)`` once per batch of completions,
with every other dataset column as a keyword argument (one value per completion) plus
``trainer_state``, ``log_extra`` and ``log_metric``; it expects one float (or None) per completion
and builds ``torch.tensor(rewards, dtype=torch.float32)``. This adapter makes one ``verify_batch``
call per invocation.

Example::

    from arbiter_client.trl import reward_function

    accuracy = reward_function("http://127.0.0.1:8787", verifier="math", reference_column="solution")
    trainer = GRPOTrainer(model=..., reward_funcs=[accuracy], train_dataset=dataset, ...)

The reward function is an instance of the module-level class ``RewardFunction``: it pickles (TRL's
async trainer and multiprocessing need that) and carries ``__name__`` (TRL logs rewards under it).

Caller errors fail fast: a result ``invalid_request`` (a reference the verifier rejects, an unknown
spec) raises ``ArbiterCallerError`` with the server's message. Only no-verdicts are substituted,
per ``on_no_verdict``: the default ``group_mean`` gives the sample zero advantage; with ``none`` a
``None`` becomes NaN and TRL ``nansum``s the weighted rewards of all functions, so a lone ``None``
counts as 0 unless every function returned ``None`` for that sample.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any, Hashable, Optional, Sequence, Union

from ._adapter import (
    ADAPTER_MAX_RETRIES,
    COMPACT_FIELDS,
    VerifierCheck,
    check_reference_format,
    check_target,
    client_of,
    make_item,
)
from .client import ArbiterClient
from .substitution import SubstitutionCounter, check_policy, substitute_rewards


def message_text(content: Any) -> str:
    """The text of a message's ``content``: a string, or a list of parts whose text parts are joined."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                texts.append(part["text"])
        return "".join(texts)
    return "" if content is None else str(content)


def assistant_text(message: dict[str, Any], join_reasoning: bool = True) -> str:
    """One assistant message's text; its ``reasoning_content`` (when TRL split it off) re-joined in front
    as ``<think>…</think>`` unless ``join_reasoning`` is False."""
    text = message_text(message.get("content"))
    reasoning = message.get("reasoning_content")
    if join_reasoning and isinstance(reasoning, str) and reasoning:
        return f"<think>{reasoning}</think>{text}"
    return text


def completion_text(completion: Any, join_reasoning: bool = True) -> str:
    """The text to score for one TRL completion.

    A standard completion is a string. A conversational one is a list of messages: the text of the
    assistant messages (all of them, in order, joined by a blank line; the prompt is never part of
    a completion). Messages without a ``role`` count as the assistant's.
    """
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        completion = [completion]
    if isinstance(completion, list):
        parts = [
            assistant_text(m, join_reasoning)
            for m in completion
            if isinstance(m, dict) and m.get("role", "assistant") == "assistant"
        ]
        return "\n\n".join(parts)
    raise TypeError(f"A completion must be a string or a list of messages, got {type(completion).__name__}")


def image_digest(image: Any) -> str:
    """A stable hash of one image, by its content (never its repr, which holds a memory address).

    PIL images hash their mode, size and pixels; bytes their bytes; a path or URL string its text;
    NumPy arrays their shape, dtype and bytes; Hugging Face's ``{"bytes", "path"}`` dicts their bytes
    or path. Anything else raises ``TypeError``.
    """
    digest = hashlib.sha256()
    if isinstance(image, (bytes, bytearray, memoryview)):
        digest.update(b"bytes:" + bytes(image))
    elif isinstance(image, str):
        digest.update(b"str:" + image.encode("utf-8", "surrogatepass"))
    elif isinstance(image, dict) and (image.get("bytes") is not None or image.get("path") is not None):
        return image_digest(image["bytes"] if image.get("bytes") is not None else image["path"])
    elif hasattr(image, "tobytes") and hasattr(image, "mode") and hasattr(image, "size"):  # PIL
        digest.update(f"pil:{image.mode}:{tuple(image.size)}:".encode())
        digest.update(image.tobytes())
    elif hasattr(image, "tobytes") and hasattr(image, "shape") and hasattr(image, "dtype"):  # NumPy
        digest.update(f"array:{tuple(image.shape)}:{image.dtype}:".encode())
        digest.update(image.tobytes())
    else:
        raise TypeError(f"Cannot hash an image of type {type(image).__name__} for the prompt's group key")
    return digest.hexdigest()[:32]


def _prompt_parts(prompt: Any, images: list[Any]) -> Any:
    """The prompt's text structure, with each image part replaced by a placeholder (images go to ``images``)."""
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, dict):
        prompt = [prompt]
    if not isinstance(prompt, list):
        raise TypeError(f"A prompt must be a string or a list of messages, got {type(prompt).__name__}")
    messages = []
    for message in prompt:
        content = message.get("content") if isinstance(message, dict) else message
        if isinstance(content, list):
            parts = []
            for part in content:
                if isinstance(part, dict) and part.get("type") in ("image", "image_url", "image_pil"):
                    payload = part.get("image", part.get("image_url", part.get("image_pil")))
                    if payload is not None:
                        images.append(payload)
                    parts.append("<image>")
                else:
                    parts.append(message_text([part]))
            content = parts
        role = message.get("role") if isinstance(message, dict) else None
        messages.append([role, content if isinstance(content, (str, list)) else message_text(content)])
    return messages


def prompt_key(prompt: Any, images: Any = None, cache: Optional[dict[int, str]] = None) -> Hashable:
    """The group key of a prompt: its text (or messages' roles and texts) plus a stable hash of its
    images, from the prompt's image parts and from the row's ``images``/``image`` column.

    Samples of the same prompt (same text, same pixels) get the same key in every process and run.
    ``cache`` maps ``id(image)`` to its digest within one call (TRL repeats one image object per
    generation).
    """
    found: list[Any] = []
    structure = _prompt_parts(prompt, found)
    if images is not None:
        found.extend(images if isinstance(images, (list, tuple)) else [images])
    if not found:
        return structure if isinstance(structure, str) else json.dumps(structure, ensure_ascii=False)
    digests = []
    for image in found:
        key = id(image)
        if cache is not None and key in cache:
            digests.append(cache[key])
            continue
        value = image_digest(image)
        if cache is not None:
            cache[key] = value
        digests.append(value)
    return json.dumps([structure, digests], ensure_ascii=False)


def prompt_payload(prompt: Any) -> Any:
    """The item's ``prompt`` for verifiers that read it (judges): the text, or the messages' roles and
    texts (image parts are left out)."""
    if isinstance(prompt, str):
        return prompt
    messages = [prompt] if isinstance(prompt, dict) else prompt
    return [
        {"role": str(m.get("role", "user")), "content": message_text(m.get("content"))}
        for m in messages
        if isinstance(m, dict)
    ]


def function_name(verifier: Optional[str], spec: Any) -> str:
    """``arbiter_<verifier>``, ``arbiter_<spec name>`` or ``arbiter_spec`` (TRL logs rewards under it)."""
    label = verifier if verifier is not None else (spec if isinstance(spec, str) else "spec")
    return "arbiter_" + "".join(c if c.isalnum() or c == "_" else "_" for c in label)


class RewardFunction:
    """A picklable TRL reward function that scores completions with one Arbiter verifier or spec.

    Build it with ``reward_function(...)``. Pickling keeps the configuration and the counter and
    drops the HTTP client (made again on first use).
    """

    def __init__(
        self,
        urls: list[str],
        api_key: Optional[str],
        verifier: Optional[str],
        spec: Any,
        reference_column: Optional[str],
        on_no_verdict: str,
        options: Optional[dict[str, Any]],
        name: str,
        budget_ms: Optional[float],
        join_reasoning: bool,
        reference_format: str,
        client: Optional[ArbiterClient] = None,
        fields: Optional[Sequence[str]] = COMPACT_FIELDS,
        send_prompt: bool = False,
    ) -> None:
        self.urls, self.api_key = urls, api_key
        self.max_retries = client.policy.max_retries if client is not None else ADAPTER_MAX_RETRIES
        self.verifier, self.spec, self.options = verifier, spec, options
        self.reference_column, self.on_no_verdict = reference_column, on_no_verdict
        self.budget_ms, self.join_reasoning, self.reference_format = budget_ms, join_reasoning, reference_format
        self.fields = None if fields is None else list(fields)
        self.send_prompt = send_prompt
        self.__name__ = self.__qualname__ = name
        #: Running totals of substituted rewards (a ``SubstitutionCounter``).
        self.substitutions = SubstitutionCounter()
        self._client = client
        self._check: Optional[VerifierCheck] = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.update(_client=None, _check=None, _lock=None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RewardFunction({self.__name__!r}, {self.urls!r})"

    def _ready_client(self) -> ArbiterClient:
        with self._lock:
            if self._client is None:
                self._client = ArbiterClient(self.urls, api_key=self.api_key, max_retries=self.max_retries)
            if self._check is None:
                self._check = VerifierCheck(self._client, self.verifier)
        self._check()
        return self._client

    def _references(self, count: int, columns: dict[str, Any]) -> Sequence[Any]:
        if self.reference_column is None:
            return [None] * count
        if self.reference_column in columns:
            return columns[self.reference_column]
        names = ", ".join(sorted(k for k in columns if not k.startswith("trainer_"))) or "none"
        raise KeyError(f"{self.__name__}: no column {self.reference_column!r} in the batch; columns: {names}")

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> list[Optional[float]]:
        references = self._references(len(completions), kwargs)
        if len(references) != len(completions) or len(prompts) != len(completions):
            raise ValueError(
                f"{self.__name__}: {len(prompts)} prompts, {len(completions)} completions, "
                f"{len(references)} references"
            )
        client = self._ready_client()
        items = [
            make_item(
                self.verifier,
                self.spec,
                completion_text(c, self.join_reasoning),
                ref,
                self.options,
                reference_format=self.reference_format,
            )
            for c, ref in zip(completions, references)
        ]
        if self.send_prompt:
            for item, prompt in zip(items, prompts):
                item["prompt"] = prompt_payload(prompt)
        results = client.verify_batch(items, budget_ms=self.budget_ms, fields=self.fields)
        images = kwargs.get("images", kwargs.get("image"))
        cache: dict[int, str] = {}
        groups = [
            prompt_key(p, images[i] if isinstance(images, (list, tuple)) else None, cache)
            for i, p in enumerate(prompts)
        ]
        rewards, report = substitute_rewards(results, groups, self.on_no_verdict, self.__name__)
        self.substitutions.add(report)
        return rewards


def reward_function(
    url_or_client: Union[str, list[str], ArbiterClient],
    verifier: Optional[str] = None,
    spec: Any = None,
    reference_column: Optional[str] = "solution",
    on_no_verdict: str = "group_mean",
    options: Optional[dict[str, Any]] = None,
    *,
    name: Optional[str] = None,
    budget_ms: Optional[float] = None,
    join_reasoning: bool = True,
    reference_format: str = "plain",
    fields: Optional[Sequence[str]] = COMPACT_FIELDS,
    send_prompt: Optional[bool] = None,
) -> RewardFunction:
    """A TRL reward function that scores completions with one Arbiter verifier or spec.

    ``reference_column`` is the dataset column holding each row's reference (TRL passes every
    column as a keyword argument, one value per completion); None sends no reference (``format``).
    ``reference_format="gsm8k"`` reads a GSM8K answer column (``… #### 72``) as its final answer.
    ``options`` go to every item. ``join_reasoning`` (default True) puts a completion's
    ``reasoning_content`` back in front of its content as ``<think>…</think>``. The function's
    ``__name__`` is ``name`` or ``arbiter_<verifier or spec>``; its ``substitutions`` attribute is a
    ``SubstitutionCounter`` with the running totals of substituted rewards. ``fields``: the result
    fields to ask for (compact by default; None for full results). ``send_prompt`` puts each
    sample's prompt (its text, or its messages' roles and texts) into the item, for verifiers that
    read it; by default only for ``verifier="judge"`` (set it for a spec with a judge leaf).
    """
    check_target(verifier, spec)
    check_policy(on_no_verdict)
    check_reference_format(reference_format)
    client = client_of(url_or_client)
    return RewardFunction(
        list(client.urls),
        client.api_key,
        verifier,
        spec,
        reference_column,
        on_no_verdict,
        options,
        name or function_name(verifier, spec),
        budget_ms,
        join_reasoning,
        reference_format,
        client,
        fields,
        verifier == "judge" if send_prompt is None else send_prompt,
    )
