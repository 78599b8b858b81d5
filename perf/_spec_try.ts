import { createEngine, VERIFIERS } from "../verifiers/mod.ts";
const engine = await createEngine(VERIFIERS, { workers: 1, specs: { fmt_math: { sum: [{ weight: 0.9, verifier: "math" }, { weight: 0.1, verifier: "format" }] } }, routes: { gsm: "fmt_math" } });
const r = await engine.verifyBatch([
  { id: "s1", spec: { sum: [{ weight: 0.9, verifier: "math" }, { weight: 0.1, verifier: "format" }] }, response: "<think>2+2</think><answer>\\boxed{4}</answer>", reference: "4" },
  { spec: "fmt_math", response: "the answer is 5", reference: "4" },
  { data_source: "gsm", response: "<think>x</think><answer>4</answer>", reference: "4" },
  { spec: { gate: { if: { verifier: "format" }, then: { verifier: "math" } } }, response: "4", reference: "4" },
  { spec: { sum: [{ verifier: "math" }, { constant: -1 }] }, response: "4", reference: "4" },
  { spec: { sum: [{ verifier: "nope" }] }, response: "4", reference: "4" },
  { spec: "zzz", response: "4" },
  { spec: { constant: 0.5 }, response: "4" },
]);
for (const x of r) console.log(JSON.stringify(x).slice(0, 400));
await engine.close();
