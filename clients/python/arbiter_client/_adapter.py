"""What the trainer adapters share: the client to use, the item they build, a one-time set-up check."""

from __future__ import annotations

import json
import threading
from typing import Any, Optional, Union

from .client import ArbiterClient
from .errors import ArbiterConfigurationError


def client_of(url_or_client: Union[str, list[str], ArbiterClient]) -> ArbiterClient:
    """An ``ArbiterClient`` for a URL (or list of URLs); a client is used as it is."""
    if isinstance(url_or_client, ArbiterClient):
        return url_or_client
    return ArbiterClient(url_or_client)


def check_target(verifier: Optional[str], spec: Any, allow_routing: bool = False) -> None:
    """Raises ``ValueError`` unless exactly one of ``verifier`` and ``spec`` is given.

    With ``allow_routing``, neither is fine too: items then carry ``data_source`` and the server's
    ``routes`` pick the spec.
    """
    if verifier is not None and spec is not None:
        raise ValueError("Give either verifier or spec, not both")
    if verifier is None and spec is None and not allow_routing:
        raise ValueError("Give a verifier name (e.g. verifier='math') or a spec")


def plain(value: Any) -> Any:
    """Numpy scalars and arrays (verl passes them) as plain Python values; anything else unchanged."""
    to_list = getattr(value, "tolist", None)
    return to_list() if callable(to_list) and not isinstance(value, (str, bytes)) else value


def reference_value(reference: Any) -> Any:
    """The reference to send: a string that parses as a JSON object is sent as that object.

    Datasets often store object references (``{"box": [...]}``) as JSON text; the compat endpoint
    reads OpenRLHF's labels the same way.
    """
    reference = plain(reference)
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
) -> dict[str, Any]:
    """One verification item; ``reference`` and ``options`` are left out when None."""
    item: dict[str, Any] = {}
    if verifier is not None:
        item["verifier"] = verifier
    elif spec is not None:
        item["spec"] = spec
    elif data_source is not None:
        item["data_source"] = data_source
    item["response"] = response
    if reference is not None:
        item["reference"] = reference_value(reference)
    if options:
        item["options"] = options
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
