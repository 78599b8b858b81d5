/** Resolves a validated `match` reference and options into the kernel's parameters. */
import { InvalidRequestError, nameJson, type SelfSerializingParams } from "../types.ts";
import { MATCH_MODES, type MatchMode } from "./schemas.ts";

/** A reference element as the kernel reads it: a label, a number, or a tuple of them. */
export type MatchElement = string | number | (string | number)[];

/** The parameter object the `match` kernel reads. */
export interface MatchKernelParams {
  mode: MatchMode;
  profile: "default";
  /** Reference elements: aliases (exact, any_of), the set, the sequence, or the ranked items (ndcg). */
  ref: MatchElement[];
  /** ndcg: relevance of each `ref` element (1 each for a list reference). */
  rel?: number[];
  tag: string;
  split: "auto" | "json" | "comma" | "newline" | "whitespace";
  /** Whether `split: "auto"` may split on whitespace (no reference label holds a space). */
  space_split: boolean;
  case_sensitive: boolean;
  punctuation: "keep" | "trim" | "remove";
  articles: boolean;
  choice_keys?: string[];
  choice_texts?: string[];
  k: number;
  gain: "linear" | "exponential";
  /** adjacency: [rows, cols], or [1, n] for a line. */
  grid: [number, number];
  directed: boolean;
  require_permutation: boolean;
  /** weighted: credits; `partial[i - 1]` for a match of the first i fields, from `partial_min` fields on. */
  weights: {
    right: number;
    partial: number[];
    partial_min: number;
    wrong: number;
    extra: number;
    missing: number;
  };
  threshold: number;
}

type Scalar = string | number;
type Reference = Scalar | MatchElement[] | Record<string, number>;

const LIST_MODES: MatchMode[] = MATCH_MODES.filter((m) => m !== "exact" && m !== "any_of");
/** Modes that rank or order elements: a reference without elements gives them nothing to score. */
const NEEDS_ELEMENTS: MatchMode[] = [
  "any_of",
  "position_accuracy",
  "adjacency",
  "kendall_tau",
  "lcs",
  "ndcg",
];

/**
 * Whether a UTF-16 unit is white space as JavaScript's `\s` and `trim()` define it (WhiteSpace and
 * LineTerminator): the labels are scanned by hand, without a regular expression or a trimmed copy.
 */
function isJsSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whether a label has a character that is not white space (a number always has). */
function hasText(label: Scalar): boolean {
  if (typeof label === "number") return true;
  for (let i = 0; i < label.length; i++) if (!isJsSpace(label.charCodeAt(i))) return true;
  return false;
}

/** Whether a label has white space between its first and last other character (`/\s/.test(label.trim())`). */
function hasInnerSpace(label: Scalar): boolean {
  if (typeof label === "number") return false;
  let first = 0;
  let last = label.length - 1;
  while (first <= last && isJsSpace(label.charCodeAt(first))) first++;
  while (last > first && isJsSpace(label.charCodeAt(last))) last--;
  for (let i = first + 1; i < last; i++) if (isJsSpace(label.charCodeAt(i))) return true;
  return false;
}

function modeOf(ref: Reference, asked: MatchMode | undefined): MatchMode {
  const isList = Array.isArray(ref);
  const isObject = !isList && ref !== null && typeof ref === "object";
  const mode = asked ?? (isObject ? "ndcg" : isList ? undefined : "exact");
  if (mode === undefined) {
    throw new InvalidRequestError(
      `A list reference needs options.mode (one of any_of, ${
        LIST_MODES.join(", ")
      }): a set and a sequence are different answers.`,
    );
  }
  if (isObject && mode !== "ndcg") {
    throw new InvalidRequestError(`An {item: relevance} reference is for mode "ndcg", not "${mode}".`);
  }
  if (!isList && !isObject && LIST_MODES.includes(mode)) {
    throw new InvalidRequestError(`Mode "${mode}" needs a list reference, not a single label.`);
  }
  return mode;
}

/** The reference's elements and, for ndcg, their relevance. */
function elementsOf(ref: Reference, mode: MatchMode): { ref: MatchElement[]; rel?: number[] } {
  if (Array.isArray(ref)) {
    if (mode === "exact" && ref.length !== 1) {
      throw new InvalidRequestError(
        `Mode "exact" takes one label; use "any_of" for a list of ${ref.length} aliases.`,
      );
    }
    return mode === "ndcg" ? { ref, rel: ref.map(() => 1) } : { ref };
  }
  if (typeof ref === "object") {
    const keys = Object.keys(ref);
    return { ref: keys, rel: keys.map((k) => ref[k]) };
  }
  return { ref: [ref] };
}

/** Fields of all tuple elements together that a reference may hold (the kernel's memory bound). */
const MAX_REFERENCE_FIELDS = 30_000;

