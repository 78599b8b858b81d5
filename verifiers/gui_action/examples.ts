/** Published examples of the `gui_action` verifier, each with the result it must get. */
import type { VerifierExample } from "../types.ts";

const screen = { image_size: [1080, 2400] };

export const guiActionExamples: VerifierExample[] = [
  {
    title: "JSON action in the answer tag, exact point",
    item: {
      response: '<think>the button</think><answer>{"action": "click", "coordinate": [540, 1200]}</answer>',
      reference: { action: "click", point: [540, 1200] },
      options: screen,
    },
    expected: {
      reward: 1,
      correct: true,
      details: { reason: null, syntax: "json", extraction: "answer_tag+json" },
    },
  },
  {
    title: "Qwen2.5-VL mobile_use tool call",
    item: {
      response:
        '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "click", "coordinate": [540, 1200]}}\n</tool_call>',
      reference: { action: "click", point: [540, 1200] },
      options: screen,
    },
    expected: { reward: 1, correct: true, details: { reason: null, syntax: "tool_call" } },
  },
  {
    title: "UI-TARS v1 in 0..1000 coordinates mapped to pixels",
    item: {
      response: "Thought: open the menu\nAction: click(start_box='(500,500)')",
      reference: { action: "click", point: [540, 1200] },
      options: { ...screen, coords: "norm1000" },
    },
    expected: {
      reward: 1,
      correct: true,
      details: { reason: null, predicted: { type: "click", point: [540, 1200] } },
    },
  },
  {
    title: "UI-TARS type with an escaped newline",
    item: { response: "Action: type(content='hello\\n')", reference: { action: "type", text: "hello" } },
    expected: { reward: 1, correct: true, details: { reason: null, args_rule: "text" } },
  },
  {
    title: "empty typed text never matches (default)",
    item: { response: "Action: type(content='')", reference: { action: "type", text: "hello" } },
    expected: { reward: 0, correct: false, details: { reason: "wrong", problem: "empty_text" } },
  },
  {
    title: "opposite scroll direction is wrong (default)",
    item: {
      response: "Action: scroll(start_box='(1,2)', direction='up')",
      reference: { action: "scroll", direction: "down" },
    },
    expected: { reward: 0, correct: false, details: { reason: "wrong", problem: "opposite_direction" } },
  },
  {
    title: "aitw parity: AITW matches swipes on the main axis only",
    item: {
      response: "Action: scroll(start_box='(1,2)', direction='up')",
      reference: { action: "scroll", direction: "down" },
      options: { profile: "aitw" },
    },
    expected: { reward: 1, correct: true, details: { reason: null } },
  },
  {
    title: "a Python expression inside a literal is a parse failure, never evaluated",
    item: {
      response: "<answer>[{'action': 'click', 'point': __import__('os').system('ls')}]</answer>",
      reference: { action: "click", box: [0, 0, 10, 10] },
    },
    expected: { reward: 0, correct: false, details: { reason: "parse_error" } },
  },
  {
    title: "hotkeys compare as key sets",
    item: {
      response: "pyautogui.hotkey('ctrl', 'c')",
      reference: { action: "hotkey", keys: ["Control", "C"] },
    },
    expected: { reward: 1, correct: true, details: { reason: null, syntax: "pyautogui" } },
  },
  {
    title: "gui_r1: 0.8 × accuracy + 0.2 × format",
    item: {
      response:
        "<think>a</think><answer>[{'action': 'click', 'point': [25, 25], 'input_text': 'no input text'}]</answer>",
      reference: { action: "click", box: [0, 0, 50, 50] },
      options: { profile: "gui_r1" },
    },
    expected: { reward: 1, correct: true, details: { reason: null, syntax: "python_literal" } },
  },
  {
    title: "screenspot_pro negative: a refusal is right",
    item: {
      response: "<answer>The element is not present.</answer>",
      reference: { action: "click", absent: true },
      options: { profile: "screenspot_pro" },
    },
    expected: { reward: 1, correct: true, details: { reason: null, refused: true } },
  },
  {
    title: "screenspot_pro negative: any point is wrong",
    item: {
      response: "<answer>(30, 40)</answer>",
      reference: { action: "click", absent: true },
      options: { profile: "screenspot_pro" },
    },
    expected: { reward: 0, correct: false, details: { reason: "wrong", problem: "target_absent" } },
  },
  {
    title: "terminate(failure) is not success",
    item: {
      response: '{"action": "terminate", "status": "failure"}',
      reference: { action: "terminate", status: "success" },
    },
    expected: { reward: 0, correct: false, details: { reason: "wrong", problem: "other_status" } },
  },
  {
    title: "AEPO candidates: first hit at rank 3 of 3",
    item: {
      response: "[[10,10],[100,100],[30,30]]",
      reference: { action: "click", box: [20, 20, 40, 40] },
      options: { candidates: "aepo" },
    },
    expected: { reward: 1 / 3, correct: true, details: { reason: null, candidates: 3, hit_rank: 3 } },
  },
  {
    title: "two different actions are hedging",
    item: {
      response:
        '<answer>{"action": "click", "coordinate": [10, 10]} {"action": "scroll", "direction": "down"}</answer>',
      reference: { action: "click", box: [0, 0, 20, 20] },
    },
    expected: { reward: 0, correct: false, details: { reason: "ambiguous", candidates: 2 } },
  },
];
