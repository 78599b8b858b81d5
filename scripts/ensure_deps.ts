/**
 * Installs what the chart sandbox needs on Debian when it is missing and we run as root (tests and
 * CI call this; the server never installs anything, its availability check only reports).
 */

const PACKAGES = ["python3-matplotlib", "bubblewrap"];

function present(): boolean {
  for (const path of ["/usr/bin/bwrap", "/usr/bin/setpriv", "/usr/share/matplotlib/mpl-data/matplotlibrc"]) {
    try {
      Deno.statSync(path);
    } catch {
      return false;
    }
  }
  return true;
}

async function aptGet(args: string[]): Promise<boolean> {
  const { code } = await new Deno.Command("apt-get", {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "inherit",
  }).output();
  return code === 0;
}

/**
 * Makes sure python3-matplotlib, bubblewrap and setpriv are there: as root, `apt-get install -y`
 * (after `apt-get update` only when the first install fails). Returns what it did, or why not.
 */
export async function ensureChartDeps(): Promise<string> {
  if (present()) return "present";
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return "missing (not root: cannot install)";
  const install = ["install", "-y", "--no-install-recommends", ...PACKAGES];
  if (await aptGet(install)) return "installed";
  await aptGet(["update"]);
  return (await aptGet(install)) ? "installed after apt-get update" : "install failed";
}