function checkLabels(elements: MatchElement[]): void {
  let fields = 0;
  for (const e of elements) fields += Array.isArray(e) ? e.length : 1;
  if (fields > MAX_REFERENCE_FIELDS) {
    throw new InvalidRequestError(
      `The reference has ${fields} fields in all; at most ${MAX_REFERENCE_FIELDS}.`,
    );
  }
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (Array.isArray(e) ? e.length === 0 || !e.every(hasText) : !hasText(e)) {
      throw new InvalidRequestError(`Reference element ${i} (${JSON.stringify(e)}) has an empty label.`);
    }
  }
}

/** Whether no reference label holds inner white space (then `split: "auto"` may split on it). */
function spaceSplits(elements: MatchElement[]): boolean {
  for (const e of elements) {
    if (Array.isArray(e) ? e.some(hasInnerSpace) : hasInnerSpace(e)) return false;
  }
  return true;
}

/** Choice letters and texts, from {"A": text} or a list in letter order. */
function choicesOf(choices: unknown): { keys: string[]; texts: string[] } | undefined {
  if (choices === undefined) return undefined;
  if (Array.isArray(choices)) {
    return { keys: choices.map((_, i) => String.fromCharCode(65 + i)), texts: choices as string[] };
  }
  const map = choices as Record<string, string>;
  const keys = Object.keys(map);
  for (const key of keys) {
    if (!/^[A-Za-z0-9]{1,3}$/.test(key)) {
      throw new InvalidRequestError(`Choice key ${JSON.stringify(key)} is not a letter or a short code.`);
    }
  }
  return { keys, texts: keys.map((k) => map[k]) };
}

/** Reference labels written as a choice's text become its key; anything else must be a key. */
function toChoiceKeys(
  elements: MatchElement[],
  choices: { keys: string[]; texts: string[] },
): MatchElement[] {
  const fold = (s: string) => s.trim().replace(/\s+/gu, " ").toLowerCase();
  return elements.map((e) => {
    const label = String(e);
    if (choices.keys.includes(label)) return label;
    const byText = choices.keys.filter((_, i) => fold(choices.texts[i]) === fold(label));
    if (byText.length === 1) return byText[0];
    const upper = choices.keys.filter((k) => k.toUpperCase() === label.trim().toUpperCase());
    if (upper.length === 1) return upper[0];
    throw new InvalidRequestError(
      `Reference ${JSON.stringify(e)} is neither a choice key nor one choice's text.`,
    );
  });
}

function weightsOf(options: Record<string, unknown>): MatchKernelParams["weights"] {
  if (options.weights === undefined && options.key_fields === undefined) return DEFAULT_WEIGHTS;
  const w = (options.weights ?? {}) as Record<string, unknown>;
  const keyFields = (options.key_fields ?? 1) as number;
  const partial = w.partial ?? 0.5;
  return {
    right: (w.right ?? 1) as number,
    partial: Array.isArray(partial) ? partial as number[] : [partial as number],
    partial_min: Array.isArray(partial) ? 1 : keyFields,
    wrong: (w.wrong ?? 0) as number,
    extra: (w.extra ?? -0.5) as number,
    missing: (w.missing ?? 0) as number,
  };
}

/** The kernel's weights when none are given (kernels/match/config.ts). */
const DEFAULT_WEIGHTS: MatchKernelParams["weights"] = Object.freeze({
  right: 1,
  partial: [0.5],
  partial_min: 1,
  wrong: 0,
  extra: -0.5,
  missing: 0,
});

/**
 * The defaults the kernel applies to a key the parameters leave out (kernels/match/config.ts):
 * keys equal to these are not serialized, so a typical item's parameters are a few dozen bytes.
 */
export const MATCH_KERNEL_DEFAULTS: Record<string, unknown> = {
  mode: "exact",
  profile: "default",
  tag: "answer",
  split: "auto",
  space_split: true,
  case_sensitive: false,
  punctuation: "trim",
  articles: false,
  gain: "linear",
  directed: true,
  require_permutation: false,
  weights: DEFAULT_WEIGHTS,
  threshold: 1,
};

const DEFAULT_WEIGHTS_JSON = JSON.stringify(DEFAULT_WEIGHTS);

/**
 * The `match` kernel's parameters: every field for the host (tests, the perf baseline), and their
 * JSON for the kernel (`kernelJson`) with only what differs from the kernel's defaults
 * (`MATCH_KERNEL_DEFAULTS`, and `k` = the reference's length, `grid` = [1, that length]), key by key
 * in the fields' order. Written out rather than looped over: a generic loop over the keys took about
 * 5 µs an item, `JSON.stringify` over an object of the differing keys 1.06 µs, writing the text
 * directly 0.33 µs (perf/match_bench.ts's items), for a main-thread share of about 6.5 µs.
 */
