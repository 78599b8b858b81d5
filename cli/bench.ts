/**
 * `bench run <suite> --model-url URL [--model NAME] | --predictions FILE [--data PATH]`,
 * `bench report <run>`, `bench compare <run-a> <run-b>`. Progress and ETA go to stderr; stdout
 * gets `run: <id>`, `accuracy: 29.2% (292/1000)`, the uncertainty, and the breakdown tables.
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { createEngine, type Engine, type EngineOptions, VERIFIERS } from "../verifiers/mod.ts";
import {
  breakdownTables,
  compareRuns,
  findRun,
  type GenerationSpec,
  interval,
  percent,
  ProgressBar,
  pValue,
  reportRun,
  type RunResults,
  runSuite,
  SuiteError,
  summaryLines,
} from "../benchmarks/mod.ts";

const USAGE = `usage:
  bench run <suite> (--model-url URL [--model NAME] | --predictions FILE) [--data PATH] [--runs-dir DIR]
                    [--run-id ID] [--concurrency N] [--timeout SECONDS] [--max-retries N] [--max-tokens N]
                    [--workers N] [--config FILE]
  bench report <run> [--runs-dir DIR]
  bench compare <run-a> <run-b> [--runs-dir DIR]
<suite> is a path or a name under benchmarks/suites/; <run> is a run id under the runs folder
(default ./runs, or ARBITER_RUNS_DIR) or a run folder. The model's API key is read from
ARBITER_MODEL_API_KEY (or OPENAI_API_KEY).`;

/** Paths on the command line are relative to where the user ran the task. */
function userPath(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

function numberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new SuiteError(`--${name}: expected a number, got "${value}"`);
  return n;
}

function printResults(results: RunResults): void {
  console.log(`run: ${results.id}`);
  for (const line of summaryLines(results.summary)) console.log(line);
  for (const table of breakdownTables(results.summary)) console.log(`\n${table}`);
  console.log(`\nreport: ${results.paths.report}`);
}

/** What the effective configuration gives a bench command: the engine's options and the runs folder. */
export interface BenchSettings {
  engine: Partial<EngineOptions>;
  runsDir: string;
}

/**
 * Builds the settings from the flags `--config FILE` and `--workers N` (main.ts passes its one
 * config loader, so `bench` reads `--config` exactly as `serve` and `verify` do); may throw a
 * configuration error.
 */
export type BenchSettingsLoader = (flags: { config?: string; workers?: string }) => BenchSettings;

/** Without main.ts's loader (this file run directly): defaults, one worker per core. */
const defaultSettings: BenchSettingsLoader = () => ({
  engine: { maxQueueItems: Number.MAX_SAFE_INTEGER },
  runsDir: Deno.env.get("ARBITER_RUNS_DIR") ?? "runs",
});

async function withEngine<T>(settings: BenchSettings, body: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine(VERIFIERS, settings.engine);
  try {
    return await body(engine);
  } finally {
    await engine.close();
  }
}

function progressPrinter(): (phase: string, done: number, total: number) => void {
  let bar: ProgressBar | undefined;
  let current = "";
  return (phase, done, total) => {
    if (phase !== "generating" && phase !== "scoring") return;
    if (phase !== current) {
      current = phase;
      bar = new ProgressBar(phase, total);
    }
    bar!.update(done);
  };
}

/** Runs the bench CLI with `args` (after `bench`); returns the exit code. */
export async function runBenchCli(
  args: string[],
  loadSettings: BenchSettingsLoader = defaultSettings,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "model-url": { type: "string" },
        model: { type: "string" },
        predictions: { type: "string" },
        data: { type: "string" },
        "runs-dir": { type: "string" },
        "run-id": { type: "string" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        "max-retries": { type: "string" },
        "max-tokens": { type: "string" },
        workers: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  try {
    const settings = loadSettings({ config: values.config, workers: values.workers });
    const runsDir = userPath(values["runs-dir"] ?? settings.runsDir);
    if (command === "run" && rest.length === 1) {
      const generation: GenerationSpec = {};
      const concurrency = numberFlag(values.concurrency, "concurrency");
      const timeout = numberFlag(values.timeout, "timeout");
      const retries = numberFlag(values["max-retries"], "max-retries");
      const maxTokens = numberFlag(values["max-tokens"], "max-tokens");
      if (concurrency !== undefined) generation.concurrency = Math.max(1, Math.floor(concurrency));
      if (timeout !== undefined) generation.timeout_s = timeout;
      if (retries !== undefined) generation.max_retries = Math.floor(retries);
      if (maxTokens !== undefined) generation.max_tokens = Math.floor(maxTokens);
      const suite = /[/\\]|\.ya?ml$/.test(rest[0]) ? userPath(rest[0]) : rest[0];
      const apiKey = Deno.env.get("ARBITER_MODEL_API_KEY") ?? Deno.env.get("OPENAI_API_KEY");
      const results = await withEngine(settings, (engine) =>
        runSuite(engine, {
          suite,
          dataPath: values.data ? userPath(values.data) : undefined,
          endpoint: values["model-url"]
            ? { url: values["model-url"], model: values.model, apiKey }
            : undefined,
          predictions: values.predictions ? { path: userPath(values.predictions) } : undefined,
          runsDir,
          runId: values["run-id"],
          generation,
        }, progressPrinter()));
      printResults(results);
      return 0;
    }
    if (command === "report" && rest.length === 1) {
      const paths = findRun(runsDir, rest[0].includes("/") ? userPath(rest[0]) : rest[0]);
      printResults(await withEngine(settings, (engine) => reportRun(engine, paths)));
      return 0;
    }
    if (command === "compare" && rest.length === 2) {
      const [a, b] = rest.map((r) => findRun(runsDir, r.includes("/") ? userPath(r) : r));
      const c = await compareRuns(a, b);
      console.log(`run a: ${c.idA}\nrun b: ${c.idB}`);
      console.log(`paired items: ${c.n} (unpaired ${c.unpaired})`);
      console.log(`accuracy a: ${percent(c.meanA)}; accuracy b: ${percent(c.meanB)}`);
      console.log(
        `difference (b - a): ${percent(c.difference)}; SE ${percent(c.se)}; 95% CI ${interval(c.ci95)}`,
      );
      console.log(
        `McNemar: a-only correct ${c.onlyA}, b-only correct ${c.onlyB}; exact p = ${
          pValue(c.mcnemarExactP)
        }; ` +
          `chi-square ${c.mcnemarChiSquare.toFixed(3)}, p = ${pValue(c.mcnemarChiSquareP)}`,
      );
      return 0;
    }
    console.error(USAGE);
    return 2;
  } catch (error) {
    if (
      error instanceof SuiteError || (error as Error)?.name === "ConfigError" ||
      error instanceof Deno.errors.NotFound
    ) {
      console.error(`error: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await runBenchCli(Deno.args));
