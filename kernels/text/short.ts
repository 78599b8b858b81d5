// The word tokenizers (unicode, whitespace, squad) of a short item whose texts are all plain ASCII, in static
// memory: every text copied once (lowercased, SQuAD's punctuation deleted), a bitmap of its token bytes, then its
// tokens from the bitmap, each interned in a table that lives across items (a stamp per item instead of clearing).
// Equal tokens get equal ids, distinct tokens distinct ids, as tokens() gives them (ids dense, in order of first
// appearance; a token of at most eight bytes by its bytes as one u64, a longer one by its bytes in the copy). A short
// item pays no per-text allocation, no code points and no per-byte branches.

import { asciiWordBytes, inRange, lowerAscii, sameBytes } from "./ascii_tokens";
import { IntList } from "../_lib/unicode";
import { TokenIds } from "./texts";
import { Tokenizer } from "./tokenize";

/** Bytes of all texts together (each padded to eight bytes, plus eight) past which an item takes the general path. */
export const SHORT_BYTES: i32 = 4096;
// Tokens of all texts together past which the item takes the general path.
const MAX_IDS: i32 = 512;

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const SPACES: u64 = 0x2020202020202020;

// The texts' bytes, each at an offset that is a multiple of eight and followed by at least eight spaces.
const BUF: usize = memory.data(SHORT_BYTES + 16, 16);
// One text's tokens: where each starts and ends (room for a last 64 bytes of up to 32 tokens past MAX_IDS).
const STARTS: usize = memory.data(4 * (MAX_IDS + 40), 16);
const ENDS: usize = memory.data(4 * (MAX_IDS + 40), 16);
// Every text's ids, one after the other, and where each text's end (one past the room's most texts: a text takes at
// least eight bytes of room).
const IDS: usize = memory.data(4 * (MAX_IDS + 8), 16);
const CUTS: usize = memory.data(4 * ((SHORT_BYTES >> 3) + 2), 16);

// The tables of tokens by key (slots of key u64, stamp u32, id u32) and of longer tokens (slots of stamp u32, hash
// u32, offset in BUF u32, length u32, id u32, padding): a slot is taken when its stamp is the current item's. An item
// uses the first 2^bits slots, at least twice as many as it can have tokens: a short item's few, which stay in cache.
const MAX_SLOTS: i32 = 2 * MAX_IDS;
const KEY_TABLE: usize = memory.data(16 * MAX_SLOTS, 16);
const LONG_TABLE: usize = memory.data(32 * MAX_SLOTS, 16);
const KEY_HASH: u64 = 0x9e3779b97f4a7c15;
let stamp: u32 = 0;

// SQuAD's articles as keys.
const KEY_A: u64 = 0x61;
const KEY_AN: u64 = 0x6e61;
const KEY_THE: u64 = 0x656874;

/**
 * The token ids of the texts (text 0 the bytes [start, end) of `ptr`, then per reference r the bytes
 * [refSpans[2r], refSpans[2r + 1]) of `refPtr`) as the word tokenizer `kind` gives them, or null when the item is
 * not for this path (a text not plain ASCII, too many bytes or tokens, SQuAD's text with a control character): the
 * caller then takes the general path, which gives the same ids' equalities.
 */
