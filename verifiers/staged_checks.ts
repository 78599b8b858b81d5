/** Staged verifiers' availability checks (e.g. starting a Python sandbox), each run once. */
export class StagedChecks {
  private readonly starters = new Map<string, () => Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();

  /** Registers the check of verifier `name`; `start` runs it (and records its outcome). */
  add(name: string, start: () => Promise<void>): void {
    this.starters.set(name, start);
  }

  /** The check of `name`, started now if it has not run; undefined when the verifier has none. */
  of(name: string): Promise<void> | undefined {
    const start = this.starters.get(name);
    if (!start) return undefined;
    let running = this.running.get(name);
    if (!running) this.running.set(name, running = start());
    return running;
  }

  /** Every check, started now where it has not run. */
  all(): Promise<unknown> {
    return Promise.all([...this.starters.keys()].map((name) => this.of(name)));
  }

  /** Settles once the checks already started have. */
  started(): Promise<unknown> {
    return Promise.all(this.running.values());
  }
}
