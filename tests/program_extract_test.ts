/**
 * Property tests for the parsers of untrusted text and bytes on the host side of the Python sandbox:
 * `extractCode` (the program in a model's response) and the records a job's process writes
 * (`readProgramRecord` for programs, chart_code's `readRecord`): they never throw, never read past
 * what they were given, and read back what a well-formed writer wrote.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { extractCode, readProgramRecord } from "../verifiers/_python/mod.ts";
import { readRecord } from "../verifiers/chart_code/mod.ts";

const FENCE = "```";
/** Text without backticks (a backtick next to a fence marker makes a longer, ambiguous run). */
const plain = fc.string({ unit: fc.constantFrom("a", "b", " ", "\n", "p", "y", "(", ")", "=", "1") });

Deno.test("extractCode(): never throws; the code is always a substring of the response", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom("`", "a", "\n", " ", "python", "x") }),
      fc.option(plain),
      (text, block) => {
        const out = extractCode(text, block ?? undefined);
        if (out !== null) assert.ok(text.includes(out.code));
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("extractCode(): the last python fence wins over other fences and prose", () => {
  fc.assert(
    fc.property(plain, plain, plain, plain, (before, other, body, after) => {
      const text = `${before}\n${FENCE}python\n${body}${FENCE}\n${FENCE}text\n${other}${FENCE}${after}`;
      const out = extractCode(text);
      assert.deepEqual(out, { code: body, extraction: "python_fence" });
    }),
  );
});

Deno.test("extractCode(): a named fence is found by its word; prose alone is a bare program", () => {
  fc.assert(
    fc.property(plain, plain, plain, (draft, solution, prose) => {
      const text = `${FENCE}python solution\n${solution}${FENCE}\n${FENCE}python draft\n${draft}${FENCE}`;
      assert.deepEqual(extractCode(text, "solution"), { code: solution, extraction: "named_fence" });
      assert.deepEqual(extractCode(text, "Draft"), { code: draft, extraction: "named_fence" });
      assert.equal(extractCode(text, "final"), null);
      const bare = extractCode(prose);
      if (prose.trim() === "") assert.equal(bare, null);
      else assert.deepEqual(bare, { code: prose, extraction: "bare" });
    }),
  );
});

function programRecord(status: number, error: Uint8Array, value: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(16 + error.length + (value?.length ?? 0));
  out.set([0x50, 0x52, 0x47, 0x31, status, value === null ? 0 : 1]);
  const view = new DataView(out.buffer);
  view.setUint32(8, error.length, true);
  view.setUint32(12, value?.length ?? 0, true);
  out.set(error, 16);
  if (value) out.set(value, 16 + error.length);
  return out;
}

Deno.test("readProgramRecord(): random bytes never throw; well-formed records read back", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const out = readProgramRecord(bytes);
      if (out !== null) assert.ok(out.error.length + (out.value?.length ?? 0) <= bytes.length);
    }),
    { numRuns: 5000 },
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 5 }),
      fc.string({ maxLength: 50 }),
      fc.option(fc.string({ maxLength: 50 })),
      (status, error, value) => {
        const e = new TextEncoder();
        const out = readProgramRecord(
          programRecord(status, e.encode(error), value === null ? null : e.encode(value)),
        );
        assert.deepEqual(out, { status, error, value });
      },
    ),
  );
  // A record that claims more than it holds, or an unknown status, is malformed.
  const good = programRecord(0, new Uint8Array(3), new Uint8Array(2));
  assert.equal(readProgramRecord(good.subarray(0, good.length - 1)), null);
  assert.equal(readProgramRecord(programRecord(9, new Uint8Array(0), null)), null);
});

Deno.test("chart_code readRecord(): random bytes and lying headers never throw nor read past the payload", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 96 }),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 8 }),
      (bytes, w, h) => {
        const payload = new Uint8Array(24 + bytes.length);
        payload.set([0x43, 0x48, 0x44, 0x31]);
        payload.set(bytes.subarray(0, 20), 4);
        payload.set(bytes, 24);
        const out = readRecord(payload, w, h);
        if (out !== null) {
          assert.ok(out.message.length <= payload.length && out.trace.length <= payload.length);
          if (out.pixels !== null) assert.equal(out.pixels.length, w * h * 4);
        }
      },
    ),
    { numRuns: 5000 },
  );
});
