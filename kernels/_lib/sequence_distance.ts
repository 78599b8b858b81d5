// The two quadratic sequence measures (used by text and match), bounded: longest common subsequence (bit-parallel,
// Hyyrö 2004) and Levenshtein distance (bit-parallel, Myers 1999). Both cost about (shorter length / 64) × longer
// length word operations. Callers check the cell bound first. A short pair of dense ids takes the one-word form
// (one_word.ts), with no allocation.

import { editDistanceOneWord, fitsOneWord, lcsOneWord } from "./one_word";

/**
 * Cells (length × length) of one pair past which an LCS or an edit distance is `too_complex`. Both measures cost
 * about cells / 64 word steps (on this project's 2-core machine, CPU time at the bound: about 5 ms for the LCS and
 * 8 ms for Levenshtein), and the bound also caps their match masks: (distinct symbols of the shorter sequence) ×
 * (its length / 64) words, at most 8 MiB, freed before the next pair, inside the kernel's 64 MiB.
 */
export const MAX_LCS_CELLS: i64 = 1 << 26;
/** Cells past which an edit distance is `too_complex` (the same bound as the LCS, see MAX_LCS_CELLS). */
export const MAX_EDIT_CELLS: i64 = MAX_LCS_CELLS;

// Scratch memory of one computation: raw blocks taken from the stub runtime's bump allocator and given back in
// reverse order (the last block is reclaimed), so that scoring many reference pairs in one item does not pile up.
@inline function scratch(bytes: usize, fill: u8): usize {
  const size = max<usize>(bytes, 8);
  const p = heap.alloc(size);
  memory.fill(p, fill, size);
  return p;
}

/**
 * Length of the longest common subsequence of a[0..n) and b[0..m), symbols being ids below `alphabet`.
 * One bit per element of the shorter sequence; for each element of the longer one a carry-add step.
 */
export function lcsLength(a: Int32Array, n: i32, b: Int32Array, m: i32, alphabet: i32): i32 {
  if (n == 0 || m == 0) return 0;
  if (fitsOneWord(n, m, alphabet)) return lcsOneWord(a, n, b, m);
  return n < m ? lcsBits(a, n, b, m, alphabet) : lcsBits(b, m, a, n, alphabet);
}

// The LCS with one bit per element of s[0..sl), the shorter sequence, stepping through l[0..ll).
function lcsBits(s: Int32Array, sl: i32, l: Int32Array, ll: i32, alphabet: i32): i32 {
  const words = (sl + 63) >> 6;
  // rows of match masks for the symbols of the shorter sequence (-1: none)
  const rowOf = scratch(<usize>alphabet << 2, 0xff);
  let rows = 0;
  for (let i = 0; i < sl; i++) {
    const at = rowOf + (<usize>unchecked(s[i]) << 2);
    if (load<i32>(at) < 0) store<i32>(at, rows++);
  }
  const masks = scratch(<usize>rows * <usize>words << 3, 0);
  for (let i = 0; i < sl; i++) {
    const r = load<i32>(rowOf + (<usize>unchecked(s[i]) << 2));
    const at = masks + ((<usize>r * <usize>words + <usize>(i >> 6)) << 3);
    store<u64>(at, load<u64>(at) | (<u64>1 << <u64>(i & 63)));
  }
  const v = scratch(<usize>words << 3, 0xff);
  for (let j = 0; j < ll; j++) {
    const r = load<i32>(rowOf + (<usize>unchecked(l[j]) << 2));
    if (r < 0) continue;
    const row = masks + (<usize>r * <usize>words << 3);
    let carry: u64 = 0;
    for (let w = 0; w < words; w++) {
      const vp = v + (<usize>w << 3);
      const vw = load<u64>(vp);
      const mw = load<u64>(row + (<usize>w << 3));
      const u = vw & mw;
      const t = vw + u;
      const c1: u64 = t < vw ? 1 : 0;
      const sum = t + carry;
      const c2: u64 = sum < t ? 1 : 0;
      carry = c1 | c2;
      store<u64>(vp, sum | (vw & ~mw));
    }
  }
  let zeros = 0;
  for (let w = 0; w < words; w++) {
    let x = ~load<u64>(v + (<usize>w << 3));
    if (w == words - 1 && (sl & 63) != 0) x &= (<u64>1 << <u64>(sl & 63)) - 1;
    zeros += <i32>popcnt(x);
  }
  heap.free(v);
  heap.free(masks);
  heap.free(rowOf);
  return zeros;
}

// The rows of a pattern's match masks, one per distinct symbol (any i32: token ids or code points), in an
// open-addressing table of (symbol, row) pairs at `table`; a symbol the pattern lacks maps to row `count`,
// a row of zeros. The table is scratch memory (see `scratch`).
@unmanaged class SymbolRows {
  table: usize = 0;
  shift: u32 = 0;
  mask: i32 = 0;
  count: i32 = 0;

