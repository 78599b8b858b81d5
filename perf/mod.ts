/**
 * `deno task perf`: every benchmark, printed as the Markdown table that goes into the README.
 * Run on an otherwise idle machine; numbers vary by a few percent between runs. `--one NAME` runs
 * one benchmark (rec, math, gui, match, text, charts, programs, judge, http, grpo, cli, soak, healthz).
 */
import { benchCharts } from "./chart_bench.ts";
import { benchCli } from "./cli_bench.ts";
import { benchGui } from "./gui_bench.ts";
import { benchHealthz } from "./healthz_bench.ts";
import { benchHttpExternal } from "./http_external_bench.ts";
import { benchGrpoStep } from "./grpo_step_bench.ts";
import { benchJudge } from "./judge_bench.ts";
import { benchMatch } from "./match_bench.ts";
import { benchMath } from "./math_bench.ts";
import { benchPrograms } from "./program_bench.ts";
import { benchRec } from "./rec_bench.ts";
import { benchSoak } from "./soak_bench.ts";
import { benchText } from "./text_bench.ts";

/** Every benchmark, in table order. */
const BENCHES: Record<string, () => Promise<string[]>> = {
  rec: benchRec,
  math: benchMath,
  gui: benchGui,
  match: benchMatch,
  text: benchText,
  charts: benchCharts,
  programs: benchPrograms,
  judge: benchJudge,
  http: benchHttpExternal,
  grpo: benchGrpoStep,
  cli: benchCli,
  soak: benchSoak,
  healthz: benchHealthz,
};

/**
 * Runs one benchmark in a fresh process (`perf/mod.ts --one NAME`): a benchmark that measures an
 * engine in-process then meets a fresh heap, as a server's engine would, not the garbage and
 * compiled code of the benchmarks before it (measured: judge cache hits 40k items/s after the
 * other benchmarks in one process, 81–100k alone).
 */
async function runAlone(name: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(import.meta.url).pathname, "--one", name],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`the ${name} benchmark failed`);
  return new TextDecoder().decode(out.stdout).split("\n").filter((line) => line.startsWith("|"));
}

const one = Deno.args.indexOf("--one");
if (one >= 0) {
  const name = Deno.args[one + 1];
  if (!Object.hasOwn(BENCHES, name)) {
    throw new Error(`unknown benchmark ${name}: ${Object.keys(BENCHES).join(", ")}`);
  }
  console.log((await BENCHES[name]()).join("\n"));
} else {
  const started = new Date().toISOString();
  const rows = [
    `Measured ${started} on ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, with \`deno task perf\` (each benchmark in a fresh process).`,
    "",
    "| benchmark | throughput / latency | detail |",
    "| --- | --- | --- |",
  ];
  for (const name of Object.keys(BENCHES)) rows.push(...(await runAlone(name)));
  console.log(rows.join("\n"));
}
