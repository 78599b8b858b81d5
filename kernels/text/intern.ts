// Interning: equal runs of symbols (code points of a token, token ids of an n-gram) get one dense
// id, so metrics count and compare integers. Open addressing over a power-of-two table that doubles
// when half full. Ids are given in order of first appearance (the hash only decides where to look).

import { IntList } from "../_lib/unicode";

/** The hash of an empty run; extend it with `hashStep` per symbol (FNV-1a). */
export const HASH_START: u32 = 2166136261;

/** The hash of a run extended by one symbol. */
@inline export function hashStep(h: u32, sym: i32): u32 {
  return (h ^ <u32>sym) * 16777619;
}

// The run's hash as the table uses it: the symbols' hash mixed with the run's length.
@inline function hashEnd(h: u32, len: i32): u32 {
  h = (h ^ <u32>len) * 16777619;
  return h ^ (h >> 15);
}

// Slots of the short-run table at first (it doubles when half full), and its multiplicative hash.
const SHORT_TABLE: i32 = 256;
const SHORT_HASH: u64 = 0x9e3779b97f4a7c15;

/** Gives each distinct run [start, start + len) of `symbols` a dense id 0, 1, 2, … */
export class Interner {
  /** The symbols the runs point into; a caller that reallocates them sets this again. */
  symbols: Int32Array;
  table: Int32Array; // run index + 1, 0 = empty
  /** Per run interned by its symbols (not the short runs, which are interned by key), four values: its hash, start, length and id. */
  runs: IntList;
  /** How many distinct runs have ids. */
  count: i32 = 0;
  mask: i32;
  // Short runs by key (see internShort): slots of two u64, the key (0 = empty) and the id; allocated on first use.
  private shortSlots: Uint64Array | null = null;
  private shortAt: usize = 0;
  private shortMask: i32 = -1;
  private shortCount: i32 = 0;

  // Slots of the short-run table when first used: as many as the run table's, at most SHORT_TABLE.
  private shortFirst: i32;

  /**
   * `expected` is about how many distinct runs it will see (the tables grow past it): the tables are
   * allocated and zeroed per item, so a short text's should be small.
   */
  constructor(symbols: Int32Array, expected: i32) {
    this.symbols = symbols;
    let size = 16;
    while (size < expected * 2) size <<= 1;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.shortFirst = min(size, SHORT_TABLE);
    this.runs = new IntList(min(2 * size, 256));
  }

  /** The id of the run [start, start + len). */
  intern(start: i32, len: i32): i32 {
    const sym = this.symbols;
    let h = HASH_START;
    for (let i = 0; i < len; i++) h = hashStep(h, unchecked(sym[start + i]));
    return this.internHashed(start, len, h);
  }

  /**
   * The id of the run [start, start + len) whose symbols hash to `h` (HASH_START extended by
   * hashStep over them). A new id (equal to the count before the call) keeps pointing at the run.
   */
  internHashed(start: i32, len: i32, h: u32): i32 {
    h = hashEnd(h, len);
    const mask = this.mask;
    const table = this.table.dataStart;
    const runs = this.runs.data.dataStart;
    const sym = this.symbols.dataStart;
    let slot = <i32>h & mask;
    while (true) {
      const entry = load<i32>(table + (<usize>slot << 2));
      if (entry == 0) break;
      const run = runs + (<usize>(entry - 1) << 4);
      if (load<i32>(run) == <i32>h && load<i32>(run, 8) == len && sameRun(sym, load<i32>(run, 4), start, len)) {
        return load<i32>(run, 12);
      }
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    const index = this.runs.len >> 2;
    this.runs.push(<i32>h);
    this.runs.push(start);
    this.runs.push(len);
    this.runs.push(id);
    unchecked((this.table[slot] = index + 1));
    if ((index + 1) * 2 > this.mask) this.grow();
    return id;
  }

  /**
   * The id of a short run given as its key: up to eight symbols in 1…0x7f, the k-th in byte k, the
   * bytes past the run zero (so the key also says the length, and is never 0). Ids come from the same
   * count as `intern`'s, in order of first appearance; a caller sends every run that has a key here,
   * and only those, so that equal runs get one id. The run's symbols need not be kept.
   */
  @inline internShort(key: u64): i32 {
    // the common cases inline: the key in its first slot, or that slot empty (a new key, no growth needed)
    if (this.shortMask >= 0) {
      const at = this.shortAt + (<usize>(<i32>((key * SHORT_HASH) >> 40) & this.shortMask) << 4);
      const k = load<u64>(at);
      if (k == key) return <i32>load<u64>(at, 8);
      if (k == 0 && (this.shortCount + 1) * 2 <= this.shortMask) {
        const id = this.count++;
        store<u64>(at, key);
        store<u64>(at, <u64>id, 8);
        this.shortCount++;
        return id;
      }
    }
    return this.internShortSlow(key);
  }

  private internShortSlow(key: u64): i32 {
    if (this.shortMask < 0) this.setShortTable(new Uint64Array(2 * this.shortFirst));
    const mask = this.shortMask;
    let slot = <i32>((key * SHORT_HASH) >> 40) & mask;
    while (true) {
      const at = this.shortAt + (<usize>slot << 4);
      const k = load<u64>(at);
      if (k == key) return <i32>load<u64>(at, 8);
      if (k == 0) break;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    const at = this.shortAt + (<usize>slot << 4);
    store<u64>(at, key);
    store<u64>(at, <u64>id, 8);
    if (++this.shortCount * 2 > mask) this.growShort();
    return id;
  }

  private setShortTable(slots: Uint64Array): void {
    this.shortSlots = slots;
    this.shortAt = slots.dataStart;
    this.shortMask = (slots.length >> 1) - 1;
  }

  // Doubles the short-run table.
  private growShort(): void {
    const from = this.shortAt;
    const oldSize = this.shortMask + 1;
    this.setShortTable(new Uint64Array(oldSize << 2));
    const mask = this.shortMask;
    for (let k = 0; k < oldSize; k++) {
      const key = load<u64>(from + (<usize>k << 4));
      if (key == 0) continue;
      let slot = <i32>((key * SHORT_HASH) >> 40) & mask;
      while (load<u64>(this.shortAt + (<usize>slot << 4)) != 0) slot = (slot + 1) & mask;
      store<u64>(this.shortAt + (<usize>slot << 4), key);
      store<u64>(this.shortAt + (<usize>slot << 4), load<u64>(from + (<usize>k << 4), 8), 8);
    }
  }

  // Doubles the table and places every run again by its stored hash.
  private grow(): void {
    const size = (this.mask + 1) << 1;
    const table = new Int32Array(size);
    const mask = size - 1;
    const n = this.runs.len >> 2;
    for (let k = 0; k < n; k++) {
      let slot = this.runs.at(k << 2) & mask;
      while (unchecked(table[slot]) != 0) slot = (slot + 1) & mask;
      unchecked((table[slot] = k + 1));
    }
    this.table = table;
    this.mask = mask;
  }
}

// Whether the runs at a and b of `len` symbols are equal: two symbols per comparison.
@inline function sameRun(sym: usize, a: i32, b: i32, len: i32): bool {
  const pa = sym + (<usize>a << 2);
  const pb = sym + (<usize>b << 2);
  const bytes = <usize>len << 2;
  let i: usize = 0;
  while (i + 8 <= bytes) {
    if (load<u64>(pa + i) != load<u64>(pb + i)) return false;
    i += 8;
  }
  return i == bytes || load<i32>(pa + i) == load<i32>(pb + i);
}
