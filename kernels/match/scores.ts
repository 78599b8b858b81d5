// The scoring rules of the `match` modes over element keys. Each fills a Verdict: the reward and
// the numbers that explain it. Definitions: verifiers/match/README.md.

import { IntList } from "../_lib/unicode";
import { lcsLength, MAX_LCS_CELLS } from "../_lib/sequence_distance";
import { MatchConfig } from "./config";
import { Elems } from "./elems";

/** Detail numbers a mode reports at most. */
const MAX_NUMBERS: i32 = 8;

/**
 * Room for the detail numbers' names and values, outside the heap: one item's verdict at a time
 * uses it (a verdict made inside another's scorer, for its reward only, adds no numbers).
 */
const NAMES: usize = memory.data(MAX_NUMBERS * <i32>sizeof<usize>(), 8);
const VALUES: usize = memory.data(MAX_NUMBERS * 8, 8);

/** A mode's outcome. `problem` set means a verdict of 0 with that reason. */
export class Verdict {
  reward: f64 = 0;
  problem: string | null = null;
  detail: string = "";
  /** How many detail numbers (`name(i)`, `value(i)`) there are. */
  count: i32 = 0;

  add(name: string, v: f64): Verdict {
    const i = <usize>this.count;
    store<usize>(NAMES + i * sizeof<usize>(), changetype<usize>(name));
    store<f64>(VALUES + (i << 3), v);
    this.count++;
    return this;
  }

  /** The i-th detail number's name (i < count). */
  @inline name(i: i32): string {
    return changetype<string>(load<usize>(NAMES + <usize>i * sizeof<usize>()));
  }

  /** The i-th detail number's value (i < count). */
  @inline value(i: i32): f64 {
    return load<f64>(VALUES + (<usize>i << 3));
  }
}

