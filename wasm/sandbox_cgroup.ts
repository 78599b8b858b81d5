/**
 * A memory cgroup per sandbox process, where the machine lets the server make one: the server's own
 * memory cgroup (cgroup v2 when its memory controller is there, else v1's memory hierarchy) gets a
 * child `arbiter-sandbox-<pid>-<n>` for the pool, with one child per pool slot whose memory limit
 * (`memory.max`, v1 `memory.limit_in_bytes`) is the configured size. Each sandbox process is moved
 * into its slot's cgroup right after it is spawned (before it has loaded the kernels or seen a job);
 * a process that passes the limit is killed by the kernel's OOM killer, which the slot's OOM counter
 * tells apart from any other SIGKILL. The cgroups are removed when the pool closes.
 *
 * Where no cgroup can be made (not root and not delegated, no memory controller, read-only mount),
 * the pool goes on with RLIMIT_DATA alone and says why once.
 */
import { join } from "node:path";

/** Where the cgroup files are found (the test gives other texts to reach the fallback). */
export interface CgroupSource {
  /** Text of /proc/self/cgroup. */
  cgroup: string;
  /** Text of /proc/self/mountinfo. */
  mountinfo: string;
}

/** Which hierarchy a memory cgroup belongs to, and the files that differ between them. */
interface Hierarchy {
  version: 1 | 2;
  /** The server's own memory cgroup, as a directory. */
  base: string;
}

const LIMIT_FILE = { 1: "memory.limit_in_bytes", 2: "memory.max" } as const;
/** The file with the `oom_kill N` line. */
const OOM_FILE = { 1: "memory.oom_control", 2: "memory.events" } as const;
/** Swap counted in (v1) or forbidden (v2), so that the limit is not met by swapping. */
const SWAP_FILE = { 1: "memory.memsw.limit_in_bytes", 2: "memory.swap.max" } as const;

/** Pools made in this process so far (each gets its own cgroup name). */
let poolCount = 0;
/** The unavailability reasons already logged (each once per process). */
const logged = new Set<string>();

function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/** A cgroup filesystem's mount, from mountinfo. */
interface CgroupMount {
  point: string;
  /** The cgroup the mount shows at its top (not "/" inside a container). */
  root: string;
  type: string;
  /** Super options: the v1 controllers. */
  options: string[];
  readOnly: boolean;
}

/** The cgroup filesystems mounted, from mountinfo. */
function cgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts = [];
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!right) continue;
    const fields = left.split(" ");
    const [type, , superOptions = ""] = right.split(" ");
    if (type !== "cgroup" && type !== "cgroup2") continue;
    mounts.push({
      point: unescapeMount(fields[4]),
      root: unescapeMount(fields[3]),
      type,
      options: superOptions.split(","),
      readOnly: fields[5].split(",").includes("ro"),
    });
  }
  return mounts;
}

/** mountinfo escapes spaces and a few other characters as octal. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
}

/** The directory of cgroup `path` in a mount whose root is `root` (null when outside the mount). */
function under(point: string, root: string, path: string): string | null {
  if (root === "/") return join(point, path);
  if (path === root) return point;
  if (!path.startsWith(root + "/")) return null;
  return join(point, path.slice(root.length));
}

