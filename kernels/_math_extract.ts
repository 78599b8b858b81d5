// Finding the final answer in a model's output, scanning bytes from the end: \boxed{…}/\fbox{…}
// (the last one, with adjacent boxes joined by "and"/","), <answer>…</answer>, "the (final) answer
// is …"/"Answer: …", the last $…$ / \(…\) / \[…\] block, and the last bare number.

/** What an extraction rule found. */
export class Extraction {
  text: string = "";
  rule: string = "";
  /** Several boxed answers joined by "or": the model hedged. */
  hedged: bool = false;
  found: bool = false;
}

const MAX_JOINED: i32 = 64;

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

/** Last index < before where `w` starts, or -1. */
function lastIndexOf(ptr: usize, len: i32, w: string, before: i32, fold: bool): i32 {
  const first = w.charCodeAt(0);
  for (let i = min(before, len - w.length); i >= 0; i--) {
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
}

function findBoxBefore(ptr: usize, len: i32, before: i32): Box | null {
  let pos = before;
  while (pos >= 0) {
    const b = lastIndexOf(ptr, len, "\\boxed", pos, false);
    const f = lastIndexOf(ptr, len, "\\fbox", pos, false);
    const s = max(b, f);
    if (s < 0) return null;
    let i = s + (s == b ? 6 : 5);
    while (at(ptr, len, i) == 32) i++;
    const box = new Box();
    box.start = s;
    if (at(ptr, len, i) == 123) {
      const end = closeBrace(ptr, len, i);
      if (end < 0) {
        pos = s - 1;
        continue;
      }
      box.contentStart = i + 1;
      box.contentEnd = end - 1;
      return box;
    }
    // \boxed 5: up to the next space or $
    let j = i;
    while (j < len) {
      const c = at(ptr, len, j);
      if (c == 32 || c == 36 || c == 10) break;
      j++;
    }
    if (j > i) {
      box.contentStart = i;
      box.contentEnd = j;
      return box;
    }
    pos = s - 1;
  }
  return null;
}

// 0: not joinable, 1: joined by and/comma/space, 2: joined by "or"
function separatorKind(ptr: usize, start: i32, end: i32): i32 {
  if (end - start > 48) return 0;
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

/** The last \boxed{…} (joined with the boxes right before it when "and"/"," separate them). */
export function extractBoxed(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  const last = findBoxBefore(ptr, len, len);
  if (last === null) return out;
  const parts = new Array<string>();
  parts.push(decode(ptr, last.contentStart, last.contentEnd));
  let cur = last;
  while (parts.length < MAX_JOINED) {
    const prev = findBoxBefore(ptr, len, cur.start - 1);
    if (prev === null || prev.contentEnd + 1 > cur.start) break;
    const kind = separatorKind(ptr, prev.contentEnd + 1, cur.start);
    if (kind == 0) break;
    const text = decode(ptr, prev.contentStart, prev.contentEnd);
    if (kind == 2 && text != parts[parts.length - 1]) out.hedged = true;
    parts.push(text);
    cur = prev;
  }
  parts.reverse();
  out.text = parts.join(", ");
  out.rule = "boxed";
  out.found = true;
  return out;
}

/** The content of the last <answer>…</answer> (a \boxed inside it wins). */
export function extractAnswerTag(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  const open = lastIndexOf(ptr, len, "<answer>", len, true);
  if (open < 0) return out;
  let close = -1;
  for (let i = open + 8; i + 9 <= len; i++) {
    if (matchAt(ptr, len, i, "</answer>", true)) {
      close = i;
      break;
    }
  }
  if (close < 0) close = len;
  const inner = extractBoxed(ptr + <usize>(open + 8), close - open - 8);
  out.text = inner.found ? inner.text : stripMath(decode(ptr, open + 8, close));
  out.hedged = inner.hedged;
  out.rule = "answer_tag";
  out.found = out.text.trim().length > 0;
  return out;
}

const ANSWER_PHRASES: string[] = ["final answer is", "answer is", "final answer:", "answer:", "answer :"];

/** The text after the last "the (final) answer is" / "Answer:", up to the end of its sentence. */
export function extractAnswerIs(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  let best = -1;
  let bestEnd = -1;
  for (let k = 0; k < ANSWER_PHRASES.length; k++) {
    const w = ANSWER_PHRASES[k];
    const i = lastIndexOf(ptr, len, w, len, true);
    if (i > best) {
      best = i;
      bestEnd = i + w.length;
    }
  }
  if (best < 0) return out;
  let i = bestEnd;
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
  const inner = extractBoxed(ptr + <usize>i, j - i);
  out.text = inner.found ? inner.text : stripMath(decode(ptr, i, j));
  if (!inner.found && hasProse(out.text)) {
    // "The largest $n$ is 34": the sentence's last number, else its last math block
    const num = extractLastNumber(ptr + <usize>i, j - i);
    const tex = extractLastLatex(ptr + <usize>i, j - i);
    if (num.found) out.text = num.text;
    else if (tex.found) out.text = tex.text;
  }
  out.rule = "answer_is";
  out.found = out.text.trim().length > 0;
  return out;
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

/** The whole response when it is short and looks like a bare LaTeX answer (\frac{10}{9}). */
export function extractWhole(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  if (len == 0 || len > 80) return out;
  const s = decode(ptr, 0, len);
  if (s.indexOf("\\") < 0 || hasProse(s.replaceAll("\\text", ""))) return out;
  out.text = stripMath(s);
  out.rule = "whole";
  out.found = out.text.length > 0;
  return out;
}

/** The content of the last $…$, $$…$$, \(…\) or \[…\] block (inline $ blocks may not span lines). */
export function extractLastLatex(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  // the last closing delimiter of any kind
  let i = len - 1;
  while (i >= 0) {
    const c = at(ptr, len, i);
    if (c == 36 && at(ptr, len, i - 1) != 92) {
      const dbl = at(ptr, len, i - 1) == 36;
      const closeStart = dbl ? i - 1 : i;
      let j = closeStart - 1;
      let open = -1;
      while (j >= 0) {
        if (at(ptr, len, j) == 36 && at(ptr, len, j - 1) != 92) {
          open = j;
          break;
        }
        if (!dbl && at(ptr, len, j) == 10) break;
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
      return out;
    }
    if (c == 41 && at(ptr, len, i - 1) == 92) {
      const open = lastIndexOf(ptr, len, "\\(", i - 2, false);
      if (open >= 0) return latexBlock(out, ptr, open + 2, i - 1);
    }
    if (c == 93 && at(ptr, len, i - 1) == 92) {
      const open = lastIndexOf(ptr, len, "\\[", i - 2, false);
      if (open >= 0) return latexBlock(out, ptr, open + 2, i - 1);
    }
    i--;
  }
  return out;
}

function latexBlock(out: Extraction, ptr: usize, start: i32, end: i32): Extraction {
  out.text = decode(ptr, start, end);
  out.rule = "last_latex";
  out.found = out.text.trim().length > 0;
  return out;
}

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

/** The last number in the text (with its sign, thousands separators, decimals and a /denominator). */
export function extractLastNumber(ptr: usize, len: i32): Extraction {
  const out = new Extraction();
  let end = len - 1;
  while (end >= 0 && !isDigit(at(ptr, len, end))) end--;
  if (end < 0) return out;
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
  if (at(ptr, len, start - 1) == 45) start--;
  let s = decode(ptr, start, end + 1);
  // a decimal comma: 2,74 or 1000,99 (one comma, not three digits after it)
  const comma = s.indexOf(",");
  if (comma >= 0 && s.lastIndexOf(",") == comma && s.indexOf(".") < 0) {
    const after = s.length - comma - 1;
    if (after != 3 || s.startsWith("0,") || s.startsWith("-0,")) s = s.substring(0, comma) + "." + s.substring(comma + 1);
  }
  out.text = s;
  out.rule = "last_number";
  out.found = true;
  return out;
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

/** Runs the named rules in order and returns the first answer found. */
export function extractAnswer(ptr: usize, len: i32, rules: string[]): Extraction {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    let e: Extraction;
    if (r == "boxed") e = extractBoxed(ptr, len);
    else if (r == "answer_tag") e = extractAnswerTag(ptr, len);
    else if (r == "answer_is") e = extractAnswerIs(ptr, len);
    else if (r == "last_latex") e = extractLastLatex(ptr, len);
    else if (r == "last_number") {
      e = extractWhole(ptr, len);
      if (!e.found) e = extractLastNumber(ptr, len);
    } else if (r == "whole") e = extractWhole(ptr, len);
    else continue;
    if (e.found) return e;
  }
  return new Extraction();
}
