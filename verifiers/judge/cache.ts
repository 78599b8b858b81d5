/**
 * The content-addressed verdict cache (SQLite through `node:sqlite`): the key is the SHA-256 of the
 * judge's model and kind, the template's name and version, the sampling parameters, the scoring
 * mode and the filled inputs (prompt, response, reference, image digests); never the random marker
 * code, which changes per call. Only parsed verdicts are stored; failures are always retried. In
 * process memory a short key is the exact text instead (see `JudgeCache.key`): no hash per hit.
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

/**
 * The same key as `cacheKey([...fixed, ...varying])`, given `fixedJson = JSON.stringify(fixed)`
 * (both lists non-empty): a judge's fixed parts are the same for every item it scores with one
 * template and scoring, so their JSON is made once.
 */
export function cacheKeyAfter(fixedJson: string, varying: unknown[]): string {
  return digestAfter(fixedJson, JSON.stringify(varying));
}

function digestAfter(fixedJson: string, varyingJson: string): string {
  return createHash("sha256").update(`${fixedJson.slice(0, -1)},${varyingJson.slice(1)}`).digest("hex");
}

/** Separates a fixed part's number from the varying parts' JSON in a memory key (never in a digest). */
const KEY_SEPARATOR = "\u0001";

/**
 * Longest JSON of the varying parts that a memory key holds verbatim (a longer one's key is its
 * digest): 65,536 entries then hold at most about 64 MiB of key text.
 */
export const MEMORY_KEY_CHARS = 512;

/** Verdicts also kept in process memory (most recently used), in front of SQLite. */
export const MEMORY_ENTRIES = 65_536;

/** Pending verdicts that make the cache write them at once (else: FLUSH_DELAY_MS after the first). */
const FLUSH_ENTRIES = 1024;

/**
 * Longest time (ms) a verdict waits in memory before it is written to a cache file. Verdicts of a
 * 50 ms judge arrive a few per event-loop turn: one transaction per turn cost about as much CPU as
 * the rest of the call, one per 100 ms gathers about a hundred of them.
 */
export const FLUSH_DELAY_MS = 100;

/** Most verdicts kept pending while writes keep failing. */
const MAX_PENDING = 16 * FLUSH_ENTRIES;

/** The verdict cache; `path` ":memory:" keeps it in memory for the process's life. */
export class JudgeCache {
  /**
   * Recently used verdicts (a Map in use order), so hot hits skip SQLite and JSON parsing. `seq`
   * orders them: a hit moves its entry to the end only when it is in the older half (an entry in
   * the newer half is far from eviction), so most hits leave the Map as it is.
   */
  private readonly recent = new Map<string, { verdict: CachedVerdict; seq: number }>();
  private seq = 0;
  /** Verdicts put but not yet written: written together, in one transaction, FLUSH_DELAY_MS later. */
  private readonly pending = new Map<string, CachedVerdict>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last write failed; its retry is on the timer. */
  private retrying = false;
  /**
   * True while every stored verdict is also in `recent`: an in-memory database that has never
   * evicted. A memory miss is then a miss without asking SQLite. (A file may be shared with other
   * processes, so a file-backed cache always asks.)
   */
  private memoryComplete: boolean;
  private readonly inMemory: boolean;
  private readonly db: DatabaseSync;
  private readonly getStatement: StatementSync;
  private readonly putStatement: StatementSync;
  /** The fixed parts' JSON texts that memory keys name by their position. */
  private readonly fixedParts: string[] = [];
  private readonly fixedNumbers = new Map<string, number>();
  hits = 0;
  misses = 0;

