/**
 * `deno task verify [--in items.jsonl] [--out results.jsonl] [--fields reward,correct,reason]`: one
 * result line per input line (with only the named fields, plus id, reward and error), in
 * order, through the same engine as the server. A malformed line gets an `invalid_request` result
 * that names its line number; blank lines are skipped. Progress (on a terminal) and the summary go to stderr.
 */
import {
  type Engine,
  type FieldSelection,
  RawItem,
  resultJsonWith,
  type VerifyResult,
} from "../verifiers/mod.ts";
import { readLineBatches } from "./lines.ts";

/** Lines verified per engine batch: large enough to keep every sandbox process busy. */
const BATCH_LINES = 8192;
/** Blocks verified at once, so reading, verifying and writing overlap; bounds memory. */
const BLOCKS_IN_FLIGHT = 2;

/** Running totals for the summary line. */
export class VerifySummary {
  count = 0;
  verdicts = 0;
  rewardSum = 0;
  correct = 0;
  errors: Record<string, number> = {};

  add(result: VerifyResult): void {
    this.count++;
    if (result.error) {
      this.errors[result.error.code] = (this.errors[result.error.code] ?? 0) + 1;
      return;
    }
    this.verdicts++;
    this.rewardSum += result.reward ?? 0;
    if (result.correct) this.correct++;
  }

  /** "verified 10 items: 9 verdicts, mean reward 0.8000, 7 correct; errors: invalid_request 1" */
  line(seconds: number): string {
    const mean = this.verdicts > 0 ? (this.rewardSum / this.verdicts).toFixed(4) : "n/a";
    const errors = Object.entries(this.errors).map(([code, n]) => `${code} ${n}`).join(", ") || "none";
    const rate = seconds > 0 ? Math.round(this.count / seconds) : 0;
    return `verified ${this.count} items in ${
      seconds.toFixed(2)
    } s (${rate}/s): ${this.verdicts} verdicts, ` +
      `mean reward ${mean}, ${this.correct} correct; errors: ${errors}`;
  }
}

interface NumberedLine {
  text: string;
  number: number;
}

/** Verifies one block of lines: parses each, verifies the parsable ones as one batch, keeps order. */
async function verifyLines(engine: Engine, lines: NumberedLine[]): Promise<VerifyResult[]> {
  // Each line stays text until the engine prepares it, a window at a time (a malformed line is its
  // own invalid_request), so parsing overlaps scoring instead of holding the thread for a block.
  const verified = await engine.verifyBatch(lines.map((line) => new RawItem(line.text)));
  verified.forEach((result, i) => {
    if (result.error?.code === "invalid_request") {
      result.error = { code: "invalid_request", message: `line ${lines[i].number}: ${result.error.message}` };
    }
  });
  return verified;
}

/** Shows items done and the rate on one rewritten stderr line (only on a terminal). */
class ProgressBar {
  private lastDraw = 0;
  constructor(private readonly enabled: boolean, private readonly totalBytes: number | null) {}

  draw(items: number, bytesRead: number, seconds: number, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const rate = seconds > 0 ? Math.round(items / seconds) : 0;
    let bar = "";
    if (this.totalBytes) {
      const fraction = Math.min(1, bytesRead / this.totalBytes);
      const filled = Math.round(fraction * 30);
      bar = `[${"#".repeat(filled)}${" ".repeat(30 - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
    }
    Deno.stderr.writeSync(new TextEncoder().encode(`\r${bar}${items} items, ${rate}/s `));
  }

  finish(): void {
    if (this.enabled) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
  }
}

/** Bytes read per call: large reads cost far less per byte than a file stream's 64 KiB chunks. */
const READ_BYTES = 1 << 20;

/** Reads a file (or stdin) in large chunks, counting bytes for the progress bar. */
async function* readChunks(file: Deno.FsFile | typeof Deno.stdin, counter: { bytes: number }) {
  while (true) {
    const buffer = new Uint8Array(READ_BYTES);
    const got = await file.read(buffer);
    if (got === null) return;
    counter.bytes += got;
    yield buffer.subarray(0, got);
  }
}

/** Runs the verify command; returns the summary. Paths are already absolute (or null for stdio). */
export async function runVerify(
  engine: Engine,
  inPath: string | null,
  outPath: string | null,
  selection: FieldSelection = null,
): Promise<VerifySummary> {
  const input = inPath ? await Deno.open(inPath, { read: true }) : Deno.stdin;
  const totalBytes = inPath ? (await Deno.stat(inPath)).size : null;
  const output = outPath
    ? await Deno.open(outPath, { write: true, create: true, truncate: true })
    : Deno.stdout;
  const writer = output.writable.getWriter();
  const encoder = new TextEncoder();
  const summary = new VerifySummary();
  const counter = { bytes: 0 };
  const progress = new ProgressBar(Deno.stderr.isTerminal(), totalBytes);
  const started = performance.now();
  let block: NumberedLine[] = [];
  let lineNumber = 0;
  // Blocks are verified while the next ones are read; results are written in input order.
  const pending: Promise<VerifyResult[]>[] = [];
  const writeOldest = async () => {
    const results = await pending.shift()!;
    let text = "";
    for (const result of results) {
      summary.add(result);
      text += resultJsonWith(result, selection) + "\n";
    }
    await writer.write(encoder.encode(text));
    progress.draw(summary.count, counter.bytes, (performance.now() - started) / 1000);
  };
  const flush = async () => {
    if (block.length === 0) return;
    pending.push(verifyLines(engine, block));
    block = [];
    if (pending.length > BLOCKS_IN_FLIGHT) await writeOldest();
  };
  for await (const lines of readLineBatches(readChunks(input, counter))) {
    for (const line of lines) {
      lineNumber++;
      // A blank line carries no item (a trailing newline, a separator): it gets no result line.
      if (line.trim() === "") continue;
      block.push({ text: line, number: lineNumber });
      if (block.length >= BATCH_LINES) await flush();
    }
  }
  if (inPath) input.close();
  await flush();
  while (pending.length > 0) await writeOldest();
  if (outPath) await writer.close();
  else writer.releaseLock();
  const seconds = (performance.now() - started) / 1000;
  progress.draw(summary.count, counter.bytes, seconds, true);
  progress.finish();
  console.error(summary.line(seconds));
  return summary;
}
