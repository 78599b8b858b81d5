"""Python client for Arbiter, the sandboxed reward-verification server (stdlib only).

- ``ArbiterClient`` (sync) and ``AsyncArbiterClient`` (asyncio): ``health()``, ``verifiers()``,
  ``verify(item)``, ``verify_batch(items, budget_ms=None)``.
- ``arbiter_client.trl.reward_function``: a TRL reward function.
- ``arbiter_client.verl.compute_score`` / ``compute_score_batch``: verl reward functions.
- ``arbiter_client.substitution``: what a result without a verdict becomes (``on_no_verdict``).
"""

from .aio import AsyncArbiterClient
from .client import ArbiterClient
from .errors import (
    ArbiterAuthError,
    ArbiterCallerError,
    ArbiterConfigurationError,
    ArbiterError,
    ArbiterHTTPError,
    ArbiterPayloadTooLarge,
    ArbiterProtocolError,
    ArbiterUnavailableError,
)
from .substitution import SubstitutionCounter, SubstitutionReport, substitute_rewards

__version__ = "0.1.0"

__all__ = [
    "ArbiterAuthError",
    "ArbiterCallerError",
    "ArbiterClient",
    "ArbiterConfigurationError",
    "ArbiterError",
    "ArbiterHTTPError",
    "ArbiterPayloadTooLarge",
    "ArbiterProtocolError",
    "ArbiterUnavailableError",
    "AsyncArbiterClient",
    "SubstitutionCounter",
    "SubstitutionReport",
    "substitute_rewards",
]