/** The i-th i32 at p. */
@inline function idAt(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function setIdAt(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/**
 * A raw block of `bytes` from the bump allocator (no object header), every byte set to `fill`: eight
 * at a time for the small tables of short answers (memory.fill is a call out of the module).
 */
function rawTable(bytes: usize, fill: u8): usize {
  const size = (max<usize>(bytes, 8) + 7) & ~<usize>7;
  const p = heap.alloc(size);
  if (size > 256) memory.fill(p, fill, size);
  else {
    const word = <u64>fill * 0x0101010101010101;
    for (let i: usize = 0; i < size; i += 8) store<u64>(p + i, word);
  }
  return p;
}

/** Answer and reference as ids over one alphabet of keys: `nr` ids at `ref`, `na` at `answer` (one raw block). */
export class Ids {
  ref: usize;
  nr: i32;
  answer: usize;
  na: i32;
  alphabet: i32 = 0;

  constructor(nr: i32, na: i32) {
    this.ref = heap.alloc(max<usize>(<usize>(nr + na) << 2, 8));
    this.nr = nr;
    this.answer = this.ref + (<usize>nr << 2);
    this.na = na;
  }

  /** The answer's i-th id (i < na). */
  @inline a(i: i32): i32 {
    return idAt(this.answer, i);
  }

  /** The reference's i-th id (i < nr). */
  @inline r(i: i32): i32 {
    return idAt(this.ref, i);
  }
}

/** n ids at p as an Int32Array (for lcsLength). */
function idArray(p: usize, n: i32): Int32Array {
  const out = new Int32Array(n);
  memory.copy(out.dataStart, p, <usize>n << 2);
  return out;
}

/** Gives equal keys equal ids (reference keys first); a linear scan for a few keys, a map for many. */
export function idsOf(answer: Elems, ref: Elems): Ids {
  const ids = new Ids(ref.length, answer.length);
  const r = ids.ref;
  const a = ids.answer;
  if (ref.length + answer.length <= 24) {
    // a key's id is that of its first equal element before it (reference first), else the next one
    let next = 0;
    for (let i = 0; i < ref.length; i++) {
      const k = ref.key(i);
      let id = -1;
      for (let j = 0; j < i && id < 0; j++) if (sameKey(ref.key(j), k)) id = idAt(r, j);
      setIdAt(r, i, id >= 0 ? id : next++);
    }
    for (let i = 0; i < answer.length; i++) {
      const k = answer.key(i);
      let id = -1;
      for (let j = 0; j < ref.length && id < 0; j++) if (sameKey(ref.key(j), k)) id = idAt(r, j);
      for (let j = 0; j < i && id < 0; j++) if (sameKey(answer.key(j), k)) id = idAt(a, j);
      setIdAt(a, i, id >= 0 ? id : next++);
    }
    ids.alphabet = next;
    return ids;
  }
  const map = new Map<string, i32>();
  for (let i = 0; i < ref.length; i++) {
    const k = ref.key(i);
    if (!map.has(k)) map.set(k, map.size);
    setIdAt(r, i, map.get(k));
  }
  for (let i = 0; i < answer.length; i++) {
    const k = answer.key(i);
    if (!map.has(k)) map.set(k, map.size);
    setIdAt(a, i, map.get(k));
  }
  ids.alphabet = map.size;
  return ids;
}

/** `a == b`, with the length and the first code unit (where most distinct keys differ) compared inline first. */
@inline function sameKey(a: string, b: string): bool {
  const n = a.length;
  if (n != b.length) return false;
  if (n > 0 && load<u16>(changetype<usize>(a)) != load<u16>(changetype<usize>(b))) return false;
  return a == b;
}

// How often each id occurs among the n ids at seq: a table of `alphabet` i32s.
function counts(seq: usize, n: i32, alphabet: i32): usize {
  const c = rawTable(<usize>alphabet << 2, 0);
  for (let i = 0; i < n; i++) {
    const at = c + (<usize>idAt(seq, i) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  return c;
}

/** True when the answer holds the reference's elements, each as often, in any order. */
export function isPermutation(ids: Ids): bool {
  if (ids.na != ids.nr) return false;
  const a = counts(ids.answer, ids.na, ids.alphabet);
  const r = counts(ids.ref, ids.nr, ids.alphabet);
  for (let i = 0; i < ids.alphabet; i++) if (idAt(a, i) != idAt(r, i)) return false;
  return true;
}

/** exact and any_of: the one answer equals the label or one of the aliases. */
export function scoreAnyOf(ids: Ids): Verdict {
  const v = new Verdict();
  // a label mode has its one answer here; an empty list (a mode name the host never writes) traps
  // as an empty Int32Array's read did
  const id = ids.na > 0 ? ids.a(0) : new Int32Array(0)[0];
  for (let i = 0; i < ids.nr; i++) {
    if (ids.r(i) == id) {
      v.reward = 1;
      v.add("matched_index", <f64>i);
      return v;
    }
  }
  return v;
}

/** set_exact and set_f1: answer and reference as sets (duplicates count once). */
export function scoreSet(ids: Ids, f1: bool): Verdict {
  const v = new Verdict();
  // one byte per id: bit 0 in the answer, bit 1 in the reference
  const seen = rawTable(<usize>ids.alphabet, 0);
  let na = 0, nr = 0, both = 0;
  for (let i = 0; i < ids.nr; i++) {
    const at = seen + <usize>ids.r(i);
    if (load<u8>(at) == 0) {
      store<u8>(at, 2);
      nr++;
    }
  }
  for (let i = 0; i < ids.na; i++) {
    const at = seen + <usize>ids.a(i);
    const b = load<u8>(at);
    if ((b & 1) == 0) {
      store<u8>(at, b | 1);
      na++;
      if (b != 0) both++;
    }
  }
  const p = na > 0 ? <f64>both / <f64>na : (nr == 0 ? 1.0 : 0.0);
  const r = nr > 0 ? <f64>both / <f64>nr : (na == 0 ? 1.0 : 0.0);
  const exact = both == na && both == nr;
  v.reward = f1 ? (p + r > 0 ? (2 * p * r) / (p + r) : 0.0) : (exact ? 1.0 : 0.0);
  v.add("precision", p).add("recall", r).add("matched", <f64>both);
  v.add("missing", <f64>(nr - both)).add("extra", <f64>(na - both));
  if (ids.na != na) v.add("duplicates", <f64>(ids.na - na));
  return v;
}

/** sequence_exact: the same elements in the same order. */
export function scoreSequence(ids: Ids): Verdict {
  const v = new Verdict();
  let same = ids.na == ids.nr;
  for (let i = 0; same && i < ids.nr; i++) same = ids.a(i) == ids.r(i);
  v.reward = same ? 1 : 0;
  return v;
}

/** position_accuracy: positions holding the reference's element, over the longer length. */
export function scorePositions(ids: Ids): Verdict {
  const v = new Verdict();
  const n = min(ids.na, ids.nr);
  let right = 0;
  for (let i = 0; i < n; i++) if (ids.a(i) == ids.r(i)) right++;
  const longer = max(ids.na, ids.nr);
  v.reward = longer == 0 ? 1.0 : <f64>right / <f64>longer;
  v.add("in_place", <f64>right).add("positions", <f64>longer);
  return v;
}

// The neighbour pairs of a sequence laid out row by row in the grid: (a, b, direction) keys.
function pairs(seq: usize, n: i32, c: MatchConfig, alphabet: i32): Array<i64> {
  const out = new Array<i64>();
  const cells = min(n, c.rows * c.cols);
  const a64 = <i64>max(alphabet, 1);
  for (let p = 0; p < cells; p++) {
    const row = p / c.cols;
    const col = p % c.cols;
    if (col + 1 < c.cols && p + 1 < cells) out.push(pairKey(idAt(seq, p), idAt(seq, p + 1), 0, c.directed, a64));
    if (row + 1 < c.rows && p + c.cols < cells) out.push(pairKey(idAt(seq, p), idAt(seq, p + c.cols), 1, c.directed, a64));
  }
  return out;
}

function pairKey(x: i32, y: i32, dir: i32, directed: bool, a: i64): i64 {
  let p = <i64>x, q = <i64>y;
  if (!directed && q < p) {
    const t = p;
    p = q;
    q = t;
  }
  return (p * a + q) * 2 + <i64>dir;
}

/** adjacency: neighbour pairs (right of, below) shared by answer and reference, over the larger count. */
export function scoreAdjacency(ids: Ids, c: MatchConfig): Verdict {
  const v = new Verdict();
  const pr = pairs(ids.ref, ids.nr, c, ids.alphabet);
  const pa = pairs(ids.answer, ids.na, c, ids.alphabet);
  const left = new Map<i64, i32>();
  for (let i = 0; i < pr.length; i++) left.set(pr[i], left.has(pr[i]) ? left.get(pr[i]) + 1 : 1);
  let shared = 0;
  for (let i = 0; i < pa.length; i++) {
    const k = pa[i];
    if (left.has(k) && left.get(k) > 0) {
      left.set(k, left.get(k) - 1);
      shared++;
    }
  }
  const larger = max(pr.length, pa.length);
  if (larger == 0) v.reward = scoreSequence(ids).reward;
  else v.reward = <f64>shared / <f64>larger;
  v.add("shared_pairs", <f64>shared).add("reference_pairs", <f64>pr.length).add("answer_pairs", <f64>pa.length);
  return v;
}

// Sorts keys[lo, hi) with merge sort and returns the number of strict inversions.
/** Rankings up to this long count their inversions pair by pair (no scratch array, no copies). */
const SMALL_RANKING: i32 = 32;

// The pairs i < j with keys[i] > keys[j], counted one by one: what `inversions` counts.
function inversionsByPairs(keys: usize, n: i32): i64 {
  let inv: i64 = 0;
  for (let i = 0; i < n; i++) {
    const k = idAt(keys, i);
    for (let j = i + 1; j < n; j++) if (k > idAt(keys, j)) inv++;
  }
  return inv;
}

function inversions(keys: usize, tmp: usize, n: i32): i64 {
  let inv: i64 = 0;
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = min(lo + width, n);
      const hi = min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (idAt(keys, i) <= idAt(keys, j)) setIdAt(tmp, k++, idAt(keys, i++));
        else {
          setIdAt(tmp, k++, idAt(keys, j++));
          inv += <i64>(mid - i);
        }
      }
      while (i < mid) setIdAt(tmp, k++, idAt(keys, i++));
      while (j < hi) setIdAt(tmp, k++, idAt(keys, j++));
    }
    memory.copy(keys, tmp, <usize>n << 2);
  }
  return inv;
}

/**
 * kendall_tau: over pairs of reference elements, concordant when the answer orders them the same
 * way; an element missing from the answer ranks after all present ones, two missing ones are a
 * discordant pair. reward = (τ + 1) / 2.
 */
export function scoreKendall(ids: Ids): Verdict {
  const v = new Verdict();
  const n = ids.nr;
  // each id's first position in the answer (-1: absent), then the reference's elements' positions
  const firstAt = rawTable(<usize>ids.alphabet << 2, 0xff);
  for (let i = 0; i < ids.na; i++) {
    const id = ids.a(i);
    if (idAt(firstAt, id) < 0) setIdAt(firstAt, id, i);
  }
  const keys = heap.alloc(max<usize>(<usize>n << 2, 8));
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const at = idAt(firstAt, ids.r(i));
    setIdAt(keys, i, at >= 0 ? at : i32.MAX_VALUE);
    if (at < 0) missing++;
  }
  const total = <i64>n * <i64>(n - 1) / 2;
  const ties = <i64>missing * <i64>(missing - 1) / 2;
  const inv = n <= SMALL_RANKING ? inversionsByPairs(keys, n) : inversions(keys, heap.alloc(<usize>n << 2), n);
  const discordant = inv + ties;
  const concordant = total - discordant;
  const tau = total == 0 ? (missing == 0 ? 1.0 : -1.0) : <f64>(concordant - discordant) / <f64>total;
  v.reward = (tau + 1) / 2;
  v.add("tau", tau).add("concordant", <f64>concordant).add("discordant", <f64>discordant).add("missing", <f64>missing);
  return v;
}

