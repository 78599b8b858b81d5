/** Runs the companion GRPO trainer's test (`trainer/tests/test_grpo_learns.py`) against a real server. */
import { startServer } from "./_server.ts";

// Debian's python3-torch belongs to Debian's interpreter; the `python3` first on PATH may be another.
const python = "/usr/bin/python3";
const pythonTest = new URL("../trainer/tests/test_grpo_learns.py", import.meta.url).pathname;

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  const decoder = new TextDecoder();
  return { ok: out.success, text: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

/** Installs python3-torch (and matplotlib, for the learning-curve PNG) with apt when torch is missing. */
async function ensureTorch(): Promise<void> {
  const check = () => run(python, ["-c", "import torch, matplotlib"]);
  if ((await check()).ok) return;
  const packages = ["install", "-y", "--no-install-recommends", "python3-torch", "python3-matplotlib"];
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!(await run("apt-get", packages, env)).ok) {
    await run("apt-get", ["update"], env);
    const again = await run("apt-get", packages, env);
    if (!again.ok) throw new Error(`apt-get could not install python3-torch:\n${again.text}`);
  }
  const after = await check();
  if (!after.ok) throw new Error(`${python} cannot import torch after installing it:\n${after.text}`);
}

Deno.test("the GRPO trainer raises verified held-out accuracy above its warm-up, and shuffled rewards do not", async () => {
  await ensureTorch();
  const server = await startServer();
  try {
    const result = await run(python, [pythonTest], { ARBITER_URL: server.url, DENO: Deno.execPath() });
    if (!result.ok) throw new Error(`${python} ${pythonTest} failed:\n${result.text}`);
  } finally {
    await server.stop();
  }
});
