/**
 * `bench run`: flags to a run request, progress on stderr, "Resuming: N of M items already
 * generated", the summary on stdout. Ctrl-C stops new requests, scores and reports what was
 * generated, and prints the command that resumes the run; so does the circuit breaker.
 */
import { resolve } from "node:path";
import type { Engine } from "../verifiers/mod.ts";
import {
  breakdownTables,
  type GenerationSpec,
  ProgressBar,
  type RunResults,
  runSuite,
  SuiteError,
  summaryLines,
} from "../benchmarks/mod.ts";

/** Paths on the command line are relative to where the user ran the task. */
export function userPath(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

/** A numeric flag as given (the generation schema then checks integers and ranges). */
export function numberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new SuiteError(`--${name}: expected a number, got "${value}"`);
  }
  return n;
}

/** The summary, the breakdown tables and where the report is. */
export function printResults(results: RunResults): void {
  console.log(`run: ${results.id}`);
  for (const o of results.meta.options ?? []) console.log(`run option ${o.name}: ${o.description}`);
  for (const line of summaryLines(results.summary)) console.log(line);
  for (const table of breakdownTables(results.summary)) console.log(`\n${table}`);
  console.log(`\nreport: ${results.paths.report}`);
}

function progressPrinter(): (phase: string, done: number, total: number) => void {
  let bar: ProgressBar | undefined;
  let current = "";
  return (phase, done, total) => {
    if (phase === "resuming") {
      console.error(`Resuming: ${done} of ${total} items already generated`);
      return;
    }
    if (phase !== "generating" && phase !== "scoring") return;
    if (phase !== current) {
      current = phase;
      bar = new ProgressBar(phase, total);
    }
    bar!.update(done);
  };
}

/** The flags `bench run` reads. */
export interface RunFlags {
  "model-url"?: string;
  model?: string;
  predictions?: string;
  data?: string;
  "data-sha256"?: string;
  "run-id"?: string;
  concurrency?: string;
  timeout?: string;
  "max-retries"?: string;
  "max-tokens"?: string;
  temperature?: string;
  seed?: string;
  samples?: string;
  limit?: string;
  ids?: string;
  "max-failures"?: string;
  "allow-identity-change"?: boolean;
  option?: string[];
}

/** `--option execute_code` (or `=true`/`=false`, repeatable) as the request's run options. */
export function runOptionsOf(flags: string[] | undefined): Record<string, boolean> | undefined {
  if (!flags || flags.length === 0) return undefined;
  const options: Record<string, boolean> = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const name = at < 0 ? flag : flag.slice(0, at);
    const value = at < 0 ? "true" : flag.slice(at + 1);
    if (name === "" || (value !== "true" && value !== "false")) {
      throw new SuiteError(`--option: expected NAME or NAME=true or NAME=false, got "${flag.slice(0, 80)}"`);
    }
    options[name] = value === "true";
  }
  return options;
}

function generationOf(values: RunFlags): GenerationSpec {
  const generation: Record<string, number> = {};
  const flags: [keyof RunFlags, keyof GenerationSpec][] = [
    ["concurrency", "concurrency"],
    ["timeout", "timeout_s"],
    ["max-retries", "max_retries"],
    ["max-tokens", "max_tokens"],
    ["temperature", "temperature"],
    ["seed", "seed"],
  ];
  for (const [flag, field] of flags) {
    const n = numberFlag(values[flag] as string | undefined, flag);
    if (n !== undefined) generation[field] = n;
  }
  return generation as GenerationSpec;
}

/** `deno` when the running binary is the one on PATH, else its full path (set-up may leave none on PATH). */
function denoCommand(): string {
  const exec = Deno.execPath();
  const onPath = (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return dir !== "" && Deno.realPathSync(`${dir}/deno`) === Deno.realPathSync(exec);
    } catch {
      return false;
    }
  });
  return onPath ? "deno" : exec;
}

/** The command that resumes this run: the same arguments (run ids are derived, so they match). */
function resumeCommand(args: string[], runId: string): string {
  const quoted = args.map((a) => (/^[A-Za-z0-9_./:=@,+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  return `${denoCommand()} task bench ${quoted.join(" ")}${
    args.includes("--run-id") ? "" : ` --run-id ${runId}`
  }`;
}

/** Runs `bench run <suite>`; returns the exit code (0 done, 1 stopped early or refused, 130 interrupted). */
export async function benchRun(
  engine: Engine,
  suiteArg: string,
  values: RunFlags,
  runsDir: string,
  args: string[],
): Promise<number> {
  const suite = /[/\\]|\.ya?ml$/.test(suiteArg) ? userPath(suiteArg) : suiteArg;
  const apiKey = Deno.env.get("ARBITER_MODEL_API_KEY") ?? Deno.env.get("OPENAI_API_KEY");
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) Deno.exit(130);
    console.error("\nInterrupted: no new requests; scoring what was generated (Ctrl-C again to quit now)");
    interrupt.abort();
  };
  Deno.addSignalListener("SIGINT", onSigint);
  try {
    const results = await runSuite(engine, {
      suite,
      dataPath: values.data ? userPath(values.data) : undefined,
      dataSha256: values["data-sha256"],
      endpoint: values["model-url"] ? { url: values["model-url"], model: values.model, apiKey } : undefined,
      predictions: values.predictions ? { path: userPath(values.predictions) } : undefined,
      runsDir,
      runId: values["run-id"],
      options: runOptionsOf(values.option),
      generation: generationOf(values),
      samples: numberFlag(values.samples, "samples"),
      limit: numberFlag(values.limit, "limit"),
      ids: values.ids?.split(",").map((id) => id.trim()).filter((id) => id.length > 0),
      maxConsecutiveFailures: numberFlag(values["max-failures"], "max-failures"),
      allowIdentityChange: values["allow-identity-change"] === true,
      signal: interrupt.signal,
    }, progressPrinter());
    for (const change of results.identityChanges) console.error(`identity changed (allowed): ${change}`);
    printResults(results);
    if (results.stopped) {
      console.error(`\n${results.stopped.message}`);
      console.error(
        `The run is resumable; what was generated is kept. Resume with:\n  ${
          resumeCommand(args, results.id)
        }`,
      );
      return results.stopped.reason === "interrupted" ? 130 : 1;
    }
    return 0;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
}
