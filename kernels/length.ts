// The `length` verifier kernel: how acceptable a response's length is, in [0, 1]. Inside the target
// range it scores 1; in the soft buffer before `max` it falls linearly to 0 (DAPO's overlong
// shaping: its penalty is this reward minus 1); past `max` or below `min` it scores 0.
// Counts Unicode code points ("chars") or whitespace-separated words; "tokens" come from the caller.
// See verifiers/length/README.md.

import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { beginResult, finishResult } from "./_lib/result";

export { input, output_len } from "./_lib/abi";

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c;
}

/** Code points of UTF-8 bytes: every byte that does not continue a sequence starts one. */
function countChars(ptr: usize, start: i32, end: i32): i64 {
  let n: i64 = 0;
  for (let i = start; i < end; i++) {
    if ((load<u8>(ptr + <usize>i) & 0xc0) != 0x80) n++;
  }
  return n;
}

/** Runs of non-whitespace bytes. */
function countWords(ptr: usize, start: i32, end: i32): i64 {
  let n: i64 = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const space = isSpace(load<u8>(ptr + <usize>i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const p = readParams(item);
  if (p === null) return badParameters(item);
  const unitValue = p.get("unit");
  const unit = unitValue === null ? "chars" : unitValue.str;
  let length: f64;
  if (unit == "tokens") {
    const tokens = p.get("tokens");
    length = tokens === null ? 0 : tokens.num;
  } else if (unit == "words") {
    length = <f64>countWords(item.ptr, item.start, item.end);
  } else {
    length = <f64>countChars(item.ptr, item.start, item.end);
  }
  const minValue = p.get("min");
  const maxValue = p.get("max");
  const bufferValue = p.get("buffer");
  const min = minValue === null ? 0 : minValue.num;
  const max = maxValue === null ? Infinity : maxValue.num;
  const buffer = bufferValue === null ? 0 : bufferValue.num;
  let reward: f64 = 1;
  let problem: string | null = null;
  if (length < min) {
    reward = 0;
    problem = "too_short";
  } else if (length > max) {
    reward = 0;
    problem = "too_long";
  } else if (buffer > 0 && length > max - buffer) {
    reward = (max - length) / buffer;
    problem = "in_overlong_buffer";
  }
  const correct = problem === null;
  const w = beginResult(reward, correct, correct ? null : "wrong");
  w.key("length").num(length);
  w.key("unit").str(unit);
  w.key("min").num(min);
  if (isFinite(max)) w.key("max").num(max);
  else w.key("max").null();
  w.key("buffer").num(buffer);
  w.key("penalty").num(reward - 1);
  if (problem !== null) w.key("problem").str(problem!);
  return finishResult(w);
}
