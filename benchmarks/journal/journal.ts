/**
 * The run journal: one SQLite file per run (`node:sqlite`). Every generation attempt and every
 * verdict is appended as it happens (a killed process loses nothing already written); generations
 * are keyed by a content hash of what produced them, verdicts by a hash of what scored them, so a
 * resumed run regenerates nothing that succeeded and a re-score never regenerates.
 */
import { DatabaseSync } from "node:sqlite";

/** One generation attempt (a model answer, or why there is none). */
export interface GenerationRecord {
  seq?: number;
  genKey: string;
  itemId: string;
  response: string | null;
  extraction: string | null;
  reasoning: string | null;
  finishReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  usage: Record<string, unknown> | null;
  imageHashes: string[];
  attempts: number;
}

/** A stored item of the run (what the report needs without the dataset). */
export interface JournalItem {
  id: string;
  index: number;
  genKey: string;
  data: Record<string, unknown>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, idx INTEGER NOT NULL, gen_key TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS generations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, gen_key TEXT NOT NULL, item_id TEXT NOT NULL,
  response TEXT, extraction TEXT, reasoning TEXT, finish_reason TEXT, error_code TEXT, error_message TEXT,
  latency_ms REAL, usage TEXT, image_hashes TEXT NOT NULL, attempts INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS generations_key ON generations (gen_key);
CREATE TABLE IF NOT EXISTS verdicts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, gen_seq INTEGER NOT NULL, scoring_key TEXT NOT NULL,
  result TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (gen_seq, scoring_key));
`;

type Row = Record<string, unknown>;

function parseOrNull<T>(text: unknown): T | null {
  return typeof text === "string" ? JSON.parse(text) as T : null;
}

/** An open run journal. */
export class RunJournal {
  private readonly db: DatabaseSync;

  constructor(readonly path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    this.db.exec(SCHEMA);
  }

  /** Stores a metadata value (JSON). */
  setMeta(key: string, value: unknown): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, JSON.stringify(value));
  }

  /** A metadata value, or undefined. */
  getMeta<T>(key: string): T | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as Row | undefined;
    return row ? JSON.parse(row.value as string) as T : undefined;
  }

  /** Stores the run's items (replacing earlier copies: same ids, same keys). */
  putItems(items: JournalItem[]): void {
    const insert = this.db.prepare(
      "INSERT OR REPLACE INTO items (id, idx, gen_key, data) VALUES (?, ?, ?, ?)",
    );
    this.db.exec("BEGIN");
    try {
      for (const item of items) insert.run(item.id, item.index, item.genKey, JSON.stringify(item.data));
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /** The stored items, in dataset order. */
  items(): JournalItem[] {
    return (this.db.prepare("SELECT id, idx, gen_key, data FROM items ORDER BY idx").all() as Row[]).map((
      r,
    ) => ({
      id: r.id as string,
      index: Number(r.idx),
      genKey: r.gen_key as string,
      data: JSON.parse(r.data as string),
    }));
  }

  /** Appends one generation attempt; returns its sequence number. */
  appendGeneration(g: GenerationRecord): number {
    const result = this.db.prepare(
      `INSERT INTO generations (gen_key, item_id, response, extraction, reasoning, finish_reason, error_code,
        error_message, latency_ms, usage, image_hashes, attempts, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      g.genKey,
      g.itemId,
      g.response,
      g.extraction,
      g.reasoning,
      g.finishReason,
      g.errorCode,
      g.errorMessage,
      g.latencyMs,
      g.usage === null ? null : JSON.stringify(g.usage),
      JSON.stringify(g.imageHashes),
      g.attempts,
      new Date().toISOString(),
    );
    return Number(result.lastInsertRowid);
  }

  /**
   * The effective generation per key: the latest success, else the latest failure. Keys without
   * any row are absent.
   */
  effectiveGenerations(): Map<string, GenerationRecord> {
    const rows = this.db.prepare("SELECT * FROM generations ORDER BY seq").all() as Row[];
    const out = new Map<string, GenerationRecord>();
    for (const r of rows) {
      const g: GenerationRecord = {
        seq: Number(r.seq),
        genKey: r.gen_key as string,
        itemId: r.item_id as string,
        response: r.response as string | null,
        extraction: r.extraction as string | null,
        reasoning: r.reasoning as string | null,
        finishReason: r.finish_reason as string | null,
        errorCode: r.error_code as string | null,
        errorMessage: r.error_message as string | null,
        latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
        usage: parseOrNull(r.usage),
        imageHashes: JSON.parse(r.image_hashes as string),
        attempts: Number(r.attempts),
      };
      const previous = out.get(g.genKey);
      if (!previous || g.errorCode === null || previous.errorCode !== null) out.set(g.genKey, g);
    }
    return out;
  }

  /** Number of generation attempts ever journaled (successes and failures). */
  generationAttempts(): number {
    return Number((this.db.prepare("SELECT COUNT(*) AS n FROM generations").get() as Row).n);
  }

  /** A stored verdict for (generation, scoring key), or undefined. */
  verdict(genSeq: number, scoringKey: string): unknown {
    const row = this.db.prepare("SELECT result FROM verdicts WHERE gen_seq = ? AND scoring_key = ?")
      .get(genSeq, scoringKey) as Row | undefined;
    return row ? JSON.parse(row.result as string) : undefined;
  }

  /** Appends verdicts in one transaction. */
  appendVerdicts(rows: { genSeq: number; scoringKey: string; result: unknown }[]): void {
    const insert = this.db.prepare(
      "INSERT OR IGNORE INTO verdicts (gen_seq, scoring_key, result, created_at) VALUES (?, ?, ?, ?)",
    );
    const now = new Date().toISOString();
    this.db.exec("BEGIN");
    try {
      for (const r of rows) insert.run(r.genSeq, r.scoringKey, JSON.stringify(r.result), now);
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}
