// An LLM-free stand-in for MathVista's GPT answer extraction (evaluation/extract_answer.py): from a raw
// response, an extraction in the shape GPT's has (an option letter, an option's text, a number, a list,
// or — for a response that answers nothing — its first sentence), which the official
// normalize_extracted_answer then scores. The response shapes each rule serves are in
// verifiers/math/README.md §4 and tests/math_mathvista_test.ts.
import { extractAnswer, extractLastNumber } from "./extract";
import { MathVistaItem } from "./mathvista";

/** An LLM-free extraction from a raw MathVista response, in the shape GPT's extraction has. */
export function extractForMathVista(ptr: usize, len: i32, item: MathVistaItem): string {
  statedText = ""; // a global: never read before this item writes it (the heap is reset per item)
  const whole = String.UTF8.decodeUnsafe(ptr, <usize>len, false);
  // extract_answer.py's own shortcuts: an empty response, a response that is an option's text
  if (whole.length == 0) return "";
  if (item.questionType == "multi_choice") {
    for (let i = 0; i < item.choices.length; i++) if (item.choices[i] == whole) return whole;
  }
  const text = ownAnswer(whole);
  const buf = String.UTF8.encode(text);
  const bp = changetype<usize>(buf);
  const bl = buf.byteLength;
  const e = extractAnswer(bp, bl, [["boxed"], ["answer_tag"]]);
  if (item.questionType == "multi_choice") return multipleChoice(text, e.found ? e.text : "", item);
  if (item.answerType == "list") {
    const segment = e.found ? e.text : answerSentence(text);
    const open = segment.lastIndexOf("[");
    const close = segment.lastIndexOf("]");
    if (open >= 0 && close > open) return segment.substring(open, close + 1);
    return segment;
  }
  return freeFormNumber(text, bp, bl);
}

// ---------------------------------------------------------------------------------------------
// The model's own answer: weaker models go on to write further questions and answer them
// ("…The answer is B.\n\nQuestion: How many toys …? … The total number of toys is 5."); only the
// text before the first such continuation answers the question asked.

const CONTINUATIONS: string[] = ["\nquestion:", "\nhuman:", "\nhint:", "\n### human", "\nuser:"];

function ownAnswer(text: string): string {
  const lower = text.toLowerCase();
  let cut = text.length;
  for (let k = 0; k < CONTINUATIONS.length; k++) {
    let at = find(lower, CONTINUATIONS[k]);
    while (at >= 0 && lower.substring(0, at).trim().length == 0) at = find(lower, CONTINUATIONS[k], at + 1);
    if (at >= 0 && at < cut) cut = at;
  }
  return cut < text.length ? text.substring(0, cut) : text;
}

// ---------------------------------------------------------------------------------------------
// Searching: String.indexOf calls a comparison per position; these compare the first character inline
// (a 100 kB response is searched for some fifty phrases).

@inline function code(s: string, i: i32): i32 {
  return <i32>load<u16>(changetype<usize>(s) + (<usize>i << 1));
}

/** First index of `w` in `s` at or after `from`, or -1. */
function find(s: string, w: string, from: i32 = 0): i32 {
  const n = s.length;
  const m = w.length;
  if (m == 0) return -1;
  const c0 = code(w, 0);
  for (let i = max(from, 0); i <= n - m; i++) {
    if (code(s, i) != c0) continue;
    let k = 1;
    while (k < m && code(s, i + k) == code(w, k)) k++;
    if (k == m) return i;
  }
  return -1;
}

/** Last index of `w` in `s` at or before `from`, or -1. */
function findLast(s: string, w: string, from: i32 = i32.MAX_VALUE): i32 {
  const m = w.length;
  if (m == 0) return -1;
  const c0 = code(w, 0);
  for (let i = min(from, s.length - m); i >= 0; i--) {
    if (code(s, i) != c0) continue;
    let k = 1;
    while (k < m && code(s, i + k) == code(w, k)) k++;
    if (k == m) return i;
  }
  return -1;
}

