// The `format` verifier kernel: checks the <think>…</think><answer>…</answer> layout (tag names
// from the parameters), exactly one block per tag, in order, nothing but whitespace outside them.
// See verifiers/format/README.md.

import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { JsonKind } from "./_lib/json";
import { beginResult, finishResult } from "./_lib/result";
import { indexOfAscii, isBlank, matchesAt } from "./_lib/text";

// What the host glue (verifiers/format/mod.ts) writes when no tags are given.
const DEFAULT_PARAMS = '{"tags":["think","answer"],"profile":"default"}';

export { input, output_len } from "./_lib/abi";

/** Scores the current item (parameters, 0x00, response) and returns a pointer to the result JSON. */
export function score(): usize {
  return emit(scoreItem());
}

function failure(problem: string, tag: string, message: string): ArrayBuffer {
  const w = beginResult(0, false, "bad_format");
  w.key("problem").str(problem);
  w.key("tag").str(tag);
  w.key("message").str(message);
  return finishResult(w);
}

function countOf(ptr: usize, start: i32, end: i32, pat: string): i32 {
  let n = 0;
  let at = indexOfAscii(ptr, end, pat, start);
  while (at >= 0) {
    n++;
    at = indexOfAscii(ptr, end, pat, at + pat.length);
  }
  return n;
}

function scoreItem(): ArrayBuffer {
  const item = readItem();
  if (item === null) return badParameters(null);
  const ptr = item.ptr;
  const end = item.end;
  const sep = item.sep;
  const tags = new Array<string>();
  const openTags = new Array<string>();
  const closeTags = new Array<string>();
  if (matchesAt(ptr, sep, 0, DEFAULT_PARAMS) && sep == DEFAULT_PARAMS.length) {
    // the parameters the host writes by default: the same tags as parsing them gives, no parsing
    tags.push("think");
    tags.push("answer");
    openTags.push("<think>");
    openTags.push("<answer>");
    closeTags.push("</think>");
    closeTags.push("</answer>");
  } else {
    const params = readParams(item);
    if (params === null) return badParameters(item);
    const list = params!.get("tags");
    if (list !== null && list.kind == JsonKind.Array) {
      for (let i = 0; i < list.items.length; i++) tags.push(list.items[i].str);
    }
    if (tags.length == 0) {
      tags.push("think");
      tags.push("answer");
    }
    for (let t = 0; t < tags.length; t++) {
      openTags.push("<" + tags[t] + ">");
      closeTags.push("</" + tags[t] + ">");
    }
  }
  const start = sep + 1;
  // every tag once, opening and closing
  for (let t = 0; t < tags.length; t++) {
    const open = openTags[t];
    const close = closeTags[t];
    const opens = countOf(ptr, start, end, open);
    const closes = countOf(ptr, start, end, close);
    if (opens == 0) return failure("missing_tag", open, "The response has no " + open + ".");
    if (closes == 0) return failure("missing_tag", close, "The response has no " + close + ".");
    if (opens > 1) return failure("duplicate_tag", open, open + " appears " + opens.toString() + " times.");
    if (closes > 1) return failure("duplicate_tag", close, close + " appears " + closes.toString() + " times.");
  }
  // in order, each closed before the next opens
  const opens = new Array<i32>(tags.length);
  const closes = new Array<i32>(tags.length);
  let last = start;
  for (let t = 0; t < tags.length; t++) {
    const open = openTags[t];
    opens[t] = indexOfAscii(ptr, end, open, start);
    closes[t] = indexOfAscii(ptr, end, closeTags[t], start);
    if (opens[t] < last || closes[t] < opens[t] + open.length) {
      return failure("wrong_order", open, "The tags are not in the order " + tagList(tags) + ", each closed before the next opens.");
    }
    last = closes[t] + tags[t].length + 3;
  }
  // whitespace only around and between the blocks; the last block not empty
  let pos = start;
  for (let t = 0; t < tags.length; t++) {
    const open = openTags[t];
    if (!isBlank(ptr, pos, opens[t])) {
      return failure("text_outside", open, "There is text " + (t == 0 ? "before " : "between the blocks, before ") + open + ".");
    }
    if (t == tags.length - 1 && isBlank(ptr, opens[t] + open.length, closes[t])) {
      return failure("empty_answer", open, "The " + open + " block is empty.");
    }
    pos = closes[t] + tags[t].length + 3;
  }
  if (!isBlank(ptr, pos, end)) {
    const close = closeTags[tags.length - 1];
    return failure("text_outside", close, "There is text after " + close + ".");
  }
  const w = beginResult(1, true, null);
  w.key("tags").beginArray();
  for (let t = 0; t < tags.length; t++) w.str(tags[t]);
  w.endArray();
  return finishResult(w);
}

function tagList(tags: string[]): string {
  let s = "";
  for (let t = 0; t < tags.length; t++) s += "<" + tags[t] + ">…</" + tags[t] + ">";
  return s;
}
