/** Resolves a validated `text` reference and options into the kernel's parameters. */
import { InvalidRequestError, nameJson, type SelfSerializingParams } from "../types.ts";
import { MAX_REFERENCE_CHARS, type TextMetric, TOKENIZERS } from "./schemas.ts";

/** Texts remembered per metric (heads) and per tokenizer (tails): a handful of each. */
const MEMO_LIMIT = 64;
const heads = new Map<string, string>();
const tails = [new Map<string, string>(), new Map<string, string>()];

/**
 * The parameters' JSON up to the reference list: `{`, the metric when not rougeL, the profile when
 * not default, `"refs":`. Remembered per metric, so that an item's JSON is three pieces joined (its
 * key-by-key concatenation made about ten, 355 bytes of garbage an item of short captions).
 */
function headJson(metric: string, profile: string): string {
  const remembered = profile === "default";
  let head = remembered ? heads.get(metric) : undefined;
  if (head === undefined) {
    const metricKey = metric !== "rougeL" ? `"metric":${nameJson(metric)},` : "";
    head = `{${metricKey}${remembered ? "" : `"profile":${nameJson(profile)},`}"refs":`;
    if (remembered && heads.size < MEMO_LIMIT) heads.set(metric, head);
  }
  return head;
}

/** The parameters' JSON after the reference list when every other key has its default (see `tailJson`). */
function plainTail(tokenize: string, lowercase: boolean): string {
  const memo = tails[lowercase ? 1 : 0];
  let tail = memo.get(tokenize);
  if (tail === undefined) {
    tail = `,"tokenize":${nameJson(tokenize)},"lowercase":${lowercase ? "true" : "false"}}`;
    if (memo.size < MEMO_LIMIT) memo.set(tokenize, tail);
  }
  return tail;
}

/** The parameter object the `text` kernel reads. */
export interface TextKernelParams {
  metric: TextMetric;
  profile: "default";
  refs: string[];
  tag: string;
  tokenize: string;
  lowercase: boolean;
  punctuation: "keep" | "remove";
  smooth: "none" | "floor" | "add-k" | "exp";
  smooth_value: number;
  max_order: number;
  char_order: number;
  beta: number;
  whitespace: boolean;
  wer_reward: "linear" | "exp";
  threshold: number;
}

/** The kernel's defaults for keys left out (kernels/text.ts); tokenize and lowercase are always sent. */
export const TEXT_KERNEL_DEFAULTS: Record<string, unknown> = {
  metric: "rougeL",
  profile: "default",
  tag: "answer",
  punctuation: "keep",
  smooth: "exp",
  smooth_value: 1,
  max_order: 4,
  char_order: 6,
  beta: 2,
  whitespace: false,
  wer_reward: "linear",
  threshold: 1,
};

const LOWERCASE_BY_DEFAULT: TextMetric[] = ["rouge1", "rouge2", "rougeL", "token_f1", "exact"];

/**
 * The `text` kernel's parameters: every field for the host, and their JSON for the kernel
 * (`kernelJson`) with only what differs from `TEXT_KERNEL_DEFAULTS` (tokenize and lowercase always),
 * key by key in the fields' order, written directly (as `match`'s parameters, for the same reason:
 * `JSON.stringify` over an object of those keys took 1.10 µs an item of short captions).
 */
interface TextParams extends TextKernelParams {}
class TextParams implements SelfSerializingParams {
  /**
   * Every field assigned here, in the declared order (as `match`'s parameters: V8 sizes an instance
   * by its constructor's stores, so the fields live in the object, not in a property store that grows).
   */
  constructor(
    metric: TextMetric,
    refs: string[],
    tokenize: string,
    smooth: TextKernelParams["smooth"],
    options: Record<string, unknown>,
  ) {
    this.metric = metric;
    this.profile = "default";
    this.refs = refs;
    this.tag = (options.tag ?? "answer") as string;
    this.tokenize = tokenize;
    this.lowercase = (options.lowercase ?? LOWERCASE_BY_DEFAULT.includes(metric)) as boolean;
    this.punctuation = (options.punctuation ?? "keep") as TextKernelParams["punctuation"];
    this.smooth = smooth;
    this.smooth_value = (options.smooth_value ?? (smooth === "floor" ? 0.1 : 1)) as number;
    this.max_order = (options.max_order ?? 4) as number;
    this.char_order = (options.char_order ?? 6) as number;
    this.beta = (options.beta ?? 2) as number;
    this.whitespace = (options.whitespace ?? false) as boolean;
    this.wer_reward = (options.wer_reward ?? "linear") as TextKernelParams["wer_reward"];
    this.threshold = (options.threshold ?? 1) as number;
  }

