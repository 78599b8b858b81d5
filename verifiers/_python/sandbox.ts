/**
 * The command line that starts one Python sandbox: `setpriv` drops to nobody (uid/gid 65534, no
 * groups, no capabilities) *before* bubblewrap, so the sandbox is unprivileged outside its namespaces
 * too (DESIGN.md §4); bubblewrap then unshares every namespace (user, PID, network, IPC, UTS, cgroup),
 * forbids nested user namespaces (`--disable-userns`), loads the seccomp filter (`seccomp.ts`) and
 * shows the zygote read-only /usr, a read-only root, and two size-capped tmpfs (/tmp, /dev/shm) as
 * the only writable places, which the zygote wipes after every job.
 */

/** Debian's interpreter: python3-matplotlib belongs to it (the `python3` on PATH may be another). */
export const PYTHON = "/usr/bin/python3";
export const BWRAP = "/usr/bin/bwrap";
export const SETPRIV = "/usr/bin/setpriv";
const SH = "/bin/sh";

/** The generic zygote on the host. */
export const zygotePath = new URL("./zygote.py", import.meta.url).pathname;
const ZYGOTE_IN_SANDBOX = "/opt/arbiter/zygote.py";
const HANDLERS_IN_SANDBOX = "/opt/arbiter/handlers";

/** Size caps of the writable tmpfs mounts (bytes). */
export const TMP_BYTES = 64 << 20;
export const SHM_BYTES = 16 << 20;

/** The descriptor bubblewrap reads the seccomp program from. */
const SECCOMP_FD = 9;

/** A program and its arguments. */
export interface SandboxCommand {
  program: string;
  args: string[];
}

/** Where a handler script is mounted inside the sandbox (by its file name). */
function inSandbox(handler: string): string {
  const name = handler.slice(handler.lastIndexOf("/") + 1);
  if (!/^[a-z_]+\.py$/.test(name)) throw new Error(`Handler script name "${name}" is not a plain .py name`);
  return `${HANDLERS_IN_SANDBOX}/${name}`;
}

/**
 * Program and arguments that start the zygote with `handlers` (reviewed Python files on the host) in
 * its sandbox. `seccomp` is the filter file (null: none). The pool's processes and the availability
 * probe both use this one command line; `pythonArgs` replaces the zygote only for the cold baseline of
 * perf/program_bench.ts (one python3 per program in the same sandbox). With a filter, `/bin/sh` opens it on descriptor 9 and execs
 * setpriv (arguments are passed as "$@", never parsed by the shell).
 */
export function sandboxCommand(
  handlers: string[],
  seccomp: string | null,
  pythonArgs: string[] = [ZYGOTE_IN_SANDBOX, ...handlers.map(inSandbox)],
): SandboxCommand {
  const mounts = handlers.flatMap((h) => ["--ro-bind", h, inSandbox(h)]);
  const args = [
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    BWRAP,
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    ...(seccomp === null ? [] : ["--seccomp", String(SECCOMP_FD)]),
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
    "--remount-ro",
    "/usr/share/fonts",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--size",
    String(SHM_BYTES),
    "--tmpfs",
    "/dev/shm",
    "--size",
    String(TMP_BYTES),
    "--tmpfs",
    "/tmp",
    "--ro-bind",
    zygotePath,
    ZYGOTE_IN_SANDBOX,
    ...mounts,
    "--remount-ro",
    "/dev",
    "--remount-ro",
    "/",
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
    ...pythonArgs,
  ];
  if (seccomp === null) return { program: SETPRIV, args };
  return { program: SH, args: ["-c", `exec "$@" ${SECCOMP_FD}<"$0"`, seccomp, SETPRIV, ...args] };
}
