import { createProbeEngine } from "../tests/_probe.ts";
const engine = await createProbeEngine({ workers: 2 });
const items = Array.from({ length: 200_000 }, () => ({ verifier: "probe", response: "ok" }));
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  await engine.verifyBatch(items);
  const ms = performance.now() - t;
  console.log(`${ms.toFixed(0)} ms  ${(items.length / ms * 1000).toFixed(0)}/s`);
}
await engine.close();
