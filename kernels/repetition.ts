// The `repetition` verifier kernel: the share of distinct n-grams among all n-grams of a response
// (words, lower-cased ASCII, or characters), 1 for a response without repeats. Long loops of the
// same phrase, a common failure of RL-trained models, score near 0.
// See verifiers/repetition/README.md.

import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { beginResult, finishResult } from "./_lib/result";

export { input, output_len } from "./_lib/abi";

/** More tokens than this get a `too_complex` verdict (the table would outgrow the memory cap). */
const MAX_TOKENS: i32 = 1 << 20;
const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c;
}

function mix(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/** Token hashes and start offsets: words (ASCII lower-cased) or UTF-8 characters. */
class Tokens {
  hashes: StaticArray<u64>;
  starts: StaticArray<i32>;
  ends: StaticArray<i32>;
  count: i32 = 0;
  overflow: bool = false;

  constructor(capacity: i32) {
    this.hashes = new StaticArray<u64>(capacity);
    this.starts = new StaticArray<i32>(capacity);
    this.ends = new StaticArray<i32>(capacity);
  }

  push(hash: u64, start: i32, end: i32): void {
    if (this.count >= this.hashes.length) {
      this.overflow = true;
      return;
    }
    unchecked((this.hashes[this.count] = hash));
    unchecked((this.starts[this.count] = start));
    unchecked((this.ends[this.count] = end));
    this.count++;
  }
}

function tokenize(ptr: usize, start: i32, end: i32, chars: bool): Tokens {
  // A cheap upper bound first, so the arrays are allocated once.
  let estimate = 0;
  for (let i = start; i < end; i++) {
    const c = load<u8>(ptr + <usize>i);
    if (chars ? (c & 0xc0) != 0x80 : isSpace(c)) estimate++;
  }
  const tokens = new Tokens(min(estimate + 1, MAX_TOKENS));
  let i = start;
  while (i < end && !tokens.overflow) {
    if (chars) {
      let j = i + 1;
      while (j < end && (load<u8>(ptr + <usize>j) & 0xc0) == 0x80) j++;
      let h = FNV_OFFSET;
      for (let k = i; k < j; k++) h = (h ^ <u64>load<u8>(ptr + <usize>k)) * FNV_PRIME;
      if (!(j == i + 1 && isSpace(load<u8>(ptr + <usize>i)))) tokens.push(h, i, j);
      i = j;
      continue;
    }
    while (i < end && isSpace(load<u8>(ptr + <usize>i))) i++;
    if (i >= end) break;
    let h = FNV_OFFSET;
    const s = i;
    while (i < end && !isSpace(load<u8>(ptr + <usize>i))) {
      let c = <u32>load<u8>(ptr + <usize>i);
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      h = (h ^ <u64>c) * FNV_PRIME;
      i++;
    }
    tokens.push(h, s, i);
  }
  return tokens;
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const p = readParams(item);
  if (p === null) return badParameters(item);
  const nValue = p.get("n");
  const n = nValue === null ? 4 : <i32>nValue.num;
  const unitValue = p.get("unit");
  const unit = unitValue === null ? "words" : unitValue.str;
  const thresholdValue = p.get("threshold");
  const threshold = thresholdValue === null ? 0.5 : thresholdValue.num;
  const tokens = tokenize(item.ptr, item.start, item.end, unit == "chars");
  if (tokens.overflow) {
    const w = beginResult(0, false, "too_complex");
    w.key("problem").str("too_many_tokens");
    w.key("limit").int(MAX_TOKENS);
    return finishResult(w);
  }
  const total = tokens.count - n + 1;
  if (total <= 0) {
    const w = beginResult(1, true, null);
    w.key("n").int(n);
    w.key("unit").str(unit);
    w.key("ngrams").int(0);
    w.key("distinct").int(0);
    w.key("ratio").num(1);
    return finishResult(w);
  }
  // Open addressing over n-gram hashes; counts kept beside them to name the most repeated n-gram.
  let size = 16;
  while (size < total * 2) size <<= 1;
  const keys = new StaticArray<u64>(size);
  const counts = new StaticArray<i32>(size);
  const firsts = new StaticArray<i32>(size);
  let distinct = 0;
  let bestCount = 0;
  let bestFirst = 0;
  for (let g = 0; g < total; g++) {
    let h: u64 = <u64>n;
    for (let k = 0; k < n; k++) h = mix(h ^ unchecked(tokens.hashes[g + k]));
    if (h == 0) h = 1;
    let slot = <i32>(h & <u64>(size - 1));
    while (true) {
      const key = unchecked(keys[slot]);
      if (key == 0) {
        unchecked((keys[slot] = h));
        unchecked((counts[slot] = 1));
        unchecked((firsts[slot] = g));
        distinct++;
        if (bestCount == 0) {
          bestCount = 1;
          bestFirst = g;
        }
        break;
      }
      if (key == h) {
        const c = unchecked(counts[slot]) + 1;
        unchecked((counts[slot] = c));
        if (c > bestCount) {
          bestCount = c;
          bestFirst = unchecked(firsts[slot]);
        }
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  const ratio = <f64>distinct / <f64>total;
  const correct = ratio >= threshold;
  const w = beginResult(ratio, correct, correct ? null : "wrong");
  w.key("n").int(n);
  w.key("unit").str(unit);
  w.key("ngrams").int(total);
  w.key("distinct").int(distinct);
  w.key("ratio").num(ratio);
  w.key("threshold").num(threshold);
  if (bestCount > 1) {
    const from = unchecked(tokens.starts[bestFirst]);
    let to = unchecked(tokens.ends[bestFirst + n - 1]);
    if (to - from > 200) to = from + 200;
    w.key("most_repeated").strBytes(item.ptr + <usize>from, to - from);
    w.key("most_repeated_count").int(bestCount);
  }
  if (!correct) w.key("problem").str("repetitive");
  return finishResult(w);
}