export function shortTokenIds(
  ptr: usize,
  start: i32,
  end: i32,
  refPtr: usize,
  refs: IntList,
  kind: Tokenizer,
  lower: bool,
): TokenIds | null {
  const refCount = refs.len >> 1;
  const refSpans = refs.data;
  // room first: every text padded
  let room = ((end - start + 7) & ~7) + 8;
  for (let r = 0; r < refCount; r++) {
    const e = unchecked(refSpans[2 * r + 1]);
    if (e < 0) return null; // a reference with escapes (decoded by the general reader)
    room += ((e - unchecked(refSpans[2 * r]) + 7) & ~7) + 8;
  }
  if (room > SHORT_BYTES) return null;
  if (++stamp == 0) {
    memory.fill(KEY_TABLE, 0, 16 * <usize>MAX_SLOTS);
    memory.fill(LONG_TABLE, 0, 32 * <usize>MAX_SLOTS);
    stamp = 1;
  }
  const now = stamp;
  // tokens are separated: at most one per two bytes of room
  let bits = 6;
  while ((1 << bits) < min(room, MAX_SLOTS)) bits++;
  const squad = kind == Tokenizer.Squad;
  let at: usize = BUF;
  let m = 0;
  let count = 0;
  for (let t = 0; t <= refCount; t++) {
    const from = t == 0 ? ptr + <usize>start : refPtr + <usize>unchecked(refSpans[2 * t - 2]);
    const len = t == 0 ? end - start : unchecked(refSpans[2 * t - 1]) - unchecked(refSpans[2 * t - 2]);
    const n = squad
      ? copySquad(from, len, at, lower)
      : lower
      ? copyWords(from, len, at, true)
      : copyWords(from, len, at, false);
    if (n < 0) return null;
    const tokens = tokenBounds(at, n, kind);
    if (tokens < 0 || m + tokens > MAX_IDS) return null;
    for (let i = 0; i < tokens; i++) {
      const s = load<i32>(STARTS + (<usize>i << 2));
      const k = load<i32>(ENDS + (<usize>i << 2)) - s;
      let id: i32;
      if (k <= 8) {
        const key = load<u64>(at + <usize>s) & (~(<u64>0) >> (<u64>(8 - k) << 3));
        if (squad && (key == KEY_A || key == KEY_AN || key == KEY_THE)) continue;
        id = keyId(key, count, now, bits);
      } else {
        id = longId(at + <usize>s, k, <u32>(at - BUF) + <u32>s, count, now, bits);
      }
      count += <i32>(id == count);
      store<i32>(IDS + (<usize>m << 2), id);
      m++;
    }
    store<i32>(CUTS + (<usize>(t + 1) << 2), m);
    at += <usize>(((n + 7) & ~7) + 8);
  }
  // the ids in one buffer (not zeroed first: every byte is copied), a view of it per text
  const all = changetype<ArrayBuffer>(__new(<usize>max(m, 1) << 2, idof<ArrayBuffer>()));
  memory.copy(changetype<usize>(all), IDS, <usize>m << 2);
  const out = new TokenIds(refCount + 1);
  store<i32>(CUTS, 0);
  for (let t = 0; t <= refCount; t++) {
    const from = load<i32>(CUTS + (<usize>t << 2));
    const to = load<i32>(CUTS + (<usize>(t + 1) << 2));
    unchecked((out.ids[t] = Int32Array.wrap(all, from << 2, to - from)));
  }
  out.alphabet = count;
  return out;
}

// Copies the `len` bytes at `from` to `to` (lowercased when `lower`, a constant at each call: a loop per case), then
// eight spaces and up to seven more to the next multiple of eight; returns how many bytes it wrote before the spaces,
// or -1 when a byte is not plain ASCII (NUL or past 0x7f).
@inline function copyWords(from: usize, len: i32, to: usize, lower: bool): i32 {
  let bad: u64 = 0;
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    let w = load<u64>(from + <usize>i);
    bad |= w | ((w - ONES) & ~w);
    if (lower) w = lowerAscii(w & ~HIGHS);
    store<u64>(to + <usize>i, w);
  }
  if (i < len) {
    // past the text: spaces (they separate in every tokenizer)
    const keep = ~(<u64>0) >> (<u64>(8 - (len - i)) << 3);
    let w = (load<u64>(from + <usize>i) & keep) | (SPACES & ~keep);
    bad |= w | ((w - ONES) & ~w);
    if (lower) w = lowerAscii(w & ~HIGHS);
    store<u64>(to + <usize>i, w);
    i += 8;
  }
  if ((bad & HIGHS) != 0) return -1;
  store<u64>(to + <usize>i, SPACES);
  store<u64>(to + <usize>i, SPACES, 8);
  return i;
}

// copyWords with SQuAD's ASCII punctuation deleted (the bytes after it move back).
function copySquad(from: usize, len: i32, to: usize, lower: bool): i32 {
  let bad: u64 = 0;
  let o: usize = to;
  for (let i = 0; i < len; i += 8) {
    let w = load<u64>(from + <usize>i);
    const left = len - i;
    // past the text: spaces (they separate in every tokenizer)
    if (left < 8) {
      const keep = ~(<u64>0) >> (<u64>(8 - left) << 3);
      w = (w & keep) | (SPACES & ~keep);
    }
    bad |= w | ((w - ONES) & ~w);
    if (lower) w = lowerAscii(w & ~HIGHS);
    const punct = inRange(w, 0x21, 0x2f) | inRange(w, 0x3a, 0x40) | inRange(w, 0x5b, 0x60) | inRange(w, 0x7b, 0x7e);
    if (punct != 0) {
      for (let k = 0; k < 8; k++) {
        const c = <u8>(w >> (<u64>k << 3));
        store<u8>(o, c);
        o += <usize>((punct >> (<u64>(k << 3) + 7)) & 1) ^ 1;
      }
      continue;
    }
    store<u64>(o, w);
    o += 8;
  }
  if ((bad & HIGHS) != 0) return -1;
  store<u64>(o, SPACES);
  store<u64>(o, SPACES, 8);
  return <i32>(o - to);
}

