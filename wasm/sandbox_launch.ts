/**
 * How a sandbox process is started: under a memory limit that works for Deno (RLIMIT_DATA: Deno
 * aborts at start under an RLIMIT_AS below ~32 GB because V8's cage reserves address space, while
 * RLIMIT_DATA turns a large ArrayBuffer into a catchable RangeError), and, when the server runs as
 * root, as the unprivileged user 65534 (nobody). That user may not be able to read the project's
 * folder or Deno's binary (under /root), so the sandbox's scripts and kernels are copied into a
 * content-addressed folder under the temp directory, and Deno's binary is hard-linked (or copied)
 * next to it. Each process also gets a memory cgroup where one can be made (`sandbox_cgroup.ts`,
 * applied by the pool right after the spawn).
 */
import { basename, join } from "node:path";
import { joinBytes } from "./frames.ts";

/** The user and group sandbox processes run as when the server runs as root. */
export const SANDBOX_UID = 65534;

/**
 * The niceness of sandbox processes: the server's threads come first when both want a core, so the
 * server keeps reading requests and feeding jobs while kernels run (its main thread is the one
 * stage of a batch that cannot be spread over processes). Measured here, 2 cores, `match` through
 * the engine (`perf/mod.ts --one match`, alternating runs): 182k and 190k items/s at niceness 0,
 * 196k and 203k at 10; the CPU share of both cores in use rose from 86–88% to 92–93%.
 */
export const SANDBOX_NICE = 10;

/** Scripts a sandbox process loads (all in this folder, importing only each other). */
const SANDBOX_SCRIPTS = [
  "sandbox_process.ts",
  "worker.ts",
  "kernel_instance.ts",
  "protocol.ts",
  "frames.ts",
  "sandbox_frames.ts",
  "limits.ts",
];

/** The command line of one sandbox process. */
export interface SandboxLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Who the process runs as, for logs and tests. */
  user: "unprivileged" | "same";
  /** The memory cgroup limit (bytes) the pool gives each process where it can make cgroups; 0: none. */
  cgroupMemoryBytes: number;
}

/** Options of the launch. */
export interface LaunchOptions {
  /** Kernel name → path of its .wasm file. */
  kernels: Record<string, string>;
  /** RLIMIT_DATA in bytes; 0 for none. */
  memoryBytes: number;
  /** Run as SANDBOX_UID when root (default true). */
  dropPrivileges?: boolean;
  /**
   * The memory cgroup limit of each process in bytes where cgroups can be made (`sandbox_cgroup.ts`);
   * 0 for none. Default: `memoryBytes`, or DEFAULT_CGROUP_MEMORY_BYTES when that is 0.
   */
  cgroupMemoryBytes?: number;
}

/** The memory cgroup limit of each sandbox process when none is given (2 GiB). */
export const DEFAULT_CGROUP_MEMORY_BYTES = 2048 * 1024 * 1024;

const encoder = new TextEncoder();

