/**
 * A progress bar with rate and ETA on stderr: redrawn in place on a terminal, a line every few
 * seconds otherwise (logs stay readable).
 */

/** Formats seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(r).padStart(2, "0")}`;
}

/** One progress line: `generating [#####·····] 512/1000  51%  12.3/s  ETA 0:40`. */
export function progressLine(label: string, done: number, total: number, elapsedS: number): string {
  const fraction = total === 0 ? 1 : done / total;
  const width = 24;
  const filled = Math.round(fraction * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `${label} [${"#".repeat(filled)}${"·".repeat(width - filled)}] ${done}/${total} ${
    (fraction * 100).toFixed(0).padStart(3)
  }%  ${rate.toFixed(1)}/s  ETA ${formatDuration(eta)}`;
}

/** Writes progress to stderr. */
export class ProgressBar {
  private readonly started = performance.now();
  private lastLine = 0;
  private readonly tty = Deno.stderr.isTerminal();
  private readonly encoder = new TextEncoder();

  constructor(private readonly label: string, private readonly total: number) {}

  /** Reports `done` items finished. */
  update(done: number): void {
    const now = performance.now();
    const final = done >= this.total;
    if (!final && now - this.lastLine < (this.tty ? 100 : 2000)) return;
    this.lastLine = now;
    const line = progressLine(this.label, done, this.total, (now - this.started) / 1000);
    Deno.stderr.writeSync(this.encoder.encode(this.tty ? `\r${line}${final ? "\n" : ""}` : `${line}\n`));
  }
}