  kernelJson(): string {
    return `${headJson(this.metric, this.profile)}${JSON.stringify(this.refs)}${this.tailJson()}`;
  }

  /**
   * The keys after `refs`, and the closing brace: the remembered `plainTail` when only tokenize and
   * lowercase are written (each other key is written only when it differs from the kernel's default).
   */
  private tailJson(): string {
    const json = JSON.stringify;
    const tag = this.tag !== "answer" ? `,"tag":${json(this.tag)}` : "";
    let rest = "";
    if (this.punctuation !== "keep") rest += `,"punctuation":${nameJson(this.punctuation)}`;
    if (this.smooth !== "exp") rest += `,"smooth":${nameJson(this.smooth)}`;
    if (this.smooth_value !== 1) rest += `,"smooth_value":${json(this.smooth_value)}`;
    if (this.max_order !== 4) rest += `,"max_order":${json(this.max_order)}`;
    if (this.char_order !== 6) rest += `,"char_order":${json(this.char_order)}`;
    if (this.beta !== 2) rest += `,"beta":${json(this.beta)}`;
    if (this.whitespace !== false) rest += `,"whitespace":${json(this.whitespace)}`;
    if (this.wer_reward !== "linear") rest += `,"wer_reward":${nameJson(this.wer_reward)}`;
    if (this.threshold !== 1) rest += `,"threshold":${json(this.threshold)}`;
    if (tag === "" && rest === "") return plainTail(this.tokenize, this.lowercase);
    return `${tag},"tokenize":${nameJson(this.tokenize)},"lowercase":${
      this.lowercase ? "true" : "false"
    }${rest}}`;
  }

  /** The same JSON for `JSON.stringify` (tests and tools encode items with it). */
  toJSON(): unknown {
    return JSON.parse(this.kernelJson());
  }
}

// The number of code points of s (a lone surrogate counts as one).
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

/** Whether a reference has a letter or a digit (ASCII ones found by a scan, others by Unicode class). */
function hasLetterOrDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return /[\p{L}\p{N}]/u.test(s);
    const lower = c | 0x20; // 'A'..'Z' → 'a'..'z'; nothing else lands there
    if ((lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39)) return true;
  }
  return false;
}

/** Builds the kernel parameters; throws `InvalidRequestError` for what the schema cannot rule out. */
export function textParams(reference: unknown, options: Record<string, unknown>): TextKernelParams {
  const refs = Array.isArray(reference) ? reference as string[] : [reference as string];
  const metric = (options.metric ?? "rougeL") as TextMetric;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    // code points are never more than UTF-16 units: only a reference longer than the bound in units is counted
    if (r.length > MAX_REFERENCE_CHARS && codePoints(r) > MAX_REFERENCE_CHARS) {
      throw new InvalidRequestError(
        `reference${
          refs.length > 1 ? `/${i}` : ""
        }: must NOT have more than ${MAX_REFERENCE_CHARS} characters`,
      );
    }
    if (!hasLetterOrDigit(r)) {
      throw new InvalidRequestError(
        `Reference ${
          refs.length > 1 ? `${i} ` : ""
        }has no letter or digit: ${metric} has nothing to compare with.`,
      );
    }
  }
  const tokenizers = TOKENIZERS[metric];
  const tokenize = (options.tokenize ?? tokenizers[0] ?? "none") as string;
  if (options.tokenize !== undefined && !tokenizers.includes(tokenize)) {
    throw new InvalidRequestError(
      tokenizers.length === 0
        ? `Metric "${metric}" works on characters and takes no tokenize option.`
        : `Metric "${metric}" takes tokenize ${tokenizers.join(", ")}, not "${tokenize}".`,
    );
  }
  const smoothAsked = (options.smooth ?? "exp") as string;
  const smooth = (smoothAsked === "add1" ? "add-k" : smoothAsked) as TextKernelParams["smooth"];
  if (smoothAsked === "add1" && options.smooth_value !== undefined && options.smooth_value !== 1) {
    throw new InvalidRequestError(
      'Smoothing "add1" fixes k = 1; use "add-k" with smooth_value for another k.',
    );
  }
  return new TextParams(metric, refs, tokenize, smooth, options);
}
