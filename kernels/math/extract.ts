// Finding the final answer in a model's output, scanning bytes from the end: \boxed{…}/\fbox{…}
// (the last one, with adjacent boxes joined by "and"/","), <answer>…</answer>, "the final answer
// is …", "the answer is …"/"Answer: …", the last $…$ / \(…\) / \[…\] block, and the last bare number.
// Rules are tried in groups: inside a group the match that ends last in the text wins (Math-Verify's
// priority groups); the first group that finds something decides. Every scan is linear and starts at
// the end, and once a group has a match its other rules only look at the text after that match's
// start, so a rollout that ends in \boxed{…} costs a few dozen bytes of scanning, not its length.

/** What an extraction rule found. */
export class Extraction {
  text: string = "";
  rule: string = "";
  /** Several boxed answers joined by "or": the model hedged. */
  hedged: bool = false;
  found: bool = false;
  /** Where the match starts and ends in the scanned text (the later end wins inside a group). */
  start: i32 = -1;
  end: i32 = -1;
}

const MAX_JOINED: i32 = 64;
// how far before a box the closing brace of a box joined to it may be, and how long that box may be
const JOIN_GAP: i32 = 48;
const JOIN_BOX_CHARS: i32 = 4096;

@inline function at(ptr: usize, len: i32, i: i32): i32 {
  return i >= 0 && i < len ? <i32>load<u8>(ptr + <usize>i) : -1;
}

function matchAt(ptr: usize, len: i32, i: i32, w: string, fold: bool): bool {
  const n = w.length;
  if (i < 0 || i + n > len) return false;
  for (let k = 0; k < n; k++) {
    let c = <i32>load<u8>(ptr + <usize>(i + k));
    if (fold && c >= 65 && c <= 90) c += 32;
    if (c != w.charCodeAt(k)) return false;
  }
  return true;
}

/** Last index in [floor, before] where `w` starts, or -1. */
function lastIndexOf(ptr: usize, len: i32, w: string, before: i32, fold: bool, floor: i32 = 0): i32 {
  const first = w.charCodeAt(0);
  for (let i = min(before, len - w.length); i >= floor; i--) {
    let c = <i32>load<u8>(ptr + <usize>i);
    if (fold && c >= 65 && c <= 90) c += 32;
    if (c == first && matchAt(ptr, len, i, w, fold)) return i;
  }
  return -1;
}

function decode(ptr: usize, start: i32, end: i32): string {
  if (end <= start) return "";
  return String.UTF8.decodeUnsafe(ptr + <usize>start, <usize>(end - start), false);
}

/** Index after the '}' that closes the '{' at `open`, or -1 when it is not closed. */
function closeBrace(ptr: usize, len: i32, open: i32): i32 {
  let depth = 0;
  for (let i = open; i < len; i++) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c == 92) {
      i++;
      continue;
    }
    if (c == 123) depth++;
    else if (c == 125) {
      depth--;
      if (depth == 0) return i + 1;
    }
  }
  return -1;
}

class Box {
  start: i32 = -1; // index of the backslash
  contentStart: i32 = 0;
  contentEnd: i32 = 0;
  end: i32 = 0; // after the closing brace
}

let boxWordLen: i32 = 0;

/** Index of the last "\boxed" / "\fbox" that starts in [floor, before], or -1 (its length in boxWordLen). */
function lastBoxCommand(ptr: usize, len: i32, before: i32, floor: i32): i32 {
  for (let i = min(before, len - 5); i >= floor; i--) {
    if (load<u8>(ptr + <usize>i) != 92) continue;
    const c = at(ptr, len, i + 1);
    if (c == 98 && matchAt(ptr, len, i + 1, "boxed", false)) {
      boxWordLen = 6;
      return i;
    }
    if (c == 102 && matchAt(ptr, len, i + 1, "fbox", false)) {
      boxWordLen = 5;
      return i;
    }
  }
  return -1;
}

/** The box whose command starts at `s` (boxWordLen set), or null when it has no content. */
function boxAt(ptr: usize, len: i32, s: i32): Box | null {
  let i = s + boxWordLen;
  while (at(ptr, len, i) == 32) i++;
  const box = new Box();
  box.start = s;
  if (at(ptr, len, i) == 123) {
    const end = closeBrace(ptr, len, i);
    if (end < 0) return null;
    box.contentStart = i + 1;
    box.contentEnd = end - 1;
    box.end = end;
    return box;
  }
  // \boxed 5: up to the next space or $
  let j = i;
  while (j < len) {
    const c = at(ptr, len, j);
    if (c == 32 || c == 36 || c == 10) break;
    j++;
  }
  if (j == i) return null;
  box.contentStart = i;
  box.contentEnd = j;
  box.end = j;
  return box;
}

