/**
 * The `text` kernel reads the host's parameter block with a key walker and leaves any other block to the general
 * JSON reader; it writes a scored verdict straight into static memory when its strings are its own constants and
 * with the general writer otherwise. Property tests (fast-check): the same parameters give byte-identical verdicts
 * whichever reader and writer take them (a block spaced out, a key written with an escape, an unknown metric name,
 * which scores as ROUGE-L under its own name), and whether or not a template of the key walker's values kept from
 * earlier blocks (kernels/text/param_cache.ts) takes the block.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { TEXT_METRICS, textVerifier } from "../verifiers/text/mod.ts";
import { TOKENIZERS } from "../verifiers/text/schemas.ts";
import { TOKEN_PIECES } from "../perf/text_baseline.ts";
import { compileKernel, KernelInstance } from "../wasm/mod.ts";
import { loadKernel } from "./_kernel.ts";

const kernel = loadKernel("text");
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The kernel's output for a parameter block given as text. */
function score(block: string, response: string, instance: KernelInstance = kernel): string {
  const head = enc.encode(block), body = enc.encode(response);
  const item = new Uint8Array(head.length + 1 + body.length);
  item.set(head);
  item.set(body, head.length + 1);
  return dec.decode(instance.scoreBytes(item));
}

const text = fc.oneof(
  fc.array(fc.constantFrom(...TOKEN_PIECES, "the", "An", '"', "\\", "\n", "é"), { maxLength: 30 }).map((p) =>
    p.join("")
  ),
  fc.array(fc.constantFrom("a", "man", "rides", "the", "horse", "on", "beach", "Two"), {
    minLength: 1,
    maxLength: 14,
  })
    .map((w) => `<answer>${w.join(" ")}</answer>`),
);

interface Params {
  metric: string;
  tk: number;
  lowercase: boolean;
  tag: string;
  threshold: number | undefined;
  refs: string[];
}

const params: fc.Arbitrary<Params> = fc.record({
  metric: fc.constantFrom(...TEXT_METRICS),
  tk: fc.nat(),
  lowercase: fc.boolean(),
  tag: fc.constantFrom("answer", "", "ans"),
  threshold: fc.constantFrom(undefined, 0, 0.5, 1),
  refs: fc.array(text, { minLength: 1, maxLength: 3 }),
});

/** The host's block for these options (null when the host would refuse them). */
function hostBlock(p: Params): string | null {
  const toks = TOKENIZERS[p.metric as keyof typeof TOKENIZERS];
  const options: Record<string, unknown> = { metric: p.metric, lowercase: p.lowercase, tag: p.tag };
  if (toks.length > 0) options.tokenize = toks[p.tk % toks.length];
  if (p.threshold !== undefined) options.threshold = p.threshold;
  try {
    return JSON.stringify(textVerifier.params(p.refs.map((r) => `q ${r}`), options));
  } catch {
    return null;
  }
}

Deno.test("property: the key walker and the general reader give the same verdict for the same parameters", () => {
  let checked = 0;
  fc.assert(
    fc.property(params, text, (p, answer) => {
      const block = hostBlock(p);
      if (block === null) return;
      const expected = score(block, answer);
      // spaced out: still the walker's
      assert.equal(score(JSON.stringify(JSON.parse(block), null, 2), answer), expected);
      // a key with an escape: the general reader's
      assert.equal(score(block.replace('"refs":', '"r\\u0065fs":'), answer), expected);
      checked++;
    }),
    { numRuns: 400 },
  );
  assert.ok(checked > 200, `${checked} blocks checked`);
});

Deno.test("property: the general writer (an unknown metric name, scored as ROUGE-L) writes the same verdict", () => {
  fc.assert(
    fc.property(params, text, (p, answer) => {
      const block = hostBlock({ ...p, metric: "rougeL" });
      if (block === null) return;
      const known = score(block, answer);
      const unknown = score(block.replace(/^\{/, '{"metric":"rouge_l",'), answer);
      assert.equal(unknown, known.replace('"metric":"rougeL"', '"metric":"rouge_l"'));
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: a block that a kept template takes (earlier blocks' options, another reference) gets the key walker's verdict", () => {
  const module = compileKernel(Deno.readFileSync(new URL("../wasm/text.wasm", import.meta.url)));
  let checked = 0;
  fc.assert(
    fc.property(params, fc.array(params, { maxLength: 6 }), text, text, (p, others, primeRef, answer) => {
      const block = hostBlock({ ...p, refs: p.refs.slice(0, 1) });
      const prime = hostBlock({ ...p, refs: [primeRef] });
      if (block === null || prime === null) return;
      // a fresh instance keeps no template: the key walker (or the general reader) reads the block
      const expected = score(block, answer, new KernelInstance(module));
      // the same options with another reference, other options' blocks between (the templates rotate)
      score(prime, answer);
      for (const o of others) {
        const b = hostBlock(o);
        if (b !== null) score(b, answer);
        if (b !== null && others.indexOf(o) % 2 == 0) score(prime, "x");
      }
      assert.equal(score(block, answer), expected);
      checked++;
    }),
    { numRuns: 300 },
  );
  assert.ok(checked > 150, `${checked} blocks checked`);
});
