/** Tests of the `gui_action` kernel driven in-process through its host glue (params) and `score()`. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { guiActionVerifier } from "../verifiers/gui_action/mod.ts";
import { InvalidRequestError } from "../verifiers/types.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("gui_action");

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  return scoreInProcess(kernel, guiActionVerifier.params(reference, options), response);
}

const phone = { image_size: [1080, 2400] };
const click = { action: "click", point: [540, 1200] };
const box = { action: "click", box: [100, 100, 200, 200] };
const drag = { action: "drag", box: [100, 100, 200, 200], end_point: [400, 400] };

/** [title, response, reference, options, expected reward, expected reason]. */
type Case = [string, string, unknown, Record<string, unknown>, number, string | null];

const TABLE: Case[] = [
  // syntaxes
  ["JSON coordinate", '{"action": "click", "coordinate": [540, 1200]}', click, phone, 1, null],
  ["JSON point key", '{"action": "tap", "point": [540, 1200]}', click, phone, 1, null],
  ["JSON position key", '{"action_type": "click", "position": [540, 1200]}', click, phone, 1, null],
  ["JSON x and y", '{"action_type": "click", "x": 540, "y": 1200}', click, phone, 1, null],
  ["JSON bbox → center", '{"action": "click", "bbox": [120, 120, 180, 180]}', box, {}, 1, null],
  [
    "JSON in a fence",
    '<answer>```json\n{"action": "click", "coordinate": [150, 150]}\n```</answer>',
    box,
    {},
    1,
    null,
  ],
  [
    "Qwen tool call",
    '<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [150, 150]}}</tool_call>',
    box,
    {},
    1,
    null,
  ],
  [
    "Qwen tool call, arguments as a string",
    '<tool_call>{"name": "mobile_use", "arguments": "{\\"action\\": \\"click\\", \\"coordinate\\": [150, 150]}"}</tool_call>',
    box,
    {},
    1,
    null,
  ],
  [
    "Qwen system_button Back",
    '<tool_call>{"name": "mobile_use", "arguments": {"action": "system_button", "button": "Back"}}</tool_call>',
    { action: "back" },
    {},
    1,
    null,
  ],
  [
    "Qwen open",
    '<tool_call>{"name": "mobile_use", "arguments": {"action": "open", "text": "Gmail"}}</tool_call>',
    { action: "open_app", app: "gmail" },
    {},
    1,
    null,
  ],
  [
    "Qwen swipe: finger up = scroll down",
    '<tool_call>{"name": "mobile_use", "arguments": {"action": "swipe", "coordinate": [500, 1800], "coordinate2": [500, 600]}}</tool_call>',
    { action: "scroll", direction: "down" },
    phone,
    1,
    null,
  ],
  [
    "Qwen computer_use scroll pixels",
    '<tool_call>{"name": "computer_use", "arguments": {"action": "scroll", "pixels": -300}}</tool_call>',
    { action: "scroll", direction: "down" },
    {},
    1,
    null,
  ],
  [
    "Qwen key with keys list",
    '<tool_call>{"name": "computer_use", "arguments": {"action": "key", "keys": ["ctrl", "v"]}}</tool_call>',
    { action: "hotkey", keys: ["ctrl", "v"] },
    {},
    1,
    null,
  ],
  ["UI-TARS start_box", "Action: click(start_box='(150,150)')", box, {}, 1, null],
  ["UI-TARS point tag", "Action: click(point='<point>150 150</point>')", box, {}, 1, null],
  ["UI-TARS box tokens", "Action: click(start_box='<|box_start|>(150,150)<|box_end|>')", box, {}, 1, null],
  ["UI-TARS box start_box → center", "Action: click(start_box='(120,120,180,180)')", box, {}, 1, null],
  [
    "UI-TARS left_double",
    "Action: left_double(start_box='(150,150)')",
    { action: "double_click", box: [100, 100, 200, 200] },
    {},
    1,
    null,
  ],
  [
    "UI-TARS right_single",
    "Action: right_single(start_box='(150,150)')",
    { action: "right_click", box: [100, 100, 200, 200] },
    {},
    1,
    null,
  ],
  [
    "UI-TARS long_press",
    "Action: long_press(start_box='(150,150)')",
    { action: "long_press", box: [100, 100, 200, 200] },
    {},
    1,
    null,
  ],
  [
    "UI-TARS drag",
    "Action: drag(start_box='(150,150)', end_box='(400,400)')",
    { action: "drag", box: [100, 100, 200, 200], end_point: [400, 400] },
    phone,
    1,
    null,
  ],
  ["UI-TARS hotkey", "Action: hotkey(key='ctrl c')", { action: "hotkey", keys: ["Ctrl", "C"] }, {}, 1, null],
  [
    "Qwen computer_use left_click_drag: start_coordinate → coordinate",
    '<tool_call>{"name": "computer_use", "arguments": {"action": "left_click_drag", "start_coordinate": [150, 150], "coordinate": [400, 400]}}</tool_call>',
    drag,
    phone,
    1,
    null,
  ],
  [
    "Anthropic-style left_click_drag JSON, coordinate first",
    '{"action": "left_click_drag", "coordinate": [400, 400], "start_coordinate": [150, 150]}',
    drag,
    phone,
    1,
    null,
  ],
  [
    "any drag with start_coordinate: coordinate is the end",
    '{"action": "drag", "start_coordinate": [150, 150], "coordinate": [400, 400]}',
    drag,
    phone,
    1,
    null,
  ],
  [
    "left_click_drag reversed (coordinate is the end, not the start)",
    '{"action": "left_click_drag", "start_coordinate": [400, 400], "coordinate": [150, 150]}',
    drag,
    phone,
    0,
    "wrong",
  ],
  [
    "left_click_drag with only coordinate: no start",
    '<tool_call>{"name": "computer_use", "arguments": {"action": "left_click_drag", "coordinate": [400, 400]}}</tool_call>',
    drag,
    phone,
    0,
    "wrong",
  ],
  [
    "drag with coordinate and coordinate2: coordinate is the start",
    '{"action": "drag", "coordinate": [150, 150], "coordinate2": [400, 400]}',
    drag,
    phone,
    1,
    null,
  ],
  [
    "left_click_drag with an explicit end key: coordinate is the start",
    '{"action": "left_click_drag", "coordinate": [150, 150], "end_point": [400, 400]}',
    drag,
    phone,
    1,
    null,
  ],
  [
    "OpenAI-style left_click_drag call",
    '<tool_call>{"name": "left_click_drag", "arguments": {"start_coordinate": [150, 150], "coordinate": [400, 400]}}</tool_call>',
    drag,
    phone,
    1,
    null,
  ],
  [
    "UI-TARS type with escaped quote",
    "Action: type(content='it\\'s fine')",
    { action: "type", text: "it's fine" },
    {},
    1,
    null,
  ],
  ["UI-TARS wait", "Action: wait()", { action: "wait" }, {}, 1, null],
  [
    "UI-TARS finished → terminate success",
    "Action: finished(content='done')",
    { action: "terminate", status: "success" },
    {},
    1,
    null,
  ],
  [
    "UI-TARS call_user → terminate failure",
    "Action: call_user()",
    { action: "terminate", status: "failure" },
    {},
    1,
    null,
  ],
  ["UI-TARS press_home", "Action: press_home()", { action: "home" }, {}, 1, null],
  ["UI-TARS press_back", "Action: press_back()", { action: "back" }, {}, 1, null],
  [
    "UI-TARS open_app",
    "Action: open_app(app_name='Chrome')",
    { action: "open_app", app: "chrome" },
    {},
    1,
    null,
  ],
  ["pyautogui click keywords", "pyautogui.click(x=150, y=150)", box, {}, 1, null],
  ["pyautogui click positional", "pyautogui.click(150, 150)", box, {}, 1, null],
  [
    "pyautogui doubleClick",
    "pyautogui.doubleClick(150, 150)",
    { action: "double_click", box: [100, 100, 200, 200] },
    {},
    1,
    null,
  ],
  [
    "pyautogui write",
    "pyautogui.write('hello world')",
    { action: "type", text: "Hello  World" },
    {},
    1,
    null,
  ],
  ["pyautogui press enter", "pyautogui.press('enter')", { action: "enter" }, {}, 1, null],
  ["pyautogui scroll up", "pyautogui.scroll(10)", { action: "scroll", direction: "up" }, {}, 1, null],
  [
    "GUI-R1 python literal list",
    "<answer>[{'action': 'scroll', 'point': [1, 2], 'input_text': 'down'}]</answer>",
    { action: "scroll", direction: "down" },
    {},
    1,
    null,
  ],
  [
    "GUI-R1 python literal with repr()'s \\x07",
    "<answer>[{'action': 'type', 'point': [0, 0], 'input_text': 'ring\\x07 the bell'}]</answer>",
    { action: "type", text: "ring\u0007 the bell" },
    {},
    1,
    null,
  ],
  [
    "GUI-R1 python literal: \\x is not decoded into other text",
    "<answer>[{'action': 'type', 'point': [0, 0], 'input_text': 'ring\\x07 the bell'}]</answer>",
    { action: "type", text: "ring\\x07 the bell" },
    {},
    0,
    "wrong",
  ],
  ["AndroidControl native JSON", '{"action_type": "navigate_back"}', { action: "back" }, {}, 1, null],
  ["bare point answer is a click", "<answer>(150, 150)</answer>", box, { profile: "screenspot" }, 1, null],
  [
    "bare point_2d object",
    '<answer>{"point_2d": [150, 150]}</answer>',
    box,
    { profile: "screenspot" },
    1,
    null,
  ],
  // coordinate spaces
  ["norm1", '{"action": "click", "coordinate": [0.5, 0.5]}', click, { ...phone, coords: "norm1" }, 1, null],
  [
    "resized_size pixels",
    '{"action": "click", "coordinate": [270, 600]}',
    click,
    { ...phone, resized_size: [540, 1200] },
    1,
    null,
  ],
  [
    "UI-TARS v1.5 resized pixels (smart_resize)",
    "Action: click(start_box='(546,1204)')",
    click,
    { ...phone, resize: {} },
    1,
    null,
  ],
  [
    "tablet 1600×2560 smart_resize (max_pixels 1003520)",
    '{"action": "click", "coordinate": [392, 630]}',
    { action: "click", point: [800, 1280] },
    { image_size: [1600, 2560], resize: { max_pixels: 1003520 } },
    1,
    null,
  ],
  // target rules
  ["box edge is inside (default)", '{"action": "click", "coordinate": [200, 200]}', box, {}, 1, null],
  [
    "box edge is outside (gui_r1, strict <)",
    "<think>a</think><answer>[{'action': 'click', 'point': [200, 200], 'input_text': 'no input text'}]</answer>",
    box,
    { profile: "gui_r1" },
    0.2,
    "wrong",
  ],
  [
    "0.1 of the screen off: androidcontrol hits (0.14)",
    '{"action": "click", "coordinate": [540, 1440]}',
    click,
    { ...phone, profile: "androidcontrol" },
    1,
    null,
  ],
  [
    "0.1 of the screen off: default misses (0.04)",
    '{"action": "click", "coordinate": [540, 1440]}',
    click,
    phone,
    0,
    "wrong",
  ],
  [
    "far click misses",
    '{"action": "click", "coordinate": [10, 10]}',
    click,
    { ...phone, profile: "androidcontrol" },
    0,
    "wrong",
  ],
  [
    "aitw: augmented box (1.4) hits",
    '{"action": "click", "coordinate": [230, 150]}',
    { action: "click", box: [100, 100, 200, 200] },
    { ...phone, profile: "aitw" },
    1,
    null,
  ],
  [
    "ui_r1: 0.14 × width in pixels",
    "<think>a</think><answer>[{'action': 'click', 'coordinate': [540, 1340]}]</answer>",
    click,
    { ...phone, profile: "ui_r1" },
    1,
    null,
  ],
  [
    "ui_r1: type right, far click: 2/3",
    "<think>a</think><answer>[{'action': 'click', 'coordinate': [540, 1400]}]</answer>",
    click,
    { ...phone, profile: "ui_r1" },
    2 / 3,
    "wrong",
  ],
  [
    "negative coordinates are just wrong",
    '{"action": "click", "coordinate": [-50, -50]}',
    box,
    {},
    0,
    "wrong",
  ],
  [
    "infinite coordinate is invalid geometry",
    '{"action": "click", "coordinate": [1e400, 5]}',
    box,
    {},
    0,
    "invalid_geometry",
  ],
  // args rules
  [
    "empty typed text (default)",
    "Action: type(content='')",
    { action: "type", text: "hello" },
    {},
    0,
    "wrong",
  ],
  [
    "empty typed text (aitw substring parity)",
    "Action: type(content='')",
    { action: "type", text: "hello" },
    { profile: "aitw" },
    1,
    null,
  ],
  [
    "empty typed text (gui_r1 F1 = 0)",
    "<think>a</think><answer>[{'action': 'type', 'point': [0, 0], 'input_text': ''}]</answer>",
    { action: "type", text: "hello" },
    { profile: "gui_r1" },
    0.2,
    "wrong",
  ],
  [
    "gui_r1 F1 ≥ 0.5",
    "<think>a</think><answer>[{'action': 'type', 'point': [0, 0], 'input_text': 'hello big world'}]</answer>",
    { action: "type", text: "hello world" },
    { profile: "gui_r1" },
    1,
    null,
  ],
  [
    "other text is wrong",
    '{"action": "type", "text": "goodbye"}',
    { action: "type", text: "hello" },
    {},
    0,
    "wrong",
  ],
  [
    "opposite swipe (default)",
    "Action: scroll(direction='up')",
    { action: "scroll", direction: "down" },
    {},
    0,
    "wrong",
  ],
  [
    "opposite swipe (aitw, same axis)",
    "Action: scroll(direction='up')",
    { action: "scroll", direction: "down" },
    { profile: "aitw" },
    1,
    null,
  ],
  [
    "other axis (aitw)",
    "Action: scroll(direction='left')",
    { action: "scroll", direction: "down" },
    { profile: "aitw" },
    0,
    "wrong",
  ],
  [
    "swipe word is the finger's direction",
    '{"action": "swipe", "direction": "up"}',
    { action: "scroll", direction: "down" },
    {},
    1,
    null,
  ],
  [
    "hotkey set equality",
    '{"action": "hotkey", "keys": "Control+C"}',
    { action: "hotkey", keys: ["c", "ctrl"] },
    {},
    1,
    null,
  ],
  [
    "hotkey other keys",
    '{"action": "hotkey", "keys": ["ctrl", "v"]}',
    { action: "hotkey", keys: ["ctrl", "c"] },
    {},
    0,
    "wrong",
  ],
  [
    "terminate failure vs success",
    '{"action": "terminate", "status": "failure"}',
    { action: "terminate", status: "success" },
    {},
    0,
    "wrong",
  ],
  [
    "drag end far away",
    "Action: drag(start_box='(150,150)', end_box='(1000,2000)')",
    { action: "drag", box: [100, 100, 200, 200], end_point: [400, 400] },
    phone,
    0,
    "wrong",
  ],
  ["wrong type", '{"action": "long_press", "coordinate": [150, 150]}', box, {}, 0, "wrong"],
  // absent targets
  [
    "absent: refusal phrase",
    "<answer>The target does not exist on this screen.</answer>",
    { action: "click", absent: true },
    { profile: "screenspot_pro" },
    1,
    null,
  ],
  [
    "absent: terminate failure",
    '{"action": "terminate", "status": "failure"}',
    { action: "click", absent: true },
    { profile: "screenspot_pro" },
    1,
    null,
  ],
  [
    "absent: a point is wrong",
    '{"action": "click", "coordinate": [5, 5]}',
    { action: "click", absent: true },
    { profile: "screenspot_pro" },
    0,
    "wrong",
  ],
  [
    "present: a refusal is wrong",
    "<answer>not found</answer>",
    box,
    { profile: "screenspot_pro" },
    0,
    "wrong",
  ],
  // bad input
  ["blank answer", "<answer>  </answer>", box, {}, 0, "no_answer"],
  ["prose only", "I would click the button.", box, {}, 0, "bad_format"],
  ["unknown action", '{"action": "teleport", "coordinate": [1, 2]}', box, {}, 0, "bad_format"],
  [
    "__import__ in a literal",
    "<answer>[{'action': 'click', 'point': __import__('os').system('rm -rf /')}]</answer>",
    box,
    {},
    0,
    "parse_error",
  ],
  ["eval in a call argument", "Action: click(start_box=eval('1+1'))", box, {}, 0, "parse_error"],
  [
    "unterminated string",
    "Action: type(content='hello)",
    { action: "type", text: "hello" },
    {},
    0,
    "parse_error",
  ],
  [
    "two different actions",
    '{"action": "click", "coordinate": [150, 150]} {"action": "click", "coordinate": [500, 500]}',
    box,
    {},
    0,
    "ambiguous",
  ],
  [
    "the same action twice is fine",
    '{"action": "click", "coordinate": [150, 150]} {"action": "click", "coordinate": [150, 150]}',
    box,
    {},
    1,
    null,
  ],
  ["deep nesting", "[".repeat(200) + "]".repeat(200), box, {}, 0, "too_complex"],
];

