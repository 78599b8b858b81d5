/**
 * Fills a rubric template with an item's prompt, response and reference, each wrapped in data
 * markers that carry a random code chosen per call. The policy never sees the code, so it cannot
 * write a closing marker; a code that happens to occur in the data is drawn again, and as a last
 * resort removed from the data. The host only embeds the text: it never parses it.
 */
import type { JudgeTemplate } from "./settings.ts";

/** The texts a template is filled with (already rendered as text). */
export interface JudgeInputs {
  prompt: string;
  response: string;
  reference: string;
}

/** A filled template: the chat messages' text and the code its markers use. */
export interface FilledTemplate {
  system: string;
  user: string;
  boundary: string;
}

/** Random bytes drawn from the CSPRNG in blocks (one draw serves 512 codes); each byte is used once. */
const randomPool = new Uint8Array(4096);
let randomAt = randomPool.length;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** A fresh random marker code (16 hex digits, from the platform's CSPRNG). */
export function randomBoundary(): string {
  if (randomAt + 8 > randomPool.length) {
    crypto.getRandomValues(randomPool);
    randomAt = 0;
  }
  let code = "";
  for (let i = 0; i < 8; i++) code += HEX[randomPool[randomAt++]];
  return code;
}

/** `text` between data markers named `name` with code `boundary`; the code is removed from the text. */
export function delimit(name: string, text: string, boundary: string): string {
  const safe = text.includes(boundary) ? text.split(boundary).join("[marker code removed]") : text;
  return `<<<DATA ${name} ${boundary}>>>\n${safe}\n<<<END ${name} ${boundary}>>>`;
}

/**
 * Fills `template`. `boundary` is drawn at random unless given (tests give one); it is drawn again
 * while any input contains it.
 */
export function fillTemplate(
  template: JudgeTemplate,
  inputs: JudgeInputs,
  boundary?: string,
): FilledTemplate {
  let code = boundary ?? randomBoundary();
  for (let tries = 0; boundary === undefined && tries < 8 && containsIn(inputs, code); tries++) {
    code = randomBoundary();
  }
  const slots: Record<string, string> = {
    "{{prompt}}": delimit("prompt", inputs.prompt, code),
    "{{response}}": delimit("response", inputs.response, code),
    "{{reference}}": delimit("reference", inputs.reference, code),
  };
  return {
    system: replaceSlots(template.system, slots),
    user: replaceSlots(template.user, slots),
    boundary: code,
  };
}

/** Characters of a marker code (`randomBoundary()`'s 8 bytes in hex). */
const CODE_CHARS = 16;

/** A template text's fixed characters and how many times each slot occurs in it. */
interface SlotCounts {
  fixed: number;
  prompt: number;
  response: number;
  reference: number;
}

const slotCounts = new WeakMap<JudgeTemplate, SlotCounts>();

function countsOf(template: JudgeTemplate): SlotCounts {
  let counts = slotCounts.get(template);
  if (counts === undefined) {
    counts = { fixed: 0, prompt: 0, response: 0, reference: 0 };
    for (const text of [template.system, template.user]) {
      counts.fixed += replaceSlots(text, {
        "{{prompt}}": "",
        "{{response}}": "",
        "{{reference}}": "",
      }).length;
      for (const name of ["prompt", "response", "reference"] as const) {
        counts[name] += text.split(`{{${name}}}`).length - 1;
      }
    }
    slotCounts.set(template, counts);
  }
  return counts;
}

/**
 * The length (system + user) of `fillTemplate(template, inputs)` without filling it: the admission
 * estimate of a call, known before the call is admitted (the text itself is made only then). Exact
 * unless a marker code had to be removed from an input.
 */
export function filledLength(template: JudgeTemplate, inputs: JudgeInputs): number {
  const counts = countsOf(template);
  // delimit(name, text, code) adds two marker lines around the text.
  const marked = (name: string, text: string) =>
    text.length + `<<<DATA ${name} >>>\n\n<<<END ${name} >>>`.length + 2 * CODE_CHARS;
  return counts.fixed + counts.prompt * marked("prompt", inputs.prompt) +
    counts.response * marked("response", inputs.response) +
    counts.reference * marked("reference", inputs.reference);
}

function containsIn(inputs: JudgeInputs, code: string): boolean {
  return inputs.prompt.includes(code) || inputs.response.includes(code) || inputs.reference.includes(code);
}

/** Replaces each slot in the template text (the template is trusted; the values are inserted once). */
function replaceSlots(text: string, slots: Record<string, string>): string {
  let out = "";
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("{{", at);
    if (open < 0) break;
    const close = text.indexOf("}}", open);
    if (close < 0) break;
    const slot = text.slice(open, close + 2);
    out += text.slice(at, open) + (slot in slots ? slots[slot] : slot);
    at = close + 2;
  }
  return out + text.slice(at);
}

/** An item's `prompt` as text: a string as is, chat messages as `role: content` lines. */
export function promptText(prompt: unknown): string {
  if (prompt === undefined || prompt === null) return "(no prompt given)";
  if (typeof prompt === "string") return prompt;
  if (!Array.isArray(prompt)) return JSON.stringify(prompt);
  return prompt.map((message) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    return `${typeof role === "string" ? role : "user"}: ${contentText(content)}`;
  }).join("\n");
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return JSON.stringify(content ?? "");
  return content.map((part) => {
    const p = (part ?? {}) as { type?: unknown; text?: unknown };
    return p.type === "text" && typeof p.text === "string" ? p.text : `[${String(p.type ?? "part")}]`;
  }).join(" ");
}

/** An item's reference as text: a string as is, nothing as "(none)", anything else as JSON. */
export function referenceText(reference: unknown): string {
  if (reference === undefined || reference === null) return "(none)";
  return typeof reference === "string" ? reference : JSON.stringify(reference);
}
