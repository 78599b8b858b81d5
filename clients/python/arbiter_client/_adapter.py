"""What the trainer adapters share: the client to use, the item they build, a one-time set-up check."""

from __future__ import annotations

import json
import threading
from typing import Any, Optional, Union

from .client import ArbiterClient
from .errors import ArbiterConfigurationError


#: The result fields adapters ask for by default: enough to tell a verdict from a no-verdict and to
#: log accuracy, without the ``details`` a trainer would decode and throw away.
COMPACT_FIELDS = ("reward", "correct", "reason")

#: Retries of the clients that adapters make: a server that is down mid-step (restarting, replaced)
#: makes the step wait, with backoff up to 30 s between rounds (several minutes in all), before
#: ``ArbiterUnavailableError`` stops the run.
ADAPTER_MAX_RETRIES = 20


def client_of(url_or_client: Union[str, list[str], ArbiterClient]) -> ArbiterClient:
    """An ``ArbiterClient`` for a URL (or list of URLs), patient as a trainer needs; a client is used as it is."""
    if isinstance(url_or_client, ArbiterClient):
        return url_or_client
    return ArbiterClient(url_or_client, max_retries=ADAPTER_MAX_RETRIES)


def check_target(verifier: Optional[str], spec: Any, allow_routing: bool = False) -> None:
    """Raises ``ValueError`` unless exactly one of ``verifier`` and ``spec`` is given.

    With ``allow_routing``, neither is fine too: items then carry ``data_source`` and the server's
    ``routes`` pick the spec.
    """
    if verifier is not None and spec is not None:
        raise ValueError("Give either verifier or spec, not both")
    if verifier is None and spec is None and not allow_routing:
        raise ValueError("Give a verifier name (e.g. verifier='math') or a spec")


def to_json(value: Any) -> Any:
    """``value`` as plain JSON data: NumPy scalars and arrays, Hydra/OmegaConf ``DictConfig`` and
    ``ListConfig``, tuples and mappings become Python numbers, strings, lists and dicts (recursively).

    Trainers hand adapters such values (verl's ground truths are NumPy objects, its reward kwargs
    come from Hydra); sent as they are, they are not JSON. Neither NumPy nor OmegaConf is imported:
    values are recognised by their type's module.

    >>> to_json((1, {"a": [2.5]}))
    [1, {'a': [2.5]}]
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    module = type(value).__module__ or ""
    if module.startswith("omegaconf"):
        from omegaconf import OmegaConf  # present wherever such a value exists

        return to_json(OmegaConf.to_container(value, resolve=True))
    if module.startswith("numpy"):
        return to_json(value.tolist())  # a NumPy scalar gives a Python scalar, an array nested lists
    if isinstance(value, dict) or (hasattr(value, "keys") and hasattr(value, "__getitem__")):
        return {str(key): to_json(value[key]) for key in value.keys()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


#: ``reference_format`` values: how a dataset's reference column is read.
REFERENCE_FORMATS = ("plain", "gsm8k")


def check_reference_format(reference_format: str) -> str:
    """Returns the format, or raises ``ValueError`` naming the accepted ones."""
    if reference_format not in REFERENCE_FORMATS:
        raise ValueError(f"reference_format must be one of {', '.join(REFERENCE_FORMATS)}; got {reference_format!r}")
    return reference_format


def gsm8k_answer(text: str) -> str:
    """The final answer of a GSM8K solution: what follows its last ``####``, without thousands commas.

    A text without ``####`` is taken to be the answer already.

    >>> gsm8k_answer("She sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\n#### 1,018")
    '1018'
    """
    marker = text.rfind("####")
    answer = text[marker + 4 :] if marker >= 0 else text
    return answer.strip().replace(",", "")


def reference_value(reference: Any, reference_format: str = "plain") -> Any:
    """The reference to send: plain JSON (``to_json``); a string that parses as a JSON object is
    sent as that object; with ``reference_format="gsm8k"`` a string is cut to its final answer.

    Datasets often store object references (``{"box": [...]}``) as JSON text; the compat endpoint
    reads OpenRLHF's labels the same way.
    """
    reference = to_json(reference)
    if reference_format == "gsm8k" and isinstance(reference, str):
        return gsm8k_answer(reference)
    if isinstance(reference, str) and reference.lstrip().startswith("{"):
        try:
            parsed = json.loads(reference)
        except ValueError:
            return reference
        if isinstance(parsed, dict):
            return parsed
    return reference


def make_item(
    verifier: Optional[str],
    spec: Any,
    response: str,
    reference: Any,
    options: Optional[dict[str, Any]],
    data_source: Optional[str] = None,
    reference_format: str = "plain",
) -> dict[str, Any]:
    """One verification item, plain JSON; ``reference`` and ``options`` are left out when None."""
    item: dict[str, Any] = {}
    if verifier is not None:
        item["verifier"] = verifier
    elif spec is not None:
        item["spec"] = to_json(spec)
    elif data_source is not None:
        item["data_source"] = data_source
    item["response"] = response
    if reference is not None:
        item["reference"] = reference_value(reference, reference_format)
    if options:
        item["options"] = to_json(options)
    return item


class VerifierCheck:
    """Checks once, on first use, that the server knows the adapter's verifier.

    Without it, a misspelt verifier name would make every item an ``invalid_request`` and a run
    would train on substituted rewards; with it, the first step fails with a clear message.
    """

    def __init__(self, client: ArbiterClient, verifier: Optional[str]) -> None:
        self._client = client
        self._verifier = verifier
        self._done = verifier is None
        self._lock = threading.Lock()

    def __call__(self) -> None:
        if self._done:
            return
        with self._lock:
            if self._done:
                return
            known = self._client.health().get("verifiers") or {}
            if self._verifier not in known:
                raise ArbiterConfigurationError(
                    f"The server at {self._client.urls[0]} has no verifier {self._verifier!r}; "
                    f"it has: {', '.join(sorted(known)) or 'none'}"
                )
            self._done = True