function findBoxBefore(ptr: usize, len: i32, before: i32, floor: i32): Box | null {
  let pos = before;
  while (pos >= floor) {
    const s = lastBoxCommand(ptr, len, pos, floor);
    if (s < 0) return null;
    const box = boxAt(ptr, len, s);
    if (box !== null) return box;
    pos = s - 1;
  }
  return null;
}

/** The box that ends (its '}') within JOIN_GAP bytes before `limit`, nearest first, or null. */
function boxEndingBefore(ptr: usize, len: i32, limit: i32): Box | null {
  const lo = max(0, limit - JOIN_GAP - 1);
  for (let q = limit - 1; q >= lo; q--) {
    if (load<u8>(ptr + <usize>q) != 125 || at(ptr, len, q - 1) == 92) continue;
    // the '{' matching this '}', walking back (bounded)
    let depth = 0;
    let open = -1;
    const stop = max(0, q - JOIN_BOX_CHARS);
    for (let k = q; k >= stop; k--) {
      const c = <i32>load<u8>(ptr + <usize>k);
      if (at(ptr, len, k - 1) == 92 && (c == 123 || c == 125)) continue;
      if (c == 125) depth++;
      else if (c == 123) {
        depth--;
        if (depth == 0) {
          open = k;
          break;
        }
      }
    }
    if (open < 0) continue;
    let s = open - 1;
    while (at(ptr, len, s) == 32) s--;
    let cmd = -1;
    if (matchAt(ptr, len, s - 5, "\\boxed", false)) {
      cmd = s - 5;
      boxWordLen = 6;
    } else if (matchAt(ptr, len, s - 4, "\\fbox", false)) {
      cmd = s - 4;
      boxWordLen = 5;
    }
    if (cmd < 0) continue;
    const box = boxAt(ptr, len, cmd);
    if (box !== null && box.end == q + 1) return box;
  }
  return null;
}

// 0: not joinable, 1: joined by and/comma/space, 2: joined by "or"
function separatorKind(ptr: usize, start: i32, end: i32): i32 {
  if (end - start > JOIN_GAP) return 0;
  const s = decode(ptr, start, end).toLowerCase();
  let words = 0;
  let hasAnd = false;
  let hasOr = false;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      let j = i;
      while (j < n && s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) j++;
      const w = s.substring(i, j);
      const command = i > 0 && s.charCodeAt(i - 1) == 92;
      if (!command) {
        words++;
        if (w == "and") hasAnd = true;
        if (w == "or") hasOr = true;
      }
      i = j;
      continue;
    }
    if (c == 44 || c == 59) hasAnd = true;
    if (c == 46 && i + 1 < n && s.charCodeAt(i + 1) == 32) return 0;
    if (c == 10 && i + 1 < n && s.charCodeAt(i + 1) == 10) return 0;
    i++;
  }
  if (hasOr) return 2;
  if (hasAnd || words == 0) return 1;
  return 0;
}

/** The last \boxed{…} starting at or after `floor` (joined with the boxes right before it when "and"/"," separate them). */
export function extractBoxed(ptr: usize, len: i32, floor: i32 = 0): Extraction {
  const out = new Extraction();
  const last = findBoxBefore(ptr, len, len, floor);
  if (last === null) return out;
  const parts = new Array<string>();
  parts.push(decode(ptr, last.contentStart, last.contentEnd));
  let cur = last;
  while (parts.length < MAX_JOINED) {
    const prev = boxEndingBefore(ptr, len, cur.start);
    if (prev === null) break;
    const kind = separatorKind(ptr, prev.end, cur.start);
    if (kind == 0) break;
    const text = decode(ptr, prev.contentStart, prev.contentEnd);
    if (kind == 2 && text != parts[parts.length - 1]) out.hedged = true;
    parts.push(text);
    cur = prev;
  }
  parts.reverse();
  out.text = parts.length == 1 ? parts[0] : parts.join(", ");
  out.rule = "boxed";
  out.found = true;
  out.start = cur.start;
  out.end = last.end;
  return out;
}

