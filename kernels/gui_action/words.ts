// Normalizing and comparing the words of an action: typed text, directions, key names, status.

/** Trims, collapses runs of whitespace to one space and lower-cases: "  Hello   World " → "hello world". */
export function normalizeText(s: string): string {
  const words = splitWords(s.toLowerCase());
  return words.join(" ");
}

/** Whitespace-separated words of `s` (Python's `str.split()` for ASCII whitespace). */
export function splitWords(s: string): string[] {
  const out = new Array<string>();
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    const start = i;
    while (i < n && !isSpace(s.charCodeAt(i))) i++;
    if (i > start) out.push(s.substring(start, i));
  }
  return out;
}

function isSpace(c: i32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d) || c == 0xa0 || c == 0x3000;
}

function uniqueSorted(words: string[]): string[] {
  words.sort();
  const out = new Array<string>();
  for (let i = 0; i < words.length; i++) {
    if (out.length == 0 || out[out.length - 1] != words[i]) out.push(words[i]);
  }
  return out;
}

/**
 * GUI-R1's token F1 between two texts: '[' and ']' removed, lower-cased, split on whitespace, as
 * sets; two single tokens where one contains the other count 1. Empty text scores 0.
 */
export function tokenF1(predicted: string, reference: string): f64 {
  const p = uniqueSorted(splitWords(predicted.replaceAll("[", "").replaceAll("]", "").toLowerCase()));
  const r = uniqueSorted(splitWords(reference.replaceAll("[", "").replaceAll("]", "").toLowerCase()));
  if (p.length == 1 && r.length == 1 && (p[0].includes(r[0]) || r[0].includes(p[0]))) return 1;
  if (p.length == 0 || r.length == 0) return 0;
  let common = 0;
  let j = 0;
  for (let i = 0; i < p.length; i++) {
    while (j < r.length && r[j] < p[i]) j++;
    if (j < r.length && r[j] == p[i]) common++;
  }
  if (common == 0) return 0;
  const precision = <f64>common / <f64>p.length;
  const recall = <f64>common / <f64>r.length;
  return 2 * precision * recall / (precision + recall);
}

/** SeeClick's AITW text rule: equal, or either one contains the other (so "" matches anything). */
export function substringMatch(predicted: string, reference: string): bool {
  return predicted == reference || reference.includes(predicted) || predicted.includes(reference);
}

/** A direction word → "up", "down", "left" or "right"; null for anything else. */
export function normalizeDirection(s: string): string | null {
  const w = s.trim().toLowerCase();
  if (w == "up" || w == "top" || w == "upward" || w == "upwards") return "up";
  if (w == "down" || w == "bottom" || w == "downward" || w == "downwards") return "down";
  if (w == "left" || w == "leftward" || w == "leftwards") return "left";
  if (w == "right" || w == "rightward" || w == "rightwards") return "right";
  return null;
}

/** The opposite direction: a finger that moves up scrolls the content down. */
export function oppositeDirection(d: string): string {
  if (d == "up") return "down";
  if (d == "down") return "up";
  if (d == "left") return "right";
  return "left";
}

const KEY_ALIASES: string[] = [
  "control=ctrl", "cmd=meta", "command=meta", "win=meta", "windows=meta", "super=meta", "option=alt",
  "opt=alt", "return=enter", "esc=escape", "del=delete", "pgup=pageup", "pgdn=pagedown", "arrowup=up",
  "arrowdown=down", "arrowleft=left", "arrowright=right", "spacebar=space", "bksp=backspace",
];

/** One key name in canonical spelling: "Control" → "ctrl", "Return" → "enter", "Cmd" → "meta". */
export function normalizeKey(k: string): string {
  const w = k.trim().toLowerCase();
  for (let i = 0; i < KEY_ALIASES.length; i++) {
    const pair = KEY_ALIASES[i];
    const eq = pair.indexOf("=");
    if (pair.substring(0, eq) == w) return pair.substring(eq + 1);
  }
  return w;
}

/**
 * Key names from a written combination, canonical, de-duplicated and sorted (a set):
 * "Ctrl+C", "ctrl c" and ["control", "c"] all give ["c", "ctrl"]. At most 16 keys.
 */
export function keySet(parts: string[]): string[] {
  const out = new Array<string>();
  for (let i = 0; i < parts.length && out.length <= 16; i++) {
    const p = parts[i];
    let start = 0;
    for (let j = 0; j <= p.length; j++) {
      const c = j < p.length ? p.charCodeAt(j) : 0x20;
      // '+' splits "ctrl+c"; a lone "+" key would need writing as "plus"
      if (c == 0x2b || c == 0x20 || c == 0x2c || c == 0x09) {
        if (j > start) out.push(normalizeKey(p.substring(start, j)));
        start = j + 1;
      }
    }
  }
  return uniqueSorted(out);
}

/** A status word → "success" or "failure" (other words lower-cased as they are). */
export function normalizeStatus(s: string): string {
  const w = s.trim().toLowerCase();
  if (w == "success" || w == "successful" || w == "succeeded" || w == "done" || w == "complete" || w == "completed" || w == "finished") {
    return "success";
  }
  if (w == "failure" || w == "fail" || w == "failed" || w == "infeasible" || w == "impossible") return "failure";
  return w;
}
