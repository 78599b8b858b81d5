/**
 * ScreenSpot-Pro and ScreenSpot-v2 suites over hand-made samples in the exact published schemas
 * (JSON arrays, a folder of files): the official rule (the click point inside the bbox, edges
 * included; no point = wrong; micro average), ScreenSpot-v2's xywh boxes, per-group breakdowns, and
 * `--data` with `--data-sha256` for the published files.
 */
import assert from "node:assert/strict";
import { createEngine, type Engine, VERIFIERS } from "../verifiers/mod.ts";
import { runSuite } from "../benchmarks/mod.ts";

const FIXTURES = new URL("../fixtures/bench/", import.meta.url).pathname;

async function withEngine(body: (engine: Engine, runsDir: string) => Promise<void>): Promise<void> {
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  const runsDir = await Deno.makeTempDir({ prefix: "arbiter_screenspot_" });
  try {
    await body(engine, runsDir);
  } finally {
    await engine.close();
    await Deno.remove(runsDir, { recursive: true });
  }
}

function bucket(
  summary: { breakdowns: { key: string; rows: { label: string; correct: number; n: number }[] }[] },
) {
  return (key: string) =>
    Object.fromEntries(
      summary.breakdowns.find((b) => b.key === key)!.rows.map((r) => [r.label, `${r.correct}/${r.n}`]),
    );
}

Deno.test("screenspot_pro: point in the pixel bbox, edges included, a box by its centre, no point wrong", async () => {
  await withEngine(async (engine, runsDir) => {
    const r = await runSuite(engine, {
      suite: "screenspot_pro",
      predictions: { path: `${FIXTURES}screenspot_pro_predictions.jsonl` },
      runsDir,
    });
    const verdicts = Object.fromEntries(r.samples.map((s) => [s.id, s.correct]));
    assert.deepEqual(verdicts, {
      vscode_macos_0: true,
      vscode_macos_1: true, // the corner (388, 1046) is on the edge
      photoshop_windows_0: false,
      photoshop_windows_1: true, // the box's centre (140, 20)
      photoshop_windows_2: false, // no point ("wrong_format" officially): wrong
    });
    const noPoint = r.samples.find((s) => s.id === "photoshop_windows_2")!;
    assert.equal(noPoint.error, null, "a verdict, not an error");
    assert.match(noPoint.reason ?? "", /^(no_answer|bad_format)$/);
    assert.equal(r.summary.unextractable.count, 1);
    assert.equal(r.summary.overall.correct, 3);
    assert.equal(r.summary.overall.n, 5);
    const by = bucket(r.summary);
    assert.deepEqual(by("group"), { Creative: "1/3", Dev: "2/2" });
    assert.deepEqual(by("ui_type"), { icon: "1/3", text: "2/2" });
    assert.deepEqual(r.samples.find((s) => s.id === "vscode_macos_0")!.reference, {
      box: [1630, 48, 1662, 80],
    });
  });
});

Deno.test("screenspot_v2: xywh boxes, a folder of three files numbered per file, split breakdown", async () => {
  await withEngine(async (engine, runsDir) => {
    const r = await runSuite(engine, {
      suite: "screenspot_v2",
      predictions: { path: `${FIXTURES}screenspot_v2_predictions.jsonl` },
      runsDir,
    });
    const verdicts = Object.fromEntries(r.samples.map((s) => [s.id, s.correct]));
    assert.deepEqual(verdicts, {
      "screenspot_desktop_v2/0": true,
      "screenspot_desktop_v2/1": false, // x = 300 is past x + w = 200
      "screenspot_mobile_v2/0": true, // (230, 1590) = (x + w, y + h): on the edge
      "screenspot_web_v2/0": true,
      "screenspot_web_v2/1": false,
    });
    // [x, y, w, h] = [1190, 11, 42, 32] → [1190, 11, 1232, 43]
    assert.deepEqual(r.samples[0].reference, { box: [1190, 11, 1232, 43] });
    const by = bucket(r.summary);
    assert.deepEqual(by("_file"), {
      screenspot_desktop_v2: "1/2",
      screenspot_mobile_v2: "1/1",
      screenspot_web_v2: "1/2",
    });
    assert.deepEqual(by("data_type"), { text: "1/3", icon: "2/2" });
  });
});

Deno.test("--data with --data-sha256 runs the published files; a wrong pin names the flag", async () => {
  await withEngine(async (engine, runsDir) => {
    const published = await Deno.makeTempDir({ prefix: "arbiter_published_" });
    try {
      for (
        const name of ["screenspot_desktop_v2.json", "screenspot_mobile_v2.json", "screenspot_web_v2.json"]
      ) {
        await Deno.copyFile(`${FIXTURES}screenspot_v2/${name}`, `${published}/${name}`);
      }
      const predictions = { path: `${FIXTURES}screenspot_v2_predictions.jsonl` };
      const manifest = "a202a7d28941bf517a863611f626e18723cfbb27f6f905347db8b884c74dd343";
      const r = await runSuite(engine, {
        suite: "screenspot_v2",
        dataPath: published,
        dataSha256: manifest,
        predictions,
        runsDir,
      });
      assert.equal(r.summary.overall.correct, 3);
      await assert.rejects(
        runSuite(engine, {
          suite: "screenspot_v2",
          dataPath: published,
          dataSha256: "0".repeat(64),
          predictions,
          runsDir,
        }),
        /has sha256 a202a7d2[0-9a-f]+, but --data-sha256 pins 0{64}/,
      );
      await assert.rejects(
        runSuite(engine, { suite: "screenspot_v2", dataSha256: manifest, predictions, runsDir }),
        /--data-sha256 pins the file given with --data/,
      );
    } finally {
      await Deno.remove(published, { recursive: true });
    }
  });
});