async function sha256(parts: Uint8Array[]): Promise<string> {
  const all = joinBytes(parts);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all as Uint8Array<ArrayBuffer>));
  return [...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Copies the sandbox's scripts and kernels into a folder every user may read; returns its path. */
async function publicCopy(
  kernels: Record<string, string>,
): Promise<{ dir: string; kernels: Record<string, string> }> {
  const scriptsDir = new URL("./", import.meta.url);
  const files: [string, Uint8Array][] = [];
  for (const name of SANDBOX_SCRIPTS) files.push([name, await Deno.readFile(new URL(name, scriptsDir))]);
  for (const [name, path] of Object.entries(kernels)) files.push([`${name}.wasm`, await Deno.readFile(path)]);
  const hash = await sha256(files.flatMap(([name, bytes]) => [encoder.encode(name), bytes]));
  const root = join(Deno.env.get("TMPDIR") ?? "/tmp", "arbiter-sandbox");
  await Deno.mkdir(root, { recursive: true, mode: 0o755 });
  await Deno.chmod(root, 0o755);
  const dir = join(root, hash);
  try {
    await Deno.stat(join(dir, "sandbox_process.ts"));
  } catch {
    const staging = await Deno.makeTempDir({ dir: root, prefix: ".staging-" });
    for (const [name, bytes] of files) await Deno.writeFile(join(staging, name), bytes, { mode: 0o644 });
    await Deno.chmod(staging, 0o755);
    try {
      await Deno.rename(staging, dir);
    } catch {
      await Deno.remove(staging, { recursive: true }); // another engine made it first
    }
  }
  return {
    dir,
    kernels: Object.fromEntries(Object.keys(kernels).map((name) => [name, join(dir, `${name}.wasm`)])),
  };
}

/** Deno's binary at a path every user may execute (a hard link, else a copy), made once. */
async function publicDeno(): Promise<string> {
  const source = Deno.execPath();
  const info = await Deno.stat(source);
  const root = join(Deno.env.get("TMPDIR") ?? "/tmp", "arbiter-sandbox");
  const target = join(root, `deno-${info.size}-${info.mtime?.getTime() ?? 0}`);
  try {
    await Deno.stat(target);
    return target;
  } catch { /* make it */ }
  const staging = join(root, `.${basename(target)}-${crypto.randomUUID()}`);
  try {
    await Deno.link(source, staging);
  } catch {
    await Deno.copyFile(source, staging);
  }
  await Deno.chmod(staging, 0o755);
  await Deno.rename(staging, target);
  return target;
}

function hasTool(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * The command that starts a sandbox process: `nice` for SANDBOX_NICE, `prlimit` for RLIMIT_DATA, and
 * `setpriv` to become SANDBOX_UID when running as root, falling back to the plain command where those
 * tools are missing.
 */
export async function sandboxLaunch(options: LaunchOptions): Promise<SandboxLaunch> {
  const asRoot = Deno.uid() === 0 && (options.dropPrivileges ?? true) && hasTool("/usr/bin/setpriv");
  const where = asRoot
    ? await publicCopy(options.kernels)
    : { dir: new URL("./", import.meta.url).pathname, kernels: options.kernels };
  const deno = asRoot ? await publicDeno() : Deno.execPath();
  const denoArgs = [
    "run",
    "--no-config",
    "--no-lock",
    "--no-prompt",
    `--allow-read=${[where.dir, ...Object.values(where.kernels)].join(",")}`,
    "--v8-flags=--max-old-space-size=256",
    join(where.dir, "sandbox_process.ts"),
    ...Object.entries(where.kernels).map(([name, path]) => `${name}=${path}`),
  ];
  const env: Record<string, string> = { NO_COLOR: "1" };
  let prefix: string[] = [];
  if (asRoot) {
    const cache = join(Deno.env.get("TMPDIR") ?? "/tmp", "arbiter-sandbox", `cache-${SANDBOX_UID}`);
    await Deno.mkdir(cache, { recursive: true, mode: 0o700 });
    await Deno.chown(cache, SANDBOX_UID, SANDBOX_UID);
    env.DENO_DIR = cache;
    env.HOME = cache;
    prefix = [
      "/usr/bin/setpriv",
      `--reuid=${SANDBOX_UID}`,
      `--regid=${SANDBOX_UID}`,
      "--clear-groups",
      "--inh-caps=-all",
      "--",
    ];
  }
  if (options.memoryBytes > 0 && hasTool("/usr/bin/prlimit")) {
    prefix = ["/usr/bin/prlimit", `--data=${options.memoryBytes}:${options.memoryBytes}`, "--", ...prefix];
  }
  if (hasTool("/usr/bin/nice")) prefix = ["/usr/bin/nice", "-n", String(SANDBOX_NICE), ...prefix];
  const [command, ...args] = [...prefix, deno, ...denoArgs];
  const cgroupMemoryBytes = options.cgroupMemoryBytes ??
    (options.memoryBytes > 0 ? options.memoryBytes : DEFAULT_CGROUP_MEMORY_BYTES);
  return { command, args, env, user: asRoot ? "unprivileged" : "same", cgroupMemoryBytes };
}
