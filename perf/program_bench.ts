/**
 * Program runs (the `program` verifier's sandbox): (a) the warm pool (a fresh process forked from a
 * warm zygote per program) against (b) the honest cold baseline, one `python3` started per program
 * inside the same bubblewrap sandbox (same command line, seccomp filter and mounts), at the same
 * concurrency on the same 200 small MathVista-style programs; p50/p99 per program, and (c) the warm
 * pool's p50 on a trivial program. Target (issue #15): (a) ≥ 4× (b), (c) under 20 ms.
 */
import {
  programHandlerPath,
  PythonPool,
  runProgram,
  sandboxCommand,
  seccompFilterFile,
} from "../verifiers/_python/mod.ts";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";
import { runAll } from "./chart_bench.ts";
import { perSecond, quantile } from "./stats.ts";

const PROGRAMS = 200;

/** Small programs in the style of MathVista's code runs (arithmetic, math, a loop, a print). */
function programs(): string[] {
  const shapes = [
    (i: number) => `import math\nr = ${i % 17 + 1}\nprint(round(math.pi * r ** 2, 2))`,
    (i: number) => `angle_A = ${40 + i % 90}\nprint(180 - angle_A / 2)`,
    (i: number) => `values = [${i}, ${i + 3}, ${2 * i + 1}]\nprint(sum(values) / len(values))`,
    (i: number) => `total = 0\nfor k in range(${100 + i}):\n    total += k * k\nprint(total)`,
    (i: number) => `from fractions import Fraction\nprint(Fraction(${i + 1}, ${i % 7 + 2}) + Fraction(1, 3))`,
  ];
  return Array.from({ length: PROGRAMS }, (_, i) => shapes[i % shapes.length](i));
}

async function coldRun(code: string, seccomp: string | null): Promise<void> {
  const { program, args } = sandboxCommand([], seccomp, ["-c", code]);
  const { code: exit, stdout } = await new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    clearEnv: true,
  }).output();
  if (exit !== 0 || stdout.length === 0) throw new Error("cold program run failed");
}

/** Runs the three measurements and returns the README's table rows. */
export async function benchPrograms(): Promise<string[]> {
  await ensureChartDeps();
  const concurrency = Math.max(1, navigator.hardwareConcurrency || 2);
  const items = programs();
  const pool = new PythonPool({ handlers: [programHandlerPath], size: concurrency });
  await pool.warm();
  const warmRun = async (code: string) => {
    const run = await runProgram(pool, { code, timeoutMs: 10_000 });
    if (run.ended !== "finished" || run.exitCode !== 0 || run.stdout === "") {
      throw new Error("warm run failed");
    }
  };
  const t0 = performance.now();
  const warm = await runAll(items, concurrency, warmRun);
  const a = performance.now() - t0;
  const trivial = await runAll(Array.from({ length: 50 }, () => "print(1)"), 1, warmRun);
  await pool.close();
  const seccomp = await seccompFilterFile();
  const t1 = performance.now();
  const cold = await runAll(items, concurrency, (code) => coldRun(code, seccomp));
  const b = performance.now() - t1;
  const ms = (v: number) => `${Math.round(v)} ms`;
  return [
    `| (a) program: warm sandbox pool (a fresh forked process per program), ${PROGRAMS} programs, ${concurrency} at a time | ${
      perSecond(PROGRAMS, a)
    } programs/s | p50 ${ms(quantile(warm, 0.5))}, p99 ${ms(quantile(warm, 0.99))} per program |`,
    `| (b) one cold \`python3\` per program in the same bubblewrap sandbox, same programs and concurrency | ${
      perSecond(PROGRAMS, b)
    } programs/s | p50 ${ms(quantile(cold, 0.5))}, p99 ${ms(quantile(cold, 0.99))} per program |`,
    `| (a) / (b) | **${(b / a).toFixed(2)}×** the cold processes' throughput | target ≥ 4× |`,
    `| (c) program: a trivial program on the warm pool, one at a time | p50 ${
      ms(quantile(trivial, 0.5))
    } | p99 ${ms(quantile(trivial, 0.99))}; target p50 < 20 ms |`,
  ];
}

if (import.meta.main) console.log((await benchPrograms()).join("\n"));