/** The content of the last <answer>…</answer> starting at or after `floor` (a \boxed inside it wins). */
export function extractAnswerTag(ptr: usize, len: i32, floor: i32 = 0): Extraction {
  const out = new Extraction();
  const open = lastIndexOf(ptr, len, "<answer>", len, true, floor);
  if (open < 0) return out;
  let close = -1;
  for (let i = open + 8; i + 9 <= len; i++) {
    if (load<u8>(ptr + <usize>i) == 60 && matchAt(ptr, len, i, "</answer>", true)) {
      close = i;
      break;
    }
  }
  const end = close < 0 ? len : close + 9;
  if (close < 0) close = len;
  const inner = extractBoxed(ptr + <usize>(open + 8), close - open - 8);
  out.text = inner.found ? inner.text : stripMath(decode(ptr, open + 8, close));
  out.hedged = inner.hedged;
  out.rule = "answer_tag";
  out.found = out.text.trim().length > 0;
  out.start = open;
  out.end = end;
  return out;
}

let phraseStart: i32 = -1;

/**
 * End of the last "answer is" / "answer:" / "answer :" starting at or after `floor` (with `final`:
 * only "final answer is" / "final answer:"), or -1; its start goes to phraseStart.
 */
function lastAnswerPhrase(ptr: usize, len: i32, floor: i32, final: bool): i32 {
  for (let i = len - 6; i >= floor; i--) {
    if ((load<u8>(ptr + <usize>i) | 32) != 97 || !matchAt(ptr, len, i, "answer", true)) continue;
    const j = i + 6;
    let end = -1;
    if (matchAt(ptr, len, j, " is", true)) end = j + 3;
    else if (at(ptr, len, j) == 58) end = j + 1;
    else if (at(ptr, len, j) == 32 && at(ptr, len, j + 1) == 58) end = j + 2;
    if (end < 0) continue;
    if (final) {
      if (!matchAt(ptr, len, i - 6, "final ", true)) continue;
      phraseStart = i - 6;
    } else phraseStart = i;
    return end;
  }
  return -1;
}

/** The text after the last "the answer is" / "Answer:" (`final`: "final answer is"), to the end of its sentence. */
export function extractAnswerIs(ptr: usize, len: i32, floor: i32 = 0, final: bool = false): Extraction {
  const out = new Extraction();
  const phraseEnd = lastAnswerPhrase(ptr, len, floor, final);
  if (phraseEnd < 0) return out;
  const start = phraseStart;
  let i = phraseEnd;
  while (i < len && (at(ptr, len, i) == 32 || at(ptr, len, i) == 58 || at(ptr, len, i) == 10)) i++;
  let j = i;
  let dollars = 0;
  while (j < len) {
    const c = at(ptr, len, j);
    if (c == 36) dollars++;
    if (c == 10 && j > i) break;
    if (c == 46 && (dollars & 1) == 0 && (j + 1 >= len || at(ptr, len, j + 1) == 32 || at(ptr, len, j + 1) == 10)) break;
    j++;
    if (j - i > 2000) break;
  }
  out.rule = final ? "final_answer" : "answer_is";
  out.start = start;
  out.end = j;
  // "the answer is $a$ and $b$, so …": the math block(s) right after the phrase
  let k = i;
  while (k < j) {
    const c = at(ptr, len, k);
    if (c == 32 || c == 34 || c == 39 || c == 42 || (c == 92 && at(ptr, len, k + 1) == 34)) k += c == 92 ? 2 : 1;
    else break;
  }
  if (leadingBlocks(ptr, j, k, out)) return out;
  const inner = extractBoxed(ptr + <usize>i, j - i);
  out.text = inner.found ? inner.text : stripMath(decode(ptr, i, j));
  if (!inner.found && hasProse(out.text)) {
    // "The largest $n$ is 34": the sentence's last number, else its last math block
    const num = extractLastNumber(ptr + <usize>i, j - i);
    const tex = extractLastLatex(ptr + <usize>i, j - i);
    if (num.found) out.text = num.text;
    else if (tex.found) out.text = tex.text;
  }
  out.found = out.text.trim().length > 0;
  return out;
}

