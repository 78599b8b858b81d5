/**
 * Kernel outputs read where they lie (wasm/chunk_outputs.ts): the head every kernel writes is read
 * from the bytes of a job's joined outputs, item by item, exactly as a reading of each item's own
 * text gives it: table-driven malformed heads, non-ASCII details and reasons, and a property over
 * arbitrary outputs (a kernel's details carry text taken from model output).
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import fc from "fast-check";
import { ChunkOutputs, OutputOutcome, readKernelHead } from "../wasm/mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The outputs joined by commas, as a sandbox job sends them back. */
function joined(texts: string[]): ChunkOutputs {
  const parts = texts.map((t) => encoder.encode(t));
  const ends = new Uint32Array(parts.length);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  parts.forEach((part, i) => {
    bytes.set(part, at);
    at += part.length;
    ends[i] = at;
    bytes[at++] = 0x2c;
  });
  return new ChunkOutputs(bytes.subarray(0, Math.max(0, at - 1)), ends);
}

/** The contract read from one item's own text, written independently of the byte reader. */
function headOfText(text: string) {
  const prefix = '{"reward":';
  if (!text.startsWith(prefix) || !text.endsWith("}}")) return null;
  const comma = text.indexOf(",", prefix.length);
  if (comma < 0) return null;
  const reward = Number(text.slice(prefix.length, comma));
  if (!(reward >= 0 && reward <= 1)) return null;
  const rest = text.slice(comma + 1);
  const correct = rest.startsWith('"correct":true,')
    ? true
    : rest.startsWith('"correct":false,')
    ? false
    : null;
  if (correct === null) return null;
  const details = rest.slice(correct ? 15 : 16);
  if (!details.startsWith('"details":{"reason":')) return null;
  const afterKey = details.slice(20);
  let reason: string | null;
  if (afterKey.startsWith("null")) reason = null;
  else if (afterKey.startsWith('"') && afterKey.indexOf('"', 1) > 0) {
    reason = afterKey.slice(1, afterKey.indexOf('"', 1));
  } else return null;
  return { reward, correct, reason, detailsJson: details.slice(10, details.length - 1) };
}

/** The head as read from the bytes, with its details' text taken from where it says they lie. */
function headRead(outcome: OutputOutcome) {
  const head = {
    reward: -1,
    correct: false,
    reason: null as string | null,
    detailsStart: -1,
    detailsEnd: -1,
  };
  if (!readKernelHead(outcome, head)) return null;
  const { reward, correct, reason, detailsStart, detailsEnd } = head;
  return { reward, correct, reason, detailsJson: outcome.outputs.slice(detailsStart, detailsEnd) };
}

const CASES: [string, string][] = [
  ["a plain verdict", '{"reward":1,"correct":true,"details":{"reason":null,"mode":"any_of"}}'],
  ["a zero", '{"reward":0,"correct":false,"details":{"reason":"wrong"}}'],
  ["a fraction", '{"reward":0.6666666666666666,"correct":false,"details":{"reason":"partial","n":3}}'],
  ["an exponent", '{"reward":1e-7,"correct":false,"details":{"reason":null}}'],
  ["sixteen digits", '{"reward":0.6666666666666666,"correct":false,"details":{"reason":"wrong"}}'],
  ["seventeen digits", '{"reward":0.30000000000000004,"correct":false,"details":{"reason":"wrong"}}'],
  ["past 2^53", '{"reward":0.99999999999999999,"correct":false,"details":{"reason":"wrong"}}'],
  ["twenty-three decimals", '{"reward":0.00000000000000000000001,"correct":false,"details":{"reason":null}}'],
  ["a leading point", '{"reward":.25,"correct":false,"details":{"reason":null}}'],
  ["a trailing point", '{"reward":1.,"correct":true,"details":{"reason":null}}'],
  ["an empty reward", '{"reward":,"correct":false,"details":{"reason":null}}'],
  ["non-ASCII details", '{"reward":0.5,"correct":false,"details":{"reason":"wrong","extracted":"é中🙂"}}'],
  ["a non-ASCII reason", '{"reward":0,"correct":false,"details":{"reason":"é中"}}'],
  ["reward above 1", '{"reward":1.5,"correct":true,"details":{"reason":null}}'],
  ["negative reward", '{"reward":-0.1,"correct":false,"details":{"reason":null}}'],
  ["NaN reward", '{"reward":NaN,"correct":false,"details":{"reason":null}}'],
  ["no comma", '{"reward":1}'],
  ["correct not a boolean", '{"reward":1,"correct":1,"details":{"reason":null}}'],
  ["keys out of order", '{"correct":true,"reward":1,"details":{"reason":null}}'],
  ["no details", '{"reward":1,"correct":true,"reason":null}'],
  ["reason not a string", '{"reward":1,"correct":true,"details":{"reason":3}}'],
  ["unclosed reason", '{"reward":1,"correct":true,"details":{"reason":"abc}'],
  ["not closed", '{"reward":1,"correct":true,"details":{"reason":null}'],
  ["details not closed", '{"reward":1,"correct":true,"details":{"reason":null,"a":[1}'],
  ["a trap's null", "null"],
  ["empty", ""],
  ["a bare prefix", '{"reward":'],
];

Deno.test("kernel heads read from the bytes equal the reading of each text, table by table", () => {
  const outputs = joined(CASES.map(([, text]) => text));
  CASES.forEach(([label, text], i) => {
    const outcome = new OutputOutcome(outputs, i, 0.5);
    strictEqual(outcome.text, text, label);
    deepStrictEqual(headRead(outcome), headOfText(text), label);
  });
  const valid = CASES.filter(([, text]) => headOfText(text) !== null).length;
  strictEqual(valid, 13);
});

Deno.test("property: any outputs, ASCII or not, read from the bytes as from their own texts", () => {
  const reason = fc.oneof(fc.constant("null"), fc.string({ unit: "grapheme" }).map((s) => JSON.stringify(s)));
  const wellFormed = fc.tuple(
    fc.oneof(
      fc.constantFrom("0", "1", "0.5", "1e-3", "2", "-1", ""),
      fc.double().map(String),
      // decimals read from the digits without a string: short, long (past 2^53), odd forms
      fc.stringMatching(/^0?\.[0-9]{1,24}$/),
      fc.stringMatching(/^[0-9]{0,3}\.?[0-9]{0,20}$/),
    ),
    fc.boolean(),
    reason,
    fc.string({ unit: "grapheme" }).map((s) => JSON.stringify(s)),
  ).map(([r, c, why, extra]) => `{"reward":${r},"correct":${c},"details":{"reason":${why},"x":${extra}}}`);
  const anything = fc.oneof(wellFormed, fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }));
  fc.assert(
    fc.property(fc.array(anything, { minLength: 1, maxLength: 12 }), (texts) => {
      const outputs = joined(texts);
      texts.forEach((text, i) => {
        const outcome = new OutputOutcome(outputs, i, 0);
        // What the bytes say (a lone surrogate has no UTF-8: a kernel writes U+FFFD instead).
        const sent = decoder.decode(encoder.encode(text));
        strictEqual(outcome.text, sent);
        deepStrictEqual(headRead(outcome), headOfText(sent));
      });
    }),
    { numRuns: 400 },
  );
});
