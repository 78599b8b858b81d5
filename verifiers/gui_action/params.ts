/** Resolves a validated `gui_action` reference and options into the kernel's parameters. */
import { InvalidRequestError } from "../types.ts";
import { coordinateScale } from "../_coordinates/mod.ts";
import type { ACTION_TYPES, PROFILES } from "./schemas.ts";

type ActionType = typeof ACTION_TYPES[number];
type Profile = typeof PROFILES[number];

/** A profile's matching rules, spelled out for the kernel. */
export interface GuiRules {
  box_edges: "inclusive" | "exclusive";
  /** AITW grows the target box by this fraction of its size (half on each side); 0: not at all. */
  box_augment: number;
  /** With a box: a point near the reference point (or the box center) also hits. */
  box_or_distance: boolean;
  /** screen: distance of (x/W, y/H) points; width: pixels / W; pixels: pixels. */
  distance: "screen" | "width" | "pixels";
  distance_threshold: number;
  /** `<` instead of `<=`. */
  distance_strict: boolean;
  text: "exact" | "f1" | "substring" | "ignore";
  text_threshold: number;
  app: "exact" | "f1" | "substring" | "ignore";
  direction: "exact" | "axis";
  keys: "set" | "ignore";
  status: "exact" | "ignore";
  args: "check" | "ignore";
  format: "parsed" | "think_answer" | "gui_r1";
}

/** Reward weights over the parts of a comparison. */
export interface GuiWeights {
  accuracy: number;
  type: number;
  target: number;
  args: number;
  format: number;
}

const STRICT: GuiRules = {
  box_edges: "inclusive",
  box_augment: 0,
  box_or_distance: false,
  distance: "screen",
  distance_threshold: 0.04,
  distance_strict: false,
  text: "exact",
  text_threshold: 0.5,
  app: "exact",
  direction: "exact",
  keys: "set",
  status: "exact",
  args: "check",
  format: "parsed",
};

const BINARY: GuiWeights = { accuracy: 1, type: 0, target: 0, args: 0, format: 0 };

/** Every profile's rules and default weights (sources in README.md). */
export const PROFILE_RULES: Record<Profile, { rules: GuiRules; weights: GuiWeights }> = {
  default: { rules: STRICT, weights: BINARY },
  androidcontrol: { rules: { ...STRICT, distance_threshold: 0.14 }, weights: BINARY },
  aitw: {
    rules: {
      ...STRICT,
      box_augment: 1.4,
      box_or_distance: true,
      distance_threshold: 0.14,
      text: "substring",
      direction: "axis",
    },
    weights: BINARY,
  },
  gui_r1: {
    rules: {
      ...STRICT,
      box_edges: "exclusive",
      distance: "pixels",
      distance_threshold: 140,
      distance_strict: true,
      text: "f1",
      app: "ignore",
      keys: "ignore",
      status: "ignore",
      format: "gui_r1",
    },
    weights: { accuracy: 0.8, type: 0, target: 0, args: 0, format: 0.2 },
  },
  ui_r1: {
    rules: {
      ...STRICT,
      distance: "width",
      distance_threshold: 0.14,
      distance_strict: true,
      args: "ignore",
      format: "think_answer",
    },
    weights: { accuracy: 1, type: 1, target: 0, args: 0, format: 1 },
  },
  screenspot: { rules: STRICT, weights: BINARY },
  screenspot_pro: { rules: STRICT, weights: BINARY },
};

/**
 * The parameter object the `gui_action` kernel reads. Compact: a member (or a rule, or a weight) that
 * has the kernel's default is left out, so that the kernel reads a short object (the `default`
 * profile, pixel coordinates, scale 1, screen unknown, the strict rules of `STRICT`, the weights of
 * `BINARY`, no candidates); `ref` comes last, after the members that a batch's items share.
 */
export interface GuiActionKernelParams {
  profile?: Profile;
  coords?: "norm1000" | "norm1";
  /** An answer coordinate p maps to reference pixels as p / den * num: [numX, denX, numY, denY]. */
  scale?: [number, number, number, number];
  /** [width, height] of the screenshot, when known. */
  screen?: [number, number];
  /** The rules that differ from `STRICT`. */
  rules?: Partial<GuiRules>;
  /** The weights that differ from `BINARY`. */
  weights?: Partial<GuiWeights>;
  candidates?: "aepo";
  ref: Record<string, unknown>;
}

