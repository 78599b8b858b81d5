/** Resolves a validated `text` reference and options into the kernel's parameters. */
import { InvalidRequestError } from "../types.ts";
import { serializeCompactly } from "../match/mod.ts";
import { type TextMetric, TOKENIZERS } from "./schemas.ts";

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
const KERNEL_DEFAULTS: Record<string, unknown> = {
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

/** Builds the kernel parameters; throws `InvalidRequestError` for what the schema cannot rule out. */
export function textParams(reference: unknown, options: Record<string, unknown>): TextKernelParams {
  const refs = Array.isArray(reference) ? reference as string[] : [reference as string];
  const metric = (options.metric ?? "rougeL") as TextMetric;
  refs.forEach((r, i) => {
    if (!/[\p{L}\p{N}]/u.test(r)) {
      throw new InvalidRequestError(
        `Reference ${
          refs.length > 1 ? `${i} ` : ""
        }has no letter or digit: ${metric} has nothing to compare with.`,
      );
    }
  });
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
  return serializeCompactly({
    metric,
    profile: "default",
    refs,
    tag: (options.tag ?? "answer") as string,
    tokenize,
    lowercase: (options.lowercase ?? LOWERCASE_BY_DEFAULT.includes(metric)) as boolean,
    punctuation: (options.punctuation ?? "keep") as TextKernelParams["punctuation"],
    smooth,
    smooth_value: (options.smooth_value ?? (smooth === "floor" ? 0.1 : 1)) as number,
    max_order: (options.max_order ?? 4) as number,
    char_order: (options.char_order ?? 6) as number,
    beta: (options.beta ?? 2) as number,
    whitespace: (options.whitespace ?? false) as boolean,
    wer_reward: (options.wer_reward ?? "linear") as TextKernelParams["wer_reward"],
    threshold: (options.threshold ?? 1) as number,
  }, KERNEL_DEFAULTS);
}
