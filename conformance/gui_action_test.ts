/**
 * The `gui_action` verifier over 7,868 real AndroidControl test steps (UI-R1's `ac_test.json`): each
 * ground-truth step written as a model would answer (JSON, Qwen2.5-VL tool call, UI-TARS call) in
 * pixel, norm1000 and smart_resize'd coordinates must score 1 under `androidcontrol` and `default`;
 * the same with one field perturbed (another type, a far click, the opposite scroll, other text or
 * app) must score 0.
 */
import assert from "node:assert/strict";
import { compileKernel, KernelInstance, scoreInProcess } from "../wasm/mod.ts";
import { guiActionVerifier } from "../verifiers/gui_action/mod.ts";
import { QWEN25_VL_RESIZE, smartResize } from "../verifiers/_coordinates/mod.ts";
import { conformanceDir } from "./_data.ts";
import { pyEscape as quoted } from "../tests/_gui_render.ts";

interface Step {
  image: string;
  task: string;
  gt: { action_type: string; x?: number; y?: number; direction?: string; text?: string; app_name?: string };
}

const SCREEN: [number, number] = [1080, 2400];
const OPPOSITE: Record<string, string> = { up: "down", down: "up", left: "right", right: "left" };

const kernel = new KernelInstance(
  compileKernel(Deno.readFileSync(new URL("../wasm/gui_action.wasm", import.meta.url))),
);

/** The reference in the verifier's schema. */
function referenceOf(gt: Step["gt"]): Record<string, unknown> {
  switch (gt.action_type) {
    case "click":
      return { action: "click", point: [gt.x, gt.y] };
    case "scroll":
      return { action: "scroll", direction: gt.direction };
    case "input_text":
      return { action: "type", text: gt.text };
    case "open_app":
      return { action: "open_app", app: gt.app_name };
    case "navigate_back":
      return { action: "back" };
  }
  throw new Error(`Unknown AndroidControl action "${gt.action_type}"`);
}

/** A normalized action as a model would write it, coordinates already in the model's space. */
interface Said {
  action: string;
  point?: [number, number];
  text?: string;
  direction?: string;
  app?: string;
}

function asJson(a: Said): string {
  const o: Record<string, unknown> = { action: a.action };
  if (a.point) o.coordinate = a.point;
  if (a.text !== undefined) o.text = a.text;
  if (a.direction) o.direction = a.direction;
  if (a.app) o.app = a.app;
  return `<think>step</think><answer>${JSON.stringify(o)}</answer>`;
}

function asToolCall(a: Said): string {
  let args: Record<string, unknown>;
  if (a.action === "scroll") {
    // a mobile_use swipe: the finger moves against the scroll direction
    const [x, y] = a.point ?? [500, 1000];
    const d = { up: [0, 400], down: [0, -400], left: [400, 0], right: [-400, 0] }[a.direction as "up"]!;
    args = { action: "swipe", coordinate: [x, y], coordinate2: [x + d[0], y + d[1]] };
  } else if (a.action === "back") args = { action: "system_button", button: "Back" };
  else if (a.action === "open_app") args = { action: "open", text: a.app };
  else {
    args = { action: a.action };
    if (a.point) args.coordinate = a.point;
    if (a.text !== undefined) args.text = a.text;
  }
  return `<tool_call>\n${JSON.stringify({ name: "mobile_use", arguments: args })}\n</tool_call>`;
}

function asUiTars(a: Said): string {
  const box = a.point ? `start_box='(${a.point[0]},${a.point[1]})'` : "";
  switch (a.action) {
    case "click":
      return `Thought: do it\nAction: click(${box})`;
    case "long_press":
      return `Thought: do it\nAction: long_press(${box})`;
    case "scroll":
      return `Thought: do it\nAction: scroll(${box ? box + ", " : ""}direction='${a.direction}')`;
    case "type":
      return `Thought: do it\nAction: type(content='${quoted(a.text ?? "")}')`;
    case "open_app":
      return `Thought: do it\nAction: open_app(app_name='${quoted(a.app ?? "")}')`;
    case "back":
      return "Thought: do it\nAction: press_back()";
    case "home":
      return "Thought: do it\nAction: press_home()";
  }
  throw new Error(`No UI-TARS form for ${a.action}`);
}

