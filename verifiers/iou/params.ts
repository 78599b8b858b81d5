/** Resolves a validated `iou` reference and options into the kernel's compact parameters. */
import { InvalidRequestError } from "../types.ts";
import { coordinateScale } from "../_coordinates/mod.ts";

/** The parameter object the `iou` kernel reads. */
export interface IouKernelParams {
  mode: "rec" | "detection" | "point" | "temporal";
  profile: "default" | "vlm_r1";
  reward: "iou" | "binary" | "f1" | "map";
  threshold: number;
  box_format: "xyxy" | "xywh" | "cxcywh";
  coords: "pixel" | "norm1000" | "norm1";
  /** An answer coordinate p maps to reference pixels as p / den * num: [numX, denX, numY, denY]. */
  scale: [number, number, number, number];
  box?: number[];
  boxes?: number[][];
  labels?: string[];
  segment?: number[];
}

type Reference = { box?: number[]; boxes?: number[][]; labels?: string[]; segment?: number[] };

const defaultReward = { rec: "iou", point: "binary", temporal: "iou", detection: "f1" } as const;
const allowedRewards: Record<IouKernelParams["mode"], string[]> = {
  rec: ["iou", "binary"],
  point: ["binary"],
  temporal: ["iou", "binary"],
  detection: ["f1", "iou", "binary", "map"],
};

function checkBox(b: number[], where: string): void {
  if (!(b[0] < b[2] && b[1] < b[3])) {
    throw new InvalidRequestError(
      `Reference ${where} ${JSON.stringify(b)} is not a box with x1 < x2 and y1 < y2.`,
    );
  }
}

function modeOf(ref: Reference, asked: unknown): IouKernelParams["mode"] {
  const natural = ref.box ? "rec" : ref.boxes ? "detection" : "temporal";
  const mode = (asked ?? natural) as IouKernelParams["mode"];
  const fits = mode === "rec" || mode === "point" ? ref.box : mode === "detection" ? ref.boxes : ref.segment;
  if (!fits) {
    const needs = mode === "detection" ? "boxes" : mode === "temporal" ? "segment" : "box";
    throw new InvalidRequestError(`Mode "${mode}" needs a reference with "${needs}".`);
  }
  return mode;
}

function scaleOf(options: Record<string, unknown>, mode: string): [number, number, number, number] {
  if (mode === "temporal") {
    const { coords = "pixel", image_size, resized_size, resize } = options;
    if (coords !== "pixel" || image_size || resized_size || resize) {
      throw new InvalidRequestError(
        "Temporal mode takes seconds: coords, image_size and resizing do not apply.",
      );
    }
    return [1, 1, 1, 1];
  }
  return coordinateScale(options);
}

/** Builds the kernel parameters; throws `InvalidRequestError` for combinations the schema cannot rule out. */
export function iouParams(reference: unknown, options: Record<string, unknown>): IouKernelParams {
  const ref = reference as Reference;
  const mode = modeOf(ref, options.mode);
  const profile = (options.profile ?? "default") as IouKernelParams["profile"];
  const boxFormat = (options.box_format ?? "xyxy") as IouKernelParams["box_format"];
  let reward = (options.reward ?? defaultReward[mode]) as IouKernelParams["reward"];
  if (profile === "vlm_r1") {
    if (mode !== "rec" && mode !== "detection") {
      throw new InvalidRequestError('Profile "vlm_r1" covers modes rec and detection only.');
    }
    const fixed = mode === "rec" ? "iou" : "map";
    if (options.reward !== undefined && options.reward !== fixed) {
      throw new InvalidRequestError(`Profile "vlm_r1" fixes the ${mode} reward to "${fixed}".`);
    }
    if (boxFormat !== "xyxy") throw new InvalidRequestError('Profile "vlm_r1" reads xyxy boxes only.');
    if (mode === "detection" && !ref.labels) {
      throw new InvalidRequestError('Profile "vlm_r1" detection needs "labels".');
    }
    reward = fixed;
  } else if (!allowedRewards[mode].includes(reward)) {
    throw new InvalidRequestError(
      `Reward "${reward}" does not apply to mode "${mode}" (use ${allowedRewards[mode].join(", ")}).`,
    );
  }
  const params: IouKernelParams = {
    mode,
    profile,
    reward,
    threshold: (options.threshold ?? 0.5) as number,
    box_format: boxFormat,
    coords: (options.coords ?? "pixel") as IouKernelParams["coords"],
    scale: scaleOf(options, mode),
  };
  if (mode === "rec" || mode === "point") {
    checkBox(ref.box!, "box");
    params.box = ref.box;
  } else if (mode === "detection") {
    ref.boxes!.forEach((b, i) => checkBox(b, `boxes[${i}]`));
    if (ref.labels) {
      if (ref.labels.length !== ref.boxes!.length) {
        throw new InvalidRequestError(
          `Reference has ${ref.boxes!.length} boxes but ${ref.labels.length} labels.`,
        );
      }
      params.labels = profile === "vlm_r1" ? ref.labels : ref.labels.map((l) => l.trim().toLowerCase());
    }
    params.boxes = ref.boxes;
  } else {
    const [s, e] = ref.segment!;
    if (!(s < e)) {
      throw new InvalidRequestError(`Reference segment ${JSON.stringify(ref.segment)} needs start < end.`);
    }
    params.segment = ref.segment;
  }
  return params;
}
