// The default profile: extract → normalize → compare → explain, written as the kernel's JSON result.
import { JsonKind, JsonValue } from "../_lib/json";
import { JsonWriter } from "../_lib/writer";
import { Extraction, extractAnswer, extractBoxed, extractChoiceLetter, stripMath } from "./extract";
import { ParseStatus, parseAnswer, setShorthand } from "./parser";
import { CompareOptions, compareAnswers } from "./compare";
import { K, Node } from "./ast";
import { bigTooComplex } from "./bigint";

// Rule groups tried in order; inside a group the match that ends last wins (Math-Verify's priorities:
// a box and "the final answer is" compete by position, then "answer is"/"Answer:", then the last
// LaTeX block or bare number, whichever comes last).
// (built per item: the heap is reset between items, so nested arrays cannot be globals)
function defaultGroups(): string[][] {
  return [["boxed", "answer_tag", "final_answer"], ["answer_is"], ["last_latex", "last_number"]];
}
const MAX_ANSWER_CHARS: i32 = 20000;

class Outcome {
  correct: bool = false;
  reason: string = "";
  method: string = "";
}

/** Scores one item under the default profile and returns the JSON result bytes. */
export function scoreDefault(params: JsonValue, options: JsonValue | null, ptr: usize, len: i32): ArrayBuffer {
  const ref = params.get("reference");
  let gold = "";
  const choices = new Array<string>();
  if (ref !== null && ref.kind == JsonKind.String) gold = ref.str;
  else if (ref !== null && ref.kind == JsonKind.Object) {
    const a = ref.get("answer");
    if (a !== null) gold = a.kind == JsonKind.String ? a.str : a.kind == JsonKind.Number ? numberText(a) : "";
    const c = ref.get("choices");
    if (c !== null && c.kind == JsonKind.Array) {
      for (let i = 0; i < c.items.length; i++) choices.push(c.items[i].kind == JsonKind.String ? c.items[i].str : "");
    }
  }
  const o = new CompareOptions();
  let rules = defaultGroups();
  let extracted = false;
  let extractReference = false;
  setShorthand(true);
  if (options !== null) {
    const er = options.get("extract_reference");
    if (er !== null && er.kind == JsonKind.Bool) extractReference = er.bool;
    const st = options.get("strict");
    if (st !== null && st.kind == JsonKind.Bool) o.strict = st.bool;
    const sh = options.get("latex_shorthand");
    if (sh !== null && sh.kind == JsonKind.Bool) setShorthand(sh.bool);
    const t = options.get("tolerance");
    if (t !== null && t.kind == JsonKind.Number) o.tolerance = t.num;
    const p = options.get("precision");
    if (p !== null && p.kind == JsonKind.Number) o.precision = <i32>Math.max(0, Math.min(20, p.num));
    const e = options.get("extracted");
    if (e !== null && e.kind == JsonKind.Bool) extracted = e.bool;
    const r = options.get("extract");
    if (r !== null && r.kind == JsonKind.Array) {
      rules = new Array<string[]>();
      for (let i = 0; i < r.items.length; i++) {
        const item = r.items[i];
        if (item.kind == JsonKind.String) rules.push([item.str]);
        else if (item.kind == JsonKind.Array) {
          const group = new Array<string>();
          for (let k = 0; k < item.items.length; k++) if (item.items[k].kind == JsonKind.String) group.push(item.items[k].str);
          if (group.length > 0) rules.push(group);
        }
      }
    }
  }
  if (extractReference && gold.length > 0) gold = solutionAnswer(gold, rules);
  let ex: Extraction;
  if (extracted) {
    ex = new Extraction();
    ex.text = stripMath(String.UTF8.decodeUnsafe(ptr, <usize>len, false));
    ex.rule = "given";
    ex.found = ex.text.length > 0;
  } else ex = extractAnswer(ptr, len, rules);
  if (choices.length > 0 && (!ex.found || choiceIndex(ex.text, choices) < 0)) {
    // no rule gave an option: a letter opening the response, else the last one standing alone
    const letter = extractChoiceLetter(ptr, len, choices.length);
    if (letter >= 0) {
      ex = new Extraction();
      ex.text = String.fromCharCode(65 + letter);
      ex.rule = "choice_letter";
      ex.found = true;
    }
  }
  const out = new Outcome();
  if (!ex.found) out.reason = "no_answer";
  else if (ex.hedged) out.reason = "ambiguous";
  else if (ex.text.length > MAX_ANSWER_CHARS) out.reason = "too_complex";
  else if (choices.length > 0) decideChoice(gold, choices, ex.text, out);
  else decide(referenceAnswer(gold), ex.text, o, out);
  if (out.reason == "" && !out.correct) out.reason = "wrong";
  return writeResult(out, ex);
}

