import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
const engine = await createEngine(VERIFIERS, { workers: 1 });
const items = Array.from({ length: 100_000 }, (_, i) => ({ verifier: "math", response: "42", reference: "42" }));
for (let r = 0; r < 4; r++) {
  const t = performance.now();
  await engine.verifyBatch(items);
  const ms = performance.now() - t;
  console.log(`${ms.toFixed(0)} ms  ${(items.length / ms * 1000).toFixed(0)}/s`);
}
await engine.close();