const SYNTAXES = { json: asJson, tool_call: asToolCall, ui_tars: asUiTars };

const RESIZED = smartResize(SCREEN, QWEN25_VL_RESIZE);
const SPACES: {
  name: string;
  options: Record<string, unknown>;
  map: (x: number, y: number) => [number, number];
}[] = [
  { name: "pixel", options: { image_size: SCREEN }, map: (x, y) => [x, y] },
  {
    name: "norm1000",
    options: { image_size: SCREEN, coords: "norm1000" },
    map: (x, y) => [Math.round((x / SCREEN[0]) * 1000), Math.round((y / SCREEN[1]) * 1000)],
  },
  {
    name: "smart_resize",
    options: { image_size: SCREEN, resize: {} },
    map: (x, y) => [Math.round((x * RESIZED[0]) / SCREEN[0]), Math.round((y * RESIZED[1]) / SCREEN[1])],
  },
];

function correctOf(gt: Step["gt"]): Said {
  switch (gt.action_type) {
    case "click":
      return { action: "click", point: [gt.x!, gt.y!] };
    case "scroll":
      return { action: "scroll", direction: gt.direction };
    case "input_text":
      return { action: "type", text: gt.text };
    case "open_app":
      return { action: "open_app", app: gt.app_name };
    default:
      return { action: "back" };
  }
}

/** The step with one field changed so that it must not match. */
function perturbedOf(gt: Step["gt"]): Said[] {
  const right = correctOf(gt);
  const out: Said[] = [];
  if (gt.action_type === "click") {
    out.push({ ...right, action: "long_press" });
    out.push({ action: "click", point: [(gt.x! + 540) % 1080, (gt.y! + 1200) % 2400] });
  } else if (gt.action_type === "scroll") {
    out.push({ ...right, direction: OPPOSITE[gt.direction!] });
    out.push({ action: "click", point: [540, 1200] });
  } else if (gt.action_type === "input_text") {
    out.push({ ...right, text: `${gt.text} xyzzy` });
    out.push({ action: "back" });
  } else if (gt.action_type === "open_app") {
    out.push({ ...right, app: "Xyzzy Nonexistent" });
    out.push({ action: "home" });
  } else {
    out.push({ action: "home" });
  }
  return out;
}

function said(a: Said, map: (x: number, y: number) => [number, number]): Said {
  return a.point ? { ...a, point: map(a.point[0], a.point[1]) } : a;
}

Deno.test("`gui_action` scores AndroidControl ground truth 1 in every syntax and space, perturbations 0", () => {
  const steps: Step[] = JSON.parse(
    Deno.readTextFileSync(`${conformanceDir()}/gui/androidcontrol_test_ui_r1.json`),
  );
  assert.equal(steps.length, 7868);
  let right = 0;
  let wrong = 0;
  const failures: string[] = [];
  for (const step of steps) {
    const reference = referenceOf(step.gt);
    for (const profile of ["androidcontrol", "default"]) {
      for (const space of SPACES) {
        const params = guiActionVerifier.params(reference, { ...space.options, profile });
        for (const [name, write] of Object.entries(SYNTAXES)) {
          const out = scoreInProcess(kernel, params, write(said(correctOf(step.gt), space.map)));
          right++;
          if (out.reward !== 1) {
            failures.push(`${step.image} ${profile} ${space.name} ${name}: ${JSON.stringify(out)}`);
          }
          for (const bad of perturbedOf(step.gt)) {
            const o = scoreInProcess(kernel, params, write(said(bad, space.map)));
            wrong++;
            if (o.reward !== 0) {
              failures.push(`${step.image} ${profile} ${space.name} ${name} perturbed: ${JSON.stringify(o)}`);
            }
          }
        }
      }
    }
  }
  console.log(
    `gui_action AndroidControl: ${steps.length} steps, ${right} correct renderings, ${wrong} perturbed, ${failures.length} failures`,
  );
  assert.deepEqual(failures.slice(0, 5), []);
});
