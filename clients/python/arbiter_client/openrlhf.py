"""OpenRLHF's reward-function file, backed by Arbiter's ``/v1/compat/openrlhf`` endpoint.

OpenRLHF takes, instead of a reward URL, the path of a Python file defining
``reward_func(queries, prompts, labels)`` (flag ``--remote_rm_url`` up to 0.10.1,
``--reward.remote_url`` from 0.10.2). It loads that file by path (not as a package module) and
calls ``reward_func`` with lists: a micro-batch per call up to 0.9, one sample per call from 0.10.
Use it when you want this client's retries and failover over several Arbiter servers::

    # arbiter_reward.py, the file you pass to OpenRLHF
    from arbiter_client.openrlhf import make_reward_func

    reward_func = make_reward_func(["http://10.0.0.5:8787", "http://10.0.0.6:8787"], verifier="math")

The server does the work (the prompt is cut off each query, no-verdicts are substituted and counted,
caller errors are 400s, which raise ``ArbiterHTTPError`` here: a misconfigured reward stops the run).
The function returns 1-D float32 tensors, the form every OpenRLHF version reads: ``rewards``,
``scores`` and each ``extra_logs`` key (torch is imported on the first call; OpenRLHF has it).
``reward_func`` is a plain function whose closure holds only its configuration, so Ray can ship it
to its workers; each process makes its own client.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional, Sequence, Union
from urllib.parse import urlencode

from arbiter_client.client import ArbiterClient  # absolute: OpenRLHF loads the user's file by path

_clients: dict[tuple[tuple[str, ...], Optional[str]], ArbiterClient] = {}
_lock = threading.Lock()


def _client(urls: tuple[str, ...], api_key: Optional[str], max_retries: int) -> ArbiterClient:
    with _lock:
        key = (urls, api_key)
        if key not in _clients:
            _clients[key] = ArbiterClient(list(urls), api_key=api_key, max_retries=max_retries)
        return _clients[key]


def compat_path(query: dict[str, Any]) -> str:
    """The compat endpoint's path with the query parameters that are set."""
    return "/v1/compat/openrlhf?" + urlencode({k: v for k, v in query.items() if v is not None})


def score(
    config: dict[str, Any], queries: Sequence[str], prompts: Sequence[str], labels: Optional[Sequence[Any]]
) -> dict[str, Any]:
    """One ``reward_func`` call: posts OpenRLHF's lists to the compat endpoint, returns tensors."""
    import torch

    client = _client(tuple(config["urls"]), config["api_key"], config["max_retries"])
    body = {"query": list(queries), "prompts": list(prompts), "labels": list(labels or [None] * len(queries))}
    answer = client.request_json("POST", compat_path(config["query"]), body)

    def as_tensor(values: Any) -> Any:
        return torch.tensor(values, dtype=torch.float32).reshape(-1)

    return {
        "rewards": as_tensor(answer["rewards"]),
        "scores": as_tensor(answer["scores"]),
        "extra_logs": {key: as_tensor(values) for key, values in answer["extra_logs"].items()},
    }


def make_reward_func(
    urls: Union[str, list[str]],
    verifier: Optional[str] = None,
    spec: Optional[str] = None,
    on_no_verdict: str = "group_mean",
    fallback: float = 0.0,
    *,
    api_key: Optional[str] = None,
    max_retries: int = 20,
) -> Callable[..., dict[str, Any]]:
    """An OpenRLHF ``reward_func(queries, prompts, labels)`` scoring with a verifier or a named spec.

    ``fallback`` is what a no-verdict gets when its call has no verdict at all (OpenRLHF ≥ 0.10 sends
    one sample per call, so no group is visible: 0.0 by default).
    """
    if (verifier is None) == (spec is None):
        raise ValueError("Give a verifier name (e.g. verifier='math') or a named spec, not both")
    config = {
        "urls": [urls] if isinstance(urls, str) else list(urls),
        "api_key": api_key,
        "max_retries": max_retries,
        "query": {
            "verifier": verifier,
            "spec": spec,
            "on_no_verdict": on_no_verdict,
            "fallback": format(float(fallback), "f"),
            "extra_logs": "per_sample",
        },
    }

    def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Any = None, **kwargs: Any) -> dict:
        return score(config, queries, prompts, labels)

    return reward_func