for (const [title, response, reference, options, reward, reason] of TABLE) {
  Deno.test(`\`gui_action\` table: ${title}`, () => {
    const out = score(response, reference, options);
    assertVerdict(out);
    assert.ok(
      Math.abs(out.reward - reward) < 1e-9,
      `${title}: reward ${out.reward} ≠ ${reward} ${JSON.stringify(out.details)}`,
    );
    assert.equal(out.details.reason, reason, `${title}: ${JSON.stringify(out.details)}`);
  });
}

Deno.test("`gui_action` gives every published example its expected result", () => {
  assert.ok(guiActionVerifier.examples.length >= 12);
  for (const ex of guiActionVerifier.examples) {
    const out = score(ex.item.response, ex.item.reference, ex.item.options ?? {});
    assert.ok(Math.abs(out.reward - ex.expected.reward) < 1e-9, ex.title);
    assert.equal(out.correct, ex.expected.correct, ex.title);
    for (const [k, v] of Object.entries(ex.expected.details ?? {})) {
      if (typeof v === "object" && v !== null) {
        for (const [k2, v2] of Object.entries(v)) {
          assert.deepEqual((out.details[k] as Record<string, unknown>)[k2], v2, `${ex.title}: ${k}.${k2}`);
        }
      } else assert.deepEqual(out.details[k], v, `${ex.title}: ${k}`);
    }
  }
});

