"""A TRL reward function backed by Arbiter: ``GRPOTrainer(reward_funcs=[reward_function(...)])``.

TRL calls ``fn(prompts, completions, **columns)`` once per batch of completions and expects one
float (or None) per completion. This adapter makes one ``verify_batch`` call per invocation.

Example::

    from arbiter_client.trl import reward_function

    accuracy = reward_function("http://127.0.0.1:8787", verifier="math", reference_column="solution")
    trainer = GRPOTrainer(model=..., reward_funcs=[accuracy], train_dataset=dataset, ...)

TRL ``nansum``s the weighted rewards of all functions; a ``None`` becomes NaN there, so with
``on_no_verdict="none"`` a lone ``None`` counts as 0 unless every function returned ``None`` for
that sample. The default ``group_mean`` gives the sample zero advantage instead (see
``arbiter_client.substitution``).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Hashable, Optional, Sequence, Union

from ._adapter import VerifierCheck, check_target, client_of, make_item
from .client import ArbiterClient
from .substitution import SubstitutionCounter, check_policy, substitute_rewards

RewardFunction = Callable[..., list[Optional[float]]]


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


def completion_text(completion: Any) -> str:
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
            message_text(m.get("content"))
            for m in completion
            if isinstance(m, dict) and m.get("role", "assistant") == "assistant"
        ]
        return "\n\n".join(parts)
    raise TypeError(f"A completion must be a string or a list of messages, got {type(completion).__name__}")


def prompt_key(prompt: Any) -> Hashable:
    """The group key of a prompt: identical prompts (text or messages) form one group."""
    if isinstance(prompt, str):
        return prompt
    return json.dumps(prompt, sort_keys=True, default=str)


def function_name(verifier: Optional[str], spec: Any) -> str:
    """``arbiter_<verifier>``, ``arbiter_<spec name>`` or ``arbiter_spec`` (TRL logs rewards under it)."""
    label = verifier if verifier is not None else (spec if isinstance(spec, str) else "spec")
    return "arbiter_" + "".join(c if c.isalnum() or c == "_" else "_" for c in label)


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
) -> RewardFunction:
    """A TRL reward function that scores completions with one Arbiter verifier or spec.

    ``reference_column`` is the dataset column holding each row's reference (TRL passes every
    column as a keyword argument, one value per completion); None sends no reference (``format``). ``options`` go to every item. The
    function's ``__name__`` is ``name`` or ``arbiter_<verifier or spec>``; its ``substitutions``
    attribute is a ``SubstitutionCounter`` with the running totals of substituted rewards.
    """
    check_target(verifier, spec)
    check_policy(on_no_verdict)
    client = client_of(url_or_client)
    check_verifier = VerifierCheck(client, verifier)
    counter = SubstitutionCounter()
    label = name or function_name(verifier, spec)

    def arbiter_reward(prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> list[Optional[float]]:
        if reference_column is None:
            references: Sequence[Any] = [None] * len(completions)
        elif reference_column in kwargs:
            references = kwargs[reference_column]
        else:
            columns = ", ".join(sorted(k for k in kwargs if not k.startswith("trainer_"))) or "none"
            raise KeyError(f"{label}: no column {reference_column!r} in the batch; columns: {columns}")
        if len(references) != len(completions) or len(prompts) != len(completions):
            raise ValueError(
                f"{label}: {len(prompts)} prompts, {len(completions)} completions, {len(references)} references"
            )
        check_verifier()
        items = [
            make_item(verifier, spec, completion_text(c), ref, options) for c, ref in zip(completions, references)
        ]
        results = client.verify_batch(items, budget_ms=budget_ms)
        rewards, report = substitute_rewards(results, [prompt_key(p) for p in prompts], on_no_verdict, label)
        counter.add(report)
        return rewards

    arbiter_reward.__name__ = label
    arbiter_reward.__qualname__ = label
    arbiter_reward.substitutions = counter  # type: ignore[attr-defined]
    return arbiter_reward
