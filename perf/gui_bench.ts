/**
 * The `gui_action` benchmark of issue 4: (a) 100,000 mixed GUI actions (JSON actions, Qwen2.5-VL tool
 * calls, UI-TARS calls; click, type, scroll, open_app, back; `default` and `androidcontrol`; pixel,
 * norm1000 and smart_resize coordinates) through the engine, (b) a plain-TypeScript regex parser
 * and matcher on the same items, in-process on one thread (the floor), and their ratio.
 */
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { scoreGuiBaseline } from "./baseline_gui.ts";
import { guiItems } from "./gui_items.ts";
import { itemLatency, perSecond } from "./stats.ts";
import { timeRounds } from "./rounds.ts";

const ITEMS = 100_000;
const ROUNDS = 3;

/** Runs the measurements and returns the README's table rows. */
export async function benchGui(): Promise<string[]> {
  const items = guiItems(ITEMS);
  const engine = await createEngine(VERIFIERS);
  const rows: string[] = [];
  try {
    // (a) engine, then (b) the baseline on one thread, same items; medians after a warm-up.
    const engineRounds = await timeRounds(
      ROUNDS,
      () => engine.verifyBatch(items.slice(0, 20_000)),
      () => engine.verifyBatch(items),
    );
    const validator = new ItemValidator(VERIFIERS, 8 * 1024 * 1024);
    const baseRounds = await timeRounds(
      ROUNDS,
      () => scoreGuiBaseline(validator, items.slice(0, 20_000)),
      () => scoreGuiBaseline(validator, items),
    );
    const { itemMs, correct } = engineRounds;
    const baseMs = baseRounds.itemMs, baseCorrect = baseRounds.correct;
    const a = engineRounds.medianMs, b = baseRounds.medianMs;
    rows.push(
      `| (a) gui_action: ${
        ITEMS.toLocaleString("en-US")
      } mixed actions (JSON, Qwen2.5-VL tool calls, UI-TARS) through the engine (${engine.options.workers} processes) | ${
        perSecond(ITEMS, a)
      } items/s | ${a.toFixed(0)} ms per 100k; ${itemLatency(itemMs)}; ${correct} judged correct |`,
      `| (b) gui_action: plain-TypeScript regex parser and matcher, same items, one thread (a floor, not a verifier) | ${
        perSecond(ITEMS, b)
      } items/s | ${b.toFixed(0)} ms per 100k; ${itemLatency(baseMs)}; ${baseCorrect} judged correct |`,
      `| gui_action (a) / (b) | **${(b / a).toFixed(2)}×** the baseline's throughput | |`,
    );
  } finally {
    await engine.close();
  }
  return rows;
}