Deno.test("`gui_action` computer-use left_click_drag: coordinate ends the drag, start_coordinate starts it", () => {
  const from = '{"action": "left_click_drag", "start_coordinate": [150, 150], "coordinate": [400, 400]}';
  const both = score(from, drag, phone);
  assert.deepEqual(both.details.predicted, { type: "drag", point: [150, 150], end_point: [400, 400] });
  // only the end: no start, so the target part fails (no_point) while the end point is compared
  const endOnly = score('{"action": "left_click_drag", "coordinate": [400, 400]}', drag, phone);
  assert.deepEqual(endOnly.details.predicted, { type: "drag", end_point: [400, 400] });
  assert.deepEqual(endOnly.details.parts, { type: true, target: false, args: true, format: true });
  assert.equal(endOnly.details.problem, "no_point");
  // as pyautogui.dragTo, which also names only the end
  assert.deepEqual(score("pyautogui.dragTo(400, 400)", drag, phone).details.parts, endOnly.details.parts);
  // a far end fails the end point as well
  const far = score('{"action": "left_click_drag", "coordinate": [1000, 2000]}', drag, phone);
  assert.deepEqual(far.details.parts, { type: true, target: false, args: false, format: true });
});

Deno.test("`gui_action` Python literals decode repr()'s \\xNN; an invalid \\x stays as written", () => {
  const typed = (text: string) =>
    score(`<answer>[{'action': 'type', 'point': [0, 0], 'input_text': '${text}'}]</answer>`, {
      action: "type",
      text: "x",
    }).details.predicted;
  assert.deepEqual(typed("ring\\x07 bell"), { type: "type", point: [0, 0], text: "ring\u0007 bell" });
  assert.deepEqual(typed("\\x41\\xe9\\x7F"), { type: "type", point: [0, 0], text: "Aé\u007f" });
  assert.deepEqual(typed("a\\x4g"), { type: "type", point: [0, 0], text: "a\\x4g" });
  assert.deepEqual(typed("a\\x4"), { type: "type", point: [0, 0], text: "a\\x4" });
  assert.deepEqual(typed("a\\x"), { type: "type", point: [0, 0], text: "a\\x" });
  assert.deepEqual(typed("a\\\\x41"), { type: "type", point: [0, 0], text: "a\\x41" });
  // UI-TARS calls read their strings the same way
  const call = score("Action: type(content='bell\\x07')", { action: "type", text: "bell\u0007" });
  assert.equal(call.reward, 1);
});