  @inline slot(sym: i32): i32 {
    return <i32>((<u32>sym * 2654435761) >> this.shift);
  }

  /** The row of `sym`, or `count` when the pattern does not hold it. */
  @inline rowOf(sym: i32): i32 {
    let slot = this.slot(sym);
    while (true) {
      const at = this.table + (<usize>slot << 3);
      const r = load<i32>(at, 4);
      if (r < 0) return this.count;
      if (load<i32>(at) == sym) return r;
      slot = (slot + 1) & this.mask;
    }
    return this.count;
  }
}

// Fills `rows` with the distinct symbols of seq[0..len).
function symbolRows(rows: SymbolRows, seq: Int32Array, len: i32): void {
  let bits: u32 = 4;
  while ((1 << bits) < len * 2) bits++;
  rows.shift = 32 - bits;
  rows.mask = (1 << bits) - 1;
  rows.table = scratch(<usize>8 << bits, 0xff);
  rows.count = 0;
  for (let i = 0; i < len; i++) {
    const sym = unchecked(seq[i]);
    let slot = rows.slot(sym);
    while (true) {
      const at = rows.table + (<usize>slot << 3);
      if (load<i32>(at, 4) < 0) {
        store<i32>(at, sym);
        store<i32>(at, rows.count++, 4);
        break;
      }
      if (load<i32>(at) == sym) break;
      slot = (slot + 1) & rows.mask;
    }
  }
}

/**
 * Levenshtein distance (unit costs) between a[0..n) and b[0..m), symbols any i32. Myers' bit-vector
 * algorithm (1999) in its multi-word form: one bit per element of the shorter sequence, which holds
 * the vertical deltas (+1 / −1) of one column of the dynamic programme; each element of the longer
 * sequence advances the column by a few word operations per 64 elements, the horizontal delta at a
 * word's top bit carried into the next word. The distance is tracked at the last row. With the
 * `alphabet` of dense ids (0: any i32), a short pair takes the one-word form (`one_word.ts`).
 */
export function editDistance(a: Int32Array, n: i32, b: Int32Array, m: i32, alphabet: i32 = 0): i32 {
  if (n == 0) return m;
  if (m == 0) return n;
  if (alphabet > 0 && fitsOneWord(n, m, alphabet)) return editDistanceOneWord(a, n, b, m);
  return n < m ? myers(a, n, b, m) : myers(b, m, a, n);
}

// Myers' algorithm with the pattern p[0..pl), the shorter sequence, and the text t[0..tl).
function myers(p: Int32Array, pl: i32, t: Int32Array, tl: i32): i32 {
  const words = (pl + 63) >> 6;
  const rows = new SymbolRows();
  symbolRows(rows, p, pl);
  const peq = scratch(<usize>(rows.count + 1) * <usize>words << 3, 0);
  for (let i = 0; i < pl; i++) {
    const at = peq + ((<usize>rows.rowOf(unchecked(p[i])) * <usize>words + <usize>(i >> 6)) << 3);
    store<u64>(at, load<u64>(at) | (<u64>1 << <u64>(i & 63)));
  }
  const pv = scratch(<usize>words << 3, 0xff);
  const mv = scratch(<usize>words << 3, 0);
  const lastWord = words - 1;
  const lastBit = <u64>1 << <u64>((pl - 1) & 63);
  let score = pl;
  for (let j = 0; j < tl; j++) {
    const row = peq + (<usize>rows.rowOf(unchecked(t[j])) * <usize>words << 3);
    // the horizontal delta entering a word's lowest row: +1 above the first word (row 0 is 0, 1, 2, …)
    let hp: u64 = 1;
    let hn: u64 = 0;
    for (let w = 0; w < words; w++) {
      const off = <usize>w << 3;
      const pvw = load<u64>(pv + off);
      const mvw = load<u64>(mv + off);
      let eq = load<u64>(row + off);
      const xv = eq | mvw;
      eq |= hn;
      const xh = (((eq & pvw) + pvw) ^ pvw) | eq;
      let ph = mvw | ~(xh | pvw);
      let mh = pvw & xh;
      if (w == lastWord) {
        if ((ph & lastBit) != 0) score++;
        else if ((mh & lastBit) != 0) score--;
      }
      const hpOut = ph >> 63;
      const hnOut = mh >> 63;
      ph = (ph << 1) | hp;
      mh = (mh << 1) | hn;
      store<u64>(pv + off, mh | ~(xv | ph));
      store<u64>(mv + off, ph & xv);
      hp = hpOut;
      hn = hnOut;
    }
  }
  heap.free(mv);
  heap.free(pv);
  heap.free(peq);
  heap.free(rows.table);
  return score;
}