/** Whether `s` contains any of `phrases`. */
function containsAny(s: string, phrases: string[]): bool {
  for (let k = 0; k < phrases.length; k++) if (find(s, phrases[k]) >= 0) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Characters

function isAsciiLetter(c: i32): bool {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

function isWordChar(c: i32): bool {
  return isDigit(c) || isAsciiLetter(c);
}

function isUpperLetter(c: i32, n: i32): bool {
  return c >= 65 && c < 65 + n;
}

function charAt(s: string, i: i32): i32 {
  return i >= 0 && i < s.length ? s.charCodeAt(i) : 32;
}

// ---------------------------------------------------------------------------------------------
// Multiple choice

function multipleChoice(text: string, boxed: string, item: MathVistaItem): string {
  // "A: No, Periwinkle is not the maximum": "A:" opens an answer (Q:/A: transcripts), not option A
  const t = text.trim();
  if (t.startsWith("A:")) {
    const rest = t.substring(2).trim();
    if (rest.length > 0) {
      const r = namedOption(rest, "", item);
      if (r.length > 0) return r;
    }
  }
  const named = namedOption(text, boxed, item);
  if (named.length > 0) return named;
  if (boxed.length > 0) return boxed;
  // "The answer is 5.5 cm." naming no option: that answer (the official rule finds the nearest option)
  const stated = stripEnd(statedText);
  if (stated.length > 0) return stated;
  const first = firstSentence(text);
  const yesNo = yesNoAnswer(text, first, item);
  if (yesNo.length > 0) return yesNo;
  // no option named: GPT's extraction copies the response's first sentence (a refusal, say)
  return first;
}

/** The option the response names: a letter, else an option's text; "" when it names none. */
function namedOption(text: string, boxed: string, item: MathVistaItem): string {
  const n = item.choices.length;
  if (boxed.length > 0) {
    const b = letterIn(boxed, n);
    if (b.length > 0) return b;
    const o = lastOptionText(boxed, item);
    return o.length > 0 ? o : boxed;
  }
  // "The correct answer is (C) 60°.", "my answer is:\n\nB", "The correct option letter is D", "答案为D":
  // only what that statement names counts (a later "Choice (D) is incorrect" does not)
  const named = statedOption(text, item);
  if (named.length > 0 || statedText.length > 0) return named;
  const t = text.trim();
  if (t.length == 1 && isUpperLetter(t.charCodeAt(0), n)) return t;
  // "However, none of the given options match this result.": GPT's extraction is "None"
  if (saysNoOption(t.toLowerCase())) return "None";
  // a last line that is a letter alone: "…the answer is:\n\n**B**"
  const lastLine = t.substring(t.lastIndexOf("\n") + 1).trim();
  if (lastLine.length <= 6) {
    const l = letterIn(lastLine, n);
    if (l.length > 0 && lastLine.replaceAll("*", "").replaceAll("(", "").replaceAll(")", "").replaceAll(".", "").trim() == l) {
      return l;
    }
  }
  // a closing "… the length of CD is D." / "…的周长为C"
  const closing = closingLetter(t, n);
  if (closing.length > 0) return closing;
  // the last "(X)"
  for (let i = t.length - 3; i >= 0; i--) {
    if (t.charCodeAt(i) == 40 && t.charCodeAt(i + 2) == 41 && isUpperLetter(t.charCodeAt(i + 1), n)) {
      return t.charAt(i + 1);
    }
  }
  // a leading "B." / "B)" / "B:" / "B "
  if (t.length >= 2 && isUpperLetter(t.charCodeAt(0), n)) {
    const c = t.charCodeAt(1);
    if (c == 46 || c == 41 || c == 58 || c == 32) return t.charAt(0);
  }
  // an option quoted word for word: the last one mentioned
  return lastOptionText(text, item);
}

/** An option letter closing the response after "is" / "为" / "是": "Therefore, the length of CD is D." → D. */
function closingLetter(t: string, n: i32): string {
  let end = t.length;
  while (end > 0 && (t.charCodeAt(end - 1) == 46 || t.charCodeAt(end - 1) == 0x3002 || t.charCodeAt(end - 1) <= 32)) end--;
  if (end < 2 || !isUpperLetter(t.charCodeAt(end - 1), n)) return "";
  // "The minimum color is A." / "… is I": a name or a pronoun as often as a letter
  if (t.charCodeAt(end - 1) == 65 || t.charCodeAt(end - 1) == 73) return "";
  const before = t.charCodeAt(end - 2);
  if (before == 0x4e3a || before == 0x662f) return t.charAt(end - 1);
  if (before == 32 && end >= 4 && t.substring(end - 4, end - 1) == "is ") return t.charAt(end - 1);
  return "";
}

const NO_OPTION: string[] = [
  "none of the options", "none of the given options", "none of the provided options", "none of the choices",
  "none of the given choices", "none of the answer choices", "not among the options", "not among the choices",
  "not in the options", "not in the choices", "not one of the options", "not available in the options",
  "not available in the choices", "not an option", "not match any of the", "doesn't match any of the",
];

/** Whether the response says that no option fits. */
function saysNoOption(lower: string): bool {
  return containsAny(lower, NO_OPTION);
}

/** Whether `c` may stand right before an option letter standing alone ("(B", " B", ":B", "为B"). */
function opensLetter(c: i32): bool {
  return c == 32 || c == 10 || c == 9 || c == 40 || c == 91 || c == 58 || c == 42 || c == 34 || c == 39 || c >= 128;
}

/** Whether `c` may stand right after an option letter standing alone ("B)", "B.", "B,", "B 是"). */
function closesLetter(c: i32): bool {
  return c == 32 || c == 10 || c == 9 || c == 41 || c == 93 || c == 46 || c == 44 || c == 58 || c == 59 ||
    c == 42 || c == 34 || c == 39 || c >= 128;
}

/** The first option letter standing alone in `s` ("B", "(B) 60°", "B: 22/3", "D, Dark Green"), or "". */
function letterIn(s: string, n: i32): string {
  const t = s.trim();
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!isUpperLetter(c, n)) continue;
    if (i > 0 && !opensLetter(t.charCodeAt(i - 1))) continue;
    if (i + 1 < t.length && !closesLetter(t.charCodeAt(i + 1))) continue;
    // "A dog" / "I think": an article or a pronoun, not a letter — unless brackets mark it
    if ((c == 65 || c == 73) && charAt(t, i + 1) == 32 && charAt(t, i - 1) != 40) {
      const next = charAt(t, i + 2);
      if (next >= 97 && next <= 122) continue;
    }
    return t.charAt(i);
  }
  return "";
}