Deno.test("`gui_action` UI-TARS v1 (÷1000) and v1.5 (resized pixels) land on the same point", () => {
  const v1 = score("Action: click(start_box='(500,500)')", click, { ...phone, coords: "norm1000" });
  const v15 = score("Action: click(start_box='(546,1204)')", click, { ...phone, resize: {} });
  assert.deepEqual(v1.details.predicted, v15.details.predicted);
});

Deno.test("`gui_action` a 10 MB typed text is a verdict, not a trap", () => {
  const big = "x".repeat(10 << 20);
  const out = score(`{"action": "type", "text": "${big}"}`, { action: "type", text: "hello" });
  assertVerdict(out);
  assert.equal(out.reward, 0);
});

Deno.test("`gui_action` params reject references that cannot be scored", () => {
  assert.throws(() => guiActionVerifier.params({ action: "click" }, {}), InvalidRequestError);
  assert.throws(() => guiActionVerifier.params({ action: "type" }, {}), InvalidRequestError);
  assert.throws(() => guiActionVerifier.params(click, {}), InvalidRequestError);
  assert.throws(() => guiActionVerifier.params(box, { coords: "norm1000" }), InvalidRequestError);
});

const actionJson = fc.record({
  action: fc.constantFrom("click", "type", "scroll", "swipe", "hotkey", "terminate", "open_app", "drag"),
  coordinate: fc.tuple(fc.integer({ min: -10, max: 3000 }), fc.integer({ min: -10, max: 3000 })),
  text: fc.string({ maxLength: 20 }),
  direction: fc.constantFrom("up", "down", "left", "right"),
});

