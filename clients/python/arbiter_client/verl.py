"""verl reward functions backed by Arbiter.

Two entry points, for verl's two ways of calling a custom reward function
(``custom_reward_function.path=<this file's path>``, ``custom_reward_function.name=<function>``,
keyword arguments from ``custom_reward_function.reward_kwargs``):

- ``compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw)``: the simple
  path (verl's ``naive`` reward manager), one HTTP call per sample.
- ``compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kw)``: for
  ``reward_model.reward_manager=batch``; lists in, ONE HTTP call per step (split by bytes only
  when the step is larger than the server's body limit), and no-verdicts substituted with the
  mean of the same prompt's samples.

Keyword arguments of both: ``url`` (default: ``$ARBITER_URL``, comma-separated for several
servers, else ``http://127.0.0.1:8787``), ``verifier`` or ``spec`` (neither: each item carries
its ``data_source`` and the server's ``routes`` pick the spec, as verl's own ``default_compute_score``
dispatches on it), ``options``, ``on_no_verdict`` (``group_mean`` or ``zero``; verl cannot take
``None``). Substitutions are logged and counted in the module's ``substitutions`` counter.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Hashable, Optional, Sequence, Union

from ._adapter import VerifierCheck, check_target, make_item, plain
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
    urls = tuple(u.strip() for u in url.split(",") if u.strip()) if isinstance(url, str) else tuple(url)
    with _clients_lock:
        if urls not in _clients:
            _clients[urls] = (ArbiterClient(list(urls)), {})
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
    info = plain(extra_info) if isinstance(extra_info, dict) else {}
    if info.get("uid") is not None:
        return ("uid", str(info["uid"]))
    if info.get("index") is not None:
        return (str(data_source), str(info.get("split")), str(plain(info["index"])))
    return (str(data_source), json.dumps(plain(ground_truth), sort_keys=True, default=str))


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Optional[dict[str, Any]] = None,
    *,
    url: Union[str, list[str], None] = None,
    verifier: Optional[str] = None,
    spec: Any = None,
    options: Optional[dict[str, Any]] = None,
    on_no_verdict: str = "group_mean",
) -> float:
    """verl's simple-path reward: the Arbiter reward of one response.

    A sample alone has no group, so a no-verdict becomes 0.0 under either policy (logged and
    counted); prefer ``compute_score_batch``, which substitutes the mean of the prompt's samples.
    """
    [score] = compute_score_batch(
        [data_source],
        [solution_str],
        [ground_truth],
        [extra_info],
        url=url,
        verifier=verifier,
        spec=spec,
        options=options,
        on_no_verdict=on_no_verdict,
    )
    return score  # type: ignore[return-value]


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
    budget_ms: Optional[float] = None,
    details: bool = False,
) -> Union[list[float], list[dict[str, float]]]:
    """verl's batch reward: one reward per response, from one ``verify_batch`` call.

    With ``details=True`` each entry is ``{"score": reward, "no_verdict": 1.0 or 0.0}`` (verl's
    batch manager logs the extra keys as ``reward_extra_info``).
    """
    check_target(verifier, spec, allow_routing=True)
    policy = _verl_policy(on_no_verdict)
    count = len(solution_strs)
    infos = list(extra_infos) if extra_infos is not None else [None] * count
    if not (len(data_sources) == len(ground_truths) == len(infos) == count):
        raise ValueError(
            f"{len(data_sources)} data_sources, {count} solution_strs, {len(ground_truths)} ground_truths, "
            f"{len(infos)} extra_infos"
        )
    client = _client_for(url, verifier)
    items = [
        make_item(verifier, spec, str(response), truth, options, data_source=str(source))
        for source, response, truth in zip(data_sources, solution_strs, ground_truths)
    ]
    results = client.verify_batch(items, budget_ms=budget_ms)
    groups = [group_key(s, t, i) for s, t, i in zip(data_sources, ground_truths, infos)]
    rewards, report = substitute_rewards(results, groups, policy, "arbiter_client.verl")
    substitutions.add(report)
    scores = [float(r) for r in rewards]  # never None: policy is group_mean or zero
    if not details:
        return scores
    substituted = set(report.indices)
    return [{"score": s, "no_verdict": 1.0 if i in substituted else 0.0} for i, s in enumerate(scores)]
