// The `math` verifier kernel: extract the final answer from a model's output, normalize it, decide
// equivalence with the reference (see verifiers/math/README.md). Parameters (built by
// verifiers/math/mod.ts): {"reference": "…" | {answer, choices?, answer_type?, precision?,
// question_type?}, "options": {profile?, extract?, extracted?, extract_reference?, tolerance?, precision?,
// strict?, latex_shorthand?}}.
export { input, output_len } from "./_lib/abi";
import { emit } from "./_lib/abi";
import { badParameters, readItem, readParams } from "./_lib/item";
import { JsonKind, JsonValue } from "./_lib/json";
import { JsonWriter } from "./_lib/writer";
import { resetBigLimits } from "./math/bigint";
import { MathVistaItem, mathVistaCorrect, normalizeExtracted } from "./math/mathvista";
import { extractForMathVista } from "./math/mathvista_extract";
import { scoreDefault } from "./math/score";

/** Scores the current item and returns a pointer to its JSON result. */
export function score(): usize {
  resetBigLimits();
  const item = readItem();
  if (item === null) return emit(badParameters(null));
  const parsed = readParams(item);
  if (parsed === null) return emit(badParameters(item));
  const params = parsed!;
  const respPtr = item.ptr + <usize>item.start;
  const respLen = item.end - item.start;
  const options = params.get("options");
  const profile = stringField(options, "profile", "default");
  if (profile == "mathvista" || profile == "mathvista_strict") {
    return emit(scoreMathVista(params, options, respPtr, respLen, profile == "mathvista_strict"));
  }
  return emit(scoreDefault(params, options, respPtr, respLen));
}

function stringField(obj: JsonValue | null, key: string, fallback: string): string {
  if (obj === null) return fallback;
  const v = obj.get(key);
  if (v === null || v.kind != JsonKind.String) return fallback;
  return v.str;
}

function mathVistaItem(ref: JsonValue | null): MathVistaItem {
  const item = new MathVistaItem();
  if (ref === null) return item;
  if (ref.kind == JsonKind.String) {
    item.answer = ref.str;
    return item;
  }
  item.answer = stringField(ref, "answer", "");
  const a = ref.get("answer");
  if (a !== null && a.kind == JsonKind.Number) item.answer = a.integral ? (<i64>a.num).toString() : a.num.toString();
  item.questionType = stringField(ref, "question_type", "free_form");
  item.answerType = stringField(ref, "answer_type", "text");
  const p = ref.get("precision");
  if (p !== null && p.kind == JsonKind.Number) item.precision = p.num;
  const c = ref.get("choices");
  if (c !== null && c.kind == JsonKind.Array) {
    item.hasChoices = true;
    for (let i = 0; i < c.items.length; i++) {
      const v = c.items[i];
      item.choices.push(v.kind == JsonKind.String ? v.str : v.kind == JsonKind.Number ? v.num.toString() : "");
    }
  }
  return item;
}

function scoreMathVista(params: JsonValue, options: JsonValue | null, ptr: usize, len: i32, strict: bool): ArrayBuffer {
  const item = mathVistaItem(params.get("reference"));
  const extracted = options !== null && options.get("extracted") !== null && options.get("extracted")!.bool;
  const extraction = extracted ? String.UTF8.decodeUnsafe(ptr, <usize>len, false) : extractForMathVista(ptr, len, item);
  const prediction = normalizeExtracted(extraction, item, strict);
  const correct = mathVistaCorrect(prediction, item);
  const w = new JsonWriter();
  w.beginObject();
  w.key("reward").num(correct ? 1 : 0);
  w.key("correct").bool(correct);
  w.key("details").beginObject();
  if (correct) w.key("reason").null();
  else w.key("reason").str(prediction === null ? (extraction.length == 0 ? "no_answer" : "bad_format") : "wrong");
  w.key("extracted").str(extraction);
  w.key("extraction").str(extracted ? "given" : "mathvista");
  w.key("method").str("mathvista");
  w.key("prediction").strOrNull(prediction);
  w.key("answer").str(item.answer);
  w.endObject();
  w.endObject();
  return w.finish();
}