Deno.test("`gui_action` never traps on random or adversarial strings (property)", () => {
  const pieces = fc.constantFrom(
    "<answer>",
    "</answer>",
    "<tool_call>",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "'",
    '"',
    "\\",
    ",",
    "=",
    "click(",
    "pyautogui.",
    "type(content='",
    "<point>",
    "</point>",
    "<|box_start|>",
    "1e999",
    "NaN",
    "-",
    "__import__(",
    "Action:",
    '"action": ',
    "None",
    "null",
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 40 }), (parts) => {
      assertVerdict(score(parts.join(""), box));
      assertVerdict(score(parts.join(""), { action: "type", text: "hi" }, { profile: "gui_r1" }));
    }),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      assertVerdict(score(s, click, { ...phone, profile: "androidcontrol" }));
    }),
    { numRuns: 300 },
  );
});

Deno.test("`gui_action` a JSON action the kernel prints back parses to the same action (property)", () => {
  fc.assert(
    fc.property(actionJson, (a) => {
      const out = score(JSON.stringify(a), box, {});
      assertVerdict(out);
      const again = score(`<answer>${JSON.stringify(a)}</answer>`, box, {});
      assert.deepEqual(again.details.predicted, out.details.predicted);
    }),
    { numRuns: 200 },
  );
});

