import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { recItems } from "./rec_items.ts";
const engine = await createEngine(VERIFIERS, { workers: Number(Deno.args[0] ?? 2) });
const items = recItems(100_000);
for (let r = 0; r < 6; r++) {
  const t = performance.now();
  await engine.verifyBatch(items);
  const ms = performance.now() - t;
  console.log(`${ms.toFixed(0)} ms  ${(100000 / ms * 1000).toFixed(0)}/s`);
}
await engine.close();
