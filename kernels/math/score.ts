// The default profile: extract → normalize → compare → explain, written as the kernel's JSON result.
import { JsonKind, JsonValue } from "../_lib/json";
import { JsonWriter } from "../_lib/writer";
import { Extraction, extractAnswer, extractBoxed, extractChoiceLetter, choiceLetterHedged, stripMath } from "./extract";
import { ParseStatus, parseAnswer, setShorthand } from "./parser";
import { CompareOptions, compareAnswers, multiValued, ORDER_ORDERED, ORDER_UNORDERED } from "./compare";
import { CHOICE_CONFLICT, choiceIndex, letterCount, letterSet, readLetter } from "./choice";
import { restatesTask } from "./restated";
import { textKey } from "./text_key";
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
  let referenceRule = false;
  setShorthand(true);
  if (options !== null) {
    const er = options.get("extract_reference");
    if (er !== null && er.kind == JsonKind.Bool) {
      extractReference = er.bool;
      referenceRule = true;
    }
    const st = options.get("strict");
    if (st !== null && st.kind == JsonKind.Bool) o.strict = st.bool;
    const sh = options.get("latex_shorthand");
    if (sh !== null && sh.kind == JsonKind.Bool) setShorthand(sh.bool);
    const t = options.get("tolerance");
    if (t !== null && t.kind == JsonKind.Number) o.tolerance = t.num;
    const p = options.get("precision");
    if (p !== null && p.kind == JsonKind.Number) o.precision = <i32>Math.max(0, Math.min(20, p.num));
    const ord = options.get("order");
    if (ord !== null && ord.kind == JsonKind.String) {
      if (ord.str == "ordered") o.order = ORDER_ORDERED;
      else if (ord.str == "unordered") o.order = ORDER_UNORDERED;
    }
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
  // a decimal comma ("1,22") only in a reference given as plain text: "$-2,1$" in LaTeX is a list
  const plainGold = gold.indexOf("$") < 0 && gold.indexOf("\\") < 0;
  if (extractReference && gold.length > 0) gold = solutionAnswer(gold, rules);
  else if (!referenceRule && gold.length > MIN_SOLUTION_CHARS) gold = statedAnswer(gold);
  let ex: Extraction;
  if (extracted) {
    ex = new Extraction();
    ex.text = stripMath(String.UTF8.decodeUnsafe(ptr, <usize>len, false));
    ex.rule = "given";
    ex.found = ex.text.length > 0;
  } else ex = extractAnswer(ptr, len, rules);
  const goldAnswer = referenceAnswer(gold, plainGold);
  // multiple choice: with choices, or a reference that is an option letter (or a set of letters)
  const letters = choices.length > 0 ? choices.length : isLetterAnswer(goldAnswer) && textKey(goldAnswer) != textKey(ex.text) ? 26 : 0;
  if (letters > 0 && !extracted && (!ex.found || !namesChoice(ex.text, choices, letters))) {
    // no rule gave an option: the response itself ("(B) A dog barking"), else (with choices) a letter
    // opening the response or the last one standing alone
    const whole = stripMath(String.UTF8.decodeUnsafe(ptr, <usize>min(len, 4096), false));
    if (namesChoice(whole, choices, letters)) {
      ex = new Extraction();
      ex.text = whole;
      ex.rule = "choice";
      ex.found = true;
    } else if (choices.length > 0) {
      const letter = extractChoiceLetter(ptr, len, choices.length);
      if (letter >= 0) {
        ex = new Extraction();
        ex.text = String.fromCharCode(65 + letter);
        ex.rule = "choice_letter";
        ex.found = true;
        ex.hedged = choiceLetterHedged; // "B or C"
      }
    }
  }
  const out = new Outcome();
  if (ex.found && !extracted && (ex.rule == "last_latex" || ex.rule == "last_number") &&
    restatesTask(ptr, len, ex.start, ex.end, ex.text)) {
    ex.found = false; // only the task restated ("Compute $2+3$."): not an answer
  }
  if (!ex.found) out.reason = "no_answer";
  else if (ex.hedged) out.reason = "ambiguous";
  else if (ex.text.length > MAX_ANSWER_CHARS) out.reason = "too_complex";
  else if (letters > 0) decideChoice(goldAnswer, choices, letters, ex.text, out);
  else decide(goldAnswer, ex.text, o, out);
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

/** A reference longer than this may be a whole solution (see `statedAnswer`). */
const MIN_SOLUTION_CHARS: i32 = 60;

/**
 * Without `extract_reference`: a reference that is a whole solution stating its answer ("… The final
 * answer is $28\\%$.", "Answer: 12") gives that answer; any other reference is unchanged.
 */
function statedAnswer(gold: string): string {
  if (gold.indexOf("\\boxed") >= 0 || gold.indexOf("\\fbox") >= 0) return gold;
  const buf = String.UTF8.encode(gold);
  const e = extractAnswer(changetype<usize>(buf), buf.byteLength, [["final_answer"], ["answer_is"]]);
  return e.found && !e.hedged ? e.text : gold;
}

/** The gold answer inside a reference string: its boxed answer, else the text without $ signs. */
export function referenceAnswer(gold: string, plainText: bool = false): string {
  if (gold.indexOf("\\boxed") >= 0 || gold.indexOf("\\fbox") >= 0) {
    const buf = String.UTF8.encode(gold);
    const b = extractBoxed(changetype<usize>(buf), buf.byteLength);
    if (b.found) return b.text;
  }
  const plain = stripMath(gold).replaceAll("$", " ");
  return plainText ? decimalComma(plain) : plain;
}

/**
 * "1,22" or "-0,5" written as plain text (one comma, digits around it, not three after it: not
 * thousands) is a decimal comma, as the last-number rule reads predictions; any other text is unchanged.
 */
function decimalComma(s: string): string {
  const comma = s.indexOf(",");
  if (comma < 0 || s.lastIndexOf(",") != comma) return s;
  const start = s.startsWith("-") ? 1 : 0;
  if (comma == start) return s;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (i != comma && !(c >= 48 && c <= 57)) return s;
  }
  const after = s.length - comma - 1;
  if (after == 0 || (after == 3 && !(comma == start + 1 && s.charCodeAt(start) == 48))) return s;
  return s.substring(0, comma) + "." + s.substring(comma + 1);
}

