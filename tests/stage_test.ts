/** Verifiers with a host stage (as `chart_code` renders in its own sandbox before its kernel scores). */
import assert from "node:assert/strict";
import { createEngine } from "../verifiers/engine.ts";
import type { StageItem, StageOutcome, WasmVerifier } from "../verifiers/types.ts";
import { probeVerifier } from "./_probe.ts";

/** The probe kernel behind a stage that rewrites the response (`run:X` → kernel input X). */
const staged: WasmVerifier = {
  ...probeVerifier,
  stage(item: StageItem): Promise<StageOutcome> {
    const [kind, rest] = item.response.split(":");
    if (kind === "run") return Promise.resolve({ input: new TextEncoder().encode(rest) });
    if (kind === "fail") {
      return Promise.resolve({
        verdict: { reward: 0, correct: false, details: { reason: "render_failed", stderr: rest } },
      });
    }
    if (kind === "down") {
      return Promise.resolve({ error: { code: "sandbox_unavailable", message: "renderer down" } });
    }
    return Promise.reject(new Error("stage bug"));
  },
};

Deno.test("a stage's input goes to the kernel; its verdicts and errors settle the item", async () => {
  const engine = await createEngine({ probe: staged }, {
    workers: 1,
    wasmDir: new URL("../wasm/test/", import.meta.url),
  });
  try {
    const items = ["run:ok", "fail:SyntaxError", "down:", "boom:", "run:trap"].map((response) => ({
      verifier: "probe",
      response,
    }));
    const results = await engine.verifyBatch(items);
    assert.equal(results[0].reward, 1);
    assert.equal(results[0].details?.command, "ok", "the kernel saw the stage's bytes, not the response");
    assert.equal(results[1].reward, 0);
    assert.equal(results[1].details?.reason, "render_failed");
    assert.equal(results[2].error?.code, "sandbox_unavailable");
    assert.equal(results[3].error?.code, "internal");
    assert.match(results[3].error!.message, /stage bug/);
    assert.equal(results[4].error?.code, "internal");
  } finally {
    await engine.close();
  }
});

Deno.test("a verifier whose availability check fails is unavailable: 503-class error for its items", async () => {
  const unavailable: WasmVerifier = {
    ...probeVerifier,
    availability: () => Promise.resolve("bubblewrap is missing: apt-get install bubblewrap"),
  };
  const engine = await createEngine({ probe: unavailable }, {
    workers: 1,
    wasmDir: new URL("../wasm/test/", import.meta.url),
  });
  try {
    assert.deepEqual(engine.health(), { probe: "bubblewrap is missing: apt-get install bubblewrap" });
    await assert.rejects(
      () => engine.verifyBatch([{ verifier: "probe", response: "ok" }]),
      /unavailable: bubblewrap is missing/,
    );
  } finally {
    await engine.close();
  }
});

Deno.test("lazyStart (the CLI): start without waiting for a check; its verifier's items wait for it", async () => {
  let settle!: (reason: string | null) => void;
  let settled = false;
  const check = new Promise<string | null>((resolve) => settle = resolve).finally(() => settled = true);
  const slow: WasmVerifier = { ...staged, name: "slow", kernel: "probe", availability: () => check };
  const engine = await createEngine({ probe: probeVerifier, slow }, {
    workers: 1,
    wasmDir: new URL("../wasm/test/", import.meta.url),
    lazyStart: true,
  });
  try {
    assert.equal(settled, false, "the engine started before the check settled");
    // Other verifiers' items do not wait for it.
    assert.equal((await engine.verifyBatch([{ verifier: "probe", response: "ok" }]))[0].reward, 1);
    assert.equal(settled, false);
    // The check's own items wait, then get its outcome: here it fails, so they are sandbox_unavailable.
    const waiting = engine.verifyBatch([{ verifier: "slow", response: "run:ok" }, {
      verifier: "probe",
      response: "ok",
    }]);
    setTimeout(() => settle("bubblewrap is missing: apt-get install bubblewrap"), 50);
    const [slowResult, probeResult] = await waiting;
    assert.equal(settled, true);
    assert.equal(slowResult.error?.code, "sandbox_unavailable");
    assert.match(slowResult.error!.message, /unavailable/);
    assert.equal(probeResult.reward, 1);
    assert.deepEqual(engine.health().slow, "bubblewrap is missing: apt-get install bubblewrap");
  } finally {
    await engine.close();
  }
});

Deno.test("a stage's details join the kernel's verdict; `kernel` names another verifier's kernel", async () => {
  // Named "staged" but graded by the probe kernel (as `program` is graded by `math`'s).
  const borrowing: WasmVerifier = {
    ...probeVerifier,
    name: "staged",
    kernel: "probe",
    stage(item: StageItem): Promise<StageOutcome> {
      return Promise.resolve({
        input: new TextEncoder().encode(item.response),
        details: { program: { stdout: "printed", exit_code: 0 } },
      });
    },
  };
  const engine = await createEngine({ staged: borrowing }, {
    workers: 1,
    wasmDir: new URL("../wasm/test/", import.meta.url),
  });
  try {
    assert.deepEqual(engine.health(), { staged: "ok" });
    const [ok, trap] = await engine.verifyBatch(
      ["ok", "trap"].map((response) => ({ verifier: "staged", response })),
    );
    assert.equal(ok.reward, 1);
    assert.equal(ok.details?.command, "ok", "the kernel's own details stay");
    assert.deepEqual(ok.details?.program, { stdout: "printed", exit_code: 0 });
    assert.equal(trap.error?.code, "internal", "a no-verdict passes unchanged");
    assert.equal(trap.details, null);
  } finally {
    await engine.close();
  }
});
