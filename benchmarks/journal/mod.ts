/** The run journal: a SQLite file per run holding its items and every generation, so runs resume. */
export { type GenerationRecord, type JournalItem, RunJournal } from "./journal.ts";
