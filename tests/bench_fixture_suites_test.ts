/** Every small per-verifier suite scores its predictions fixture as a user would run it, end to end. */
import assert from "node:assert/strict";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";

const mainTs = new URL("../main.ts", import.meta.url).pathname;
const fixtures = new URL("../fixtures/bench/", import.meta.url).pathname;

/** Suite → the accuracy line its predictions fixture must give (the fixtures mix right and wrong answers). */
const expected: Record<string, string> = {
  chart_code_mini: "mean score: 98.0% over 6 items (6 correct)",
  format_mini: "accuracy: 60.0% (3/5)",
  gui_action_mini: "accuracy: 66.7% (4/6)",
  iou_mini: "mean score: 61.5% over 6 items (4 correct)",
  length_mini: "mean score: 60.0% over 4 items (2 correct)",
  math_mini: "accuracy: 75.0% (9/12)",
  repetition_mini: "mean score: 74.0% over 4 items (3 correct)",
};

Deno.test("deno task bench run <suite> --predictions scores each per-verifier fixture suite", async () => {
  await ensureChartDeps();
  const runsDir = await Deno.makeTempDir();
  try {
    for (const [suite, line] of Object.entries(expected)) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          mainTs,
          "bench",
          "run",
          suite,
          "--predictions",
          `${fixtures}${suite}_predictions.jsonl`,
        ],
        env: { ARBITER_RUNS_DIR: runsDir, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, `${suite}: ${new TextDecoder().decode(out.stderr)}`);
      assert.match(stdout, /^run: \S+$/m, suite);
      assert.ok(stdout.includes(line), `${suite}: expected "${line}" in\n${stdout}`);
    }
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
