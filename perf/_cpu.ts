import process from "node:process";
import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
import { recItems } from "./rec_items.ts";
const engine = await createEngine(VERIFIERS, { workers: Number(Deno.args[0] ?? 2) });
const items = recItems(100_000);
await engine.verifyBatch(items);
for (let r = 0; r < 4; r++) {
  const c0 = process.cpuUsage();
  const t = performance.now();
  await engine.verifyBatch(items);
  const ms = performance.now() - t;
  const c = process.cpuUsage(c0);
  console.log(`${ms.toFixed(0)} ms wall, main process cpu ${((c.user + c.system) / 1000).toFixed(0)} ms (user ${(c.user/1000).toFixed(0)}, sys ${(c.system/1000).toFixed(0)})`);
}
await engine.close();