function numberText(v: JsonValue): string {
  return v.integral ? (<i64>v.num).toString() : v.num.toString();
}

/** The answer of a reference that is a whole solution: the extraction rules run on it (else as below). */
function solutionAnswer(gold: string, rules: string[][]): string {
  const buf = String.UTF8.encode(gold);
  const e = extractAnswer(changetype<usize>(buf), buf.byteLength, rules);
  if (e.found && !e.hedged) return e.text;
  return gold;
}

/** The gold answer inside a reference string: its boxed answer, else the text without $ signs. */
export function referenceAnswer(gold: string): string {
  if (gold.indexOf("\\boxed") >= 0 || gold.indexOf("\\fbox") >= 0) {
    const buf = String.UTF8.encode(gold);
    const b = extractBoxed(changetype<usize>(buf), buf.byteLength);
    if (b.found) return b.text;
  }
  return stripMath(gold).replaceAll("$", " ");
}

const TEXT_NOISE: string[] = [
  "\\textbf", "\\textnormal", "\\textit", "\\text", "\\mathrm", "\\mathbf", "\\mbox", "\\left", "\\right", "\\!",
  "\\,", "\\;", "\\quad", "\\displaystyle", "\\dfrac", "\\tfrac",
];

/** A case-, space- and wrapper-insensitive key: two answers with the same key are the same answer. */
export function textKey(s: string): string {
  let t = s;
  const n0 = t.length;
  let digits = false;
  let ascii = true;
  for (let i = 0; i < n0; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    if (c >= 128) ascii = false;
  }
  if (!ascii) t = t.toLowerCase();
  const m = t.length;
  const buf = new StaticArray<u16>(m + 8);
  let k = 0;
  let i = 0;
  while (i < m) {
    let c = t.charCodeAt(i);
    if (c == 36) {
      i++;
      continue;
    }
    if (c == 92) {
      // wrappers and spacing commands vanish; \dfrac and \tfrac read as \frac
      let skipped = false;
      for (let w = 0; w < TEXT_NOISE.length; w++) {
        const word = unchecked(TEXT_NOISE[w]);
        if (startsAt(t, i, word)) {
          i += word.length;
          if (word == "\\dfrac" || word == "\\tfrac") {
            unchecked(buf[k++] = 92);
            unchecked(buf[k++] = 102);
            unchecked(buf[k++] = 114);
            unchecked(buf[k++] = 97);
            unchecked(buf[k++] = 99);
          }
          skipped = true;
          break;
        }
      }
      if (skipped) continue;
    }
    i++;
    if (c == 32 || c == 9 || c == 10 || c == 13 || c == 123 || c == 125 || c == 126) continue;
    if (!digits && (c == 40 || c == 41 || c == 46 || c == 58 || c == 44)) continue;
    if (c >= 65 && c <= 90) c += 32;
    if (k >= buf.length) break;
    unchecked(buf[k++] = <u16>c);
  }
  while (k > 0 && unchecked(buf[k - 1]) == 46) k--;
  return String.UTF16.decodeUnsafe(changetype<usize>(buf), <usize>k << 1);
}

function startsAt(s: string, i: i32, w: string): bool {
  const n = w.length;
  if (i + n > s.length) return false;
  for (let k = 1; k < n; k++) if (s.charCodeAt(i + k) != w.charCodeAt(k)) return false;
  return true;
}

