/**
 * The `match` kernel's fast readers change nothing: a parameter block as the host writes it (plain keys,
 * plain string and integer lists, read as spans) and the same block written so that only the general JSON
 * reader can read it (escaped keys and strings) get byte-identical verdicts, and so do a plain JSON list
 * answer and the same list with an escaped character (read by the lenient JSON reader).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeItem } from "../wasm/mod.ts";
import { MATCH_MODES, matchVerifier } from "../verifiers/match/mod.ts";
import { loadKernel } from "./_kernel.ts";

const kernel = loadKernel("match");
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The kernel's output text for a parameter block written as `paramsText` and a response. */
function run(paramsText: string, response: string): string {
  const head = enc.encode(paramsText), body = enc.encode(response);
  const item = new Uint8Array(head.length + 1 + body.length);
  item.set(head, 0);
  item.set(body, head.length + 1);
  return dec.decode(kernel.scoreBytes(item));
}

/** JSON text whose every string (keys included) starts with a \u escape: only the general reader reads it. */
function escapedJson(value: unknown): string {
  return JSON.stringify(value).replace(/"((?:[^"\\]|\\.)*)"/g, (_, body: string) => {
    if (body.length === 0 || body.startsWith("\\")) return `"${body}"`;
    const first = String.fromCodePoint(body.codePointAt(0)!); // one or two UTF-16 units
    const escaped = [...Array(first.length).keys()].map((i) =>
      `\\u${first.charCodeAt(i).toString(16).padStart(4, "0")}`
    ).join("");
    return `"${escaped}${body.slice(first.length)}"`;
  });
}

Deno.test("escapedJson is the same JSON value", () => {
  const v = { ref: ["cat", "pet", 3], mode: "any_of", choice_keys: ["A"], x: { "": "" } };
  assert.deepEqual(JSON.parse(escapedJson(v)), v);
  assert.match(escapedJson(v), /"\\u0072ef"/);
});

const label = fc.oneof(
  fc.constantFrom(
    "cat",
    "Golden Retriever",
    "B",
    "(B)",
    "a dog",
    "2",
    "2.0",
    "-3",
    "猫",
    "😀",
    "C++",
    "the fox",
  ),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ]{0,7}$/),
);
const scalar = fc.oneof(label, fc.integer({ min: -50, max: 50 }));

Deno.test("property: the host's plain parameter block and its escaped form get the same verdict", () => {
  fc.assert(
    fc.property(
      fc.array(scalar, { minLength: 1, maxLength: 6 }),
      fc.constantFrom(...MATCH_MODES.filter((m) => m !== "exact" && m !== "adjacency")),
      fc.boolean(),
      fc.array(fc.oneof(label, fc.constantFrom(", ", " ", "\n", "[", "]", '"')), { maxLength: 10 }),
      (ref, mode, choices, pieces) => {
        const options: Record<string, unknown> = { mode };
        let reference: unknown = ref;
        if (choices) {
          options.choices = ["a cat", "a dog", "the fox", "猫"];
          reference = ref.map((_, i) => "ABCD"[i % 4]);
        }
        const params = JSON.parse(JSON.stringify(matchVerifier.params(reference, options)));
        const response = `<answer>${pieces.join("")}</answer>`;
        const plain = run(JSON.stringify(params), response);
        assert.equal(run(escapedJson(params), response), plain);
        // whitespace between the tokens is still the fast reader's
        assert.equal(run(JSON.stringify(params, null, 1), response), plain);
      },
    ),
    { numRuns: 600 },
  );
});

Deno.test("property: a plain JSON list answer and the same list with an escape get the same verdict", () => {
  fc.assert(
    fc.property(
      fc.array(scalar, { minLength: 1, maxLength: 6 }),
      fc.array(scalar, { maxLength: 8 }),
      fc.constantFrom(...MATCH_MODES.filter((m) => m !== "adjacency" && m !== "exact")),
      (ref, answer, mode) => {
        const params = matchVerifier.params(ref, { mode });
        const plain = encodeItem(params, `<answer>${JSON.stringify(answer)}</answer>`);
        const escaped = encodeItem(params, `<answer>${escapedJson(answer)}</answer>`);
        assert.equal(dec.decode(kernel.scoreBytes(escaped)), dec.decode(kernel.scoreBytes(plain)));
      },
    ),
    { numRuns: 600 },
  );
});

Deno.test("the fast readers' boundaries: what they decline is read by the JSON readers as before", () => {
  const cases: [string, string][] = [
    ['{"mode":"set_f1","ref":[1,2,3]}', "<answer>[1, 2.0, 3e0]</answer>"], // fraction, exponent: JSON reader
    ['{"mode":"set_f1","ref":[1,2,3]}', "<answer>[1, 2, 3,]</answer>"], // trailing comma: the lenient reader's
    ['{"mode":"set_f1","ref":[1,2,3]}', "<answer>[+1, 2, 3]</answer>"],
    ['{"mode":"set_f1","ref":[1,2,3]}', "<answer>[1234567890123456, 2]</answer>"], // 16 digits
    ['{"mode":"set_f1","ref":[1,2,3],}', "<answer>[1, 2]</answer>"], // malformed block
    ['{"mode":"set_f1","ref":[1,2,3]} x', "<answer>[1, 2]</answer>"],
    ['{"mode":"set_f1","ref":[1,2,3],"ref":["a"]}', "<answer>a</answer>"], // the last duplicate wins
  ];
  const outputs = cases.map(([p, r]) => JSON.parse(run(p, r)));
  assert.equal(outputs[0].details.matched, 3);
  assert.equal(outputs[1].details.matched, 3);
  assert.equal(outputs[2].details.matched, 3);
  assert.equal(outputs[3].details.count, 2);
  assert.equal(outputs[4].details.problem, "malformed_parameters");
  assert.equal(outputs[5].details.problem, "malformed_parameters");
  assert.equal(outputs[6].reward, 1);
});
