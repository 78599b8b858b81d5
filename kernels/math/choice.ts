// Multiple-choice answers. The option letter is read from every common form — `B`, `(B)`, `[B]`,
// `B.`, `B)`, `B:`, `Option B`, `Choice B`, `\text{(B)}`, `**B**` — with or without the option's
// text after it; the option's text alone counts when it equals exactly one option. Multi-select
// answers are letter sets (`A, C`, `\{C, A\}`, `AC`), compared order-free.
import { textKey } from "./text_key";

/** `choiceIndex` result: a letter whose following text is another option's text. */
export const CHOICE_CONFLICT: i32 = -2;

const WRAPPERS: string[] = ["\\textbf", "\\textit", "\\textnormal", "\\text", "\\mathrm", "\\mathbf", "\\mbox"];

/** The answer without markdown emphasis, $ signs, LaTeX text wrappers and their braces. */
function plain(s: string): string {
  let t = s;
  for (let i = 0; i < WRAPPERS.length; i++) {
    if (t.indexOf(WRAPPERS[i]) >= 0) t = t.replaceAll(WRAPPERS[i], "");
  }
  if (t.indexOf("{") >= 0 || t.indexOf("}") >= 0) t = t.replaceAll("\\{", "").replaceAll("\\}", "").replaceAll("{", "").replaceAll("}", "");
  if (t.indexOf("*") >= 0) t = t.replaceAll("*", "");
  if (t.indexOf("$") >= 0) t = t.replaceAll("$", "");
  return t.trim();
}

function isSpace(c: i32): bool {
  return c == 32 || c == 9 || c == 10 || c == 13;
}

function upperIndex(c: i32, n: i32): i32 {
  return c >= 65 && c < 65 + n ? c - 65 : -1;
}

function letterIndexOf(c: i32, n: i32, lowerOk: bool): i32 {
  const u = upperIndex(c, n);
  if (u >= 0 || !lowerOk) return u;
  return c >= 97 && c < 97 + n ? c - 97 : -1;
}

/** A letter read at the start of an answer and the text after it. */
export class LetterRead {
  index: i32 = -1;
  rest: string = "";
  /** Whether the letter was set off by brackets or punctuation ("(B)", "B.") rather than standing alone. */
  marked: bool = false;
}

/** Reads an option letter (one of the first `n`) at the start of `s`. */
export function readLetter(s: string, n: i32): LetterRead {
  const out = new LetterRead();
  let t = plain(s);
  const lower = t.toLowerCase();
  if (lower.startsWith("option ") || lower.startsWith("choice ")) t = t.substring(7).trim();
  else if (lower.startsWith("option") || lower.startsWith("choice")) t = t.substring(6).trim();
  const len = t.length;
  if (len == 0) return out;
  const c0 = t.charCodeAt(0);
  if ((c0 == 40 || c0 == 91) && len >= 3) {
    // (B) or [B]
    const close = t.charCodeAt(2);
    const idx = letterIndexOf(t.charCodeAt(1), n, true);
    if (idx >= 0 && ((c0 == 40 && close == 41) || (c0 == 91 && close == 93))) {
      out.index = idx;
      out.marked = true;
      out.rest = t.substring(3);
    }
    return out;
  }
  if (len >= 2 && t.charCodeAt(1) == 41) {
    // b) or B)
    const idx = letterIndexOf(c0, n, true);
    if (idx >= 0) {
      out.index = idx;
      out.marked = true;
      out.rest = t.substring(2);
    }
    return out;
  }
  if (len == 1 || (len == 2 && (t.charCodeAt(1) == 46 || t.charCodeAt(1) == 58))) {
    // the whole answer is one letter ("c", "B."), lower case too
    out.index = letterIndexOf(c0, n, true);
    out.marked = len == 2;
    return out;
  }
  const idx = upperIndex(c0, n);
  if (idx < 0) return out;
  const c1 = t.charCodeAt(1);
  if (c1 == 46 || c1 == 58) {
    // B. / B: ("B, D" is a set of letters)
    out.index = idx;
    out.marked = true;
    out.rest = t.substring(2);
  } else if (isSpace(c1)) {
    out.index = idx;
    out.rest = t.substring(2);
  }
  return out;
}

