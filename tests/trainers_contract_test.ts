/**
 * The trainers' contract tests (`clients/python/contract_tests/`): TRL's real `GRPOTrainer`, and
 * harnesses that call Arbiter as verl and OpenRLHF do, each asserting what the trainer computes next
 * (tensors, dtypes, advantages). They run in the shared venv of `scripts/python_venv.sh` (torch CPU,
 * transformers and trl from the local wheel store; about 4 minutes the first time on a machine) with
 * Debian's numpy, OmegaConf and PIL (apt, when missing), against real servers that the tests start.
 */
const repo = new URL("..", import.meta.url).pathname;
const debianPackages = ["python3-venv", "python3-numpy", "python3-omegaconf", "python3-pil"];

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(cmd, { args, env, cwd: repo, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return {
    ok: output.success,
    stdout: decoder.decode(output.stdout),
    text: `$ ${cmd} ${args.join(" ")}\n${decoder.decode(output.stdout)}${decoder.decode(output.stderr)}`,
  };
}

/** Debian's numpy, OmegaConf and PIL for /usr/bin/python3 (the venv sees them), installed when missing. */
async function ensureDebianPackages(): Promise<void> {
  if ((await run("/usr/bin/python3", ["-c", "import venv, numpy, omegaconf, PIL"])).ok) return;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const install = ["install", "-y", "--no-install-recommends", ...debianPackages];
  if (!(await run("apt-get", install, env)).ok) {
    await run("apt-get", ["update"], env);
    const again = await run("apt-get", install, env);
    if (!again.ok) throw new Error(`apt-get could not install ${debianPackages.join(" ")}:\n${again.text}`);
  }
}

/** The shared venv's python, with torch, transformers and trl in it. */
async function trainersPython(): Promise<string> {
  const venv = await run("sh", ["scripts/python_venv.sh", "torch", "transformers", "trl"]);
  if (!venv.ok) throw new Error(`scripts/python_venv.sh failed:\n${venv.text}`);
  return venv.stdout.trim().split("\n").at(-1)!;
}

Deno.test("trainer contracts: TRL's GRPOTrainer, verl's managers and OpenRLHF's versions get float rewards from Arbiter", async () => {
  await ensureDebianPackages();
  const python = await trainersPython();
  const tests = await run(
    python,
    [
      "-m",
      "unittest",
      "discover",
      "-s",
      "clients/python/contract_tests",
      "-t",
      "clients/python/contract_tests",
      "-v",
    ],
    { ARBITER_DENO: Deno.execPath(), PYTHONDONTWRITEBYTECODE: "1", PIP_DISABLE_PIP_VERSION_CHECK: "1" },
  );
  if (!tests.ok) throw new Error(`The trainers' contract tests failed:\n${tests.text}`);
  const ran = /Ran (\d+) tests?/.exec(tests.text);
  if (!ran || Number(ran[1]) < 12) throw new Error(`Too few contract tests ran:\n${tests.text}`);
});
