/**
 * What an HTTP caller may make the benchmark API touch (#12, failure 8): files only under the
 * configured data roots (built-in suites excepted), never `..` or other absolute paths, parse errors
 * that never quote a file, and model endpoints only from `model_url_allow` (default: loopback).
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import {
  DataRoots,
  PathNotAllowedError,
  UrlAllowList,
  UrlNotAllowedError,
} from "../verifiers/_access/mod.ts";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { type BenchmarkAccessConfig, benchmarkRoutes } from "../routes/benchmarks.ts";
import { renderError } from "../routes/errors.ts";

const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;
const SECRET = "root:$6$s3cr3tHASH$abcdef:19000:0:99999:7:::";

Deno.test("DataRoots: paths under a root resolve; outside, '..', NUL and symlinks out are refused", async () => {
  const root = await Deno.makeTempDir({ prefix: "arbiter_roots_" });
  const outside = await Deno.makeTempDir({ prefix: "arbiter_outside_" });
  try {
    await Deno.mkdir(`${root}/sub`);
    await Deno.writeTextFile(`${root}/sub/a.jsonl`, "{}\n");
    await Deno.writeTextFile(`${outside}/secret`, SECRET);
    await Deno.symlink(`${outside}/secret`, `${root}/link`);
    await Deno.symlink(outside, `${root}/dirlink`);
    const roots = new DataRoots([root]);
    assert.equal(roots.resolve("sub/a.jsonl", "predictions"), `${root}/sub/a.jsonl`);
    assert.equal(roots.resolve(`${root}/sub/a.jsonl`, "predictions"), `${root}/sub/a.jsonl`);
    assert.equal(roots.resolve("sub/not_yet.jsonl", "predictions"), `${root}/sub/not_yet.jsonl`);
    const refused: [string, RegExp][] = [
      ["/etc/shadow", /predictions: "\/etc\/shadow" is outside the server's data_roots/],
      [`${outside}/secret`, /outside the server's data_roots/],
      ["../etc/passwd", /may not contain "\.\."/],
      [`${root}/sub/../../etc/passwd`, /may not contain "\.\."/],
      ["sub\\..\\..\\x", /may not contain "\.\."/],
      ["sub/a.jsonl\0", /non-empty path/],
      ["", /non-empty path/],
      ["link", /leads outside the server's data_roots/],
      ["dirlink/secret", /leads outside the server's data_roots/],
    ];
    for (const [path, message] of refused) {
      assert.throws(() => roots.resolve(path, "predictions"), (e: Error) => {
        assert.ok(e instanceof PathNotAllowedError, path);
        assert.match(e.message, message, path);
        assert.doesNotMatch(e.message, /s3cr3t/);
        return true;
      });
    }
    assert.throws(() => new DataRoots([]).resolve("a.jsonl", "data"), /data_roots is empty/);
    assert.equal(roots.contains(`${root}/sub/a.jsonl`), true);
    assert.equal(roots.contains(`${root}/link`), false);
    assert.equal(roots.contains("/etc/passwd"), false);
    assert.equal(roots.contains(`${root}x/a`), false, "a sibling folder sharing the prefix is not inside");
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("UrlAllowList: loopback by default; prefixes match scheme, host, port and path segments", () => {
  const loopback = new UrlAllowList();
  for (
    const ok of [
      "http://127.0.0.1:8000/v1",
      "http://localhost/v1",
      "https://[::1]:9/v1",
      "http://127.3.2.1/",
      "http://2130706433/v1", // 127.0.0.1 written as one number
    ]
  ) assert.equal(loopback.check(ok, "model_url") instanceof URL, true, ok);
  const foreign = [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1:8000/v1",
    "https://api.openai.com/v1",
    "http://127.0.0.1.nip.io/v1",
    "http://0.0.0.0:8000/v1",
    "http://[::ffff:127.0.0.1]/v1",
    "file:///etc/shadow",
    "ftp://127.0.0.1/",
    "http://user:pw@127.0.0.1/v1",
    "not a url",
  ];
  for (const url of foreign) {
    assert.throws(() => loopback.check(url, "model_url"), UrlNotAllowedError, url);
  }
  const listed = new UrlAllowList(["https://api.example.com/v1"]);
  assert.equal(listed.check("https://api.example.com/v1/chat/completions", "m").host, "api.example.com");
  assert.equal(listed.check("https://api.example.com/v1", "m").pathname, "/v1");
  for (
    const url of [
      "https://api.example.com/v10",
      "https://api.example.com/v2/chat",
      "http://api.example.com/v1",
      "https://api.example.com:444/v1",
      "https://api.example.com.evil.org/v1",
      "http://127.0.0.1/v1", // loopback is not implied once the list is set
    ]
  ) {
    assert.throws(
      () => listed.check(url, "model_url"),
      /not on the server's model_url_allow list|http\(s\)/,
      url,
    );
  }
  assert.throws(() => new UrlAllowList(["ftp://x"]), /neither "loopback" nor an http\(s\) URL prefix/);
});

async function withServer(
  config: BenchmarkAccessConfig,
  body: (base: string, runsDir: string) => Promise<void>,
): Promise<void> {
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_runs_" });
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const app = new Hono();
  app.route("/", benchmarkRoutes(engine, runsDir, config));
  app.onError(renderError);
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    app.fetch,
  );
  try {
    await body(`http://127.0.0.1:${server.addr.port}`, runsDir);
  } finally {
    controller.abort();
    await server.finished;
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
}

async function post(base: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/v1/benchmarks/runs`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function waitForRun(base: string, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 400; i++) {
    const state = await (await fetch(`${base}/v1/benchmarks/runs/${id}`)).json();
    if (state.status !== "running") return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${id} did not finish`);
}

Deno.test("HTTP: /etc/shadow-style paths, '..', foreign URLs and quoting parse errors are refused", async () => {
  const root = await Deno.makeTempDir({ prefix: "arbiter_roots_" });
  const outside = await Deno.makeTempDir({ prefix: "arbiter_outside_" });
  try {
    await Deno.writeTextFile(`${outside}/shadow`, SECRET + "\n");
    await Deno.writeTextFile(`${root}/secret.jsonl`, SECRET + "\n");
    await Deno.writeTextFile(`${root}/secret_suite.yaml`, `password: "${SECRET}"\n`);
    await Deno.writeTextFile(`${root}/broken.yaml`, `name: [${SECRET}\n`);
    const formatSuite = await Deno.readTextFile(
      new URL("../benchmarks/suites/format_mini.yaml", import.meta.url),
    );
    // A suite inside the roots whose dataset points outside them.
    await Deno.writeTextFile(
      `${root}/escaping_suite.yaml`,
      formatSuite.replace("../../fixtures/bench/format_mini.jsonl", `${outside}/shadow`),
    );
    // A suite and its dataset inside the roots: allowed.
    await Deno.copyFile(`${FIXTURES}format_mini.jsonl`, `${root}/format_mini.jsonl`);
    await Deno.writeTextFile(
      `${root}/own_suite.yaml`,
      formatSuite.replace("../../fixtures/bench/format_mini.jsonl", "format_mini.jsonl"),
    );
    await Deno.writeTextFile(
      `${root}/preds.jsonl`,
      ["f1", "f2", "f3", "f4", "f5"].map((id) =>
        JSON.stringify({ id, response: "<think>a</think><answer>b</answer>" })
      )
        .join("\n"),
    );

    await withServer({ dataRoots: [root] }, async (base) => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ suite: "format_mini", predictions: "/etc/shadow" }, /predictions: "\/etc\/shadow" is outside/],
        [{ suite: "format_mini", predictions: `${outside}/shadow` }, /outside the server's data_roots/],
        [{ suite: "format_mini", predictions: "../../../../etc/shadow" }, /may not contain "\.\."/],
        [{ suite: "/etc/passwd", predictions: [] }, /suite: "\/etc\/passwd" is outside/],
        [{ suite: "../etc/passwd.yaml", predictions: [] }, /may not contain "\.\."/],
        [{ suite: "format_mini", data: "/etc/shadow", predictions: [] }, /data: "\/etc\/shadow" is outside/],
        [
          { suite: "escaping_suite.yaml", predictions: [] },
          /dataset\.path of suite format_mini leads outside/,
        ],
        [
          { suite: "secret_suite.yaml", predictions: [] },
          /secret_suite.yaml is invalid: \(suite\): must have required/,
        ],
        [{ suite: "broken.yaml", predictions: [] }, /is not valid YAML/],
        [
          { suite: "format_mini", model_url: "http://169.254.169.254/latest/" },
          /not on the server's model_url_allow/,
        ],
        [
          { suite: "format_mini", model_url: "https://example.com/v1" },
          /not on the server's model_url_allow/,
        ],
        [{ suite: "format_mini", model_url: "file:///etc/shadow" }, /must be an http\(s\) URL/],
        [{ suite: "format_mini", generation: { max_tokens: "lots" } }, /generation/],
      ];
      for (const [body, message] of cases) {
        const { status, json } = await post(base, { model_url: undefined, ...body });
        const error = json.error as { code: string; message: string };
        assert.equal(status, 400, JSON.stringify(body));
        assert.equal(error.code, "invalid_request");
        assert.match(error.message, message, JSON.stringify(body));
        assert.doesNotMatch(error.message, /s3cr3t|password|root:/, JSON.stringify(body));
      }

      // A predictions file inside the roots that is not JSON: the run fails without quoting it.
      const started = await post(base, { suite: "format_mini", predictions: "secret.jsonl" });
      assert.equal(started.status, 202);
      const failed = await waitForRun(base, started.json.id as string);
      assert.equal(failed.status, "failed");
      assert.match(failed.error as string, /secret\.jsonl:1: not valid JSON/);
      assert.doesNotMatch(failed.error as string, /s3cr3t|root:/);

      // A suite, dataset and predictions under the roots run; so does a built-in suite.
      const own = await post(base, { suite: "own_suite.yaml", predictions: "preds.jsonl" });
      assert.equal(own.status, 202, JSON.stringify(own.json));
      const done = await waitForRun(base, own.json.id as string);
      assert.equal(done.status, "done", JSON.stringify(done));
      assert.equal((done.results as { summary: { items: number } }).summary.items, 5);
    });

    // Without data roots only built-in suites with inline predictions are accepted.
    await withServer({}, async (base) => {
      const { status, json } = await post(base, { suite: "format_mini", predictions: `${root}/preds.jsonl` });
      assert.equal(status, 400);
      assert.match((json.error as { message: string }).message, /data_roots is empty/);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