function isPlainText(n: Node | null, s: string): bool {
  // words (a run of two or more letters that is not a command) and no digits
  let word = false;
  let run = 0;
  let command = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (run == 0) command = i > 0 && s.charCodeAt(i - 1) == 92;
      run++;
      if (run >= 2 && !command) word = true;
    } else run = 0;
  }
  return word && (n === null || s.indexOf(" ") >= 0);
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
  if (p.kind == K.List && p.hedged && p.kids.length > 1 && !multiValued(g)) {
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

function decideChoice(gold: string, choices: string[], n: i32, pred: string, out: Outcome): void {
  out.method = "choice";
  const gi = choiceIndex(gold, choices, n);
  const gmask: u32 = gi >= 0 ? <u32>1 << gi : letterSet(gold, n, choices.length > 0);
  // several letters ("(A) and (C)") before one letter with its reason ("B. because …")
  const several = letterSet(pred, n, true);
  const pi = letterCount(several) > 1 ? -1 : choiceIndex(pred, choices, n);
  if (pi == CHOICE_CONFLICT) {
    out.reason = "ambiguous";
    return;
  }
  const pmask: u32 = pi >= 0 ? <u32>1 << pi : several;
  if (pmask == 0) {
    out.reason = "bad_format";
    return;
  }
  if (letterCount(gmask) > 1) out.method = "choice_set";
  else if (letterCount(pmask) > 1) {
    out.reason = "ambiguous"; // several letters where one is asked
    return;
  }
  out.correct = gmask != 0 && gmask == pmask;
}

/** Whether an answer names an option: a letter, an option's text or a set of letters. */
function namesChoice(s: string, choices: string[], n: i32): bool {
  const i = choiceIndex(s, choices, n);
  return i >= 0 || i == CHOICE_CONFLICT || letterSet(s, n, true) != 0;
}

/** A reference that is an option letter or a set of letters ("B", "(B)", "\\{A, C\\}") without choices. */
function isLetterAnswer(gold: string): bool {
  const r = readLetter(gold, 26);
  if (r.index >= 0 && r.rest.trim().length == 0) return true;
  return letterSet(gold, 26, false) != 0;
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
