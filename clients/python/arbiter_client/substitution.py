"""Turning results into rewards for a trainer: what a result without a verdict becomes (``on_no_verdict``).

The rule is DESIGN.md §2 ("Fields added since the first release"); the server's
``verifiers/_substitute/mod.ts`` is its TypeScript twin, and both pass ``clients/substitution_cases.json``.

A result has a verdict when its ``reward`` is a number. A no-verdict (``error.code`` ``internal``,
``sandbox_unavailable``, ``overloaded``, ``upstream_unavailable``) gets a substituted reward, per the
policy. A caller error (``invalid_request``) is never substituted: ``substitute_rewards`` raises
``ArbiterCallerError`` with the server's message, because a misconfigured reward is a bug to fix,
not a reward of 0.

- ``group_mean`` (default): the mean of the verdicts of the other samples of the same group (the
  same prompt), so that the sample gets zero group-relative advantage. When no sample of the group
  has a verdict, every sample of that group gets the mean of all verdicts of the call (or
  ``fallback``, 0.0 by default, when the call has no verdict at all, e.g. a lone sample). Any value
  shared by the whole group gives its samples zero advantage in GRPO; the call's mean is also the
  value that biases least a trainer that uses the reward directly (PPO with a critic, REINFORCE).
  These cases are counted apart, as ``group_fallbacks``.
- ``zero``: 0.0.
- ``none``: ``None`` (for TRL, which ``nansum``s across reward functions: a lone ``None`` counts as
  0 there, unless every reward function returned ``None`` for that sample).

Nothing is substituted silently: every call that substitutes logs one WARNING on the
``arbiter_client`` logger, and the counts are returned in a ``SubstitutionReport`` and can be
accumulated in a ``SubstitutionCounter``.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Optional, Sequence

from .errors import ArbiterCallerError

POLICIES = ("group_mean", "zero", "none")

logger = logging.getLogger("arbiter_client")


@dataclass
class SubstitutionReport:
    """What one call substituted: how many results, by error code, and which positions."""

    policy: str
    total: int = 0
    substituted: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    group_fallbacks: int = 0
    indices: list[int] = field(default_factory=list)


class SubstitutionCounter:
    """Running totals over many calls (thread-safe, picklable), e.g. for a trainer's logs."""

    def __init__(self) -> None:
        self.total = 0
        self.substituted = 0
        self.group_fallbacks = 0
        self.by_code: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def add(self, report: SubstitutionReport) -> None:
        """Adds one call's report."""
        with self._lock:
            self.total += report.total
            self.substituted += report.substituted
            self.group_fallbacks += report.group_fallbacks
            self.by_code.update(report.by_code)

    def as_dict(self) -> dict[str, Any]:
        """The totals as plain data."""
        with self._lock:
            return {
                "total": self.total,
                "substituted": self.substituted,
                "group_fallbacks": self.group_fallbacks,
                "by_code": dict(self.by_code),
            }

    def __repr__(self) -> str:
        return f"SubstitutionCounter({self.as_dict()})"


def check_policy(on_no_verdict: str) -> str:
    """Returns the policy, or raises ``ValueError`` naming the accepted ones."""
    if on_no_verdict not in POLICIES:
        raise ValueError(f"on_no_verdict must be one of {', '.join(POLICIES)}; got {on_no_verdict!r}")
    return on_no_verdict


def verdict_of(result: Any) -> Optional[float]:
    """The result's reward when it is a verdict, else None."""
    if not isinstance(result, dict) or result.get("error") is not None:
        return None
    reward = result.get("reward")
    if isinstance(reward, bool) or not isinstance(reward, (int, float)):
        return None
    return float(reward)


def error_code_of(result: Any) -> str:
    """The ``error.code`` of a result without a verdict (``missing`` when the result has none)."""
    error = result.get("error") if isinstance(result, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        return error["code"]
    return "missing"


def _mean(values: Sequence[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def raise_caller_errors(results: Sequence[Any], context: str = "Arbiter") -> None:
    """Raises ``ArbiterCallerError`` (with the server's message) when any result is ``invalid_request``."""
    rejected = [i for i, r in enumerate(results) if verdict_of(r) is None and error_code_of(r) == "invalid_request"]
    if rejected:
        error = results[rejected[0]].get("error") or {}
        raise ArbiterCallerError(context, rejected[0], str(error.get("message")), len(rejected), len(results))


def substitute_rewards(
    results: Sequence[Any],
    groups: Optional[Sequence[Hashable]] = None,
    on_no_verdict: str = "group_mean",
    context: str = "Arbiter",
    *,
    fallback: float = 0.0,
) -> tuple[list[Optional[float]], SubstitutionReport]:
    """Rewards for ``results`` (one per result, in order), with no-verdicts substituted per the policy.

    ``groups[i]`` is the group key of sample i (the same key for samples of the same prompt);
    without ``groups`` every sample is its own group. ``context`` names the caller in the log line
    and in the error. ``fallback``: what ``group_mean`` gives when the call has no verdict at all.
    Raises ``ArbiterCallerError`` when a result is ``invalid_request`` (nothing is substituted then).

    >>> ok = {"reward": 1, "error": None}
    >>> down = {"reward": None, "error": {"code": "internal", "message": "trap"}}
    >>> substitute_rewards([ok, down, {"reward": 0, "error": None}], ["a", "a", "b"])[0]
    [1.0, 1.0, 0.0]
    """
    check_policy(on_no_verdict)
    if groups is not None and len(groups) != len(results):
        raise ValueError(f"groups has {len(groups)} keys for {len(results)} results")
    raise_caller_errors(results, context)
    verdicts = [verdict_of(r) for r in results]
    report = SubstitutionReport(on_no_verdict, total=len(results))
    rewards: list[Optional[float]] = list(verdicts)
    missing = [i for i, v in enumerate(verdicts) if v is None]
    if not missing:
        return rewards, report

    keys = list(groups) if groups is not None else list(range(len(results)))
    by_group: dict[Hashable, list[float]] = {}
    for key, verdict in zip(keys, verdicts):
        if verdict is not None:
            by_group.setdefault(key, []).append(verdict)
    call_mean = _mean([v for v in verdicts if v is not None])
    fallback_groups: set[Hashable] = set()
    for index in missing:
        if on_no_verdict == "zero":
            rewards[index] = 0.0
        elif on_no_verdict == "group_mean":
            group_mean = _mean(by_group.get(keys[index], []))
            if group_mean is None:
                fallback_groups.add(keys[index])
                group_mean = call_mean if call_mean is not None else float(fallback)
            rewards[index] = group_mean
        code = error_code_of(results[index])
        report.by_code[code] = report.by_code.get(code, 0) + 1
    report.substituted = len(missing)
    report.indices = missing
    report.group_fallbacks = len(fallback_groups)
    log_report(report, results, context)
    return rewards, report


def log_report(report: SubstitutionReport, results: Sequence[Any], context: str) -> None:
    """Logs one line for a call that substituted: counts by code and the first error message."""
    first = results[report.indices[0]] if report.indices else None
    error = first.get("error") if isinstance(first, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    codes = ", ".join(f"{code}={count}" for code, count in sorted(report.by_code.items()))
    logger.warning(
        "%s: %d of %d results had no verdict (%s); substituted by on_no_verdict=%s%s; first: %s",
        context,
        report.substituted,
        report.total,
        codes,
        report.policy,
        f" ({report.group_fallbacks} groups without any verdict got the call's mean or the fallback)" if report.group_fallbacks else "",
        message,
    )
