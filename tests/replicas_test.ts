/**
 * Scale-out on real components: 3 replicas (`main.ts serve`) behind Debian's nginx with the shipped
 * `deploy/nginx/arbiter.conf`, all on 127.0.0.1. The Python client streams batches through nginx
 * from 3 threads; one replica is killed (SIGKILL) a third of the way through and another stopped
 * (SIGTERM, a drain) at two thirds. Every item must come back exactly once with the right reward.
 * Then the client is pointed at the replicas directly, the gone ones included, and fails over by
 * itself. Bounded: every wait has a deadline.
 */
import assert from "node:assert/strict";
import {
  ensureNginx,
  freePort,
  type Running,
  startNginx,
  startReplica,
  stop,
  writeNginxConfig,
} from "./replicas_nginx.ts";

const clientDir = new URL("../clients/python", import.meta.url).pathname;

// Items with a known reward: a box [0, 0, 100, k] against [0, 0, 100, 100] has IoU k / 100.
// The client prints "done N" after each batch and writes {id: reward} to argv[2] at the end.
const CLIENT = `
import json, sys, threading
from concurrent.futures import ThreadPoolExecutor
from arbiter_client import ArbiterClient

urls, out_path, batches, size = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = ArbiterClient(urls, timeout=30, max_retries=10, backoff_base_s=0.05, backoff_max_s=1, failover_cooldown_s=30)
lock = threading.Lock()
answers = {}
done = [0]

def item(n):
    k = 1 + n % 100
    return {"id": f"i{n}", "verifier": "iou", "response": f"<answer>[0, 0, 100, {k}]</answer>",
            "reference": {"box": [0, 0, 100, 100]}}

def run(b):
    items = [item(b * size + j) for j in range(size)]
    results = client.verify_batch(items)
    with lock:
        for it, result in zip(items, results):
            answers.setdefault(it["id"], []).append([result.get("id"), result["reward"], result["error"]])
        done[0] += 1
        print(f"done {done[0]}", flush=True)

with ThreadPoolExecutor(3) as pool:
    list(pool.map(run, range(batches)))
json.dump(answers, open(out_path, "w"))
`;

/** Runs the Python client; calls `onProgress(batchesDone)` as batches finish; bounded by `timeoutMs`. */
async function runClient(
  urls: string[],
  outPath: string,
  batches: number,
  size: number,
  timeoutMs: number,
  onProgress: (done: number) => void = () => {},
): Promise<Record<string, [string, number, unknown][]>> {
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", CLIENT, JSON.stringify(urls), outPath, String(batches), String(size)],
    env: { PYTHONPATH: clientDir },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let buffer = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) if (line.startsWith("done ")) onProgress(Number(line.slice(5)));
  }
  const status = await child.status;
  assert.ok(status.success, `the client failed (or ran past ${timeoutMs} ms):\n${await stderr}`);
  return JSON.parse(await Deno.readTextFile(outPath));
}

/** Every item answered exactly once, with its own id and the reward its box has. */
function assertAnswered(answers: Record<string, [string, number, unknown][]>, count: number): void {
  assert.equal(Object.keys(answers).length, count);
  for (let n = 0; n < count; n++) {
    const got = answers[`i${n}`];
    assert.ok(got, `item i${n} has an answer`);
    assert.equal(got.length, 1, `item i${n} answered once`);
    const [id, reward, error] = got[0];
    assert.equal(id, `i${n}`);
    assert.equal(error, null, `i${n}: ${JSON.stringify(error)}`);
    assert.ok(Math.abs(reward - (1 + n % 100) / 100) < 1e-9, `i${n}: reward ${reward}`);
  }
}

Deno.test({
  name:
    "3 replicas behind nginx: a replica killed and one drained mid-run lose no item; the client also fails over",
  // Child processes' pipes are closed by stop(); the sanitizers see them settle.
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const nginx = await ensureNginx();
    const dir = await Deno.makeTempDir({ prefix: "arbiter-replicas-" });
    const replicas: Running[] = [];
    let balancer: Running | undefined;
    try {
      const ports = [freePort(), freePort(), freePort()];
      const listen = freePort();
      const started = await Promise.allSettled(ports.map((port) => startReplica(port, 1)));
      for (const s of started) if (s.status === "fulfilled") replicas.push(s.value);
      for (const s of started) if (s.status === "rejected") throw s.reason;
      balancer = startNginx(nginx, dir, await writeNginxConfig(dir, listen, ports));
      const base = `http://127.0.0.1:${listen}`;
      const deadline = Date.now() + 20_000;
      while (
        !(await fetch(`${base}/healthz`).then((r) => r.ok && r.body?.cancel().then(() => true), () => false))
      ) {
        assert.ok(Date.now() < deadline, `nginx did not come up:\n${balancer.text()}`);
        await new Promise((r) => setTimeout(r, 100));
      }

      // A body over max_body_bytes is refused by nginx itself, in the API's error shape.
      const tooLarge = await fetch(`${base}/v1/verify/batch`, {
        method: "POST",
        body: new Uint8Array(65 * 1024 * 1024),
        headers: { "content-type": "application/json" },
      });
      assert.equal(tooLarge.status, 413);
      assert.equal((await tooLarge.json()).error.code, "invalid_request");

      // 120 batches of 250 items from 3 threads. Once a third are done, replica 2 is killed
      // (SIGKILL: a crash); once two thirds are, replica 3 is stopped (SIGTERM: a drain, as in a
      // rolling update). Replica 1 serves the rest.
      const batches = 120;
      const size = 250;
      let killedAt = -1;
      let stoppedAt = -1;
      const answers = await runClient([base], `${dir}/through_nginx.json`, batches, size, 180_000, (done) => {
        if (killedAt < 0 && done >= batches / 3) {
          killedAt = done;
          replicas[1].child.kill("SIGKILL");
        }
        if (stoppedAt < 0 && done >= (2 * batches) / 3) {
          stoppedAt = done;
          replicas[2].child.kill("SIGTERM");
        }
      });
      assert.ok(
        killedAt > 0 && stoppedAt > killedAt && stoppedAt < batches,
        `mid-run: ${killedAt}, ${stoppedAt}`,
      );
      assertAnswered(answers, batches * size);
      const drained = await replicas[2].child.status;
      assert.equal(drained.code, 0, "the drained replica exited cleanly");
      assert.match(replicas[2].text(), /SIGTERM: finishing in-flight requests[\s\S]*stopped/);
      const log = await Deno.readTextFile(`${dir}/error.log`);
      assert.match(log, new RegExp(`127\\.0\\.0\\.1:${ports[1]}`), "nginx met the dead replica and moved on");

      // Client-side failover: the replicas' own URLs, the two gone ones first in the ring.
      const direct = [ports[1], ports[2], ports[0]].map((p) => `http://127.0.0.1:${p}`);
      assertAnswered(await runClient(direct, `${dir}/direct.json`, 12, 250, 60_000), 12 * 250);
    } finally {
      if (balancer) await stop(balancer, "SIGQUIT");
      await Promise.all(replicas.map((r) => stop(r)));
      await Deno.remove(dir, { recursive: true });
    }
  },
});