function isPlainText(n: Node | null, s: string): bool {
  // words only (no digits, no operators beyond spaces and punctuation)
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
  }
  return letters >= 2 && (n === null || s.indexOf(" ") >= 0);
}

function seedOf(a: string, b: string): u32 {
  let h: u32 = 0x811c9dc5;
  let g: u32 = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = (h ^ <u32>a.charCodeAt(i)) * 16777619;
  for (let i = 0; i < b.length; i++) g = (g ^ <u32>b.charCodeAt(i)) * 16777619;
  return (h ^ g) | 1;
}

function decide(gold: string, pred: string, o: CompareOptions, out: Outcome): void {
  if (textKey(gold) == textKey(pred)) {
    out.correct = true;
    out.method = "text";
    return;
  }
  const gs = new ParseStatus();
  const g = parseAnswer(gold, gs);
  const ps = new ParseStatus();
  const p = parseAnswer(pred, ps);
  if (ps.tooComplex || gs.tooComplex) {
    out.reason = "too_complex";
    return;
  }
  if (g === null || p === null || isPlainText(g, gold) || isPlainText(p, pred)) {
    out.method = "text";
    if (p === null && !isPlainText(null, pred)) out.reason = "parse_error";
    return;
  }
  if (p.kind == K.List && p.hedged && p.kids.length > 1) {
    out.reason = "ambiguous";
    return;
  }
  o.seed = seedOf(gold, pred);
  const v = compareAnswers(g, p, o);
  if (v.tooComplex || bigTooComplex()) {
    out.reason = "too_complex";
    out.method = v.method;
    return;
  }
  out.correct = v.equal;
  out.method = v.method;
}

function letterIndex(s: string, n: i32): i32 {
  // (B), B, B., B), \text{(B)}, option B
  let t = s.replaceAll("\\text", "").replaceAll("\\textbf", "").replaceAll("{", "").replaceAll("}", "").trim();
  const lower = t.toLowerCase();
  if (lower.startsWith("option ")) t = t.substring(7).trim();
  else if (lower.startsWith("choice ")) t = t.substring(7).trim();
  if (t.startsWith("(") && t.length >= 3 && t.charCodeAt(2) == 41) t = t.substring(1, 2);
  while (t.endsWith(".") || t.endsWith(")") || t.endsWith(":")) t = t.substring(0, t.length - 1);
  if (t.length != 1) return -1;
  let c = t.charCodeAt(0);
  if (c >= 97 && c <= 122) c -= 32;
  const idx = c - 65;
  return idx >= 0 && idx < n ? idx : -1;
}

function choiceIndex(s: string, choices: string[]): i32 {
  const byLetter = letterIndex(s, choices.length);
  if (byLetter >= 0) return byLetter;
  const key = textKey(s);
  for (let i = 0; i < choices.length; i++) if (textKey(choices[i]) == key) return i;
  return -1;
}

function decideChoice(gold: string, choices: string[], pred: string, out: Outcome): void {
  out.method = "choice";
  const gi = choiceIndex(referenceAnswer(gold), choices);
  const pi = choiceIndex(pred, choices);
  if (pi < 0) {
    out.reason = "bad_format";
    return;
  }
  out.correct = gi == pi;
}

function writeResult(out: Outcome, ex: Extraction): ArrayBuffer {
  const w = new JsonWriter();
  w.beginObject();
  w.key("reward").num(out.correct ? 1 : 0);
  w.key("correct").bool(out.correct);
  w.key("details").beginObject();
  if (out.correct) w.key("reason").null();
  else w.key("reason").str(out.reason);
  w.key("extracted").str(ex.found ? (ex.text.length > 2000 ? ex.text.substring(0, 2000) : ex.text) : "");
  w.key("extraction").str(ex.found ? ex.rule : "none");
  if (out.method.length > 0) w.key("method").str(out.method);
  w.endObject();
  w.endObject();
  return w.finish();
}