/** Finds the server's memory cgroup: v2 first (memory among its controllers), else v1; or why not. */
export function locateMemoryCgroup(source: CgroupSource): Hierarchy | { problem: string } {
  const lines = source.cgroup.split("\n").filter((l) => l.length > 0).map((l) => {
    const first = l.indexOf(":");
    const second = l.indexOf(":", first + 1);
    return {
      id: l.slice(0, first),
      controllers: l.slice(first + 1, second).split(","),
      path: l.slice(second + 1),
    };
  });
  const mounts = cgroupMounts(source.mountinfo);
  const problems: string[] = [];
  const unified = lines.find((l) => l.id === "0" && l.controllers.join("") === "");
  const v2 = mounts.find((m) => m.type === "cgroup2");
  if (unified && v2) {
    const base = under(v2.point, v2.root, unified.path);
    const words = (file: string) =>
      (base === null ? "" : readText(join(base, file)) ?? "").trim().split(/\s+/);
    if (base === null || !words("cgroup.controllers").includes("memory")) {
      problems.push(`cgroup v2 at ${v2.point} has no memory controller for this process's cgroup`);
    } else if (!words("cgroup.subtree_control").includes("memory")) {
      // A cgroup with processes cannot give its children controllers (v2's no-internal-process rule).
      problems.push(
        `cgroup v2: ${base} does not give its children the memory controller (cgroup.subtree_control), and cannot while the server's process is in it`,
      );
    } else if (v2.readOnly) {
      problems.push(`cgroup v2 at ${v2.point} is mounted read-only`);
    } else {
      return { version: 2, base };
    }
  }
  const v1Line = lines.find((l) => l.controllers.includes("memory"));
  const v1 = mounts.find((m) => m.type === "cgroup" && m.options.includes("memory"));
  if (v1Line && v1) {
    const base = under(v1.point, v1.root, v1Line.path);
    if (base === null) {
      problems.push(`this process's v1 memory cgroup ${v1Line.path} is outside the mount at ${v1.point}`);
    } else if (v1.readOnly) {
      problems.push(`the cgroup v1 memory hierarchy at ${v1.point} is mounted read-only`);
    } else {
      return { version: 1, base };
    }
  } else {
    problems.push("no cgroup v1 memory hierarchy is mounted");
  }
  return { problem: problems.join("; ") };
}

/** The memory cgroups of one pool's sandbox processes (or why there are none). */
export class SandboxCgroups {
  /** One line for logs and metrics: where the cgroups are, or why there are none. */
  status: string;
  private readonly slots: string[] = [];
  /** Each slot's OOM kill count when last read. */
  private readonly oomSeen: number[] = [];

  private constructor(
    private readonly hierarchy: Hierarchy | null,
    private readonly dir: string | null,
    /** The limit of each slot in bytes, 0 when there are no cgroups. */
    readonly limitBytes: number,
    status = "",
  ) {
    this.status = status;
  }

  /**
   * Makes the pool's cgroup and `slots` slot cgroups limited to `limitBytes` each (0: none). Never
   * throws: where they cannot be made, the result says why (logged once) and does nothing.
   */
  static open(limitBytes: number, slots: number, source?: CgroupSource): SandboxCgroups {
    const off = (why: string) => {
      const status = `unavailable: ${why}; sandbox processes are limited by RLIMIT_DATA only`;
      if (!logged.has(why)) {
        logged.add(why);
        console.error(`sandbox: memory cgroup ${status}`);
      }
      return new SandboxCgroups(null, null, 0, status);
    };
    if (limitBytes <= 0) return new SandboxCgroups(null, null, 0, "off (sandbox_cgroup_memory_bytes is 0)");
    const texts = source ?? {
      cgroup: readText("/proc/self/cgroup") ?? "",
      mountinfo: readText("/proc/self/mountinfo") ?? "",
    };
    const found = locateMemoryCgroup(texts);
    if ("problem" in found) return off(found.problem);
    removeStale(found.base);
    const dir = join(found.base, `arbiter-sandbox-${Deno.pid}-${++poolCount}`);
    const made = new SandboxCgroups(found, dir, limitBytes);
    const problem = made.create(slots);
    if (problem !== null) {
      made.removeNow();
      return off(problem);
    }
    made.status = `cgroup v${found.version} ${dir}, ${
      LIMIT_FILE[found.version]
    } ${limitBytes} per sandbox process`;
    return made;
  }

