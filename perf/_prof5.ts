import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { mathItems } from "./math_items.ts";
const engine = await createEngine(VERIFIERS, {});
const items = mathItems(50_000);
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  await engine.verifyBatch(items);
  const ms = performance.now() - t;
  console.log(`${ms.toFixed(0)} ms  ${(items.length / ms * 1000).toFixed(0)}/s`);
}
await engine.close();
