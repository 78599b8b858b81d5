"""Times a batch over HTTP as a Python trainer calls it: a separate process, the body encoded and the
answer decoded by the standard library (or by the project's client). Prints one JSON line.

usage: python3 http_client_bench.py URL ITEMS.json ROUNDS [FIELDS_JSON]
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

url, path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
fields = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
with open(path, encoding="utf-8") as f:
    items = json.load(f)
parsed = urllib.parse.urlparse(url)


def stdlib_round(conn: http.client.HTTPConnection) -> float:
    started = time.perf_counter()
    body = {"items": items}
    if fields is not None:
        body["fields"] = fields
    data = json.dumps(body).encode()
    conn.request("POST", "/v1/verify/batch", body=data, headers={"content-type": "application/json"})
    response = conn.getresponse()
    results = json.loads(response.read())["results"]
    assert response.status == 200 and len(results) == len(items), response.status
    return (time.perf_counter() - started) * 1000


conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)  # keep-alive, as a trainer would
for _ in range(3):
    stdlib_round(conn)
times = [stdlib_round(conn) for _ in range(rounds)]
print(json.dumps({"p50_ms": statistics.median(times), "p90_ms": sorted(times)[int(0.9 * (len(times) - 1))], "rounds": rounds}))