  constructor(readonly path = ":memory:") {
    this.db = new DatabaseSync(path);
    this.inMemory = path === ":memory:";
    this.memoryComplete = this.inMemory;
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

  /**
   * The key of the verdict for `cacheKeyAfter(fixedJson, varying)`, as `get`, `peek` and `put` take
   * it: that digest when the varying parts' JSON is long; else, exact and without hashing, the fixed
   * part's number and that JSON (SQLite still gets the digest, see `digestOf`).
   */
  key(fixedJson: string, varying: unknown[]): string {
    const varyingJson = JSON.stringify(varying);
    if (varyingJson.length > MEMORY_KEY_CHARS) return digestAfter(fixedJson, varyingJson);
    let number = this.fixedNumbers.get(fixedJson);
    if (number === undefined) {
      number = this.fixedParts.push(fixedJson) - 1;
      this.fixedNumbers.set(fixedJson, number);
    }
    return `${number}${KEY_SEPARATOR}${varyingJson}`;
  }

  /** The SHA-256 key that SQLite stores a key's verdict under (a key that is not `key()`'s is itself). */
  private digestOf(key: string): string {
    const at = key.indexOf(KEY_SEPARATOR);
    if (at < 0) return key;
    const fixedJson = this.fixedParts[Number(key.slice(0, at))];
    return fixedJson === undefined ? key : digestAfter(fixedJson, key.slice(at + 1));
  }

  /** The cached verdict for `key` (counted as a hit), or null (counted as a miss). */
  get(key: string): CachedVerdict | null {
    const verdict = this.peek(key);
    if (verdict === null) this.misses++;
    return verdict;
  }

  /** The cached verdict for `key` (counted as a hit), or null (not counted). */
  peek(key: string): CachedVerdict | null {
    const known = this.recent.get(key);
    if (known !== undefined) {
      if (this.seq - known.seq > MEMORY_ENTRIES / 2) {
        this.recent.delete(key);
        known.seq = ++this.seq;
        this.recent.set(key, known);
      }
      this.hits++;
      return known.verdict;
    }
    const waiting = this.pending.get(key);
    if (waiting !== undefined) {
      this.hits++;
      this.remember(key, waiting);
      return waiting;
    }
    if (this.memoryComplete) return null;
    const row = this.getStatement.get(this.digestOf(key)) as { verdict: string } | undefined;
    if (!row) return null;
    this.hits++;
    const verdict = JSON.parse(row.verdict) as CachedVerdict;
    this.remember(key, verdict);
    return verdict;
  }

  /**
   * Stores a verdict: at once in memory (this cache's `get` sees it), in SQLite with the other
   * verdicts put within FLUSH_DELAY_MS (one transaction for all of them, not one per verdict), and
   * in any case by `flush()` or `close()`.
   */
  put(key: string, verdict: CachedVerdict): void {
    // An in-memory database only backs the memory front: it gets what the front evicts.
    if (!this.inMemory) this.write(key, verdict);
    this.remember(key, verdict);
  }

  private write(key: string, verdict: CachedVerdict): void {
    this.pending.set(key, verdict);
    // After a failed write the retry waits for its timer (not one failing write per verdict).
    if (this.pending.size >= FLUSH_ENTRIES && !this.retrying) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  /**
   * Writes the pending verdicts to SQLite now, in one transaction. When that fails (a locked or
   * full file), they stay pending and are tried again FLUSH_DELAY_MS later; meanwhile `get` still
   * answers them. Past MAX_PENDING the oldest are given up on (logged; the memory front keeps them).
   */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.retrying = false;
    if (this.pending.size === 0) return;
    const now = Date.now();
    try {
      this.db.exec("BEGIN");
      for (const [key, verdict] of this.pending) {
        this.putStatement.run(this.digestOf(key), JSON.stringify(verdict), now);
      }
      this.db.exec("COMMIT");
      this.pending.clear();
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      let dropped = 0;
      for (const key of this.pending.keys()) {
        if (this.pending.size <= MAX_PENDING) break;
        this.pending.delete(key);
        dropped++;
      }
      // The database no longer holds everything that memory lacks.
      if (dropped > 0) this.memoryComplete = false;
      console.error(
        `judge cache: writing ${this.pending.size + dropped} verdicts failed (${
          (error as Error).message
        }); trying again in ${FLUSH_DELAY_MS} ms${dropped > 0 ? `; ${dropped} given up on` : ""}`,
      );
      this.retrying = true;
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
    }
  }

  private remember(key: string, verdict: CachedVerdict): void {
    this.recent.delete(key);
    this.recent.set(key, { verdict, seq: ++this.seq });
    if (this.recent.size > MEMORY_ENTRIES) {
      const [oldestKey, oldest] = this.recent.entries().next().value!;
      this.recent.delete(oldestKey);
      if (this.inMemory) this.write(oldestKey, oldest.verdict);
      this.memoryComplete = false;
    }
  }

  /** Writes what is pending (one last try) and closes the database. */
  close(): void {
    this.flush();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size > 0) console.error(`judge cache: ${this.pending.size} verdicts not written`);
    this.pending.clear();
    this.db.close();
  }
}
