/**
 * The baseline for the `rec` benchmark: the same work as the engine (validate the item, resolve its
 * parameters, extract the box from the response, score IoU, build the same result object) written
 * as plain TypeScript with regular expressions, in-process, on one thread. Used only by `perf/`:
 * the server never runs a regex on a model's output.
 */
import { ItemValidator } from "../verifiers/validate.ts";
import type { VerifyResult, WasmVerifier } from "../verifiers/mod.ts";
import type { IouKernelParams } from "../verifiers/iou/mod.ts";

const ANSWER = /<answer>([\s\S]*?)<\/answer>/g;
const QWEN_BOX =
  /<\|box_start\|>\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)\s*,\s*\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)<\|box_end\|>/g;
const LIST = /\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\]/g;

function iou(a: number[], b: number[]): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  const inter = w > 0 && h > 0 ? w * h : 0;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

function extract(response: string): { boxes: number[][]; extraction: string } {
  const answers = [...response.matchAll(ANSWER)];
  const region = answers.length > 0 ? answers[answers.length - 1][1] : response;
  const where = answers.length > 0 ? "answer_tag" : "whole";
  const qwen = [...region.matchAll(QWEN_BOX)].map((m) => m.slice(1, 5).map(Number));
  if (qwen.length > 0) return { boxes: qwen, extraction: `${where}+qwen_box` };
  const lists = [...region.matchAll(LIST)].map((m) => m.slice(1, 5).map(Number));
  const kind = region.includes("bbox_2d")
    ? (region.trimStart().startsWith("[") ? "json_list" : "json_object")
    : "bare_list";
  return { boxes: lists, extraction: `${where}+${kind}` };
}

/** Scores `rec` items the plain-TypeScript way, building the engine's result objects. */
export function scoreRecBaseline(validator: ItemValidator, items: unknown[]): VerifyResult[] {
  return items.map((raw) => {
    const started = performance.now();
    const checked = validator.check(raw);
    if ("message" in checked) throw new Error(checked.message);
    const verifier: WasmVerifier = checked.item.verifier;
    const params = verifier.params(checked.item.reference, checked.item.options) as IouKernelParams;
    const { boxes, extraction } = extract(checked.item.response);
    const details: Record<string, unknown> = {
      reason: null,
      mode: params.mode,
      profile: params.profile,
      extraction,
      mapping: {
        coords: params.coords,
        box_format: params.box_format,
        scale: [params.scale[0] / params.scale[1], params.scale[2] / params.scale[3]],
      },
    };
    let reward = 0;
    if (boxes.length === 0) details.reason = "no_answer";
    else if (boxes.length > 1) details.reason = "ambiguous";
    else {
      const value = iou(boxes[0], params.box!);
      details.extracted = boxes[0];
      details.iou = value;
      details.threshold = params.threshold;
      details.reward_mode = params.reward;
      reward = value;
      if (value < params.threshold) details.reason = "wrong";
    }
    return {
      verifier: verifier.name,
      version: verifier.version,
      reward,
      correct: details.reason === null,
      details,
      error: null,
      ms: performance.now() - started,
    };
  });
}
