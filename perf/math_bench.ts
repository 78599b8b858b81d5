/**
 * The `math` benchmark of issue 3, in one run: (a) 100,000 typical rollouts through the engine,
 * (b) Math-Verify's own test cases through the engine (throughput and worst case), (c) a
 * plain-TypeScript regex grader on the same rollouts as a floor. Math-Verify itself cannot be
 * installed here; its figures on this machine class are cited beside ours in the README.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { gradeMathBaseline } from "./baseline_math.ts";
import { mathItems } from "./math_items.ts";
import { perSecond, quantile } from "./stats.ts";
import { timeRounds } from "./rounds.ts";

const ITEMS = 100_000;
const ROUNDS = 3;

/** Math-Verify's cases as engine items, when the conformance data is at hand (else null). */
function conformanceItems(): { verifier: string; response: string; reference: string }[] | null {
  const dir = Deno.env.get("ARBITER_CONFORMANCE_DIR") ??
    new URL("../../shared/conformance", import.meta.url).pathname;
  try {
    const lines = Deno.readTextFileSync(`${dir}/math-verify/cases.jsonl`).split("\n").filter((l) => l.trim());
    return lines.map((l) => JSON.parse(l)).filter((c) =>
      typeof c.gold === "string" && typeof c.pred === "string"
    )
      .map((c) => ({ verifier: "math", response: c.pred, reference: c.gold }));
  } catch {
    return null;
  }
}

/** Runs the measurements and returns the README's table rows. */
export async function benchMath(): Promise<string[]> {
  const items = mathItems(ITEMS);
  const engine = await createEngine(VERIFIERS);
  const rows: string[] = [];
  try {
    const engineRounds = await timeRounds(
      ROUNDS,
      () => engine.verifyBatch(items.slice(0, 10_000)),
      () => engine.verifyBatch(items),
    );
    const { itemMs, correct } = engineRounds;
    const a = engineRounds.medianMs;
    const cores = engine.options.workers;
    rows.push(
      `| (a) math: ${
        ITEMS.toLocaleString("en-US")
      } rollouts of 2–4 kB through the engine (${cores} processes) | ${perSecond(ITEMS, a)} items/s (${
        perSecond(ITEMS / cores, a)
      } per core) | item p50 ${(quantile(itemMs, 0.5) * 1000).toFixed(1)} µs, p99 ${
        (quantile(itemMs, 0.99) * 1000).toFixed(1)
      } µs; ${correct} judged correct |`,
    );
    const cases = conformanceItems();
    if (cases) {
      const started = performance.now();
      const results = await engine.verifyBatch(cases);
      const ms = performance.now() - started;
      const times = results.map((x) => x.ms);
      rows.push(
        `| (b) math: Math-Verify's ${cases.length} test cases through the engine | ${
          perSecond(cases.length, ms)
        } items/s | item p50 ${(quantile(times, 0.5) * 1000).toFixed(1)} µs, p99 ${
          (quantile(times, 0.99) * 1000).toFixed(1)
        } µs, max ${(Math.max(...times) * 1000).toFixed(0)} µs |`,
      );
    } else {
      rows.push("| (b) math: Math-Verify's test cases | not run: ../shared/conformance not found | |");
    }
    const baseRounds = await timeRounds(
      ROUNDS,
      () => gradeMathBaseline(items.slice(0, 10_000)),
      () => gradeMathBaseline(items),
    );
    const baseCorrect = baseRounds.correct;
    const c = baseRounds.medianMs;
    rows.push(
      `| (c) math: plain-TypeScript regex grader, same rollouts, one thread (a floor, not a verifier) | ${
        perSecond(ITEMS, c)
      } items/s | ${baseCorrect} judged correct (misses equivalent forms) |`,
      "| Math-Verify 0.8.0 (cited, measured on this machine class; cannot be installed here) | about 55 items/s per core | p50 3 ms, p99 160 ms, max 650 ms on its own test cases |",
    );
  } finally {
    await engine.close();
  }
  return rows;
}
