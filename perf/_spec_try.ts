import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
const engine = await createEngine(VERIFIERS, { workers: 1, specs: { mf: { sum: [{ weight: 0.9, verifier: "math" }, { weight: 0.1, verifier: "format" }] } } });
const r = await engine.verifyBatch([{ id: "named", spec: "mf", response: "\\boxed{4}", reference: "4" }]);
console.log(JSON.stringify(r[0]).slice(0, 300));
await engine.close();
