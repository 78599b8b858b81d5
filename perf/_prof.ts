import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { recItems } from "../perf/rec_items.ts";
const engine = await createEngine(VERIFIERS, {});
const items = recItems(100_000);
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  const res = await engine.verifyBatch(items);
  const ms = performance.now() - t;
  console.log(
    `${ms.toFixed(0)} ms  ${(100000 / ms * 1000).toFixed(0)}/s`,
    res[0].reward,
    res[1].details?.reason,
  );
}
await engine.close();