// an answer statement: one of these words, at most 40 characters without a comma or a full stop, then a
// copula ("is", ":", "would be"): "the answer is", "Answer:", "the answer to this question is",
// "The correct option letter for this question is B"; "答案是D", "答案:D", "选项C"
const ANSWER_WORDS: string[] = ["answer", "答案"];
const OPTION_WORDS: string[] = [
  "correct option", "option letter", "correct choice", "correct letter", "closest option", "best option",
  "closest choice", "best choice", "选项",
];
const COPULAS: string[] = [" is", ":", "：", " would be", " should be", " will be", "是", "为"];

/**
 * What the last answer statement says (else the last "the correct option is" statement): the text after
 * its copula to the end of its sentence or line, blank lines right after it skipped; "" when there is none.
 */
function answerStatement(t: string): string {
  const lower = t.toLowerCase();
  const a = lastStatement(t, lower, ANSWER_WORDS, lower.length);
  if (a >= 0) return answerStatementAt(t, a);
  const o = lastStatement(t, lower, OPTION_WORDS, lower.length);
  return o >= 0 ? answerStatementAt(t, o) : "";
}

/** Where the last statement found by `lastStatement` begins (its answer word). */
let statementWordAt: i32 = -1;

/**
 * Where the statement after the last of `words` (starting before `limit`) followed by a copula starts,
 * or -1; the word's own position goes to statementWordAt.
 */
function lastStatement(t: string, lower: string, words: string[], limit: i32): i32 {
  let best = -1;
  let bestFrom = -1;
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    let at = limit <= 0 ? -1 : findLast(lower, w, limit - 1);
    let guard = 0;
    while (at > best && guard++ < 64) {
      const from = copulaEnd(t, lower, at + w.length, w.charCodeAt(0) >= 128);
      if (from >= 0) {
        best = at;
        bestFrom = from;
        break;
      }
      if (at == 0) break;
      at = findLast(lower, w, at - 1);
    }
  }
  statementWordAt = best;
  return bestFrom;
}

/**
 * The option the answer statements name: the latest statement that names one (a later "The answer in
 * the image is incorrect" names none), answer statements before "the correct option is" ones. "" when
 * the response makes statements naming none (then `statedText` holds the latest one's text), or makes none.
 */
