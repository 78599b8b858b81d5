/**
 * `nameJson` (verifiers/types.ts), the remembered `JSON.stringify` of recurring option values that
 * the `match` and `text` parameters write: always the exact JSON of its string, whether remembered,
 * past its limit of remembered strings, or a string that needs escapes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { nameJson } from "../verifiers/types.ts";

Deno.test("nameJson gives JSON.stringify's text for names and for strings that need escapes", () => {
  const cases = [
    "rougeL",
    "unicode",
    "",
    'a"b',
    "back\\slash",
    "line\nbreak",
    "\u0000",
    "\ud800",
    "é 中",
    "constructor",
    "__proto__",
  ];
  for (const name of cases) {
    assert.equal(nameJson(name), JSON.stringify(name), name);
    assert.equal(nameJson(name), JSON.stringify(name), `${name} again, remembered`);
  }
});

Deno.test("nameJson stays exact for any string, past the strings it remembers", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
      assert.equal(nameJson(s), JSON.stringify(s));
      assert.equal(nameJson(s), JSON.stringify(s));
    }),
    { numRuns: 2000 },
  );
});
