"""What every contract test shares: the real Arbiter server (``clients/python/tests/_support.py``),
a plain JSON POST like the trainers' own HTTP calls, and the group-normalised advantages that GRPO-style
estimators compute from a reward tensor (each test cites the trainer file it follows).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # _support: real servers
sys.path.insert(0, str(HERE.parent))  # arbiter_client from the checkout

import torch  # noqa: E402

from _support import arbiter  # noqa: E402,F401  (re-exported for the tests)


def post_json(url: str, body: Any) -> Any:
    """POSTs ``body`` as JSON and parses the answer, as ``requests.post(...).json()`` / aiohttp's ``json()`` do."""
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=180) as answer:
        return json.loads(answer.read())


def group_norm(rewards: torch.Tensor, samples_per_prompt: int) -> torch.Tensor:
    """(r - group mean) / (group std + 1e-9) over consecutive groups of ``samples_per_prompt``."""
    grouped = rewards.reshape(-1, samples_per_prompt)
    return ((grouped - grouped.mean(-1, keepdim=True)) / (grouped.std(-1, keepdim=True) + 1e-9)).reshape(-1)


README = HERE.parent / "README.md"


def snippet(name: str, path: Path = README) -> str:
    """The fenced code block right after ``<!-- snippet: NAME -->`` in a README (the tests run what the docs show)."""
    text = path.read_text()
    marker = f"<!-- snippet: {name} -->"
    start = text.index(marker) + len(marker)
    fence = text.index("```", start)
    body_start = text.index("\n", fence) + 1
    return text[body_start : text.index("```", body_start)]


def local(text: str, url: str) -> str:
    """A snippet pointed at the test server instead of the documented default address."""
    return text.replace("http://127.0.0.1:8787", url)