/** lcs: 2·LCS / (|answer| + |reference|), bounded by MAX_LCS_CELLS. */
export function scoreLcs(ids: Ids): Verdict {
  const v = new Verdict();
  const na = ids.na, nr = ids.nr;
  if (<i64>na * <i64>nr > MAX_LCS_CELLS) {
    v.problem = "too_complex";
    v.detail = "too_long";
    v.add("cells", <f64>na * <f64>nr).add("max_cells", <f64>MAX_LCS_CELLS);
    return v;
  }
  const l = lcsLength(idArray(ids.answer, na), na, idArray(ids.ref, nr), nr, ids.alphabet);
  v.reward = na + nr == 0 ? 1.0 : (2.0 * <f64>l) / <f64>(na + nr);
  v.add("lcs", <f64>l);
  return v;
}

function gain(rel: f64, exponential: bool): f64 {
  return exponential ? Math.pow(2.0, rel) - 1.0 : rel;
}

/** ndcg: DCG@k of the answer's order over the ideal DCG@k; repeated elements gain nothing. */
export function scoreNdcg(ids: Ids, c: MatchConfig): Verdict {
  const v = new Verdict();
  const relOf = new Float64Array(max(ids.alphabet, 1));
  for (let i = 0; i < ids.nr; i++) relOf[ids.r(i)] = max(relOf[ids.r(i)], c.rel[i]);
  const seen = new Uint8Array(max(ids.alphabet, 1));
  let dcg = 0.0;
  const k = c.k;
  for (let i = 0; i < min(k, ids.na); i++) {
    const id = ids.a(i);
    if (seen[id] != 0) continue;
    seen[id] = 1;
    dcg += gain(relOf[id], c.exponentialGain) / (Math.log(<f64>(i + 2)) / Math.LN2);
  }
  const sorted = new Float64Array(ids.nr);
  for (let i = 0; i < ids.nr; i++) sorted[i] = c.rel[i];
  sorted.sort((a: f64, b: f64): i32 => (a < b ? 1 : a > b ? -1 : 0));
  let ideal = 0.0;
  for (let i = 0; i < min(k, sorted.length); i++) {
    ideal += gain(sorted[i], c.exponentialGain) / (Math.log(<f64>(i + 2)) / Math.LN2);
  }
  v.reward = ideal > 0 ? dcg / ideal : 0.0;
  v.add("dcg", dcg).add("ideal_dcg", ideal).add("k", <f64>k);
  return v;
}

