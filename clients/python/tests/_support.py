"""Test support: real Arbiter servers (started once, stopped at exit) and a scriptable stub server.

The real servers are started as a user starts them (``deno run ... main.ts serve --port 0``); the
``deno`` binary is ``$ARBITER_DENO`` or the one on PATH.
"""

from __future__ import annotations

import atexit
import http.client
import http.server
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[3]
MAIN_TS = REPO / "main.ts"

#: The API key of the ``small`` server.
API_KEY = "test-key-1"
#: The body limit of the ``small`` server.
SMALL_BODY_BYTES = 4096

# The client logs retries and substitutions on "arbiter_client"; tests that care use assertLogs.
logging.getLogger("arbiter_client").addHandler(logging.NullHandler())
logging.getLogger("arbiter_client").propagate = False

_servers: dict[str, "ArbiterProcess"] = {}
_lock = threading.Lock()


class ArbiterProcess:
    """A running ``main.ts serve`` subprocess."""

    def __init__(self, env: dict[str, str], args: Optional[list[str]] = None) -> None:
        deno = os.environ.get("ARBITER_DENO") or shutil.which("deno")
        if not deno:
            raise RuntimeError("deno is needed to start the Arbiter server (set ARBITER_DENO or put it on PATH)")
        command = [
            # The permissions of `deno task start` (deno.json).
            deno, "run", "--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-sys",
            "--allow-run", "--allow-ffi",
            str(MAIN_TS), "serve", "--port", "0", "--workers", "1", *(args or []),
        ]
        clean_env = {k: v for k, v in os.environ.items() if not k.startswith("ARBITER_")}
        clean_env.update(env, NO_COLOR="1")
        self.process = subprocess.Popen(command, env=clean_env, stdout=subprocess.PIPE, text=True)
        self.output = ""
        self.url = ""
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        while not self.url and time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"The server exited before listening:\n{self.output}")
            self.output += line
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.url = match.group(1)
        if not self.url:
            self.stop()
            raise RuntimeError(f"The server did not listen within 60 s:\n{self.output}")

    def stop(self) -> None:
        """SIGTERM, then wait (SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def _server(name: str, env: dict[str, str], config: Optional[str] = None) -> str:
    with _lock:
        if name not in _servers:
            args = []
            if config is not None:
                handle, path = tempfile.mkstemp(prefix="arbiter_test_", suffix=".yaml")
                with os.fdopen(handle, "w") as file:
                    file.write(config)
                atexit.register(os.remove, path)
                args = ["--config", path]
            _servers[name] = ArbiterProcess(env, args)
        return _servers[name].url


def arbiter() -> str:
    """The URL of a real server with the default configuration."""
    return _server("default", {})


#: The config of the ``small`` server: a named spec, and a route for verl-style ``data_source`` items.
SMALL_CONFIG = """
specs:
  math_and_format:
    sum:
      - {weight: 0.9, verifier: math}
      - {weight: 0.1, verifier: format}
routes:
  openai/gsm8k: math_and_format
"""


def arbiter_small() -> str:
    """A real server with ``max_body_bytes`` = 4096, the API key ``API_KEY``, and ``SMALL_CONFIG``."""
    env = {"ARBITER_MAX_BODY_BYTES": str(SMALL_BODY_BYTES), "ARBITER_API_KEYS": API_KEY}
    return _server("small", env, SMALL_CONFIG)


@atexit.register
def _stop_servers() -> None:
    for server in _servers.values():
        server.stop()


def dead_url() -> str:
    """A URL where nothing listens (a port that was just free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class Seen:
    """A request the stub received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class StubServer:
    """A stdlib HTTP server that answers from a script, then forwards to ``upstream``.

    Each request takes the next action of ``script``: ``("status", code, headers)`` answers that
    status with an error body; ``("json", code, value)`` answers a JSON body; ``("sleep", s)``
    waits ``s`` seconds and then forwards; ``"forward"`` forwards. With the script used up (or for
    requests to another path than ``script_path``, when set), it forwards.
    """

    script: list[Any] = field(default_factory=list)
    upstream: Optional[str] = None
    #: When set, only requests to this path take script actions; the others are forwarded.
    script_path: Optional[str] = None
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                stub._handle(self)

            def do_POST(self) -> None:
                stub._handle(self)

        self._lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stops the server."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "StubServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.seen.append(Seen(handler.command, handler.path, headers, body, time.monotonic()))
            scripted = self.script_path is None or handler.path == self.script_path
            action = self.script.pop(0) if self.script and scripted else "forward"
        if isinstance(action, tuple) and action[0] == "status":
            _, code, extra = action
            payload = json.dumps({"error": {"code": "stub", "message": f"scripted {code}"}}).encode()
            self._answer(handler, code, payload, extra)
        elif isinstance(action, tuple) and action[0] == "json":
            self._answer(handler, action[1], json.dumps(action[2]).encode(), {})
        else:
            if isinstance(action, tuple) and action[0] == "sleep":
                time.sleep(action[1])
            self._forward(handler, body, headers)

    def _answer(self, handler: http.server.BaseHTTPRequestHandler, code: int, payload: bytes, extra: dict) -> None:
        try:
            handler.send_response(code)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.send_header("Connection", "close")
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the client gave up (a timeout test)
        handler.close_connection = True

    def _forward(self, handler: http.server.BaseHTTPRequestHandler, body: bytes, headers: dict[str, str]) -> None:
        if not self.upstream:
            self._answer(handler, 502, b'{"error":{"code":"stub","message":"no upstream"}}', {})
            return
        target = urlsplit(self.upstream)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        keep = {k: v for k, v in headers.items() if k in ("content-type", "authorization", "accept")}
        connection.request(handler.command, handler.path, body=body or None, headers=keep)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        extra = {k: v for k, v in response.getheaders() if k.lower() == "retry-after"}
        self._answer(handler, response.status, data, extra)


def math_item(i: int, answer: Optional[int] = None, pad: int = 0) -> dict[str, Any]:
    """A math item whose reward is 1 when ``answer`` (default ``i``) equals ``i``, with ``pad`` filler chars."""
    given = i if answer is None else answer
    return {
        "id": f"item-{i}",
        "verifier": "math",
        "response": f"{'x' * pad} so the answer is \\boxed{{{given}}}",
        "reference": str(i),
    }
