/**
 * Issue #16's CLI goal: `deno task verify` on a file of 40,000 math rollouts of 2–4 kB, end to end
 * (a separate process: reading, parsing, validation, scoring, writing), with the engine alone on the
 * same items in this process as the baseline, and the compact output (`--fields`) beside the full one.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { mathItems } from "./math_items.ts";
import { perSecond } from "./stats.ts";

const ITEMS = 40_000;
const TARGET = 80_000;
const main = new URL("../main.ts", import.meta.url).pathname;

/** Runs the CLI over `inPath`; returns its wall time in ms (process start included). */
async function runCli(inPath: string, outPath: string, fields?: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      main,
      "verify",
      "--in",
      inPath,
      "--out",
      outPath,
      ...(fields ? ["--fields", fields] : []),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`the CLI failed: ${new TextDecoder().decode(out.stderr)}`);
  return performance.now() - started;
}

/** The README's rows for the CLI goal. */
export async function benchCli(): Promise<string[]> {
  const items = mathItems(ITEMS, 23);
  const dir = await Deno.makeTempDir({ prefix: "arbiter_cli_bench_" });
  const inPath = `${dir}/in.jsonl`;
  await Deno.writeTextFile(inPath, items.map((item) => JSON.stringify(item)).join("\n") + "\n");
  const mb = (await Deno.stat(inPath)).size / 1e6;
  const engine = await createEngine(VERIFIERS);
  let engineMs = Infinity;
  try {
    await engine.verifyBatch(items.slice(0, 4096));
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await engine.verifyBatch(items);
      engineMs = Math.min(engineMs, performance.now() - started);
    }
  } finally {
    await engine.close();
  }
  try {
    await runCli(inPath, `${dir}/warm.jsonl`);
    const fullMs = Math.min(
      await runCli(inPath, `${dir}/full.jsonl`),
      await runCli(inPath, `${dir}/full.jsonl`),
    );
    const compactMs = Math.min(
      await runCli(inPath, `${dir}/compact.jsonl`, "reward,correct,reason"),
      await runCli(inPath, `${dir}/compact.jsonl`, "reward,correct,reason"),
    );
    const engineRate = (ITEMS / engineMs) * 1000;
    const row = (what: string, ms: number) => {
      const rate = (ITEMS / ms) * 1000;
      return `| ${what} | ${perSecond(ITEMS, ms)} rollouts/s (${
        (rate / engineRate * 100).toFixed(0)
      }% of the engine alone; ${rate >= TARGET ? "meets" : "misses"} the ${
        TARGET.toLocaleString("en-US")
      }/s goal) | best of 2 runs, process start and kernel loading included |`;
    };
    return [
      row(
        `CLI \`deno task verify --in\` ${ITEMS.toLocaleString("en-US")} math rollouts (${
          mb.toFixed(0)
        } MB JSONL), full results`,
        fullMs,
      ),
      row(`CLI, the same with \`--fields reward,correct,reason\``, compactMs),
      `| baseline: the engine alone on the same items, in-process | ${
        perSecond(ITEMS, engineMs)
      } rollouts/s | best of 3 |`,
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log((await benchCli()).join("\n"));