/** End of the math block ($…$, $$…$$, \(…\), \[…\]) opening at k, before `len`, or -1; its content in blockText. */
let blockText: string = "";
function blockAt(ptr: usize, len: i32, k: i32): i32 {
  const c = at(ptr, len, k);
  let open = 0;
  let close = "";
  let oneLine = true;
  if (c == 36 && at(ptr, len, k + 1) == 36) {
    open = 2;
    close = "$$";
    oneLine = false;
  } else if (c == 36) {
    open = 1;
    close = "$";
  } else if (c == 92 && at(ptr, len, k + 1) == 40) {
    open = 2;
    close = "\\)";
  } else if (c == 92 && at(ptr, len, k + 1) == 91) {
    open = 2;
    close = "\\]";
    oneLine = false;
  } else return -1;
  const first = close.charCodeAt(0);
  for (let e = k + open; e + close.length <= len; e++) {
    const d = <i32>load<u8>(ptr + <usize>e);
    if (oneLine && d == 10) return -1;
    if (d == first && matchAt(ptr, len, e, close, false) && (close != "$" || at(ptr, len, e - 1) != 92)) {
      blockText = decode(ptr, k + open, e);
      return e + close.length;
    }
  }
  return -1;
}

/** Length of a joining word at k (",", "and", "or", ", and", ", or" with spaces), 0 when none; "or" sets joinOr. */
let joinOr = false;
function joinerAt(ptr: usize, len: i32, k: i32): i32 {
  let e = k;
  while (at(ptr, len, e) == 32) e++;
  let sep = false;
  if (at(ptr, len, e) == 44) {
    e++;
    sep = true;
    while (at(ptr, len, e) == 32) e++;
  }
  if (matchAt(ptr, len, e, "and", true) && !isAsciiLetter(at(ptr, len, e + 3))) {
    e += 3;
    sep = true;
  } else if (matchAt(ptr, len, e, "or", true) && !isAsciiLetter(at(ptr, len, e + 2))) {
    e += 2;
    sep = true;
    joinOr = true;
  }
  if (!sep) return 0;
  while (at(ptr, len, e) == 32) e++;
  return e - k;
}

/** Math blocks starting at k and joined by "and"/","/"or" (up to six) as one answer; false when none opens at k. */
function leadingBlocks(ptr: usize, len: i32, k: i32, out: Extraction): bool {
  let e = blockAt(ptr, len, k);
  if (e < 0 || blockText.trim().length == 0) return false;
  const parts = new Array<string>();
  parts.push(blockText);
  joinOr = false;
  while (parts.length < 6) {
    const sep = joinerAt(ptr, len, e);
    if (sep == 0) break;
    const next = blockAt(ptr, len, e + sep);
    if (next < 0) break;
    parts.push(blockText);
    e = next;
  }
  out.text = parts.length == 1 ? parts[0] : parts.join(", ");
  if (parts.length > 1 && joinOr) out.hedged = true;
  out.found = out.text.trim().length > 0;
  return out.found;
}

/** Digits in two or more groups separated by spaces (signs and decimal points allowed), not thousands. */
function isNumberSequence(ptr: usize, len: i32): bool {
  let groups = 0;
  let allThree = true;
  let i = 0;
  while (i < len && isSpaceByte(at(ptr, len, i))) i++;
  while (i < len) {
    if (at(ptr, len, i) == 45) i++;
    const g = i;
    while (i < len && (isDigit(at(ptr, len, i)) || at(ptr, len, i) == 46)) i++;
    if (i == g) return false;
    if (groups > 0 && i - g != 3) allThree = false;
    groups++;
    const s = i;
    while (i < len && isSpaceByte(at(ptr, len, i))) i++;
    if (i < len && i == s) return false;
  }
  return groups >= 2 && !allThree;
}

function isSpaceByte(c: i32): bool {
  return c == 32 || c == 9 || c == 10 || c == 13;
}

function hasProse(s: string): bool {
  // a run of three or more letters that is not a LaTeX command
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (run == 0 && i > 0 && s.charCodeAt(i - 1) == 92) run = -1000;
      run++;
      if (run >= 3) return true;
    } else run = 0;
  }
  return false;
}

/**
 * The whole response when it is short and looks like a bare LaTeX answer (\frac{10}{9}) or a
 * sequence of numbers separated by spaces ("3 4 1 2", not the thousands of "12 345").
 */
