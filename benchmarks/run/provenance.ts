/** Where a run's numbers come from: Arbiter's version and commit, suite and data hashes, model, parameters. */
import { ARBITER_VERSION } from "../../version.ts";

/** The provenance record written with every run. */
export interface Provenance {
  arbiter_version: string;
  git_commit: string | null;
  git_dirty: boolean | null;
  deno: string;
  suite: { name: string; version: string; file: string; sha256: string; prompt_version: string };
  dataset: { path: string; sha256: string; images_sha256: string | null; images_checked: boolean };
  model: { kind: "endpoint" | "predictions"; id: string; url?: string; predictions_sha256?: string };
  parameters: Record<string, unknown>;
  verifiers: Record<string, string>;
  created_at: string;
}

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