interface MatchParams extends MatchKernelParams {}
class MatchParams implements SelfSerializingParams {
  /**
   * Every field assigned here, in the declared order, from the resolved parts and the options'
   * values or defaults: V8 sizes an instance by the stores its constructor makes, so the fields
   * live in the object itself (assigned after construction, they spilled into a property store
   * that grew, and freed, three times: 635 B an item instead of about 200).
   */
  constructor(
    mode: MatchMode,
    ref: MatchElement[],
    grid: [number, number],
    options: Record<string, unknown>,
    rel: number[] | undefined,
    choices: { keys: string[]; texts: string[] } | undefined,
  ) {
    this.mode = mode;
    this.profile = "default";
    this.ref = ref;
    this.tag = (options.tag ?? "answer") as string;
    this.split = (options.split ?? "auto") as MatchKernelParams["split"];
    this.space_split = spaceSplits(ref);
    this.case_sensitive = (options.case_sensitive ?? false) as boolean;
    this.punctuation = (options.punctuation ?? "trim") as MatchKernelParams["punctuation"];
    this.articles = (options.articles ?? false) as boolean;
    this.k = (options.k ?? ref.length) as number;
    this.gain = (options.gain ?? "linear") as MatchKernelParams["gain"];
    this.grid = grid;
    this.directed = (options.directed ?? true) as boolean;
    this.require_permutation = (options.require_permutation ?? false) as boolean;
    this.weights = weightsOf(options);
    this.threshold = (options.threshold ?? 1) as number;
    if (rel) this.rel = rel;
    if (choices) {
      this.choice_keys = choices.keys;
      this.choice_texts = choices.texts;
    }
  }

  kernelJson(): string {
    const n = this.ref.length;
    const json = JSON.stringify;
    let out = this.mode !== "exact" ? `{"mode":${nameJson(this.mode)},` : "{";
    if (this.profile !== "default") out += `"profile":${nameJson(this.profile)},`;
    out += `"ref":${json(this.ref)}`;
    if (this.tag !== "answer") out += `,"tag":${json(this.tag)}`;
    if (this.split !== "auto") out += `,"split":${nameJson(this.split)}`;
    if (this.space_split !== true) out += `,"space_split":${json(this.space_split)}`;
    if (this.case_sensitive !== false) out += `,"case_sensitive":${json(this.case_sensitive)}`;
    if (this.punctuation !== "trim") out += `,"punctuation":${nameJson(this.punctuation)}`;
    if (this.articles !== false) out += `,"articles":${json(this.articles)}`;
    if (this.k !== n) out += `,"k":${json(this.k)}`;
    if (this.gain !== "linear") out += `,"gain":${nameJson(this.gain)}`;
    if (this.grid.length !== 2 || this.grid[0] !== 1 || this.grid[1] !== n) {
      out += `,"grid":${json(this.grid)}`;
    }
    if (this.directed !== true) out += `,"directed":${json(this.directed)}`;
    if (this.require_permutation !== false) out += `,"require_permutation":${json(this.require_permutation)}`;
    if (this.weights !== DEFAULT_WEIGHTS) {
      const weights = json(this.weights);
      if (weights !== DEFAULT_WEIGHTS_JSON) out += `,"weights":${weights}`;
    }
    if (this.threshold !== 1) out += `,"threshold":${json(this.threshold)}`;
    if (this.rel !== undefined) out += `,"rel":${json(this.rel)}`;
    if (this.choice_keys !== undefined) out += `,"choice_keys":${json(this.choice_keys)}`;
    if (this.choice_texts !== undefined) out += `,"choice_texts":${json(this.choice_texts)}`;
    return `${out}}`;
  }

  /** The same JSON for `JSON.stringify` (tests and tools encode items with it). */
  toJSON(): unknown {
    return JSON.parse(this.kernelJson());
  }
}

/** Builds the kernel parameters; throws `InvalidRequestError` for what the schema cannot rule out. */
export function matchParams(reference: unknown, options: Record<string, unknown>): MatchKernelParams {
  const raw = reference as Reference;
  const mode = modeOf(raw, options.mode as MatchMode | undefined);
  let { ref, rel } = elementsOf(raw, mode);
  checkLabels(ref);
  if (ref.length === 0 && NEEDS_ELEMENTS.includes(mode)) {
    throw new InvalidRequestError(`Mode "${mode}" needs a reference with at least one element.`);
  }
  if (rel && !rel.some((r) => r > 0)) {
    throw new InvalidRequestError("An ndcg reference needs at least one item with relevance above 0.");
  }
  const choices = choicesOf(options.choices);
  if (choices) ref = toChoiceKeys(ref, choices);
  const grid = (options.grid ?? [1, ref.length]) as [number, number];
  if (mode === "adjacency" && grid[0] * grid[1] !== ref.length) {
    throw new InvalidRequestError(
      `Grid ${grid[0]}×${grid[1]} does not hold the reference's ${ref.length} elements.`,
    );
  }
  if (options.grid !== undefined && mode !== "adjacency") {
    throw new InvalidRequestError(`Option grid applies to mode "adjacency" only.`);
  }
  return new MatchParams(mode, ref, grid, options, rel, choices);
}
