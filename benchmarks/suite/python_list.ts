/**
 * Reads a Python list literal of strings and numbers, as MMMU publishes its options
 * (`"['$6', '$7', \"Don't know\"]"`): single- or double-quoted strings with Python's backslash escapes,
 * adjacent literals concatenated, ints and floats. Anything else (nested lists, names) is not a list here.
 */

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

interface Cursor {
  text: string;
  at: number;
}

function skipSpace(c: Cursor): void {
  while (c.at < c.text.length && " \t\r\n".includes(c.text[c.at])) c.at++;
}

/** One quoted string at the cursor (after an optional r/u prefix), or null when malformed. */
function readString(c: Cursor): string | null {
  let raw = false;
  if ("rRuU".includes(c.text[c.at]) && "'\"".includes(c.text[c.at + 1] ?? "")) {
    raw = "rR".includes(c.text[c.at]);
    c.at++;
  }
  const quote = c.text[c.at];
  if (quote !== "'" && quote !== '"') return null;
  c.at++;
  let out = "";
  while (c.at < c.text.length) {
    const ch = c.text[c.at];
    if (ch === quote) {
      c.at++;
      return out;
    }
    if (ch === "\\" && c.at + 1 < c.text.length) {
      const next = c.text[c.at + 1];
      if (raw) out += ch + next;
      else if (next === "x" && /^[0-9a-fA-F]{2}$/.test(c.text.slice(c.at + 2, c.at + 4))) {
        out += String.fromCharCode(parseInt(c.text.slice(c.at + 2, c.at + 4), 16));
        c.at += 2;
      } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(c.text.slice(c.at + 2, c.at + 6))) {
        out += String.fromCharCode(parseInt(c.text.slice(c.at + 2, c.at + 6), 16));
        c.at += 4;
      } else out += ESCAPES[next] ?? ch + next; // Python keeps unknown escapes as written
      c.at += 2;
      continue;
    }
    if (ch === "\n") return null;
    out += ch;
    c.at++;
  }
  return null;
}

function readNumber(c: Cursor): number | null {
  const match = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(c.text.slice(c.at, c.at + 64));
  if (!match) return null;
  c.at += match[0].length;
  return Number(match[0]);
}

/** The elements of a Python list literal of strings and numbers; null when the text is not one. */
export function parsePythonList(text: string): (string | number)[] | null {
  const c: Cursor = { text, at: 0 };
  skipSpace(c);
  if (text[c.at] !== "[") return null;
  c.at++;
  const out: (string | number)[] = [];
  skipSpace(c);
  if (text[c.at] === "]") {
    c.at++;
    skipSpace(c);
    return c.at === text.length ? out : null;
  }
  while (c.at < text.length) {
    skipSpace(c);
    let value: string | number | null;
    if ("'\"rRuU".includes(text[c.at])) {
      value = readString(c);
      // Adjacent string literals are one string, as in Python.
      for (skipSpace(c); value !== null && "'\"".includes(text[c.at] ?? "x"); skipSpace(c)) {
        const more = readString(c);
        value = more === null ? null : value + more;
      }
    } else value = readNumber(c);
    if (value === null) return null;
    out.push(value);
    skipSpace(c);
    if (text[c.at] === ",") {
      c.at++;
      skipSpace(c);
      if (text[c.at] !== "]") continue;
    }
    if (text[c.at] !== "]") return null;
    c.at++;
    skipSpace(c);
    return c.at === text.length ? out : null;
  }
  return null;
}
