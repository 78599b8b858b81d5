/** Where a run's numbers come from: Arbiter's version and the checkout's commit (the record is `Provenance`). */
import { ARBITER_VERSION } from "../../verifiers/mod.ts";

/** The checkout's commit and whether it has uncommitted changes (null when git is unavailable). */
export async function gitState(): Promise<{ commit: string | null; dirty: boolean | null }> {
  const root = new URL("../../", import.meta.url).pathname;
  const run = async (args: string[]) => {
    const out = await new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  };
  try {
    const commit = await run(["rev-parse", "HEAD"]);
    const status = commit === null ? null : await run(["status", "--porcelain", "--untracked-files=no"]);
    return { commit, dirty: status === null ? null : status.length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** Arbiter's version. */
export function arbiterVersion(): string {
  return ARBITER_VERSION;
}