let statedText: string = "";
function statedOption(t: string, item: MathVistaItem): string {
  const lower = t.toLowerCase();
  const n = item.choices.length;
  statedText = "";
  for (let g = 0; g < 2; g++) {
    const words = g == 0 ? ANSWER_WORDS : OPTION_WORDS;
    let limit = lower.length;
    for (let tries = 0; tries < 8; tries++) {
      const from = lastStatement(t, lower, words, limit);
      if (from < 0) break;
      limit = statementWordAt;
      const stated = answerStatementAt(t, from);
      if (statedText.length == 0) statedText = stated;
      const letter = letterIn(stated, n);
      if (letter.length > 0) return letter;
      const o = lastOptionText(stated, item);
      if (o.length > 0) return o;
    }
    if (statedText.length > 0) break;
  }
  // "The correct option letter is D, Dark Seafoam." where there is no option D: the letter it names
  const other = letterIn(statedText, 26);
  return other.length > 0 && statedText.trim().startsWith(other) ? other : "";
}

/** The end of a copula at most 40 characters after `i` (no comma or sentence end before it), or -1. */
function copulaEnd(t: string, lower: string, i: i32, cjk: bool): i32 {
  if (cjk) {
    // "答案D", "选项C", "答案是D", "答案为:D"
    let j = i;
    while (j < lower.length && j - i < 3) {
      const c = lower.charCodeAt(j);
      if (c == 0x662f || c == 0x4e3a || c == 58 || c == 0xff1a || c == 32) j++;
      else break;
    }
    // "答案为D", "选项(C)"; not "答案不在选项中" or "答案：无选项"
    const next = charAt(lower, j);
    return next < 128 && next != 46 && next != 10 && j < lower.length ? j : -1;
  }
  for (let j = i; j < lower.length && j - i <= 40; j++) {
    const c = lower.charCodeAt(j);
    if (c == 44 || c == 10 || c == 0x3002 || (c == 46 && !isDigit(charAt(lower, j + 1)))) return -1;
    // "The answer choice A is a triangle": a statement about option A, not an answer
    const u = charAt(t, j);
    if (u >= 65 && u <= 90 && !isAsciiLetter(charAt(t, j - 1)) && !isAsciiLetter(charAt(t, j + 1)) && j > i) return -1;
    for (let k = 0; k < COPULAS.length; k++) {
      const cop = COPULAS[k];
      if (!lower.startsWith(cop, j)) continue;
      const end = j + cop.length;
      if (isAsciiLetter(cop.charCodeAt(cop.length - 1)) && isAsciiLetter(charAt(lower, end))) continue;
      // "the answer is not …", "the answer is none of the above": no answer stated here
      return end;
    }
  }
  return -1;
}

/** The statement starting at `from` (separators skipped) to the end of its sentence or line. */
function answerStatementAt(t: string, from: i32): string {
  let i = from;
  // separators: spaces, line breaks, colons, bold marks
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c == 32 || c == 10 || c == 13 || c == 9 || c == 58 || c == 0xff1a || c == 42) i++;
    else break;
  }
  let j = i;
  while (j < t.length && j - i < 300) {
    const c = t.charCodeAt(j);
    if (c == 10 || c == 0x3002) break;
    if (c == 46 && !isDigit(charAt(t, j + 1))) break;
    j++;
  }
  return t.substring(i, j);
}

/**
 * The option whose text the segment quotes last, as whole words ("no" is not found in "not", "2" not in
 * "2.2"); an option found only inside a longer option's text counts as that longer option. "" if none.
 */
function lastOptionText(segment: string, item: MathVistaItem): string {
  const lower = segment.toLowerCase();
  let bestAt = -1;
  let bestEnd = -1;
  let best = "";
  for (let i = 0; i < item.choices.length; i++) {
    const c = item.choices[i].toLowerCase().trim();
    if (c.length == 0 || (c.length == 1 && isAsciiLetter(c.charCodeAt(0)))) continue;
    const at = lastWordAt(lower, c);
    if (at < 0) continue;
    const end = at + c.length;
    // the later mention wins; of two overlapping mentions, the longer one
    const overlaps = bestAt >= 0 && at < bestEnd && end > bestAt;
    if (overlaps ? c.length > bestEnd - bestAt : end > bestEnd) {
      bestAt = at;
      bestEnd = end;
      best = item.choices[i];
    }
  }
  return best;
}