  /** Creates the pool's directory and its slots; returns why it could not. */
  private create(slots: number): string | null {
    const { version } = this.hierarchy!;
    const dir = this.dir!;
    try {
      Deno.mkdirSync(dir);
    } catch (error) {
      return `cannot create ${dir} (${(error as Error).message})`;
    }
    if (readText(join(dir, "cgroup.procs")) === null) return `${dir} is not a cgroup`;
    if (version === 2) {
      try {
        Deno.writeTextFileSync(join(dir, "cgroup.subtree_control"), "+memory");
      } catch (error) {
        return `cannot enable the memory controller in ${dir} (${(error as Error).message})`;
      }
    }
    for (let i = 0; i < slots; i++) {
      const slot = join(dir, `slot-${i}`);
      try {
        Deno.mkdirSync(slot);
        Deno.writeTextFileSync(join(slot, LIMIT_FILE[version]), String(this.limitBytes));
      } catch (error) {
        return `cannot set ${LIMIT_FILE[version]} in ${slot} (${(error as Error).message})`;
      }
      // Swap must not let a process past the limit (best effort: the file exists only with swap accounting).
      try {
        Deno.writeTextFileSync(join(slot, SWAP_FILE[version]), version === 1 ? String(this.limitBytes) : "0");
      } catch { /* no swap accounting */ }
      if (version === 1) {
        // A v1 cgroup inherits oom_kill_disable: with it, a process at the limit would hang, not die.
        try {
          Deno.writeTextFileSync(join(slot, "memory.oom_control"), "0");
        } catch { /* an old kernel: the default (kill) stands */ }
      }
      this.slots.push(slot);
      this.oomSeen.push(readOomKills(slot, version));
    }
    return null;
  }

  /** Moves process `pid` into slot `slot`'s cgroup; returns why it could not (null when moved or off). */
  attach(slot: number, pid: number): string | null {
    if (!this.hierarchy) return null;
    const dir = this.slots[slot % this.slots.length];
    try {
      Deno.writeTextFileSync(join(dir, "cgroup.procs"), String(pid));
      return null;
    } catch (error) {
      return `could not move sandbox process ${pid} into ${dir} (${(error as Error).message})`;
    }
  }

  /**
   * When the kernel's OOM killer killed a process in slot `slot` since the last call (so the
   * process that just died there died of the memory limit): the slot's limit in bytes; else null.
   */
  oomKill(slot: number): number | null {
    if (!this.hierarchy) return null;
    const index = slot % this.slots.length;
    const { version } = this.hierarchy;
    const now = readOomKills(this.slots[index], version);
    const killed = now > this.oomSeen[index];
    this.oomSeen[index] = now;
    if (!killed) return null;
    const limit = Number(readText(join(this.slots[index], LIMIT_FILE[version])));
    return Number.isFinite(limit) && limit > 0 ? limit : this.limitBytes;
  }

  /** Removes the slots and the pool's cgroup (once every sandbox process has exited). */
  async remove(): Promise<void> {
    if (!this.dir) return;
    for (const slot of this.slots) await removeCgroup(slot);
    await removeCgroup(this.dir);
  }

  /** Removes what `create` made before it failed (nothing runs in it yet). */
  private removeNow(): void {
    for (const path of [...this.slots, this.dir!]) {
      try {
        Deno.removeSync(path);
      } catch { /* not made */ }
    }
  }
}

/** The `oom_kill N` count of a cgroup (0 when the kernel does not report it). */
function readOomKills(dir: string, version: 1 | 2): number {
  const text = readText(join(dir, OOM_FILE[version])) ?? "";
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** rmdir of a cgroup; a process that is still exiting can hold it for a moment, so it retries briefly. */
async function removeCgroup(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await Deno.remove(dir);
      return;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  console.error(`sandbox: could not remove the memory cgroup ${dir}`);
}

/** Removes pool cgroups left behind by servers that no longer run (killed with SIGKILL). */
function removeStale(base: string): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(base)];
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /^arbiter-sandbox-(\d+)-\d+$/.exec(entry.name);
    if (!entry.isDirectory || !match || Number(match[1]) === Deno.pid || alive(Number(match[1]))) continue;
    const dir = join(base, entry.name);
    try {
      for (const slot of Deno.readDirSync(dir)) if (slot.isDirectory) Deno.removeSync(join(dir, slot.name));
      Deno.removeSync(dir);
    } catch { /* still in use: leave it */ }
  }
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
