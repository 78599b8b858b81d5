"""Rewards from Arbiter for the GRPO loop: one batch call per step, no-verdicts substituted and counted.

Transport and substitution are the project's Python client (`clients/python/arbiter_client`, stdlib
only): several URLs, retries with backoff, and the one substitution rule of DESIGN.md §2
(`arbiter_client.substitution.substitute_rewards`). On top of the client's own retries, a server
that stays down makes the trainer *pause* (retry with backoff, logged) rather than skip or zero a step.

Each sample is one item: `{"spec": SPEC, "response", "reference"}` where SPEC is the name of a spec in
the server's config or an inline spec; without a spec, the item carries the row's `data_source` and the
server's `routes` pick the spec. A null reward (no verdict: `internal`, `sandbox_unavailable`,
`overloaded`, or a caller error) is replaced per `on_no_verdict` (`group_mean`: the mean of the verdicts
of the same prompt's samples, so its advantage is 0; a group without any verdict gets the call's mean;
or `zero`), and every replacement is counted in the log. A caller error (`invalid_request`: an unknown
spec name, a reference the verifier rejects) is never substituted: the client raises
`ArbiterCallerError` and the run stops, as does an HTTP error that retrying cannot fix (400, 401, 413).
"""

import os
import sys
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

try:  # the project's client, installed or straight from the checkout
    import arbiter_client  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
from arbiter_client import ArbiterClient, ArbiterHTTPError  # noqa: E402
from arbiter_client.substitution import substitute_rewards  # noqa: E402


@dataclass
class RewardBatch:
    rewards: list  # floats, after substitution: what the advantages are computed from
    components: dict  # leaf name -> list of reward | None (as Arbiter gave them)
    correct: list  # per sample: the accuracy leaf's `correct`, else the result's (True/False/None)
    substituted: int = 0  # no-verdict rewards replaced per on_no_verdict
    group_fallbacks: int = 0  # groups without any verdict (they got the call's mean)
    errors: Counter = field(default_factory=Counter)  # error.code -> count
    seconds: float = 0.0  # wall time of the call, retries and pauses included


def components_of(result):
    """Leaf name -> leaf result: the leaf's verifier name, its path when a name repeats."""
    if not result.get("components"):
        return {result.get("verifier") or "reward": result}
    out = {}
    for comp in result["components"]:
        name = comp.get("verifier") or comp.get("path")
        out[name if name not in out else comp.get("path")] = comp
    return out


class ArbiterRewards:
    """Scores completions with one batch call; `submit` runs the call on a thread so generation can go on.

    `spec`: a spec name (configured on the server), an inline spec (dict), or None to route each item
    by its `data_source`. `accuracy_leaf`: the component whose `correct` is the accuracy (e.g. `math`
    in a math + format sum); None: the whole result's `correct`.
    """

    def __init__(self, urls, spec=None, accuracy_leaf=None, on_no_verdict="group_mean", api_key=None,
                 timeout=30.0, max_pause_s=900.0, log=print):
        if on_no_verdict not in ("group_mean", "zero"):
            raise ValueError(f"on_no_verdict must be group_mean or zero, not {on_no_verdict!r}")
        self.urls = [urls] if isinstance(urls, str) else list(urls)
        self.spec, self.accuracy_leaf, self.on_no_verdict = spec, accuracy_leaf, on_no_verdict
        self.max_pause_s, self.log = max_pause_s, log
        self.client = ArbiterClient(self.urls, api_key=api_key, timeout=timeout)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arbiter")
        what = "routes by data_source" if spec is None else f"spec {spec if isinstance(spec, str) else 'inline'}"
        self.log(f"arbiter: {self.urls}, {what}, on_no_verdict={on_no_verdict}")

    def items(self, responses, references, data_sources=None):
        """One item per sample: the spec (named or inline), else the sample's data_source."""
        items = []
        for i, (response, reference) in enumerate(zip(responses, references)):
            item = {"response": response, "reference": reference}
            if self.spec is not None:
                item["spec"] = self.spec
            elif data_sources is None or data_sources[i] is None:
                raise ValueError(f"sample {i} has no data_source and no --spec was given: nothing picks its reward")
            else:
                item["data_source"] = data_sources[i]
            items.append(item)
        return items

    def _call(self, items):
        """One batch call; while the server is unreachable or failing, pause and retry (never skip)."""
        started, wait = time.monotonic(), 1.0
        while True:
            try:
                return self.client.verify_batch(items)
            except ArbiterHTTPError:  # 400, 401, 413: the request is wrong; waiting will not fix it
                raise
            except Exception as error:  # refused, timed out, 429/5xx after the client's own retries, bad JSON
                paused = time.monotonic() - started
                if paused > self.max_pause_s:
                    raise RuntimeError(f"Arbiter unreachable for {paused:.0f} s: {error}") from error
                self.log(f"arbiter: call failed ({type(error).__name__}: {error}); pausing {wait:.0f} s")
                time.sleep(wait)
                wait = min(wait * 2, 30.0)

    def submit(self, responses, references, groups, data_sources=None) -> Future:
        return self.pool.submit(self.score, responses, references, groups, data_sources)

    def score(self, responses, references, groups, data_sources=None) -> RewardBatch:
        started = time.monotonic()
        results = self._call(self.items(responses, references, data_sources))
        codes = [(r.get("error") or {}).get("code") for r in results]
        rewards, report = substitute_rewards(results, groups, self.on_no_verdict, context="trainer")
        leaves = [components_of(r) for r in results]
        names = list(dict.fromkeys(name for leaf in leaves for name in leaf))
        components = {name: [leaf.get(name, {}).get("reward") for leaf in leaves] for name in names}
        correct = [(leaf.get(self.accuracy_leaf, {}) if self.accuracy_leaf else r).get("correct")
                   for r, leaf in zip(results, leaves)]
        return RewardBatch(rewards, components, correct, report.substituted, report.group_fallbacks,
                           Counter(code for code in codes if code), time.monotonic() - started)

    def close(self):
        self.pool.shutdown()
