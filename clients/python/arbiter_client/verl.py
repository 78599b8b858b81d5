"""verl reward functions backed by Arbiter.

verl loads a custom reward function from ``custom_reward_function.path`` (this file's path) and
``custom_reward_function.name``, and merges ``custom_reward_function.reward_kwargs`` into every call.
Three entry points, one per way verl calls it (README "Trainers" has the config for each version):

- ``compute_score_async(data_source, solution_str, ground_truth, extra_info=None, **kw)``: for the
  reward loop (verl ≥ 0.7, ``reward_model.use_reward_loop=True``, the default there; managers
  ``naive``, ``dapo``, ``rate_limited``). The loop awaits one call per sample; calls that arrive
  within ``coalesce_ms`` (default 20) are sent as ONE batch, so a step costs a few HTTP calls and
  no-verdicts get the mean of the prompt's samples in the same batch.
- ``compute_score(...)``: the same, synchronous, one HTTP call per sample (legacy ``naive``
  manager, and the reward loop's ``remote`` manager, which cannot await).
- ``compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kw)``: the legacy
  ``batch`` manager (``reward_model.use_reward_loop=False reward_model.reward_manager=batch``): lists
  in, ONE HTTP call per step.

Keyword arguments of all three: ``url`` (default: ``$ARBITER_URL``, comma-separated for several
servers, else ``http://127.0.0.1:8787``), ``verifier`` or ``spec`` (neither: each item carries its
``data_source`` and the server's ``routes`` pick the spec, as verl's ``default_compute_score``
dispatches on it), ``options``, ``reference_format`` (``gsm8k`` reads ``… #### 72``),
``on_no_verdict`` (``group_mean`` or ``zero``; verl cannot take ``None``), ``fallback`` (what a
no-verdict gets when its call has no verdict at all, e.g. a lone sample: 0.0), ``details``,
``fields`` (the result fields asked for: ``reward``, ``correct``, ``reason`` by default). Other
keywords (verl passes e.g. ``reward_router_address``, ``reward_model_tokenizer``) are accepted and
ignored. NumPy and Hydra (``DictConfig``/``ListConfig``) values are sent as plain JSON.

A caller error (``invalid_request``: a reference the verifier rejects, a missing route) raises
``ArbiterCallerError`` with the server's message; only no-verdicts are substituted, logged and
counted in the module's ``substitutions`` counter.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import weakref
from typing import Any, Hashable, Optional, Sequence, Union

from ._adapter import (
    ADAPTER_MAX_RETRIES,
    COMPACT_FIELDS,
    VerifierCheck,
    check_reference_format,
    check_target,
    make_item,
    to_json,
)
from .client import ArbiterClient
from .substitution import SubstitutionCounter, check_policy, substitute_rewards

DEFAULT_URL = "http://127.0.0.1:8787"

#: Running totals of the rewards these functions substituted for results without a verdict.
substitutions = SubstitutionCounter()

_clients: dict[tuple[str, ...], tuple[ArbiterClient, dict[Optional[str], VerifierCheck]]] = {}
_clients_lock = threading.Lock()


def _client_for(url: Union[str, list[str], None], verifier: Optional[str]) -> ArbiterClient:
    """One shared client per URL list (verl calls the functions many times), checked once per verifier."""
    if url is None:
        url = os.environ.get("ARBITER_URL") or DEFAULT_URL
    url = to_json(url)
    urls = tuple(u.strip() for u in url.split(",") if u.strip()) if isinstance(url, str) else tuple(url)
    with _clients_lock:
        if urls not in _clients:
            _clients[urls] = (ArbiterClient(list(urls), max_retries=ADAPTER_MAX_RETRIES), {})
        client, checks = _clients[urls]
        check = checks.setdefault(verifier, VerifierCheck(client, verifier))
    check()
    return client


def _verl_policy(on_no_verdict: str) -> str:
    check_policy(on_no_verdict)
    if on_no_verdict == "none":
        raise ValueError("verl puts each reward into a tensor: on_no_verdict must be group_mean or zero")
    return on_no_verdict


def group_key(data_source: Any, ground_truth: Any, extra_info: Any) -> Hashable:
    """The group of a sample: verl repeats a prompt's row (and its ``extra_info``) for each rollout.

    Uses ``extra_info["uid"]`` or ``extra_info["index"]`` (with ``split``) when present, as verl's
    data preprocessing scripts write them; else the data source with the ground truth.
    """
    info = to_json(extra_info) if isinstance(extra_info, dict) or hasattr(extra_info, "keys") else {}
    if not isinstance(info, dict):
        info = {}
    if info.get("uid") is not None:
        return ("uid", str(info["uid"]))
    if info.get("index") is not None:
        return (str(data_source), str(info.get("split")), str(info["index"]))
    return (str(data_source), json.dumps(to_json(ground_truth), sort_keys=True, default=str))


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Optional[Sequence[Any]] = None,
    *,
    url: Union[str, list[str], None] = None,
    verifier: Optional[str] = None,
    spec: Any = None,
    options: Optional[dict[str, Any]] = None,
    on_no_verdict: str = "group_mean",
    fallback: float = 0.0,
    reference_format: str = "plain",
    budget_ms: Optional[float] = None,
    details: bool = False,
    fields: Optional[Sequence[str]] = COMPACT_FIELDS,
    **_ignored: Any,
) -> Union[list[float], list[dict[str, float]]]:
    """verl's batch reward: one reward per response, from one ``verify_batch`` call.

    With ``details=True`` each entry is ``{"score": reward, "no_verdict": 1.0 or 0.0}`` (verl logs
    the extra keys as ``reward_extra_info``). Unknown keyword arguments are ignored.
    """
    verifier, spec = to_json(verifier), to_json(spec)
    check_target(verifier, spec, allow_routing=True)
    policy = _verl_policy(to_json(on_no_verdict))
    reference_format = check_reference_format(to_json(reference_format))
    count = len(solution_strs)
    infos = list(extra_infos) if extra_infos is not None else [None] * count
    if not (len(data_sources) == len(ground_truths) == len(infos) == count):
        raise ValueError(
            f"{len(data_sources)} data_sources, {count} solution_strs, {len(ground_truths)} ground_truths, "
            f"{len(infos)} extra_infos"
        )
    client = _client_for(url, verifier)
    items = [
        make_item(verifier, spec, str(response), truth, options, str(source), reference_format)
        for source, response, truth in zip(data_sources, solution_strs, ground_truths)
    ]
    results = client.verify_batch(items, budget_ms=budget_ms, fields=None if fields is None else list(to_json(fields)))
    groups = [group_key(s, t, i) for s, t, i in zip(data_sources, ground_truths, infos)]
    rewards, report = substitute_rewards(
        results, groups, policy, "arbiter_client.verl", fallback=float(to_json(fallback))
    )
    substitutions.add(report)
    scores = [float(r) for r in rewards]  # never None: policy is group_mean or zero
    if not details:
        return scores
    substituted = set(report.indices)
    return [{"score": s, "no_verdict": 1.0 if i in substituted else 0.0} for i, s in enumerate(scores)]


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Optional[dict[str, Any]] = None,
    **kwargs: Any,
) -> Union[float, dict[str, float]]:
    """verl's per-sample reward, synchronous: the Arbiter reward of one response (one HTTP call).

    A sample alone has no group: a no-verdict gets ``fallback`` (0.0 by default), logged and
    counted. Prefer ``compute_score_async`` (reward loop) or ``compute_score_batch``.
    """
    [score] = compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info], **kwargs)
    return score


class _Coalescer:
    """Collects the per-sample calls of one event loop and sends those of a short window as one batch."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: dict[str, tuple[dict[str, Any], list[tuple[tuple[Any, ...], asyncio.Future]]]] = {}
        self.timer: Optional[asyncio.TimerHandle] = None

    def submit(self, sample: tuple[Any, ...], config: dict[str, Any], window_s: float, limit: int) -> asyncio.Future:
        key = json.dumps(to_json(config), sort_keys=True, default=str)
        future = self.loop.create_future()
        entries = self.pending.setdefault(key, (config, []))[1]
        entries.append((sample, future))
        if len(entries) >= limit:
            self._send(key)
        elif self.timer is None:
            self.timer = self.loop.call_later(window_s, self.flush)
        return future

    def flush(self) -> None:
        self.timer = None
        for key in list(self.pending):
            self._send(key)

    def _send(self, key: str) -> None:
        config, entries = self.pending.pop(key)
        self.loop.create_task(self._score(config, entries))

    async def _score(self, config: dict[str, Any], entries: list[tuple[tuple[Any, ...], asyncio.Future]]) -> None:
        columns = list(zip(*(sample for sample, _ in entries)))
        try:
            scores = await asyncio.to_thread(compute_score_batch, *columns, **config)
        except BaseException as error:  # every waiting sample gets the call's error
            for _, future in entries:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), score in zip(entries, scores):
            if not future.done():
                future.set_result(score)


