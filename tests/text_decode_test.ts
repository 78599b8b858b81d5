/**
 * The `text` kernel reads its references straight from the parameter block's bytes (escape-free
 * JSON strings are never turned into strings first). Property tests (fast-check) over hand-built
 * parameter blocks, invalid UTF-8 included: that reading gives the code points the previous path
 * gave (AssemblyScript's lenient UTF-8 decoder, then UTF-16 surrogates joined, lone ones U+FFFD),
 * checked against that path itself (the same bytes behind a JSON escape, which still takes it) and
 * against a TypeScript model of it; and the JSON reader's eight-bytes-at-a-time string scan finds
 * quotes, backslashes and control characters at every offset.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { levenshtein } from "../perf/text_baseline.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("text");
const encoder = new TextEncoder();

/** The kernel's verdict for a parameter block given as bytes (JSON around the reference's raw bytes) and a response. */
function scoreRaw(before: string, ref: Uint8Array, after: string, response: string): Record<string, unknown> {
  const head = encoder.encode(before);
  const tail = encoder.encode(after);
  const body = encoder.encode(response);
  const item = new Uint8Array(head.length + ref.length + tail.length + 1 + body.length);
  item.set(head);
  item.set(ref, head.length);
  item.set(tail, head.length + ref.length);
  item.set(body, head.length + ref.length + tail.length + 1);
  const out = JSON.parse(new TextDecoder().decode(kernel.scoreBytes(item)));
  assertVerdict(out);
  return out;
}

/** CER's details of `response` against one reference written as `prefix` then the raw bytes `ref` in a JSON string. */
function cerOf(prefix: string, ref: Uint8Array, response: string): Record<string, unknown> {
  return scoreRaw(`{"refs":["${prefix}`, ref, `"],"metric":"cer","tag":""}`, response).details as Record<
    string,
    unknown
  >;
}

/**
 * A model of the previous reading: AssemblyScript 0.28's String.UTF8.decodeUnsafe (std/assembly/string.ts:
 * lead byte decides the length, continuation bytes are not checked, a sequence cut by the end stops the
 * text), then the UTF-16 units as code points with lone surrogates as U+FFFD.
 */
function modelCodePoints(bytes: Uint8Array): number[] {
  const units: number[] = [];
  let i = 0;
  decode: while (i < bytes.length) {
    let u = bytes[i++];
    if (u >= 0x80) {
      const need = (u & 0xe0) === 0xc0 ? 1 : (u & 0xf0) === 0xe0 ? 2 : 3;
      if (i + need > bytes.length) break decode;
      const rest = Array.from(bytes.subarray(i, i + need), (b) => b & 63);
      i += need;
      u = need === 1
        ? ((u & 31) << 6) | rest[0]
        : need === 2
        ? ((u & 15) << 12) | (rest[0] << 6) | rest[1]
        : ((u & 7) << 18) | (rest[0] << 12) | (rest[1] << 6) | rest[2];
    }
    if (u < 0x10000) units.push(u);
    else units.push(((u - 0x10000) >> 10) | 0xd800, ((u - 0x10000) & 0x3ff) | 0xdc00);
  }
  return Array.from(String.fromCharCode(...units).toWellFormed(), (c) => c.codePointAt(0)!);
}

const SPACES = new Set([0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

/** Code points without the whitespace (Python's str.isspace()) around them, as CER reads a text. */
function stripped(cps: number[]): number[] {
  const isSpace = (c: number) =>
    SPACES.has(c) || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || (c >= 0x2000 && c <= 0x200a);
  let a = 0, b = cps.length;
  while (a < b && isSpace(cps[a])) a++;
  while (b > a && isSpace(cps[b - 1])) b--;
  return cps.slice(a, b);
}

// Bytes a JSON string may hold unescaped: anything but '"', '\' and controls; invalid UTF-8 (lone
// continuation bytes, cut sequences, surrogates and overlong forms) on purpose, between ASCII runs
// longer than the decoder's eight-byte step.
const rawPiece = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 5 }).map((b) =>
    b.map((x) => (x < 0x20 ? x + 0x60 : x === 0x22 || x === 0x5c ? x + 1 : x))
  ),
  fc.constantFrom("abcdefghijk", "0123456789 ABCDEFG", "é", "猫", "😀", "\u0301", " ").map((s) =>
    encoder.encode(s)
  ),
  fc.constantFrom([0xed, 0xa0, 0x80], [0xed, 0xb0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [
    0xe0,
    0x80,
  ], [0xf7, 0xbf, 0xbf, 0xbf]).map((b) => new Uint8Array(b)),
);
const rawText = fc.array(rawPiece, { minLength: 1, maxLength: 10 }).map((pieces) => {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0) + 1);
  let at = 1;
  out[0] = 0x61; // "a": the text starts with a letter
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
});

Deno.test("property: an escape-free reference read from its bytes gives what the string path gave (the same bytes behind an escape)", () => {
  fc.assert(
    fc.property(rawText, fc.string({ maxLength: 20 }), (ref, answer) => {
      // "\/" is "/": the escape sends the reference through the string path, the plain "/" not
      const response = `a${answer}`;
      assert.deepEqual(cerOf("/", ref, response), cerOf("\\/", ref, response));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("property: an escape-free reference read from its bytes has the code points of AssemblyScript's decoder, surrogates joined", () => {
  fc.assert(
    fc.property(rawText, fc.string({ maxLength: 20 }), (ref, answer) => {
      const expected = stripped(modelCodePoints(ref));
      // the model's code points as the answer: nothing to edit
      const same = cerOf("", ref, String.fromCodePoint(...expected));
      assert.equal(same.edits, 0);
      assert.equal(same.reference_length, expected.length);
      const hyp = stripped([...`a${answer}`.toWellFormed()].map((c) => c.codePointAt(0)!));
      assert.equal(cerOf("", ref, `a${answer}`).edits, levenshtein(hyp, expected));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("property: the JSON string scan finds the closing quote, escapes and control characters at any offset", () => {
  const ascii = fc.string({ unit: fc.constantFrom("a", "b", " ", "z", "~", "é"), maxLength: 24 });
  fc.assert(
    fc.property(ascii, ascii, fc.constantFrom("\u0001", "\u001f", "\t", "\n"), (x, y, control) => {
      // a raw control character inside a string is malformed JSON (strict), wherever it stands
      const bad = scoreRaw(`{"refs":["a${x}`, encoder.encode(control), `${y}"],"tag":""}`, "a");
      const why = bad.details as Record<string, unknown>;
      assert.equal(why.reason, "parse_error");
      assert.equal(why.problem, "malformed_parameters");
      // escaped, or a quote escaped, it is text
      for (const escaped of [JSON.stringify(control).slice(1, -1), '\\"', "\\\\"]) {
        const ok = scoreRaw(
          `{"refs":["a${x}`,
          encoder.encode(escaped),
          `${y}"],"metric":"cer","tag":""}`,
          "a",
        );
        const text = JSON.parse(`"a${x}${escaped}${y}"`) as string;
        const cps = stripped(Array.from(text, (c) => c.codePointAt(0)!));
        assert.equal((ok.details as Record<string, unknown>).reference_length, cps.length, escaped);
      }
    }),
    { numRuns: 500 },
  );
});
