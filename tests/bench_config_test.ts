/**
 * `deno task bench` (main.ts) honours `--config` through the same `engineOptions(config)` as `serve` and `verify`: a
 * suite that scores with a named spec (defined only in the config file) gets verdicts when the
 * config is given, and a no-verdict error per item (never a silent 0) when it is not.
 */
import assert from "node:assert/strict";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;
const SUITE = new URL("../benchmarks/suites/format_mini.yaml", import.meta.url);

interface ResultsFile {
  summary: { items: number; verdicts: number; overall: { correct: number }; errors: Record<string, number> };
}

/** `deno task bench …` as a user runs it: main.ts in a subprocess; returns the exit code. */
async function bench(args: string[]): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "bench", ...args],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  return out.code;
}

Deno.test("bench run --config: a named spec from the config file scores the suite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arbiter_bench_config_" });
  try {
    // format_mini, scored by the named spec "tagged" instead of an inline verifier.
    const suite = (await Deno.readTextFile(SUITE))
      .replace("../../fixtures/bench/format_mini.jsonl", `${FIXTURES}format_mini.jsonl`)
      .replace("name: format_mini", "name: format_named_spec")
      .replace(
        /scoring:\n {2}verifier: format\n {2}options:\n {4}tags: \[think, answer\]\n/,
        "scoring:\n  spec: tagged\n",
      );
    assert.match(suite, /spec: tagged/);
    await Deno.writeTextFile(`${dir}/suite.yaml`, suite);
    await Deno.writeTextFile(
      `${dir}/arbiter.yaml`,
      "specs:\n  tagged:\n    min:\n      - verifier: format\n        options: {tags: [think, answer]}\n",
    );
    const good = "<think>ok</think><answer>x</answer>";
    const responses: Record<string, string> = { f1: good, f2: "no tags", f3: good, f4: good, f5: "x" };
    await Deno.writeTextFile(
      `${dir}/preds.jsonl`,
      Object.entries(responses).map(([id, response]) => JSON.stringify({ id, response })).join("\n") + "\n",
    );
    const run = (runsDir: string, extra: string[]) =>
      bench([
        "run",
        `${dir}/suite.yaml`,
        "--predictions",
        `${dir}/preds.jsonl`,
        "--runs-dir",
        `${dir}/${runsDir}`,
        "--run-id",
        "r",
        "--workers",
        "1",
        ...extra,
      ]);
    const results = async (runsDir: string) =>
      JSON.parse(await Deno.readTextFile(`${dir}/${runsDir}/r/results.json`)) as ResultsFile;

    assert.equal(await run("with", ["--config", `${dir}/arbiter.yaml`]), 0);
    const withConfig = await results("with");
    assert.equal(withConfig.summary.items, 5);
    assert.equal(withConfig.summary.verdicts, 5);
    assert.equal(withConfig.summary.overall.correct, 3);

    // Without the config the spec name is unknown: every item is a no-verdict error, none scored.
    assert.equal(await run("without", []), 0);
    const without = await results("without");
    assert.equal(without.summary.verdicts, 0);
    assert.equal(Object.values(without.summary.errors).reduce((a, b) => a + b, 0), 5);

    // A config file that does not parse as configuration is refused before anything runs.
    await Deno.writeTextFile(`${dir}/bad.yaml`, "no_such_key: 1\n");
    assert.equal(await run("bad", ["--config", `${dir}/bad.yaml`]), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
