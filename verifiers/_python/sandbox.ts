/**
 * The command line that starts one Python sandbox (a warm zygote script): `setpriv` drops to nobody (uid/gid 65534, no
 * groups, no inheritable capabilities) *before* bubblewrap, so the sandbox is unprivileged outside its
 * namespaces too (DESIGN.md §4); bubblewrap then unshares every namespace (user, PID, network, IPC,
 * UTS, cgroup) and shows the renderer only read-only /usr plus a private tmpfs.
 */

/** Debian's interpreter: python3-matplotlib belongs to it (the `python3` on PATH may be another). */
export const PYTHON = "/usr/bin/python3";
export const BWRAP = "/usr/bin/bwrap";
export const SETPRIV = "/usr/bin/setpriv";

/** Where the reviewed zygote script is mounted inside the sandbox. */
const SCRIPT_IN_SANDBOX = "/opt/arbiter/zygote.py";

/** A program and its arguments. */
export interface SandboxCommand {
  program: string;
  args: string[];
}

/**
 * Program and arguments that start `script` (a reviewed Python file on the host) in its sandbox.
 * The pool's processes and the availability probe both use this one command line.
 */
export function sandboxCommand(script: string): SandboxCommand {
  return {
    program: SETPRIV,
    args: [
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      "--inh-caps=-all",
      "--bounding-set=-all",
      BWRAP,
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      "--ro-bind",
      "/usr",
      "/usr",
      "--symlink",
      "usr/lib",
      "/lib",
      "--symlink",
      "usr/lib64",
      "/lib64",
      "--symlink",
      "usr/bin",
      "/bin",
      // numpy's BLAS is reached through Debian's alternatives symlinks; nothing else of /etc is shown.
      "--ro-bind",
      "/etc/alternatives",
      "/etc/alternatives",
      // System fonts are hidden: only matplotlib's bundled DejaVu fonts exist, on every machine.
      "--tmpfs",
      "/usr/share/fonts",
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--tmpfs",
      "/tmp",
      "--ro-bind",
      script,
      SCRIPT_IN_SANDBOX,
      "--chdir",
      "/tmp",
      "--clearenv",
      "--setenv",
      "HOME",
      "/tmp",
      "--setenv",
      "PATH",
      "/usr/bin",
      "--setenv",
      "LANG",
      "C.UTF-8",
      "--setenv",
      "PYTHONHASHSEED",
      "0",
      "--setenv",
      "PYTHONDONTWRITEBYTECODE",
      "1",
      "--setenv",
      "MPLBACKEND",
      "Agg",
      "--setenv",
      "MPLCONFIGDIR",
      "/tmp/mpl",
      "--setenv",
      "MATPLOTLIBRC",
      "/usr/share/matplotlib/mpl-data/matplotlibrc",
      "--setenv",
      "OPENBLAS_NUM_THREADS",
      "1",
      "--setenv",
      "OMP_NUM_THREADS",
      "1",
      PYTHON,
      SCRIPT_IN_SANDBOX,
    ],
  };
}
