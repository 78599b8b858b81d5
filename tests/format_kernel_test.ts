/** Tests of the `format` kernel driven in-process through its host glue and `score()`. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileKernel, KernelInstance, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { formatVerifier } from "../verifiers/format/mod.ts";

const kernel = new KernelInstance(
  compileKernel(Deno.readFileSync(new URL("../wasm/format.wasm", import.meta.url))),
);

function score(response: string, options: Record<string, unknown> = {}): KernelOutput {
  return scoreInProcess(kernel, formatVerifier.params(null, options), response);
}

Deno.test("`format` gives every published example its expected result", () => {
  for (const ex of formatVerifier.examples) {
    const out = scoreInProcess(
      kernel,
      formatVerifier.params(ex.item.reference, ex.item.options ?? {}),
      ex.item.response,
    );
    assert.equal(out.reward, ex.expected.reward, ex.title);
    assert.equal(out.correct, ex.expected.correct, ex.title);
    for (const [k, v] of Object.entries(ex.expected.details ?? {})) {
      assert.deepEqual(out.details[k], v, `${ex.title}: ${k}`);
    }
  }
});

Deno.test("`format` accepts whitespace around and between the blocks and an empty think", () => {
  assert.equal(score("\n <think></think>\n\n<answer>x</answer>\n").reward, 1);
});

Deno.test("`format` names the problem: text before, between, nested, unclosed", () => {
  assert.equal(score("Sure! <think>a</think><answer>b</answer>").details.problem, "text_outside");
  assert.equal(score("<think>a</think> so <answer>b</answer>").details.problem, "text_outside");
  assert.equal(score("<think>a<answer>b</answer></think>").details.problem, "wrong_order");
  assert.equal(score("<think>a<answer>b</answer>").details.problem, "missing_tag");
  assert.equal(score("<think>a</think><think>b</think><answer>c</answer>").details.problem, "duplicate_tag");
});

Deno.test("`format` checks any number of custom tags in order", () => {
  const tags = ["plan", "code", "answer"];
  assert.equal(score("<plan>p</plan><code>c</code><answer>a</answer>", { tags }).reward, 1);
  assert.equal(
    score("<plan>p</plan><answer>a</answer><code>c</code>", { tags }).details.problem,
    "wrong_order",
  );
});

Deno.test("`format` never traps on random text and answers 1 only for the layout", () => {
  const piece = fc.constantFrom(
    "<think>",
    "</think>",
    "<answer>",
    "</answer>",
    " ",
    "\n",
    "x",
    "<",
    ">",
    "/",
    "\u0000",
    "é",
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.array(piece, { maxLength: 40 }).map((a) => a.join("")),
      ),
      (s) => {
        const out = score(s);
        assert.ok(out.reward === 0 || out.reward === 1);
        assert.ok(out.details.reason === null || out.details.reason === "bad_format");
        if (out.reward === 1) {
          assert.match(
            s,
            /^\s*<think>[\s\S]*<\/think>\s*<answer>[\s\S]*\S[\s\S]*<\/answer>\s*$/,
          );
        }
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("`format` handles a 1 MB response of tags without trouble", () => {
  assert.equal(score("<think>".repeat(150_000)).details.problem, "missing_tag");
});
