"""Times judge items over HTTP as a trainer sends them: a separate process, the standard library's
json to encode and decode, compact results. A warm-up of 256 items, then 4,096 distinct items (each
a call to the judge), then the same 4,096 items five times (all cache hits). Prints one JSON line.

usage: python3 judge_http_client.py URL JUDGE_NAME
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

url, judge = urllib.parse.urlparse(sys.argv[1]), sys.argv[2]


def items(base: int, n: int) -> list:
    return [
        {
            "verifier": "judge",
            "prompt": f"Question {i}: what is {i} + {i}?",
            "response": f"The answer is {2 * i}.",
            "reference": str(2 * i),
            "options": {"judge": judge, "template": "equivalence"},
        }
        for i in range(base, base + n)
    ]


def post(batch: list) -> float:
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    started = time.perf_counter()
    body = json.dumps({"items": batch, "fields": ["reward", "correct", "reason"]}).encode()
    conn.request("POST", "/v1/verify/batch", body=body, headers={"content-type": "application/json"})
    response = conn.getresponse()
    results = json.loads(response.read())["results"]
    ms = (time.perf_counter() - started) * 1000
    if response.status != 200 or len(results) != len(batch) or any(r["reward"] != 1 for r in results):
        raise SystemExit(f"unexpected answer: HTTP {response.status}, {results[:2]}")
    conn.close()
    return ms


post(items(1_000_000, 256))
batch = items(0, len(sys.argv) > 3 and int(sys.argv[3]) or 4096)
cold_ms = post(batch)
hits_ms = [post(batch) for _ in range(5)]
print(json.dumps({"items": len(batch), "cold_ms": cold_ms, "hits_ms": statistics.median(hits_ms)}))
