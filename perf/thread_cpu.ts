/**
 * Where a server's CPU time goes, thread by thread (Linux /proc): the server process's threads
 * (its main thread, its preparation threads, V8's helper threads: garbage collection and compiling)
 * and its children's (the sandbox processes: their kernel threads and their main threads). Unlike
 * a wall-clock profile, CPU time stays meaningful on a busy machine.
 */

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU milliseconds by thread role, summed over the server process and its children. */
export type ThreadCpu = Record<string, number>;

/** What a thread is, from its process (server or sandbox) and its name. */
function roleOf(inSandbox: boolean, name: string): string {
  const where = inSandbox ? "sandbox" : "server";
  if (name.startsWith("worker-")) return `${where} ${inSandbox ? "kernel thread" : "preparation threads"}`;
  if (name.startsWith("V8 ")) return `${where} V8 helpers (GC, compiler)`;
  if (name === "deno" || name.startsWith("deno-")) return `${where} main thread`;
  return `${where} other (${name.replace(/[-#]?\d+$/, "")})`;
}

/** The pids of a process's children (Linux /proc). */
export async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(entry.name));
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** CPU time so far of every thread of `pid` and of its children, by role. */
export async function threadCpu(pid: number): Promise<ThreadCpu> {
  const out: ThreadCpu = {};
  const owners: [number, boolean][] = [
    [pid, false],
    ...(await childrenOf(pid)).map((child): [number, boolean] => [child, true]),
  ];
  for (const [owner, inSandbox] of owners) {
    let tasks: Deno.DirEntry[] = [];
    try {
      tasks = await Array.fromAsync(Deno.readDir(`/proc/${owner}/task`));
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const stat = await Deno.readTextFile(`/proc/${owner}/task/${task.name}/stat`);
        const name = (await Deno.readTextFile(`/proc/${owner}/task/${task.name}/comm`)).trim();
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ms = (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS_PER_SECOND;
        const role = roleOf(inSandbox, name);
        out[role] = (out[role] ?? 0) + ms;
      } catch { /* gone meanwhile */ }
    }
  }
  return out;
}

/** `after − before` per role, divided by `count` (e.g. per request), largest first, without zeros. */
export function cpuPer(before: ThreadCpu, after: ThreadCpu, count: number): [string, number][] {
  return Object.entries(after)
    .map(([role, ms]) => [role, (ms - (before[role] ?? 0)) / count] as [string, number])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** "total 91.5 ms: server main thread 48.5, …" */
export function describeCpu(split: [string, number][]): string {
  const total = split.reduce((sum, [, ms]) => sum + ms, 0);
  return `total ${total.toFixed(1)} ms: ${split.map(([role, ms]) => `${role} ${ms.toFixed(1)}`).join(", ")}`;
}