function prefixKey(e: Elems, at: i32, n: i32): string {
  const parts = new Array<string>();
  for (let i = 0; i < n; i++) parts.push(e.field(at, i));
  return parts.join("\u001f");
}

function partialCredit(c: MatchConfig, fields: i32): f64 {
  if (c.partial.length == 0) return 0;
  return c.partial[min(fields, c.partial.length) - 1];
}

/**
 * weighted: each answer element is matched once, longest match first (all fields, then the first
 * n − 1 fields, …, down to partial_min); credits right / partial / wrong / extra / missing as
 * configured, summed and divided by right × |reference|, clipped to [0, 1].
 */
export function scoreWeighted(answer: Elems, ref: Elems, c: MatchConfig): Verdict {
  const v = new Verdict();
  const usedA = new Uint8Array(answer.length);
  const usedR = new Uint8Array(ref.length);
  let maxFields = 1;
  for (let i = 0; i < ref.length; i++) maxFields = max(maxFields, ref.arity(i));
  let total = 0.0;
  let right = 0, partial = 0;
  for (let n = maxFields; n >= 1; n--) {
    const full = n == maxFields;
    if (!full && n < c.partialMin) break;
    const free = new Map<string, IntList>();
    for (let i = ref.length - 1; i >= 0; i--) {
      if (usedR[i] != 0 || (!full && ref.arity(i) < n)) continue;
      const k = full ? ref.key(i) : prefixKey(ref, i, n);
      if (!free.has(k)) free.set(k, new IntList(4));
      free.get(k).push(i);
    }
    for (let i = 0; i < answer.length; i++) {
      if (usedA[i] != 0) continue;
      if (!full && answer.arity(i) < n) continue;
      const k = full ? answer.key(i) : prefixKey(answer, i, n);
      if (!free.has(k)) continue;
      const list = free.get(k);
      if (list.len == 0) continue;
      const r = list.at(--list.len);
      usedA[i] = 1;
      usedR[r] = 1;
      if (full) {
        right++;
        total += c.right;
      } else {
        partial++;
        total += partialCredit(c, n);
      }
    }
  }
  const unmatchedA = answer.length - right - partial;
  const unmatchedR = ref.length - right - partial;
  const wrong = min(unmatchedA, unmatchedR);
  const extra = unmatchedA - wrong;
  const missing = unmatchedR - wrong;
  total += <f64>wrong * c.wrong + <f64>extra * c.extra + <f64>missing * c.missing;
  const scale = c.right * <f64>max(ref.length, 1);
  let reward = ref.length == 0 && answer.length == 0 ? 1.0 : total / scale;
  if (reward < 0) reward = 0;
  if (reward > 1) reward = 1;
  v.reward = reward;
  v.add("right", <f64>right).add("partial", <f64>partial).add("wrong", <f64>wrong);
  v.add("extra", <f64>extra).add("missing", <f64>missing).add("credit", total);
  return v;
}
