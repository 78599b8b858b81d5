/**
 * Whether the chart sandbox can run here: the programs exist and a sandboxed Debian python3 can
 * import matplotlib (which also proves that user namespaces are allowed). Reports, never installs.
 */
import { BWRAP, PYTHON, SETPRIV } from "./sandbox.ts";

const INSTALL_HINT = "as root: apt-get install -y python3-matplotlib bubblewrap";

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Null when the sandbox works; otherwise why not and how to fix it. */
export async function chartSandboxAvailability(): Promise<string | null> {
  if (Deno.build.os !== "linux") return "the chart sandbox needs Linux (bubblewrap and user namespaces)";
  for (const [path, pkg] of [[BWRAP, "bubblewrap"], [SETPRIV, "util-linux"], [PYTHON, "python3"]]) {
    if (!(await exists(path))) return `${path} is missing (package ${pkg}); ${INSTALL_HINT}`;
  }
  if (!(await exists("/usr/share/matplotlib/mpl-data/matplotlibrc"))) {
    return `Debian's python3-matplotlib is missing; ${INSTALL_HINT}`;
  }
  const probe = new Deno.Command(SETPRIV, {
    args: [
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      "--inh-caps=-all",
      BWRAP,
      "--unshare-all",
      "--die-with-parent",
      "--ro-bind",
      "/usr",
      "/usr",
      "--symlink",
      "usr/lib",
      "/lib",
      "--symlink",
      "usr/lib64",
      "/lib64",
      "--ro-bind",
      "/etc/alternatives",
      "/etc/alternatives",
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--tmpfs",
      "/tmp",
      "--clearenv",
      "--setenv",
      "MPLCONFIGDIR",
      "/tmp",
      "--setenv",
      "MATPLOTLIBRC",
      "/usr/share/matplotlib/mpl-data/matplotlibrc",
      PYTHON,
      "-c",
      "import matplotlib, numpy, PIL; matplotlib.use('Agg'); import matplotlib.pyplot",
    ],
    stdout: "null",
    stderr: "piped",
    clearEnv: true,
  });
  try {
    const { code, stderr } = await probe.output();
    if (code === 0) return null;
    const text = new TextDecoder().decode(stderr).trim().split("\n").slice(-2).join(" ");
    if (text.includes("namespace") || text.includes("Operation not permitted")) {
      return `bubblewrap could not create its namespaces (${text}); allow unprivileged user namespaces ` +
        "(sysctl -w kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0)";
    }
    return `the sandboxed python3 could not import matplotlib (${text}); ${INSTALL_HINT}`;
  } catch (error) {
    return `the chart sandbox could not start (${(error as Error).message}); ${INSTALL_HINT}`;
  }
}
