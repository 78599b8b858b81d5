"""Rewards from Arbiter for the GRPO loop: one batch call per step, no-verdicts substituted and counted.

Transport: the project's client (`clients/python/arbiter_client`, retries with backoff, several
URLs) when it is importable, else a minimal urllib POST to `{url}/v1/verify/batch`. Either way a
server that is down or answers 5xx makes the trainer *pause* (retry with backoff, logged) rather
than skip or zero a step.

Each sample is one item with the task's composite `spec` when the server supports specs (checked
once at start-up); otherwise each leaf of a flat `sum` spec becomes its own item and the weighted
sum is taken here. A null reward (no verdict: `internal`, `sandbox_unavailable`, `overloaded`, or a
caller error) is replaced per `on_no_verdict` — `group_mean` (the mean of the verdicts of the same
prompt's samples, so its advantage is 0) or `zero` — and every replacement is counted in the log.
"""

import json
import os
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

try:  # the project's client, installed or straight from the checkout
    from arbiter_client import ArbiterClient
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
    try:
        from arbiter_client import ArbiterClient
    except ImportError:
        ArbiterClient = None
    finally:
        sys.path.pop(0)


@dataclass
class RewardBatch:
    rewards: list  # floats, after substitution: what the advantages are computed from
    components: dict  # leaf name -> list of reward | None (as Arbiter gave them)
    correct: list  # per sample: the accuracy leaf's `correct` (True/False/None)
    substituted: int = 0  # no-verdict rewards replaced per on_no_verdict
    errors: Counter = field(default_factory=Counter)  # error.code -> count
    seconds: float = 0.0  # wall time of the call, retries and pauses included


