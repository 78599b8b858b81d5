/**
 * The content-addressed verdict cache (SQLite through `node:sqlite`): the key is the SHA-256 of the
 * judge's model and kind, the template's name and version, the sampling parameters, the scoring
 * mode and the filled inputs (prompt, response, reference, image digests); never the random marker
 * code, which changes per call. Only parsed verdicts are stored; failures are always retried.
 */
import { createHash } from "node:crypto";
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** What a cached verdict holds (enough to rebuild the item's result). */
export interface CachedVerdict {
  score: number;
  details: Record<string, unknown>;
}

/** The SHA-256 (hex) of the JSON of `parts`, the cache's key. */
export function cacheKey(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Verdicts also kept in process memory (most recently used), in front of SQLite. */
export const MEMORY_ENTRIES = 65_536;

/** The verdict cache; `path` ":memory:" keeps it in memory for the process's life. */
export class JudgeCache {
  /** Recently used verdicts (a Map in use order), so hot hits skip SQLite and JSON parsing. */
  private readonly recent = new Map<string, CachedVerdict>();
  private readonly db: DatabaseSync;
  private readonly getStatement: StatementSync;
  private readonly putStatement: StatementSync;
  hits = 0;
  misses = 0;

  constructor(readonly path = ":memory:") {
    this.db = new DatabaseSync(path);
    if (path !== ":memory:") {
      this.db.exec("PRAGMA journal_mode = WAL");
      this.db.exec("PRAGMA synchronous = NORMAL");
    }
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, created_at INTEGER NOT NULL)",
    );
    this.getStatement = this.db.prepare("SELECT verdict FROM verdicts WHERE key = ?");
    this.putStatement = this.db.prepare(
      "INSERT OR REPLACE INTO verdicts (key, verdict, created_at) VALUES (?, ?, ?)",
    );
  }

  /** The cached verdict for `key` (counted as a hit), or null (counted as a miss). */
  get(key: string): CachedVerdict | null {
    const known = this.recent.get(key);
    if (known !== undefined) {
      this.recent.delete(key);
      this.recent.set(key, known);
      this.hits++;
      return known;
    }
    const row = this.getStatement.get(key) as { verdict: string } | undefined;
    if (!row) {
      this.misses++;
      return null;
    }
    this.hits++;
    const verdict = JSON.parse(row.verdict) as CachedVerdict;
    this.remember(key, verdict);
    return verdict;
  }

  /** Stores a verdict. */
  put(key: string, verdict: CachedVerdict): void {
    this.putStatement.run(key, JSON.stringify(verdict), Date.now());
    this.remember(key, verdict);
  }

  private remember(key: string, verdict: CachedVerdict): void {
    this.recent.delete(key);
    this.recent.set(key, verdict);
    if (this.recent.size > MEMORY_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}
