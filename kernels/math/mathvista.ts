// MathVista's official scoring (evaluation/calculate_score.py: normalize_extracted_answer, then exact
// string equality with the answer), and an LLM-free stand-in for its GPT answer extraction.
import { levenshtein, pyFloat, pyIntString, pyRepr, pyRound, pyStrip } from "./pyfloat";
import { extractAnswer, extractLastNumber } from "./extract";

/** The reference fields MathVista's scoring reads. */
export class MathVistaItem {
  answer: string = "";
  choices: string[] = [];
  hasChoices: bool = false;
  questionType: string = "free_form";
  answerType: string = "text";
  precision: f64 = NaN; // NaN: None
}

/** The first "(x)" letter in s, upper-cased, or "" (re.findall(r'\(([a-zA-Z])\)', s)[0]). */
function parenthesizedLetter(s: string): string {
  for (let i = 0; i + 2 < s.length; i++) {
    if (s.charCodeAt(i) != 40 || s.charCodeAt(i + 2) != 41) continue;
    const c = s.charCodeAt(i + 1);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return String.fromCharCode(c >= 97 ? c - 32 : c);
  }
  return "";
}

/** MathVista's normalize_extracted_answer; null stands for Python's None. `strict` never guesses. */
export function normalizeExtracted(extraction: string, item: MathVistaItem, strict: bool): string | null {
  if (item.questionType == "multi_choice") {
    let ext = pyStrip(extraction);
    const letter = parenthesizedLetter(ext);
    if (letter.length > 0) ext = letter;
    const n = item.choices.length;
    if (n == 0) return null;
    if (ext.length == 1) {
      const idx = ext.charCodeAt(0) - 65;
      if (idx >= 0 && idx < n) return item.choices[idx];
    }
    if (strict) {
      for (let i = 0; i < n; i++) if (item.choices[i] == ext) return item.choices[i];
      return null;
    }
    let best = 0;
    let bestD = i32.MAX_VALUE;
    for (let i = 0; i < n; i++) {
      const d = levenshtein(ext, item.choices[i]);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return item.choices[best];
  }
  if (item.answerType == "integer") {
    const f = pyFloat(extraction);
    if (!f.ok || !isFinite(f.value)) return null;
    return pyIntString(f.value);
  }
  if (item.answerType == "float") {
    const f = pyFloat(extraction);
    if (!f.ok || isNaN(item.precision) || !isFinite(item.precision)) return null;
    const nd = <i32>(item.precision < 0 ? Math.ceil(item.precision) : Math.floor(item.precision));
    return pyRepr(pyRound(f.value, nd));
  }
  return extraction;
}

/** MathVista's verdict: the normalized prediction equals the answer string. */
export function mathVistaCorrect(prediction: string | null, item: MathVistaItem): bool {
  return prediction !== null && prediction == item.answer;
}



/** An LLM-free extraction from a raw MathVista response, in the shape GPT's extraction has. */
export function extractForMathVista(ptr: usize, len: i32, item: MathVistaItem): string {
  const e = extractAnswer(ptr, len, [["boxed"], ["answer_tag"], ["answer_is"]]);
  const text = String.UTF8.decodeUnsafe(ptr, <usize>len, false);
  if (item.questionType == "multi_choice") {
    const segment = e.found ? e.text : text;
    const letter = choiceLetter(segment, item.choices.length);
    if (letter.length > 0) return letter;
    // an option quoted word for word: the last one mentioned
    const lower = segment.toLowerCase();
    let bestAt = -1;
    let best = "";
    for (let i = 0; i < item.choices.length; i++) {
      const c = item.choices[i].toLowerCase().trim();
      if (c.length == 0) continue;
      const at = lastWordAt(lower, c);
      if (at > bestAt || (at == bestAt && at >= 0 && c.length > best.length)) {
        bestAt = at;
        best = item.choices[i];
      }
    }
    if (bestAt >= 0) return best;
    if (e.found) return e.text;
    // no option named: GPT's extraction copies the response's first sentence (a refusal, say)
    return firstSentence(text);
  }
  if (item.answerType == "list") {
    const segment = e.found ? e.text : text;
    const open = segment.lastIndexOf("[");
    const close = segment.lastIndexOf("]");
    if (open >= 0 && close > open) return segment.substring(open, close + 1);
    return segment;
  }
  // free-form numbers: the last number of the answer sentence, else of the whole response
  if (e.found) {
    const buf = String.UTF8.encode(e.text);
    const n = extractLastNumber(changetype<usize>(buf), buf.byteLength);
    if (n.found) return n.text.replaceAll(",", "");
  }
  const n = extractLastNumber(ptr, len);
  return n.found ? n.text.replaceAll(",", "") : "";
}

function isUpperLetter(c: i32, n: i32): bool {
  return c >= 65 && c < 65 + n;
}

/** An option letter written as (B), B., B), "option B", "answer is B", or alone. */
function choiceLetter(s: string, n: i32): string {
  const t = s.trim();
  if (t.length == 1 && isUpperLetter(t.charCodeAt(0), n)) return t;
  // the last "(X)"
  for (let i = t.length - 3; i >= 0; i--) {
    if (t.charCodeAt(i) == 40 && t.charCodeAt(i + 2) == 41 && isUpperLetter(t.charCodeAt(i + 1), n)) {
      return t.charAt(i + 1);
    }
  }
  // a leading "B." / "B)" / "B:"
  if (t.length >= 2 && isUpperLetter(t.charCodeAt(0), n)) {
    const c = t.charCodeAt(1);
    if (c == 46 || c == 41 || c == 58 || c == 32) return t.charAt(0);
  }
  const lower = t.toLowerCase();
  const phrases = ["answer is ", "option ", "choice ", "answer: "];
  for (let k = 0; k < phrases.length; k++) {
    const at = lower.lastIndexOf(phrases[k]);
    if (at < 0) continue;
    let i = at + phrases[k].length;
    while (i < t.length && (t.charCodeAt(i) == 32 || t.charCodeAt(i) == 40)) i++;
    if (i < t.length && isUpperLetter(t.charCodeAt(i), n)) {
      const next = i + 1 < t.length ? t.charCodeAt(i + 1) : 32;
      if (!((next >= 97 && next <= 122) || (next >= 65 && next <= 90))) return t.charAt(i);
    }
  }
  return "";
}

function isWordChar(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Last index of `w` in `s` where it stands as whole words ("no" is not found in "not"), or -1. */
function lastWordAt(s: string, w: string): i32 {
  let at = s.lastIndexOf(w);
  let guard = 0;
  while (at >= 0 && guard++ < 10000) {
    const before = at > 0 ? s.charCodeAt(at - 1) : 32;
    const after = at + w.length < s.length ? s.charCodeAt(at + w.length) : 32;
    const edgeOk = (!isWordChar(w.charCodeAt(0)) || !isWordChar(before)) &&
      (!isWordChar(w.charCodeAt(w.length - 1)) || !isWordChar(after));
    if (edgeOk) return at;
    if (at == 0) break;
    at = s.lastIndexOf(w, at - 1);
  }
  return -1;
}

function firstSentence(text: string): string {
  const t = text.trim();
  for (let i = 0; i < t.length && i < 400; i++) {
    const c = t.charCodeAt(i);
    if (c == 10) return t.substring(0, i).trim();
    if (c == 46 && (i + 1 >= t.length || t.charCodeAt(i + 1) == 32 || t.charCodeAt(i + 1) == 10)) return t.substring(0, i + 1);
  }
  return t.length <= 400 ? t : "";
}
