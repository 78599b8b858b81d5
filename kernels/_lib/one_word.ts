// The two quadratic measures of sequence_distance.ts (LCS, Levenshtein) for the common short case, which they
// take themselves: dense ids below SCRATCH_IDS and a shorter sequence of at most 64 elements, so that its match
// masks are one word per id, in static memory (no allocation, no symbol table, no carries between words). The same
// bit-parallel algorithms (Hyyrö 2004, Myers 1999) with one word: the same lengths and distances.

/** Ids below this fit the static scratch tables (this file's masks, the text kernel's counts). */
export const SCRATCH_IDS: i32 = 1024;

// One mask per id.
const MASKS: usize = memory.data(8 * SCRATCH_IDS, 16);

/** Whether a pair of id sequences of these lengths, ids below `alphabet`, fits the one-word measures. */
@inline export function fitsOneWord(n: i32, m: i32, alphabet: i32): bool {
  return min(n, m) <= 64 && alphabet <= SCRATCH_IDS;
}

// The match masks of s[0..sl) (bit i set in the mask of s[i]); every id of l[0..ll) gets a mask too (0 when s lacks it).
function buildMasks(s: Int32Array, sl: i32, l: Int32Array, ll: i32): void {
  for (let j = 0; j < ll; j++) store<u64>(MASKS + (<usize>unchecked(l[j]) << 3), 0);
  for (let i = 0; i < sl; i++) store<u64>(MASKS + (<usize>unchecked(s[i]) << 3), 0);
  for (let i = 0; i < sl; i++) {
    const at = MASKS + (<usize>unchecked(s[i]) << 3);
    store<u64>(at, load<u64>(at) | (<u64>1 << <u64>i));
  }
}

/** lcsLength of a[0..n) and b[0..m) when `fitsOneWord(n, m, alphabet)`. */
export function lcsOneWord(a: Int32Array, n: i32, b: Int32Array, m: i32): i32 {
  if (n == 0 || m == 0) return 0;
  const s = n < m ? a : b;
  const sl = min(n, m);
  const l = n < m ? b : a;
  const ll = max(n, m);
  buildMasks(s, sl, l, ll);
  let v = ~(<u64>0);
  for (let j = 0; j < ll; j++) {
    const u = v & load<u64>(MASKS + (<usize>unchecked(l[j]) << 3));
    v = (v + u) | (v - u);
  }
  return <i32>popcnt(~v & (~(<u64>0) >> <u64>(64 - sl)));
}

/** editDistance of a[0..n) and b[0..m) when `fitsOneWord(n, m, alphabet)`. */
export function editDistanceOneWord(a: Int32Array, n: i32, b: Int32Array, m: i32): i32 {
  if (n == 0) return m;
  if (m == 0) return n;
  const p = n < m ? a : b;
  const pl = min(n, m);
  const t = n < m ? b : a;
  const tl = max(n, m);
  buildMasks(p, pl, t, tl);
  const lastBit = <u64>1 << <u64>(pl - 1);
  let pv = ~(<u64>0);
  let mv: u64 = 0;
  let score = pl;
  for (let j = 0; j < tl; j++) {
    const eq = load<u64>(MASKS + (<usize>unchecked(t[j]) << 3));
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    score += <i32>((ph & lastBit) != 0) - <i32>((mh & lastBit) != 0);
    ph = (ph << 1) | 1;
    mh = mh << 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}