function textMatches(choices: string[], key: string): i32 {
  let found = -1;
  for (let i = 0; i < choices.length; i++) {
    if (textKey(choices[i]) == key) {
      if (found >= 0) return -1; // two options with the same text: not one option
      found = i;
    }
  }
  return found;
}

/**
 * The option an answer names: by its letter (with or without the option's text after it), else by
 * the text of exactly one option. -1 when it names none; CHOICE_CONFLICT for a letter followed by
 * another option's text.
 */
export function choiceIndex(s: string, choices: string[], n: i32): i32 {
  const r = readLetter(s, n);
  if (r.index >= 0) {
    const rest = r.rest.trim();
    if (rest.length == 0) return r.index;
    const key = textKey(rest);
    if (r.index < choices.length && textKey(choices[r.index]) == key) return r.index;
    const other = textMatches(choices, key);
    if (other >= 0 && other != r.index) return CHOICE_CONFLICT;
    // "B because …": a set-off letter followed by its reason; a bare "B text" only with B's own text
    if (r.marked) return r.index;
  }
  if (choices.length == 0) return -1;
  return textMatches(choices, textKey(s));
}

/**
 * A set of option letters (multi-select): letters separated by commas, spaces, "and" or "&", inside
 * optional set braces or brackets ("A, C", "\{C, A\}", "(A) and (C)"), or (with `runs`) run together
 * ("AC"). Returns a bit mask (bit i: letter i), 0 when the answer is not such a set.
 */
export function letterSet(s: string, n: i32, runs: bool): u32 {
  let t = plain(s);
  if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length - 1);
  let mask: u32 = 0;
  let count = 0;
  let i = 0;
  const len = t.length;
  while (i < len) {
    const c = t.charCodeAt(i);
    if (isSpace(c) || c == 44 || c == 59 || c == 38) {
      i++;
      continue;
    }
    if ((c == 97 || c == 65) && i + 3 <= len && t.substring(i, i + 3).toLowerCase() == "and" &&
      (i + 3 == len || !isLetterAt(t, i + 3))) {
      i += 3;
      continue;
    }
    // one token: (B), B, B., B) or a run of distinct capitals
    let j = i;
    while (j < len && !isSpace(t.charCodeAt(j)) && t.charCodeAt(j) != 44 && t.charCodeAt(j) != 59) j++;
    let tok = t.substring(i, j);
    i = j;
    if (tok.startsWith("(") && tok.endsWith(")")) tok = tok.substring(1, tok.length - 1);
    while (tok.endsWith(".") || tok.endsWith(")") || tok.endsWith(":")) tok = tok.substring(0, tok.length - 1);
    if (tok.length == 0 || tok.length > n || (tok.length > 1 && !runs)) return 0;
    for (let k = 0; k < tok.length; k++) {
      const idx = upperIndex(tok.charCodeAt(k), n);
      if (idx < 0 || (mask & (<u32>1 << idx)) != 0 || idx >= 32) return 0;
      mask |= <u32>1 << idx;
      count++;
    }
  }
  return count > 0 ? mask : 0;
}

function isLetterAt(s: string, i: i32): bool {
  const c = s.charCodeAt(i);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Number of letters in a mask. */
export function letterCount(mask: u32): i32 {
  return <i32>popcnt(mask);
}

/** The letters of a mask, as "A, C". */
export function maskText(mask: u32): string {
  let s = "";
  for (let i = 0; i < 32; i++) {
    if ((mask & (<u32>1 << i)) == 0) continue;
    if (s.length > 0) s += ", ";
    s += String.fromCharCode(65 + i);
  }
  return s;
}