// The kernel's fast paths (kernels/gui_action/fast*.ts) read the host's compact parameters in one pass and
// score an answer holding one action in a common shape; an unknown parameter key sends the very same
// item down the general path (JSON tree, `extractActions`, `judge`). Both must give the same bytes.
const rawEncoder = new TextEncoder();
const rawDecoder = new TextDecoder();
function rawScore(params: string, response: string): string {
  const head = rawEncoder.encode(params);
  const body = rawEncoder.encode(response);
  const item = new Uint8Array(head.length + 1 + body.length);
  item.set(head, 0);
  item.set(body, head.length + 1);
  return rawDecoder.decode(kernel.scoreBytes(item));
}

function fastAndGeneral(params: unknown, response: string): [string, string] {
  const compact = JSON.stringify(params);
  return [rawScore(compact, response), rawScore(compact.slice(0, -1) + ',"x":0}', response)];
}

const saidArb = fc.record({
  action: fc.constantFrom(
    "click",
    "long_press",
    "type",
    "scroll",
    "swipe",
    "open_app",
    "back",
    "home",
    "system_button",
    "drag",
    "left_click_drag",
  ),
  x: fc.integer({ min: -5, max: 3000 }),
  y: fc.integer({ min: -5, max: 3000 }),
  text: fc.oneof(
    fc.constantFrom("hello", "Buy milk", "no input text", "  Hello   World ", "héllo"),
    fc.string({ maxLength: 12 }),
  ),
  direction: fc.constantFrom("up", "down", "left", "right", "UP", "sideways"),
  app: fc.constantFrom("Gmail", "Google Maps", "gmail"),
  button: fc.constantFrom("Back", "home", "Enter", "menu"),
  // how a drag names its points: computer-use `start_coordinate` and `coordinate` (the end), either
  // alone, or `coordinate` and `coordinate2`
  dragKeys: fc.constantFrom(
    "start_coordinate coordinate",
    "coordinate start_coordinate",
    "coordinate",
    "start_coordinate",
    "coordinate coordinate2",
    "coordinate2 coordinate",
  ),
  thought: fc.constantFrom("", "I tap the field.", "Scroll (slowly) to see more", "call f(x) first"),
});
type SaidArb = typeof saidArb extends fc.Arbitrary<infer T> ? T : never;

