/**
 * `deno task fuzz [--seconds N] [--seed S] [--skip v1,v2]`: feeds random and mutated model outputs to every kernel
 * verifier through the real engine and sandbox for a given time, starting from each verifier's
 * published examples. Fails (exit 1, the input printed) on any trap or crash (`internal`) and on any
 * deadline overrun by an input under 4 kB (a kernel must not hang on small input).
 */
import { parseArgs } from "node:util";
import { createEngine, type Engine, VERIFIERS, type VerifyResult } from "../verifiers/mod.ts";

const TOKENS = [
  "\\boxed{",
  "{",
  "}",
  "\\frac{",
  "\\sqrt",
  "[",
  "]",
  "(",
  ")",
  ",",
  ";",
  " ",
  "\n",
  "<answer>",
  "</answer>",
  "<think>",
  "</think>",
  "click(",
  "x=",
  '"',
  "'",
  "\\",
  "0",
  "9",
  "-",
  ".",
  "e308",
  "1e999",
  "^",
  "_",
  "\\{",
  "\\}",
  "\\pm",
  "∞",
  "π",
  "中",
  "\u0000",
  "\ud800",
  "```python\n",
  "```",
  '{"action": ',
  "NaN",
  "//",
  "*",
];

/** A small seeded PRNG (mulberry32), so a failure can be replayed with its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutation of `text`: insert a token, delete or duplicate a slice, truncate, or random text. */
export function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const pick = random();
  if (pick < 0.35) return text.slice(0, at) + TOKENS[Math.floor(random() * TOKENS.length)] + text.slice(at);
  if (pick < 0.5) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 8));
  if (pick < 0.65) {
    const end = Math.min(text.length, at + 1 + Math.floor(random() * 32));
    return text.slice(0, end) + text.slice(at, end).repeat(1 + Math.floor(random() * 20)) + text.slice(end);
  }
  if (pick < 0.75) return text.slice(0, at);
  if (pick < 0.85) return TOKENS[Math.floor(random() * TOKENS.length)].repeat(1 + Math.floor(random() * 200));
  let out = "";
  for (let i = Math.floor(random() * 64); i > 0; i--) {
    out += String.fromCharCode(Math.floor(random() * 0x3000));
  }
  return out;
}

/** A problem the fuzzer found, or null. */
export function problemOf(result: VerifyResult, response: string): string | null {
  if (result.error?.code === "internal") return `internal: ${result.error.message}`;
  if (result.error && result.error.code !== "invalid_request") {
    return `${result.error.code}: ${result.error.message}`;
  }
  if (result.details?.limit === "deadline" && new TextEncoder().encode(response).length < 4096) {
    return "a response under 4 kB ran past its deadline";
  }
  return null;
}

/** Fuzzes every kernel verifier of the engine for `seconds`; returns the number of items and problems. */
export async function fuzzKernels(
  engine: Engine,
  seconds: number,
  seed: number,
  skip: readonly string[] = [],
): Promise<
  { items: number; ms: number; problems: { verifier: string; response: string; problem: string }[] }
> {
  const random = rng(seed);
  const verifiers = Object.values(engine.table).filter((v) =>
    !v.stage && !v.remote && v.examples.length > 0 && !skip.includes(v.name)
  );
  const problems: { verifier: string; response: string; problem: string }[] = [];
  let items = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until && problems.length === 0) {
    const batch: {
      verifier: string;
      response: string;
      reference: unknown;
      options?: Record<string, unknown>;
    }[] = [];
    for (const verifier of verifiers) {
      for (const example of verifier.examples) {
        let response = example.item.response;
        const rounds = 1 + Math.floor(random() * 6);
        for (let i = 0; i < rounds; i++) response = mutate(response, random);
        batch.push({
          verifier: verifier.name,
          response,
          reference: example.item.reference,
          options: { ...example.item.options, timeout_ms: 1000 },
        });
      }
    }
    const results = await engine.verifyBatch(batch);
    results.forEach((result, i) => {
      const problem = problemOf(result, batch[i].response);
      if (problem) problems.push({ verifier: batch[i].verifier, response: batch[i].response, problem });
    });
    items += batch.length;
  }
  return { items, ms: performance.now() - started, problems };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { seconds: { type: "string" }, seed: { type: "string" }, skip: { type: "string" } },
  });
  const seconds = Number(values.seconds ?? 30);
  const seed = Number(values.seed ?? Date.now() % 1_000_000);
  const engine = await createEngine(VERIFIERS);
  try {
    const { items, ms, problems } = await fuzzKernels(engine, seconds, seed, values.skip?.split(",") ?? []);
    console.log(
      `fuzz: ${items} items in ${(ms / 1000).toFixed(1)} s (seed ${seed}), ${problems.length} problem(s)`,
    );
    for (const p of problems.slice(0, 10)) {
      console.log(`  ${p.verifier}: ${p.problem}\n    response: ${JSON.stringify(p.response).slice(0, 400)}`);
    }
    if (problems.length > 0) Deno.exitCode = 1;
  } finally {
    await engine.close();
  }
}