export function extractWhole(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  if (len == 0 || len > 80) return out;
  let slash = false;
  for (let i = 0; i < len && !slash; i++) slash = load<u8>(ptr + <usize>i) == 92;
  if (!slash) {
    if (!isNumberSequence(ptr, len)) return out;
    out.text = decode(ptr, 0, len).trim();
    out.rule = "whole";
    out.found = true;
    out.start = 0;
    out.end = len;
    return out;
  }
  const s = decode(ptr, 0, len);
  if (hasProse(s.replaceAll("\\text", ""))) return out;
  out.text = stripMath(s);
  out.rule = "whole";
  out.found = out.text.length > 0;
  out.start = 0;
  out.end = len;
  return out;
}

/**
 * The content of the last $…$, $$…$$, \(…\) or \[…\] block ending after `floor` (inline $ and \( blocks
 * may not span lines).
 */
export function extractLastLatex(ptr: usize, len: i32, floor: i32 = 0, join: bool = true): Extraction {
  const out = new Extraction();
  // the last closing delimiter of any kind
  let i = len - 1;
  while (i >= floor) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c == 36 && at(ptr, len, i - 1) != 92) {
      const dbl = at(ptr, len, i - 1) == 36;
      const closeStart = dbl ? i - 1 : i;
      let j = closeStart - 1;
      let open = -1;
      while (j >= 0) {
        const d = <i32>load<u8>(ptr + <usize>j);
        if (d == 36 && at(ptr, len, j - 1) != 92) {
          open = j;
          break;
        }
        if (!dbl && d == 10) break;
        j--;
      }
      if (open < 0) {
        i = closeStart - 1;
        continue;
      }
      const contentStart = open + 1;
      if (dbl && at(ptr, len, open - 1) == 36) open--;
      out.text = decode(ptr, contentStart, closeStart);
      if (out.text.trim().length == 0) {
        i = open - 1;
        continue;
      }
      out.rule = "last_latex";
      out.found = true;
      out.start = open;
      out.end = i + 1;
      return join ? joinBefore(ptr, len, out) : out;
    }
    if (c == 41 && at(ptr, len, i - 1) == 92) {
      // \( … \) on one line
      let open = -1;
      for (let k = i - 3; k >= 0; k--) {
        const d = <i32>load<u8>(ptr + <usize>k);
        if (d == 10) break;
        if (d == 92 && at(ptr, len, k + 1) == 40) {
          open = k;
          break;
        }
      }
      if (open >= 0) return latexBlock(out, ptr, open, i + 1, join);
    }
    if (c == 93 && at(ptr, len, i - 1) == 92) {
      const open = lastIndexOf(ptr, len, "\\[", i - 2, false);
      if (open >= 0) return latexBlock(out, ptr, open, i + 1, join);
    }
    i--;
  }
  return out;
}

function latexBlock(out: Extraction, ptr: usize, open: i32, close: i32, join: bool): Extraction {
  out.text = decode(ptr, open + 2, close - 2);
  out.rule = "last_latex";
  out.found = out.text.trim().length > 0;
  out.start = open;
  out.end = close;
  return out.found && join ? joinBefore(ptr, close, out) : out;
}

/** Joins the math blocks right before the found one when "and"/","/"or" separate them ($1$ and $2$ → 1, 2). */
function joinBefore(ptr: usize, len: i32, out: Extraction): Extraction {
  const parts = new Array<string>();
  parts.push(out.text);
  let start = out.start;
  let or = false;
  while (parts.length < 6) {
    // walk back over spaces, "and"/"or", a comma, spaces
    let k = start - 1;
    while (at(ptr, len, k) == 32) k--;
    let sep = false;
    if (matchAt(ptr, len, k - 2, "and", true) && !isAsciiLetter(at(ptr, len, k - 3))) {
      k -= 3;
      sep = true;
    } else if (matchAt(ptr, len, k - 1, "or", true) && !isAsciiLetter(at(ptr, len, k - 2))) {
      k -= 2;
      sep = true;
      or = true;
    }
    while (at(ptr, len, k) == 32) k--;
    if (at(ptr, len, k) == 44) {
      k--;
      sep = true;
    }
    while (at(ptr, len, k) == 32) k--;
    if (!sep || k < 0) break;
    const c = at(ptr, len, k);
    if (c != 36 && !(at(ptr, len, k - 1) == 92 && (c == 41 || c == 93))) break;
    const prev = extractLastLatex(ptr, k + 1, 0, false);
    if (!prev.found || prev.end != k + 1) break;
    parts.push(prev.text);
    start = prev.start;
  }
  if (parts.length == 1) return out;
  parts.reverse();
  out.text = parts.join(", ");
  out.start = start;
  if (or) out.hedged = true;
  return out;
}

