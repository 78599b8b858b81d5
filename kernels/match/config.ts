// The `match` kernel's parameters, read once per item from the host's JSON (verifiers/match/params.ts).

import { JsonKind, JsonValue } from "../_lib/json";
import { boolAt, numberAt, stringAt } from "../_lib/param_values";
import { IntList } from "../_lib/unicode";

/** What the host resolved from the reference and options. */
export class MatchConfig {
  mode: string = "exact";
  ref: JsonValue[] = [];
  rel: f64[] = [];
  tag: string = "answer";
  split: string = "auto";
  spaceSplit: bool = true;
  caseSensitive: bool = false;
  punctuation: string = "trim";
  articles: bool = false;
  choiceKeys: string[] = [];
  choiceTexts: string[] = [];
  k: i32 = 1;
  exponentialGain: bool = false;
  rows: i32 = 1;
  cols: i32 = 1;
  directed: bool = true;
  requirePermutation: bool = false;
  right: f64 = 1;
  partial: f64[] = [0.5];
  partialMin: i32 = 1;
  wrong: f64 = 0;
  extra: f64 = -0.5;
  missing: f64 = 0;
  threshold: f64 = 1;
  /** Scratch code point lists for normalizing labels (one item's lifetime, reused per label). */
  scratchA: IntList = new IntList(64);
  scratchB: IntList = new IntList(64);
  private foldingConfig: MatchConfig | null = null;

  /** The default normalization (for reading choices), whatever this item's options. */
  get folding(): MatchConfig {
    let f = this.foldingConfig;
    if (f === null) {
      f = new MatchConfig();
      this.foldingConfig = f;
    }
    return f;
  }

  /** punctuation "remove" and "trim", as flags (read per character). */
  removePunct: bool = false;
  trimPunct: bool = true;
  /** Every mode but exact and any_of reads a list (set once by readConfig). */
  isListMode: bool = false;
  /** The order modes: sequence_exact, position_accuracy, adjacency, kendall_tau, lcs. */
  isSequenceMode: bool = false;
}

function strings(p: JsonValue, key: string): string[] {
  const out = new Array<string>();
  const v = p.get(key);
  if (v === null || v.kind != JsonKind.Array) return out;
  for (let i = 0; i < v.items.length; i++) out.push(v.items[i].str);
  return out;
}

function numbers(v: JsonValue | null): f64[] {
  const out = new Array<f64>();
  if (v === null || v.kind != JsonKind.Array) return out;
  for (let i = 0; i < v.items.length; i++) out.push(v.items[i].num);
  return out;
}

/** Reads the parameter object; null when it lacks the reference list (a host bug). */
export function readConfig(p: JsonValue): MatchConfig | null {
  const ref = p.get("ref");
  if (ref === null || ref.kind != JsonKind.Array) return null;
  const c = new MatchConfig();
  c.mode = stringAt(p, "mode", "exact");
  c.isListMode = c.mode != "exact" && c.mode != "any_of";
  c.isSequenceMode = c.mode == "sequence_exact" || c.mode == "position_accuracy" || c.mode == "adjacency" ||
    c.mode == "kendall_tau" || c.mode == "lcs";
  c.ref = ref.items;
  c.rel = numbers(p.get("rel"));
  c.tag = stringAt(p, "tag", "answer");
  c.split = stringAt(p, "split", "auto");
  c.spaceSplit = boolAt(p, "space_split", true);
  c.caseSensitive = boolAt(p, "case_sensitive", false);
  c.punctuation = stringAt(p, "punctuation", "trim");
  c.removePunct = c.punctuation == "remove";
  c.trimPunct = c.punctuation == "trim";
  c.articles = boolAt(p, "articles", false);
  c.choiceKeys = strings(p, "choice_keys");
  c.choiceTexts = strings(p, "choice_texts");
  c.k = <i32>numberAt(p, "k", <f64>max(ref.items.length, 1));
  c.exponentialGain = stringAt(p, "gain", "linear") == "exponential";
  const grid = numbers(p.get("grid"));
  if (grid.length == 2) {
    c.rows = <i32>grid[0];
    c.cols = <i32>grid[1];
  } else {
    c.cols = ref.items.length;
  }
  c.directed = boolAt(p, "directed", true);
  c.requirePermutation = boolAt(p, "require_permutation", false);
  const w = p.get("weights");
  if (w !== null && w.kind == JsonKind.Object) {
    c.right = numberAt(w, "right", 1);
    const partial = numbers(w.get("partial"));
    if (partial.length > 0) c.partial = partial;
    c.partialMin = <i32>numberAt(w, "partial_min", 1);
    c.wrong = numberAt(w, "wrong", 0);
    c.extra = numberAt(w, "extra", -0.5);
    c.missing = numberAt(w, "missing", 0);
  }
  c.threshold = numberAt(p, "threshold", 1);
  return c;
}
