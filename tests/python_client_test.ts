/**
 * The Python client (`clients/python`): installed into a fresh venv of Debian's Python with
 * `pip install --no-build-isolation` (offline), plus orjson (its optional codec) from the local
 * package store, then its unittest suite, which starts real servers.
 */
const repo = new URL("..", import.meta.url).pathname;
const python = "/usr/bin/python3";
/** Debian packages that the venv, the offline build and the adapters' tests (NumPy, Hydra's OmegaConf, PIL) need. */
const debianPackages = [
  "python3",
  "python3-venv",
  "python3-setuptools",
  "python3-wheel",
  "python3-numpy",
  "python3-omegaconf",
  "python3-pil",
];

interface Outcome {
  ok: boolean;
  text: string;
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(cmd, { args, env, cwd: repo, stdout: "piped", stderr: "piped" }).output();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return { ok: false, text: `$ ${cmd}: not found` };
  }
  const decoder = new TextDecoder();
  const text = `$ ${cmd} ${args.join(" ")}\n${decoder.decode(output.stdout)}${decoder.decode(output.stderr)}`;
  return { ok: output.success, text };
}

async function mustRun(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const outcome = await run(cmd, args, env);
  if (!outcome.ok) throw new Error(outcome.text);
  return outcome.text;
}

/** Makes a venv that sees Debian's packages; installs them with apt when missing. */
async function makeVenv(dir: string): Promise<void> {
  const tryVenv = async () => {
    const tools = await run(python, ["-c", "import setuptools, wheel, numpy, omegaconf, PIL"]);
    if (!tools.ok) return tools;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    return await run(python, ["-m", "venv", "--system-site-packages", dir]);
  };
  let attempt = await tryVenv();
  if (attempt.ok) return;
  const install = ["install", "-y", "--no-install-recommends", ...debianPackages];
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  if (!(await run("apt-get", install, env)).ok) {
    await mustRun("apt-get", ["update"], env);
    await mustRun("apt-get", install, env);
  }
  attempt = await tryVenv();
  if (!attempt.ok) throw new Error(attempt.text);
}

Deno.test("the Python client installs offline into a venv and passes its tests against real servers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arbiter_py_" });
  try {
    const venv = `${dir}/venv`;
    await makeVenv(venv);
    const env = {
      PIP_NO_INDEX: "1",
      PIP_DISABLE_PIP_VERSION_CHECK: "1",
      PYTHONDONTWRITEBYTECODE: "1",
      ARBITER_DENO: Deno.execPath(),
    };
    // Build from a copy, so that setuptools' in-tree build/ and *.egg-info stay out of the checkout.
    const source = `${dir}/src`;
    await Deno.mkdir(source);
    const files = ["arbiter_client", "pyproject.toml", "README.md"].map((f) => `clients/python/${f}`);
    await mustRun("cp", ["-r", ...files, source]);
    const pip = ["-m", "pip", "install", "-q", "--no-build-isolation", source];
    await mustRun(`${venv}/bin/python`, pip, env);
    // orjson, the client's optional faster codec, from the machine's package store (pip config):
    // the codec test checks that it and the standard library give the same results.
    const orjson = ["-m", "pip", "install", "-q", "--timeout", "5", "--retries", "0", "orjson"];
    await mustRun(`${venv}/bin/python`, orjson, { PIP_DISABLE_PIP_VERSION_CHECK: "1" });
    const tests = await run(
      `${venv}/bin/python`,
      ["-m", "unittest", "discover", "-s", "clients/python/tests", "-t", "clients/python/tests", "-v"],
      env,
    );
    if (!tests.ok) throw new Error(`The Python client's tests failed:\n${tests.text}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
