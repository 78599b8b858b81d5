/**
 * `deno task perf`: every benchmark, printed as the Markdown table that goes into the README.
 * Run on an otherwise idle machine; numbers vary by a few percent between runs.
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

const started = new Date().toISOString();
const rows = [
  `Measured ${started} on ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, with \`deno task perf\`.`,
  "",
  "| benchmark | throughput / latency | detail |",
  "| --- | --- | --- |",
  ...(await benchRec()),
  ...(await benchMath()),
  ...(await benchGui()),
  ...(await benchMatch()),
  ...(await benchText()),
  ...(await benchCharts()),
  ...(await benchPrograms()),
  ...(await benchJudge()),
  ...(await benchHttpExternal()),
  ...(await benchGrpoStep()),
  ...(await benchCli()),
  ...(await benchSoak()),
  ...(await benchHealthz()),
];
console.log(rows.join("\n"));