@inline function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

@inline function isAsciiLetter(c: i32): bool {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * The last number in the text ending after `floor` (with its sign, thousands separators — "1,000",
 * "1 000" —, decimals, a decimal comma "2,74" and a /denominator). A number glued to a letter before
 * it is part of a name ("x2", "AZYUK2A") and skipped.
 */
export function extractLastNumber(ptr: usize, len: i32, floor: i32 = 0): Extraction {
  const out = new Extraction();
  let end = len - 1;
  while (end >= floor) {
    while (end >= floor && !isDigit(<i32>load<u8>(ptr + <usize>end))) end--;
    if (end < floor) return out;
    let start = end;
    while (start > 0) {
      const c = at(ptr, len, start - 1);
      if (isDigit(c)) start--;
      else if ((c == 46 || c == 44 || c == 47) && isDigit(at(ptr, len, start - 2))) start--;
      else if (c == 46 && !isDigit(at(ptr, len, start - 2))) {
        start--;
        break;
      } else break;
    }
    if (isAsciiLetter(at(ptr, len, start - 1))) {
      end = start - 1;
      continue;
    }
    start = spaceThousands(ptr, len, start, end);
    if (at(ptr, len, start - 1) == 45) start--;
    let s = decode(ptr, start, end + 1);
    if (s.indexOf(" ") >= 0) s = s.replaceAll(" ", "");
    // a decimal comma: 2,74 or 1000,99 (one comma, not three digits after it)
    const comma = s.indexOf(",");
    if (comma >= 0 && s.lastIndexOf(",") == comma && s.indexOf(".") < 0) {
      const after = s.length - comma - 1;
      if (after != 3 || s.startsWith("0,") || s.startsWith("-0,")) s = s.substring(0, comma) + "." + s.substring(comma + 1);
    }
    out.text = s;
    out.rule = "last_number";
    out.found = true;
    out.start = start;
    out.end = end + 1;
    return out;
  }
  return out;
}

/**
 * Extends a number starting at `start` back over thousands groups separated by single spaces
 * ("12 345 678"): every group after the first has exactly three digits, the first one to three
 * and no leading zero, and the run is not itself part of a list of space-separated numbers.
 */
function spaceThousands(ptr: usize, len: i32, start: i32, end: i32): i32 {
  // the digits of the current group must be exactly three, with nothing but digits in it
  let s = start;
  let guard = 0;
  while (guard++ < 64) {
    let e = s;
    while (e <= end && isDigit(at(ptr, len, e))) e++;
    if (e - s != 3 || at(ptr, len, s - 1) != 32 || !isDigit(at(ptr, len, s - 2))) break;
    let g = s - 2;
    while (g > 0 && isDigit(at(ptr, len, g - 1))) g--;
    const glen = s - 1 - g;
    if (glen > 3 || at(ptr, len, g) == 48) break;
    const before = at(ptr, len, g - 1);
    if (before == 44 || isAsciiLetter(before) || (before == 32 && isDigit(at(ptr, len, g - 2)) && glen != 3)) break;
    s = g;
    if (glen < 3) break;
  }
  return s;
}

/** Removes math delimiters and trailing punctuation around an answer. */
export function stripMath(s: string): string {
  let t = s.trim();
  let guard = 0;
  while (guard++ < 8) {
    const before = t;
    if (t.startsWith("$$") && t.endsWith("$$") && t.length >= 4) t = t.substring(2, t.length - 2).trim();
    if (t.startsWith("$") && t.endsWith("$") && t.length >= 2) t = t.substring(1, t.length - 1).trim();
    if ((t.startsWith("\\(") && t.endsWith("\\)")) || (t.startsWith("\\[") && t.endsWith("\\]"))) {
      t = t.substring(2, t.length - 2).trim();
    }
    while (t.endsWith(".") || t.endsWith("$")) t = t.substring(0, t.length - 1).trim();
    if (t.startsWith("$")) t = t.substring(1).trim();
    if (t == before) break;
  }
  return t;
}

function runRule(r: string, ptr: usize, len: i32, floor: i32): Extraction {
  if (r == "boxed") return extractBoxed(ptr, len, floor);
  if (r == "answer_tag") return extractAnswerTag(ptr, len, floor);
  if (r == "final_answer") return extractAnswerIs(ptr, len, floor, true);
  if (r == "answer_is") return extractAnswerIs(ptr, len, floor, false);
  if (r == "last_latex") return extractLastLatex(ptr, len, floor);
  if (r == "last_number") {
    const w = floor == 0 ? extractWhole(ptr, len) : new Extraction();
    return w.found ? w : extractLastNumber(ptr, len, floor);
  }
  if (r == "whole") return floor == 0 ? extractWhole(ptr, len) : new Extraction();
  return new Extraction();
}

/**
 * Runs the rule groups in order and returns the first answer found: inside a group the match that
 * ends last wins (ties: the earlier rule of the group).
 */
export function extractAnswer(ptr: usize, len: i32, groups: string[][]): Extraction {
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    let best: Extraction | null = null;
    for (let k = 0; k < group.length; k++) {
      const floor = best === null ? 0 : max(0, best.start);
      const e = runRule(group[k], ptr, len, floor);
      if (!e.found) continue;
      if (best === null || e.end > best.end) best = e;
    }
    if (best !== null) return best;
  }
  return new Extraction();
}

