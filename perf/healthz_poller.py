"""Polls `/healthz` as a load balancer or kubelet probe does: a separate process, one keep-alive
connection, every 10 ms, until its standard input closes; then prints the latencies (ms) as one
JSON list. Used by healthz_bench.ts so that the measuring process holds no batch and no garbage.

usage: python3 healthz_poller.py URL
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

parsed = urllib.parse.urlparse(sys.argv[1])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
latencies = []
print("polling", flush=True)
while not stop.is_set():
    started = time.perf_counter()
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"/healthz answered {response.status}")
    latencies.append((time.perf_counter() - started) * 1000)
    time.sleep(0.01)
print(json.dumps(latencies), flush=True)
