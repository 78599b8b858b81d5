/**
 * The HTML report in headless Chromium (Debian's package, driven by playwright-core): its summary
 * and breakdown tables, one Chart.js bar chart with error bars per breakdown plus the reward
 * histogram, and a sample table that pages and filters. Installs chromium with apt-get when absent.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { runSuite } from "../benchmarks/mod.ts";

const CHROMIUM = "/usr/bin/chromium";

async function ensureChromium(): Promise<void> {
  try {
    await Deno.stat(CHROMIUM);
    return;
  } catch { /* install below */ }
  const run = (args: string[]) =>
    new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "null",
      stderr: "piped",
    })
      .output();
  await run(["update", "-qq"]);
  const install = await run(["install", "-y", "-qq", "chromium"]);
  if (!install.success) {
    throw new Error(`apt-get install chromium failed: ${new TextDecoder().decode(install.stderr)}`);
  }
}

Deno.test("the HTML report shows its tables, charts with error bars, a histogram and browsable samples", async () => {
  await ensureChromium();
  const runsDir = await Deno.makeTempDir();
  const engine = await createEngine(VERIFIERS, { workers: 1 });
  let reportPath: string;
  try {
    const fixture = new URL("../fixtures/bench/math_mini_predictions.jsonl", import.meta.url).pathname;
    const run = await runSuite(engine, { suite: "math_mini", predictions: { path: fixture }, runsDir });
    reportPath = run.paths.report;
    // results.csv beside results.json: a header and one row per sample.
    const csv = (await Deno.readTextFile(run.paths.csv)).trimEnd().split("\r\n");
    assert.equal(csv.length, 13);
    assert.ok(
      csv[0].startsWith("id,sample,outcome,reward,correct,reason,error,extracted,reference,latency_ms"),
    );
  } finally {
    await engine.close();
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on("pageerror", (error) => failures.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) failures.push(`network request to ${request.url()}`);
    });
    await page.goto(`file://${reportPath}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    assert.deepEqual(failures, []);

    const summary = await page.locator("#summary-table").innerText();
    assert.match(summary, /accuracy \(every item; no verdict = wrong\)\s+75\.0% \(9\/12\)/);
    assert.match(summary, /of answered\s+75\.0% \(9\/12\)/);
    assert.match(summary, /status\s+complete/);
    assert.match(summary, /Wilson 95% CI\s+\[46\.8%, 91\.1%\]/);
    assert.equal(await page.locator("table.breakdown-table").count(), 3);
    const skills = await page.locator("section.breakdown[data-key='metadata.skills'] table").innerText();
    assert.match(skills, /algebraic reasoning \(small\)\s+3\s+3\s+100\.0%/);

    // Charts: three breakdown bar charts with error bars, and the histogram.
    const charts = await page.evaluate(() => {
      const list = (globalThis as unknown as {
        reportCharts: { config: { type: string }; data: { datasets: { data: unknown[] }[] } }[];
      })
        .reportCharts;
      return list.map((c) => ({ type: c.config.type, points: c.data.datasets[0].data }));
    });
    assert.equal(charts.length, 4);
    assert.deepEqual(charts.slice(0, 3).map((c) => c.type), [
      "barWithErrorBars",
      "barWithErrorBars",
      "barWithErrorBars",
    ]);
    const first = charts[0].points[0] as { y: number; yMin: number; yMax: number };
    assert.ok(first.yMin <= first.y && first.y <= first.yMax);
    assert.equal(charts[3].type, "bar");
    assert.equal((charts[3].points as number[]).reduce((a, b) => a + b, 0), 12);
    // Pixels actually drawn on each canvas (evaluated in the page; the test has no DOM types).
    const drawn = await page.evaluate(`[...document.querySelectorAll("canvas")].map((c) => {
      const pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
      return inked;
    })`) as number[];
    assert.equal(drawn.length, 4);
    assert.ok(drawn.every((inked) => inked > 1000), `canvases drawn: ${drawn}`);

    // Samples: all twelve on one page; filters narrow them; explanations unfold.
    assert.equal(await page.locator("#samples-table tbody tr").count(), 12);
    await page.selectOption("#sample-outcome", "wrong");
    assert.equal(await page.locator("#samples-table tbody tr").count(), 3);
    await page.fill("#sample-filter", "5 sides");
    assert.equal(await page.locator("#samples-table tbody tr").count(), 1);
    const row = page.locator("#samples-table tbody tr").first();
    await row.locator("summary", { hasText: "explanation" }).click();
    assert.match(await row.innerText(), /"reason": "wrong"/);

    // The reference answer beside each sample; the category filter narrows to a breakdown bucket.
    await page.fill("#sample-filter", "");
    await page.selectOption("#sample-outcome", "all");
    assert.equal(await page.locator("#samples-table td.reference").count(), 12);
    assert.ok((await page.locator("#samples-table td.reference").allInnerTexts()).every((t) => t.length > 0));
    // The question image beside each sample (the suite's image files, loaded from disk).
    const imageRow = page.locator("#samples-table tbody tr").first();
    await imageRow.locator("summary", { hasText: "question image" }).click();
    await page.waitForFunction(
      `document.querySelector("#samples-table details.question-image img").complete`,
    );
    const width = await page.evaluate(
      `document.querySelector("#samples-table details.question-image img").naturalWidth`,
    );
    assert.ok((width as number) > 0, "the question image is shown");
    await page.selectOption("#sample-category", JSON.stringify(["question_type", "multi_choice"]));
    assert.equal(await page.locator("#samples-table tbody tr").count(), 3);
    await page.selectOption("#sample-outcome", "correct");
    assert.equal(await page.locator("#samples-table tbody tr").count(), 1);
    await page.screenshot({ path: `${runsDir}/report.png`, fullPage: true });
  } finally {
    await browser.close();
    await Deno.remove(runsDir, { recursive: true });
  }
});