function argsOf(a: SaidArb): Record<string, unknown> {
  const o: Record<string, unknown> = { action: a.action };
  if (["click", "long_press", "swipe"].includes(a.action)) o.coordinate = [a.x, a.y];
  if (a.action === "swipe") o.coordinate2 = [a.x, a.y + 300];
  if (a.action === "type" || a.action === "open_app") o.text = a.action === "type" ? a.text : a.app;
  if (a.action === "scroll") o.direction = a.direction;
  if (a.action === "system_button") o.button = a.button;
  if (a.action.endsWith("drag")) {
    for (const key of a.dragKeys.split(" ")) {
      o[key] = key === "start_coordinate"
        ? [a.x, a.y]
        : key === "coordinate"
        ? [a.x + 250, a.y + 250]
        : [a.y, a.x];
    }
  }
  return o;
}

function singleQuoted(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n");
}

const WRITERS: ((a: SaidArb) => string)[] = [
  (a) => `<think>${a.thought}</think><answer>${JSON.stringify(argsOf(a))}</answer>`,
  (a) =>
    `${a.thought}\n<tool_call>\n${
      JSON.stringify({ name: "mobile_use", arguments: argsOf(a) })
    }\n</tool_call>`,
  (a) => {
    const box = `start_box='(${a.x},${a.y})'`;
    const call = a.action === "type"
      ? `type(content='${singleQuoted(a.text)}')`
      : a.action === "scroll"
      ? `scroll(${box}, direction='${a.direction}')`
      : a.action === "open_app"
      ? `open_app(app_name='${a.app}')`
      : a.action === "back"
      ? "press_back()"
      : a.action === "home"
      ? "press_home()"
      : `${a.action}(${box})`;
    return `Thought: ${a.thought}\nAction: ${call}`;
  },
];

