/**
 * Deterministic `gui_action` items for the benchmarks: a GUI agent's next action on a phone screen
 * (click, type, scroll, open_app, back), written the way models write it (a JSON action in an
 * answer tag, a Qwen2.5-VL `mobile_use` tool call, a UI-TARS call after "Action:"), with the
 * reference action and options (`default` or `androidcontrol` profile, pixel / norm1000 /
 * smart_resize coordinates). About four in five answers are right.
 */
import { seededRandom } from "./rec_items.ts";
import { QWEN25_VL_RESIZE, smartResize } from "../verifiers/_coordinates/mod.ts";

/** One engine item of the `gui_action` verifier. */
export interface GuiItem {
  verifier: "gui_action";
  response: string;
  reference: Record<string, unknown>;
  options: Record<string, unknown>;
}

const SCREENS: [number, number][] = [[1080, 2400], [1440, 3120], [1080, 1920]];
const THOUGHTS = [
  "The search field is at the top of the screen, so I tap it first.",
  "I need to scroll to see the remaining settings.",
  "The app is not open yet; I launch it from the launcher.",
  "Going back returns to the list of conversations.",
  "",
];
const TEXTS = ["weather in Paris", "hello", "Buy milk and eggs", "john.doe@example.com", "2 tickets"];
const APPS = ["Gmail", "Chrome", "Google Maps", "Settings", "Spotify"];
const DIRECTIONS = ["up", "down", "left", "right"];
const OPPOSITE: Record<string, string> = { up: "down", down: "up", left: "right", right: "left" };
const FINGER: Record<string, [number, number]> = {
  up: [0, 400],
  down: [0, -400],
  left: [400, 0],
  right: [-400, 0],
};

interface Said {
  action: "click" | "type" | "scroll" | "open_app" | "back";
  point?: [number, number];
  text?: string;
  direction?: string;
  app?: string;
}

function escapeSingle(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
}

function asJson(a: Said, think: string): string {
  const o: Record<string, unknown> = { action: a.action };
  if (a.point) o.coordinate = a.point;
  if (a.text !== undefined) o.text = a.text;
  if (a.direction) o.direction = a.direction;
  if (a.app) o.app = a.app;
  return `<think>${think}</think><answer>${JSON.stringify(o)}</answer>`;
}

function asToolCall(a: Said, think: string): string {
  let args: Record<string, unknown>;
  if (a.action === "scroll") {
    // mobile_use has no scroll: a swipe whose finger moves against the content
    const [x, y] = a.point ?? [500, 1000];
    const d = FINGER[a.direction!];
    args = { action: "swipe", coordinate: [x, y], coordinate2: [x + d[0], y + d[1]] };
  } else if (a.action === "back") args = { action: "system_button", button: "Back" };
  else if (a.action === "open_app") args = { action: "open", text: a.app };
  else {
    args = { action: a.action };
    if (a.point) args.coordinate = a.point;
    if (a.text !== undefined) args.text = a.text;
  }
  const call = `<tool_call>\n${JSON.stringify({ name: "mobile_use", arguments: args })}\n</tool_call>`;
  return think ? `${think}\n${call}` : call;
}

function asUiTars(a: Said, think: string): string {
  const head = `Thought: ${think || "Next step."}\nAction: `;
  const box = a.point ? `start_box='(${a.point[0]},${a.point[1]})'` : "";
  switch (a.action) {
    case "click":
      return `${head}click(${box})`;
    case "scroll":
      return `${head}scroll(${box ? box + ", " : ""}direction='${a.direction}')`;
    case "type":
      return `${head}type(content='${escapeSingle(a.text ?? "")}')`;
    case "open_app":
      return `${head}open_app(app_name='${escapeSingle(a.app ?? "")}')`;
    default:
      return `${head}press_back()`;
  }
}

const WRITERS = [asJson, asToolCall, asUiTars];

/** `count` items, the same for the same seed. */
export function guiItems(count: number, seed = 23): GuiItem[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)];
  const items: GuiItem[] = [];
  for (let i = 0; i < count; i++) {
    const screen = pick(SCREENS);
    const [w, h] = screen;
    const profile = i % 2 === 0 ? "androidcontrol" : "default";
    // pixel, UI-TARS v1 (0..1000) or Qwen2.5-VL's resized pixels
    const space = int(3);
    const options: Record<string, unknown> = { profile, image_size: screen };
    let map = (x: number, y: number): [number, number] => [x, y];
    if (space === 1) {
      options.coords = "norm1000";
      map = (x, y) => [Math.round((x / w) * 1000), Math.round((y / h) * 1000)];
    } else if (space === 2) {
      options.resize = {};
      const [rw, rh] = smartResize(screen, QWEN25_VL_RESIZE);
      map = (x, y) => [Math.round((x * rw) / w), Math.round((y * rh) / h)];
    }
    const kind = i % 10; // clicks dominate agent traffic
    const right = random() < 0.8;
    let reference: Record<string, unknown>;
    let said: Said;
    if (kind < 5) {
      const x = 40 + int(w - 80), y = 120 + int(h - 240);
      const byBox = int(2) === 0;
      reference = byBox
        ? { action: "click", box: [x - 60, y - 40, x + 60, y + 40] }
        : { action: "click", point: [x, y] };
      const px = right ? x + int(21) - 10 : (x + w / 2) % w;
      const py = right ? y + int(21) - 10 : (y + h / 2) % h;
      said = { action: "click", point: map(px, py) };
    } else if (kind < 7) {
      const text = pick(TEXTS);
      reference = { action: "type", text };
      said = { action: "type", text: right ? text : `${text} please` };
    } else if (kind === 7) {
      const direction = pick(DIRECTIONS);
      reference = { action: "scroll", direction };
      said = { action: "scroll", direction: right ? direction : OPPOSITE[direction] };
      if (int(2) === 0) said.point = map(Math.round(w / 2), Math.round(h / 2));
    } else if (kind === 8) {
      const app = pick(APPS);
      reference = { action: "open_app", app };
      said = { action: "open_app", app: right ? app : pick(APPS.filter((a) => a !== app)) };
    } else {
      reference = { action: "back" };
      said = right ? { action: "back" } : { action: "click", point: map(Math.round(w / 2), 60) };
    }
    const response = WRITERS[int(WRITERS.length)](said, pick(THOUGHTS));
    items.push({ verifier: "gui_action", response, reference, options });
  }
  return items;
}