_coalescers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Coalescer]" = weakref.WeakKeyDictionary()


async def compute_score_async(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Optional[dict[str, Any]] = None,
    *,
    coalesce_ms: float = 20.0,
    max_batch_items: int = 4096,
    **kwargs: Any,
) -> Union[float, dict[str, float]]:
    """verl ≥ 0.7 reward loop: awaitable per-sample reward; concurrent calls go out as one batch.

    Calls arriving within ``coalesce_ms`` of the first pending one (or ``max_batch_items`` of them)
    are scored by one ``compute_score_batch`` call, in a worker thread, with the same keyword
    arguments (calls with different ones are batched apart). Unknown keywords are ignored.
    """
    loop = asyncio.get_running_loop()
    coalescer = _coalescers.get(loop)
    if coalescer is None:
        coalescer = _coalescers[loop] = _Coalescer(loop)
    config = {k: v for k, v in kwargs.items() if k in _BATCH_KEYWORDS}
    sample = (data_source, solution_str, ground_truth, extra_info)
    return await coalescer.submit(sample, config, max(0.0, coalesce_ms) / 1000, max(1, max_batch_items))


#: The keyword arguments ``compute_score_batch`` reads; others are dropped before batching.
_BATCH_KEYWORDS = frozenset(
    (
        "url", "verifier", "spec", "options", "on_no_verdict", "fallback", "reference_format", "budget_ms",
        "details", "fields",
    )
)
