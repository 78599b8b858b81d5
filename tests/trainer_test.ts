/**
 * Runs the companion GRPO trainer's Python tests against a real server:
 * `trainer/tests/test_grpo_learns.py` (the CPU demo learns; resume is exact) and
 * `trainer/tests/test_hf_path.py` (the Hugging Face path with tiny random-weight models).
 * Python, torch and transformers come from the shared venv of `scripts/python_venv.sh`
 * (installed on first use from the machine's wheel store, then reused).
 */
import { startServer } from "./_server.ts";

const root = new URL("..", import.meta.url).pathname;
const venvScript = `${root}scripts/python_venv.sh`;
const serverConfig = `${root}trainer/tests/arbiter.yaml`;

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  const decoder = new TextDecoder();
  return {
    ok: out.success,
    stdout: decoder.decode(out.stdout),
    text: decoder.decode(out.stdout) + decoder.decode(out.stderr),
  };
}

/** The venv's python, with torch, transformers, pillow and pyarrow installed (once per machine). */
async function venvPython(): Promise<string> {
  const made = await run("sh", [venvScript, "torch", "transformers", "pillow", "pyarrow"]);
  if (!made.ok) throw new Error(`scripts/python_venv.sh failed:\n${made.text}`);
  return made.stdout.trim().split("\n").at(-1)!;
}

async function pythonTest(file: string) {
  const python = await venvPython();
  const server = await startServer({}, ["--config", serverConfig]);
  try {
    const result = await run(python, [`${root}trainer/tests/${file}`], {
      ARBITER_URL: server.url,
      DENO: Deno.execPath(),
    });
    if (!result.ok) throw new Error(`${python} trainer/tests/${file} failed:\n${result.text}`);
  } finally {
    await server.stop();
  }
}

Deno.test("the GRPO trainer raises verified held-out accuracy above its warm-up, and shuffled rewards do not", () =>
  pythonTest("test_grpo_learns.py"));

Deno.test("the trainer's Hugging Face path trains tiny text and vision models correctly on CPU", () =>
  pythonTest("test_hf_path.py"));