const REFERENCES: Record<string, unknown>[] = [
  { action: "click", box: [100, 100, 300, 200] },
  { action: "click", point: [540, 1200] },
  { action: "long_press", point: [200, 300] },
  { action: "type", text: "hello" },
  { action: "scroll", direction: "down" },
  { action: "open_app", app: "Gmail" },
  { action: "back" },
  { action: "home" },
  { action: "enter" },
  { action: "swipe", direction: "up" },
  { action: "hotkey", keys: ["ctrl", "c"] },
  { action: "terminate" },
  { action: "click", absent: true },
  { action: "drag", box: [100, 100, 300, 200], end_point: [400, 400] },
  { action: "drag", point: [200, 300], end_point: [450, 550] },
];

const optionsArb = fc.record({
  profile: fc.constantFrom(
    "default",
    "androidcontrol",
    "aitw",
    "gui_r1",
    "ui_r1",
    "screenspot",
    "screenspot_pro",
  ),
  space: fc.constantFrom("pixel", "norm1000", "resize"),
  screen: fc.constantFrom([1080, 2400], [1440, 3120], [1600, 2560]),
});

Deno.test("`gui_action` fast paths give the general path's exact bytes (property)", () => {
  fc.assert(
    fc.property(
      saidArb,
      fc.integer({ min: 0, max: WRITERS.length - 1 }),
      fc.integer({ min: 0, max: REFERENCES.length - 1 }),
      optionsArb,
      fc.array(fc.constantFrom("(", "(1", "[", "{", "<point>", "\\", "'", "x(", " ", "é"), { maxLength: 2 }),
      (said, writer, ref, o, noise) => {
        const options: Record<string, unknown> = { profile: o.profile, image_size: o.screen };
        if (o.space === "norm1000") options.coords = "norm1000";
        if (o.space === "resize") options.resize = {};
        const params = guiActionVerifier.params(REFERENCES[ref], options);
        const response = WRITERS[writer](said);
        const [fast, general] = fastAndGeneral(params, response);
        assert.equal(fast, general);
        assertVerdict(JSON.parse(fast));
        // the same action twice is one action: the general path, the same verdict
        assert.equal(rawScore(JSON.stringify(params), `${response}\n${response}`), fast);
        // and with noise around the answer, whichever path takes it
        const noisy = noise.join("") + response + noise.join("");
        const [a, b] = fastAndGeneral(params, noisy);
        assert.equal(a, b);
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("`gui_action` parameters read from a kept prefix equal a fresh read", () => {
  // items alternate between option sets, so kept prefixes are reused and replaced
  const sets = [
    { profile: "androidcontrol", image_size: [1080, 2400] },
    { image_size: [1080, 2400], coords: "norm1000" },
    { profile: "gui_r1", weights: { accuracy: 2, format: 1 } },
    { profile: "aitw", image_size: [1440, 3120], resize: {}, click_threshold: 0.2 },
  ];
  const response = "Action: click(start_box='(150,150)')";
  for (let i = 0; i < 200; i++) {
    const params = guiActionVerifier.params(
      { action: "click", box: [100 + i, 100, 200 + i, 200] },
      sets[i % 4],
    );
    const [fast, general] = fastAndGeneral(params, response);
    assert.equal(fast, general);
  }
});
