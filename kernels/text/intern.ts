// Interning: equal runs of symbols (code points of a token, token ids of an n-gram) get one dense
// id, so metrics count and compare integers. Open addressing over a power-of-two table.

import { IntList } from "../_lib/unicode";

/** Gives each distinct run [start, start + len) of `symbols` a dense id 0, 1, 2, … */
export class Interner {
  symbols: Int32Array;
  table: Int32Array; // id + 1, 0 = empty
  hashes: Int32Array;
  starts: IntList = new IntList(64);
  lens: IntList = new IntList(64);
  mask: i32;

  /** `symbols` must not change while the interner is in use; `expected` is the most runs it will see. */
  constructor(symbols: Int32Array, expected: i32) {
    this.symbols = symbols;
    let size = 16;
    while (size < expected * 2) size <<= 1;
    this.table = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  /** How many distinct runs have ids. */
  get count(): i32 {
    return this.starts.len;
  }

  /** The id of the run [start, start + len). */
  intern(start: i32, len: i32): i32 {
    const sym = this.symbols;
    let h: u32 = 2166136261 ^ <u32>len;
    for (let i = 0; i < len; i++) h = (h ^ <u32>unchecked(sym[start + i])) * 16777619;
    h ^= h >> 15;
    let slot = <i32>h & this.mask;
    while (true) {
      const entry = unchecked(this.table[slot]);
      if (entry == 0) break;
      if (unchecked(this.hashes[slot]) == <i32>h) {
        const id = entry - 1;
        const s = this.starts.at(id);
        if (this.lens.at(id) == len && sameRun(sym, s, start, len)) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.starts.len;
    this.starts.push(start);
    this.lens.push(len);
    unchecked((this.table[slot] = id + 1));
    unchecked((this.hashes[slot] = <i32>h));
    return id;
  }
}

function sameRun(sym: Int32Array, a: i32, b: i32, len: i32): bool {
  for (let i = 0; i < len; i++) {
    if (unchecked(sym[a + i]) != unchecked(sym[b + i])) return false;
  }
  return true;
}
