// MathVista's official scoring (evaluation/calculate_score.py: normalize_extracted_answer, then exact
// string equality with the answer). The LLM-free stand-in for its GPT extraction: mathvista_extract.ts.
import { levenshtein, pyFloat, pyIntString, pyRepr, pyRound, pyStrip } from "./pyfloat";

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
