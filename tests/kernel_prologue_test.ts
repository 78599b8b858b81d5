/**
 * The one item prologue (kernels/_lib/item.ts): every kernel gives the same verdict for an item
 * without a parameter block or with a malformed one, and `kernels/` holds only entry files,
 * README.md, `_lib/` and one folder per kernel.
 */
import assert from "node:assert/strict";
import { loadKernel } from "./_kernel.ts";

const kernelsDir = new URL("../kernels/", import.meta.url);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The kernel names: one entry file `kernels/<name>.ts` each. */
function kernelNames(): string[] {
  return [...Deno.readDirSync(kernelsDir)].filter((e) => e.isFile && e.name.endsWith(".ts"))
    .map((e) => e.name.slice(0, -3)).sort();
}

function scoreRaw(name: string, bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(loadKernel(name).scoreBytes(bytes)));
}

function item(params: string, response: string): Uint8Array {
  return encoder.encode(`${params}\0${response}`);
}

const noParameters = {
  reward: 0,
  correct: false,
  details: { reason: "parse_error", problem: "no_parameters" },
};
const malformed = {
  reward: 0,
  correct: false,
  details: { reason: "parse_error", problem: "malformed_parameters" },
};

// Parameter blocks that are not one JSON object, each cut from or near what the host writes.
const MALFORMED = [
  "",
  "{",
  '{"reference":"2","options":{}',
  '{"tags":["think","answer"],"profile":"default"',
  '{"mode":"rec","ref":[1,2,3,4]',
  "[1,2]",
  '"text"',
  "null",
  "{'reference': '2'}",
  '{"a":1}x',
];

Deno.test("every kernel: an item without a 0x00 separator gets the one no_parameters verdict", () => {
  for (const name of kernelNames()) {
    for (const text of ["", "The answer is 4", '{"reference":"4"}']) {
      assert.deepEqual(
        scoreRaw(name, encoder.encode(text)),
        noParameters,
        `${name} on ${JSON.stringify(text)}`,
      );
    }
  }
});

Deno.test("every kernel: a malformed parameter block gets the one malformed_parameters verdict", () => {
  for (const name of kernelNames()) {
    for (const params of MALFORMED) {
      for (const response of ["", "<answer>4</answer>", "[1, 2, 3, 4]"]) {
        assert.deepEqual(
          scoreRaw(name, item(params, response)),
          malformed,
          `${name} on ${JSON.stringify(params)}`,
        );
      }
    }
  }
});

Deno.test("kernels/ holds only entry files, README.md, _lib/ and one folder per kernel", () => {
  const names = new Set(kernelNames());
  for (const e of Deno.readDirSync(kernelsDir)) {
    if (e.isFile) {
      assert.ok(e.name === "README.md" || (e.name.endsWith(".ts") && !e.name.startsWith("_")), e.name);
      if (e.name.endsWith(".ts")) {
        const wasm = new URL(`../wasm/${e.name.slice(0, -3)}.wasm`, import.meta.url);
        assert.ok(Deno.statSync(wasm).isFile, `wasm for ${e.name}`);
      }
    } else {
      assert.ok(e.isDirectory && (e.name === "_lib" || names.has(e.name)), `folder ${e.name} names a kernel`);
    }
  }
});