/** The entries of `values` that differ from `defaults`, or undefined when there are none. */
function changed<T extends object>(values: T, defaults: T): Partial<T> | undefined {
  const out: Partial<T> = {};
  let any = false;
  for (const key of Object.keys(values) as (keyof T)[]) {
    if (values[key] !== defaults[key]) {
      out[key] = values[key];
      any = true;
    }
  }
  return any ? out : undefined;
}

interface Reference {
  action: ActionType;
  point?: number[];
  box?: number[];
  end_point?: number[];
  text?: string;
  direction?: string;
  keys?: string[];
  app?: string;
  status?: string;
  absent?: boolean;
}

const TARGETED = new Set<string>(["click", "long_press", "double_click", "right_click", "drag"]);

function checkReference(ref: Reference): void {
  const needs = (what: string) => new InvalidRequestError(`Reference action "${ref.action}" needs ${what}.`);
  if (ref.box && !(ref.box[0] <= ref.box[2] && ref.box[1] <= ref.box[3])) {
    throw new InvalidRequestError(`Reference box ${JSON.stringify(ref.box)} needs x1 <= x2 and y1 <= y2.`);
  }
  if (ref.absent) {
    if (ref.point || ref.box) throw new InvalidRequestError('An "absent" target has no point or box.');
    return;
  }
  if (TARGETED.has(ref.action) && !ref.point && !ref.box) throw needs('"point" or "box"');
  if (ref.action === "type" && ref.text === undefined) throw needs('"text"');
  if (ref.action === "open_app" && ref.app === undefined) throw needs('"app"');
  if ((ref.action === "hotkey" || ref.action === "key") && !ref.keys) throw needs('"keys"');
  if (
    (ref.action === "scroll" || ref.action === "swipe") && !ref.direction && !(ref.point && ref.end_point)
  ) {
    throw needs('"direction" (or "point" and "end_point")');
  }
}

/** Each profile's rules and weights as the kernel receives them: only what differs from its defaults. */
const COMPACT: Record<string, { rules?: Partial<GuiRules>; weights?: Partial<GuiWeights> }> = Object
  .fromEntries(
    Object.entries(PROFILE_RULES).map(([name, { rules, weights }]) => [
      name,
      { rules: changed(rules, STRICT), weights: changed(weights, BINARY) },
    ]),
  );

/** Builds the kernel parameters; throws `InvalidRequestError` for combinations the schema cannot rule out. */
export function guiActionParams(reference: unknown, options: Record<string, unknown>): GuiActionKernelParams {
  const ref = reference as Reference;
  checkReference(ref);
  const profile = (options.profile ?? "default") as Profile;
  const base = PROFILE_RULES[profile];
  const image = options.image_size as [number, number] | undefined;
  const distance = base.rules.distance;
  const pointOnly = TARGETED.has(ref.action) && ref.point && !ref.box;
  if (!image && pointOnly && distance !== "pixels") {
    throw new InvalidRequestError(
      `Profile "${profile}" measures click distance as a fraction of the screen: give "image_size".`,
    );
  }
  let { rules, weights } = COMPACT[profile];
  if (options.click_threshold !== undefined || options.text_threshold !== undefined) {
    const all: GuiRules = { ...base.rules };
    if (options.click_threshold !== undefined) all.distance_threshold = options.click_threshold as number;
    if (options.text_threshold !== undefined) all.text_threshold = options.text_threshold as number;
    rules = changed(all, STRICT);
  }
  if (options.weights) {
    weights = changed({ ...BINARY, accuracy: 0, ...(options.weights as Partial<GuiWeights>) }, BINARY);
  }
  const coords = options.coords as GuiActionKernelParams["coords"] | "pixel" | undefined;
  const scale = coordinateScale(options);
  // members left undefined are not written (JSON.stringify skips them); `ref` last: the kernel keeps
  // what comes before it from an earlier item when the bytes repeat
  return {
    profile: profile === "default" ? undefined : profile,
    coords: coords === "pixel" ? undefined : coords,
    scale: scale[0] === 1 && scale[1] === 1 && scale[2] === 1 && scale[3] === 1 ? undefined : scale,
    screen: image ? [image[0], image[1]] : undefined,
    rules,
    weights,
    candidates: options.candidates === "aepo" ? "aepo" : undefined,
    ref: {
      type: ref.action,
      point: ref.point,
      box: ref.box,
      end_point: ref.end_point,
      text: ref.text,
      direction: ref.direction,
      keys: ref.keys,
      app: ref.app,
      status: ref.status,
      absent: ref.absent,
    },
  };
}