/** Upper-case option letter A.. (n letters) at i, standing alone ("B", "**B**", "(B)", "B."), or -1. */
function standaloneLetter(ptr: usize, len: i32, i: i32, n: i32): i32 {
  const c = at(ptr, len, i);
  if (c < 65 || c >= 65 + n) return -1;
  let b = i - 1;
  while (b >= 0 && at(ptr, len, b) == 42) b--;
  const before = at(ptr, len, b);
  if (!(b < 0 || before == 32 || before == 10 || before == 9 || before == 40)) return -1;
  let a = i + 1;
  while (a < len && at(ptr, len, a) == 42) a++;
  const after = at(ptr, len, a);
  if (!(a >= len || after == 46 || after == 44 || after == 58 || after == 41 || after == 32 || after == 10 || after == 9)) {
    return -1;
  }
  return c - 65;
}

/**
 * An option letter (one of the first `n` upper-case letters) for multiple-choice answers when no rule
 * found one: a letter opening the response followed by punctuation ("A. Because …"), else the last
 * letter standing alone ("Because B is valid"). -1 when there is none.
 */
export function extractChoiceLetter(ptr: usize, len: i32, n: i32): i32 {
  let i = 0;
  while (i < len && (at(ptr, len, i) == 32 || at(ptr, len, i) == 10 || at(ptr, len, i) == 42)) i++;
  const first = standaloneLetter(ptr, len, i, n);
  if (first >= 0) {
    let a = i + 1;
    while (a < len && at(ptr, len, a) == 42) a++;
    const after = at(ptr, len, a);
    if (a >= len || after == 46 || after == 44 || after == 58 || after == 41) return first;
  }
  choiceLetterHedged = false;
  for (let k = len - 1; k >= 0; k--) {
    const idx = standaloneLetter(ptr, len, k, n);
    if (idx >= 0) {
      choiceLetterHedged = letterBeforeOr(ptr, len, k, n);
      return idx;
    }
  }
  return -1;
}

/** Set by `extractChoiceLetter` when the letter it found closes "B or C": the model hedged. */
export let choiceLetterHedged = false;

/** Whether the letter at `k` follows "or" and another letter standing alone ("B or C", "(B) or (C)"). */
function letterBeforeOr(ptr: usize, len: i32, k: i32, n: i32): bool {
  let i = k - 1;
  while (i >= 0 && (at(ptr, len, i) == 32 || at(ptr, len, i) == 40 || at(ptr, len, i) == 42)) i--;
  if (i < 2 || (at(ptr, len, i) | 32) != 114 || (at(ptr, len, i - 1) | 32) != 111 || at(ptr, len, i - 2) != 32) return false;
  i -= 3;
  while (i >= 0 && (at(ptr, len, i) == 32 || at(ptr, len, i) == 41 || at(ptr, len, i) == 42 || at(ptr, len, i) == 44)) i--;
  return i >= 0 && standaloneLetter(ptr, len, i, n) >= 0;
}