// Where the tokens of the `n` bytes at `at` (followed by spaces) start and end, into STARTS and ENDS (offsets from
// `at`), found 64 bytes at a time from a bitmap of their token bytes; returns how many, or -1 for more than MAX_IDS
// or for SQuAD's text with a byte that is neither space nor a word character.
function tokenBounds(at: usize, n: i32, kind: Tokenizer): i32 {
  const words = (n + 63) >> 6;
  const unicode = kind == Tokenizer.Unicode;
  const squad = kind == Tokenizer.Squad;
  let other: u64 = 0;
  let carry: u64 = 0; // the last byte of the previous 64 was a token byte
  let q = 0;
  let r = 0;
  for (let b = 0; b < words; b++) {
    let bits: u64 = 0;
    const base = at + (<usize>b << 6);
    const chunks = min(8, ((n - (b << 6)) + 7) >> 3);
    for (let k = 0; k < chunks; k++) {
      const w = load<u64>(base + (<usize>k << 3));
      let word: u64;
      if (squad) {
        word = asciiWordBytes(w, false);
        other |= word & ~(asciiWordBytes(w, true) | inRange(w, 0x5f, 0x5f));
      } else {
        word = asciiWordBytes(w, unicode);
      }
      bits |= (((word >> 7) * 0x0102040810204080) >> 56) << (<u64>k << 3);
    }
    const before = (bits << 1) | carry;
    let starts = bits & ~before;
    let ends = ~bits & before;
    carry = bits >> 63;
    const offset = b << 6;
    while (starts != 0) {
      store<i32>(STARTS + (<usize>(q++) << 2), offset + <i32>ctz(starts));
      starts &= starts - 1;
    }
    while (ends != 0) {
      store<i32>(ENDS + (<usize>(r++) << 2), offset + <i32>ctz(ends));
      ends &= ends - 1;
    }
    if (q > MAX_IDS) return -1;
  }
  // a token up to the last byte ends there
  store<i32>(ENDS + (<usize>r << 2), words << 6);
  return other != 0 ? -1 : q;
}

// The id of the token with this key (`next` when new: the table takes it). Without a branch on whether the key is
// new (it is about half the time): the probe stops at the key's slot or an empty one, usually the first.
@inline function keyId(key: u64, next: i32, now: u32, bits: i32): i32 {
  const mask = (1 << bits) - 1;
  let slot = <i32>((key * KEY_HASH) >> (64 - <u64>bits));
  let at = KEY_TABLE + (<usize>slot << 4);
  while ((<i32>(load<u32>(at, 8) == now) & <i32>(load<u64>(at) != key)) != 0) {
    slot = (slot + 1) & mask;
    at = KEY_TABLE + (<usize>slot << 4);
  }
  const live = <i32>(load<u32>(at, 8) == now);
  const id = next ^ ((<i32>load<u32>(at, 12) ^ next) & -live);
  store<u64>(at, key);
  store<u32>(at, now, 8);
  store<u32>(at, <u32>id, 12);
  return id;
}

// The id of the token of `len` (more than eight) bytes at p, at offset `off` of BUF (`next` when new).
function longId(p: usize, len: i32, off: u32, next: i32, now: u32, bits: i32): i32 {
  let h: u64 = <u64>len;
  let i = 0;
  for (; i + 8 <= len; i += 8) h = (h ^ load<u64>(p + <usize>i)) * KEY_HASH;
  if (i < len) h = (h ^ (load<u64>(p + <usize>i) & (~(<u64>0) >> (<u64>(8 - (len - i)) << 3)))) * KEY_HASH;
  const hash = <u32>(h >> 32);
  const mask = (1 << bits) - 1;
  let slot = <i32>(hash >> (32 - <u32>bits));
  while (true) {
    const at = LONG_TABLE + (<usize>slot << 5);
    if (load<u32>(at) != now) {
      store<u32>(at, now);
      store<u32>(at, hash, 4);
      store<u32>(at, off, 8);
      store<u32>(at, <u32>len, 12);
      store<u32>(at, <u32>next, 16);
      return next;
    }
    if (load<u32>(at, 4) == hash && load<u32>(at, 12) == <u32>len && sameBytes(BUF + <usize>load<u32>(at, 8), p, len)) {
      return <i32>load<u32>(at, 16);
    }
    slot = (slot + 1) & mask;
  }
  return next;
}