class UrllibTransport:
    """Fallback when `arbiter_client` is not available: POST one body, round-robin over URLs."""

    def __init__(self, urls, api_key=None, timeout=30.0):
        self.urls, self.api_key, self.timeout, self.turn = list(urls), api_key, timeout, 0

    def verify_batch(self, items, budget_ms=None):
        url = self.urls[self.turn % len(self.urls)].rstrip("/")
        self.turn += 1
        body = {"items": items} if budget_ms is None else {"items": items, "budget_ms": budget_ms}
        headers = {"content-type": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(f"{url}/v1/verify/batch", json.dumps(body).encode(), headers, method="POST")
        with urllib.request.urlopen(req, timeout=self.timeout) as answer:
            return json.load(answer)["results"]


def get_json(url, path, api_key=None, timeout=10.0):
    headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
    with urllib.request.urlopen(urllib.request.Request(url.rstrip("/") + path, headers=headers), timeout=timeout) as r:
        return json.load(r)


class ArbiterRewards:
    """Scores completions with one batch call; `submit` runs the call on a thread so generation can go on."""

    def __init__(self, urls, spec, accuracy_leaf="math", on_no_verdict="group_mean", api_key=None,
                 timeout=30.0, max_pause_s=900.0, log=print):
        if on_no_verdict not in ("group_mean", "zero"):
            raise ValueError(f"on_no_verdict must be group_mean or zero, not {on_no_verdict!r}")
        self.urls = [urls] if isinstance(urls, str) else list(urls)
        self.spec, self.accuracy_leaf, self.on_no_verdict = spec, accuracy_leaf, on_no_verdict
        self.api_key, self.max_pause_s, self.log = api_key, max_pause_s, log
        if ArbiterClient is not None:
            self.transport, self.transport_name = ArbiterClient(self.urls, api_key=api_key, timeout=timeout), "arbiter_client"
        else:
            self.transport, self.transport_name = UrllibTransport(self.urls, api_key, timeout), "urllib"
        self.leaves = self._leaves(spec)
        self.use_spec = self._server_takes_specs()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arbiter")

    @staticmethod
    def _leaves(spec):
        """Names of the spec's leaves (for `components`), and their weights when it is a flat sum."""
        if "verifier" in spec:
            return [(spec["verifier"], 1.0, spec.get("options"))]
        (op, parts), = spec.items()
        if op != "sum" or any("verifier" not in p for p in parts):
            return None  # needs the server to evaluate it
        return [(p["verifier"], p.get("weight", 1.0), p.get("options")) for p in parts]

    def _server_takes_specs(self) -> bool:
        """Ask the server once: does one spec item come back with a verdict and `components`?"""
        probe = {"spec": self.spec, "response": "<think></think><answer>1</answer>", "reference": "1"}
        result = self._call([probe])[0]
        takes = result.get("error") is None and "components" in result
        if not takes and self.leaves is None:
            raise RuntimeError(f"The server does not take this spec and it is not a flat sum: {result.get('error')}")
        self.log(f"arbiter: {self.urls} via {self.transport_name}; "
                 f"{'one spec item' if takes else f'{len(self.leaves)} items'} per sample")
        return takes

    def _call(self, items):
        """One batch call; while the server is unreachable or failing, pause and retry (never skip)."""
        started, wait = time.monotonic(), 1.0
        while True:
            try:
                return self.transport.verify_batch(items)
            except Exception as error:  # refused, timed out, 5xx after the client's own retries, bad JSON
                paused = time.monotonic() - started
                if paused > self.max_pause_s:
                    raise RuntimeError(f"Arbiter unreachable for {paused:.0f} s: {error}") from error
                self.log(f"arbiter: call failed ({type(error).__name__}: {error}); pausing {wait:.0f} s")
                time.sleep(wait)
                wait = min(wait * 2, 30.0)

    def submit(self, responses, references, groups) -> Future:
        return self.pool.submit(self.score, responses, references, groups)

    def score(self, responses, references, groups) -> RewardBatch:
        started = time.monotonic()
        n = len(responses)
        if self.use_spec:
            items = [{"spec": self.spec, "response": r, "reference": ref} for r, ref in zip(responses, references)]
            results = self._call(items)
            leaf_results = [self._components(res) for res in results]
            raw = [res.get("reward") for res in results]
        else:
            items = [{"verifier": name, "response": r, "reference": ref, **({"options": opts} if opts else {})}
                     for r, ref in zip(responses, references) for name, _, opts in self.leaves]
            flat = self._call(items)
            k = len(self.leaves)
            leaf_results = [{name: flat[i * k + j] for j, (name, _, _) in enumerate(self.leaves)} for i in range(n)]
            raw = []
            for leaves in leaf_results:
                values = [leaves[name].get("reward") for name, _, _ in self.leaves]
                raw.append(None if any(v is None for v in values) else
                           sum(w * v for (_, w, _), v in zip(self.leaves, values)))
            results = [next((r for r in leaves.values() if r.get("error")), {"error": None}) for leaves in leaf_results]
        errors = Counter(res["error"]["code"] for res in results if res.get("error"))
        names = list(leaf_results[0].keys()) if leaf_results else []
        components = {name: [leaves.get(name, {}).get("reward") for leaves in leaf_results] for name in names}
        correct = [leaves.get(self.accuracy_leaf, {}).get("correct") for leaves in leaf_results]
        rewards, substituted = self._substitute(raw, groups)
        return RewardBatch(rewards, components, correct, substituted, errors, time.monotonic() - started)

    @staticmethod
    def _components(result):
        """Leaf name -> leaf result (the leaf's verifier name; its path when a name repeats)."""
        if "components" not in result:
            return {result.get("verifier") or "reward": result}
        out = {}
        for comp in result["components"]:
            name = comp.get("verifier") or comp.get("path")
            out[name if name not in out else comp.get("path")] = comp
        return out

    def _substitute(self, raw, groups):
        if self.on_no_verdict == "zero":
            return [0.0 if r is None else float(r) for r in raw], sum(r is None for r in raw)
        verdicts = {}
        for r, g in zip(raw, groups):
            if r is not None:
                verdicts.setdefault(g, []).append(r)
        means = {g: sum(v) / len(v) for g, v in verdicts.items()}
        # A group with no verdict at all gets 0 for everyone: equal rewards, zero advantages.
        return [float(r) if r is not None else means.get(g, 0.0) for r, g in zip(raw, groups)], sum(r is None for r in raw)