/** Whether position `i` of `s` continues a word or a number across it ("2" in "2.2", "no" in "not"). */
function joins(s: string, i: i32, inner: i32): bool {
  const c = charAt(s, i);
  if (isWordChar(c) && isWordChar(inner)) return true;
  // a decimal point or comma between digits: "2.2", "1,000"
  if ((c == 46 || c == 44) && isDigit(inner)) return true;
  return false;
}

/** Whether `s` has ".0", ".00", … at `i` and no further digit: "8.0" is the whole number 8. */
function zeroDecimals(s: string, i: i32): bool {
  if (charAt(s, i) != 46) return false;
  let j = i + 1;
  while (charAt(s, j) == 48) j++;
  return j > i + 1 && !isDigit(charAt(s, j));
}

/** Last index of `w` in `s` where it stands as whole words and whole numbers, or -1. */
function lastWordAt(s: string, w: string): i32 {
  let at = findLast(s, w);
  let guard = 0;
  while (at >= 0 && guard++ < 10000) {
    const first = w.charCodeAt(0);
    const last = w.charCodeAt(w.length - 1);
    let ok = !(isWordChar(charAt(s, at - 1)) && isWordChar(first)) &&
      !(isWordChar(charAt(s, at + w.length)) && isWordChar(last));
    if (ok && isDigit(first) && (charAt(s, at - 1) == 46 || charAt(s, at - 1) == 44) && isDigit(charAt(s, at - 2))) ok = false;
    if (ok && joins(s, at + w.length, last) && isDigit(charAt(s, at + w.length + 1)) && !zeroDecimals(s, at + w.length)) {
      ok = false;
    }
    if (ok) return at;
    if (at == 0) break;
    at = findLast(s, w, at - 1);
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Yes/no questions answered by a statement: "Periwinkle is not the maximum." answers "No".

const REFUSALS: string[] = [
  "not enough", "not provided", "not given", "not possible", "not clear", "not specified", "not visible",
  "not shown", "insufficient", "cannot", "can't", "can not", "impossible", "unable", "does not provide",
  "do not provide", "doesn't provide", "without ", "as an ai", "not have enough", "not have the ability", "not have access", "need more",
  "more information", "no information", " lack", "missing", "incomplete", "ambiguous", "unclear", "does not specify",
  "does not contain", "does not include", "does not mention", "does not show", "does not give",
  "depends on", "would depend", "need to know", "needs to know", "not sure", "difficult to",
];

const NEGATIONS: string[] = ["not", "no", "isn't", "doesn't", "don't", "aren't", "wasn't", "weren't", "never", "neither", "none"];

function yesNoAnswer(text: string, first: string, item: MathVistaItem): string {
  if (item.choices.length != 2) return "";
  let yes = -1;
  let no = -1;
  for (let i = 0; i < 2; i++) {
    const c = item.choices[i].trim().toLowerCase();
    if (c == "yes") yes = i;
    else if (c == "no") no = i;
  }
  if (yes < 0 || no < 0) return "";
  const lowerAll = text.toLowerCase();
  if (containsAny(lowerAll, REFUSALS)) return "";
  const lower = first.toLowerCase();
  for (let k = 0; k < NEGATIONS.length; k++) {
    if (lastWordAt(lower, NEGATIONS[k]) >= 0) return item.choices[no];
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Sentences

function stripEnd(s: string): string {
  let t = s.trim();
  while (t.length > 0 && (t.endsWith(".") || t.endsWith(":") || t.endsWith("：") || t.endsWith("。"))) t = t.substring(0, t.length - 1).trim();
  return t;
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

/** The sentence after the last "answer is" / "answer:", else the whole text. */
function answerSentence(text: string): string {
  const s = answerStatement(text);
  return s.length > 0 ? s : text;
}

// ---------------------------------------------------------------------------------------------
// Free-form numbers

const NUMBER_WORDS: string[] = [
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
  "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
];

function numberIn(s: string): string {
  const buf = String.UTF8.encode(s);
  const n = extractLastNumber(changetype<usize>(buf), buf.byteLength);
  return n.found ? n.text.replaceAll(",", "") : "";
}

/** A count right after "there are" / "there is" / "there were" / "a total of": digits or a word up to twenty. */
function countAfter(lower: string, from: i32): string {
  let i = from;
  while (i < lower.length && lower.charCodeAt(i) == 32) i++;
  if (lower.startsWith("a total of ", i)) i += 11;
  else if (lower.startsWith("only ", i)) i += 5;
  if (isDigit(charAt(lower, i))) {
    let j = i;
    while (isDigit(charAt(lower, j)) || ((charAt(lower, j) == 46 || charAt(lower, j) == 44) && isDigit(charAt(lower, j + 1)))) j++;
    // a count of things: "3 bars", not "4/2 = 2" or "7,873 miles" read in part
    if (charAt(lower, j) != 32 || !isAsciiLetter(charAt(lower, j + 1))) return "";
    return lower.substring(i, j).replaceAll(",", "");
  }
  for (let k = NUMBER_WORDS.length - 1; k >= 0; k--) {
    const w = NUMBER_WORDS[k];
    if (lower.startsWith(w, i) && charAt(lower, i + w.length) == 32 && isAsciiLetter(charAt(lower, i + w.length + 1))) return k.toString();
  }
  return "";
}

/** A short answer of one sentence (at most 240 characters, no line break, no full stop inside). */
function isOneSentence(text: string): bool {
  const t = text.trim();
  if (t.length > 240) return false;
  for (let i = 0; i < t.length - 1; i++) {
    const c = t.charCodeAt(i);
    if (c == 10) return false;
    if (c == 46 && t.charCodeAt(i + 1) == 32) return false;
  }
  return true;
}

/** Where the last sentence of `t` starts (after the last line break or ". " before its final characters). */
function lastSentenceStart(t: string): i32 {
  let end = t.length;
  while (end > 0 && (t.charCodeAt(end - 1) <= 32 || t.charCodeAt(end - 1) == 46)) end--;
  for (let i = end - 1; i > 0; i--) {
    const c = t.charCodeAt(i);
    if (c == 10 || (c == 32 && t.charCodeAt(i - 1) == 46)) return i + 1;
  }
  return 0;
}

const COUNT_PHRASES: string[] = ["there are", "there is", "there were", "a total of"];

function freeFormNumber(text: string, bp: usize, bl: i32): string {
  // "the answer is 12", "Answer: 12", a box: the last number of the answer sentence
  const e = extractAnswer(bp, bl, [["boxed"], ["answer_tag"], ["answer_is"]]);
  if (e.found) {
    const v = numberIn(e.text);
    if (v.length > 0) return v;
    // "Therefore, the answer is undefined.": that answer, not a number from elsewhere
    if (e.rule == "answer_is") return stripEnd(e.text);
  }
  const lower = text.toLowerCase();
  // "The final value is: 2"
  const fv = findLast(lower, "final value");
  if (fv >= 0) {
    const v = numberIn(answerStatementAt(text, fv + 11));
    if (v.length > 0) return v;
  }
  // a number set in bold: "… is **70**."
  const bold = lower.lastIndexOf("**");
  if (bold > 0) {
    const open = lower.lastIndexOf("**", bold - 1);
    if (open >= 0 && bold - open <= 24) {
      const inner = text.substring(open + 2, bold);
      const v = numberIn(inner);
      if (v.length > 0 && inner.trim().length <= v.length + 4) return v;
    }
  }
  // a count stated by a one-sentence answer or by the closing sentence: "There are 3 bars with values
  // below 40." → 3; "…\n\nSo, there are 4 queries with a p-value lower than 0.50." → 4
  const from = isOneSentence(text) ? 0 : lastSentenceStart(lower);
  let best = -1;
  let value = "";
  for (let k = 0; k < COUNT_PHRASES.length; k++) {
    const p = COUNT_PHRASES[k];
    const at = findLast(lower, p);
    if (at < from || at <= best) continue;
    const v = countAfter(lower, at + p.length);
    if (v.length > 0) {
      best = at;
      value = v;
    }
  }
  if (value.length > 0) return value;
  const n = extractLastNumber(bp, bl);
  if (n.found) return n.text.replaceAll(",", "");
  return "";
}
