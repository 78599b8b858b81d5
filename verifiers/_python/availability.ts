/**
 * Whether the Python sandbox can run here: the programs exist, then the very command line the pool
 * uses starts its zygote and the zygote says it is warm (which proves that user namespaces are allowed
 * and that the zygote's imports load). Reports, never installs.
 */
import { PythonProcess } from "./python_process.ts";
import { BWRAP, PYTHON, SETPRIV } from "./sandbox.ts";

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** What a sandbox's handlers need besides the sandbox programs: files that must exist, with the fix when one is missing. */
export interface SandboxRequirements {
  /** The job handler scripts the zygote loads (their imports must load). */
  handlers: string[];
  /** How to install what is missing (e.g. "as root: apt-get install -y python3-matplotlib bubblewrap"). */
  installHint: string;
  /** Files the zygote's imports need, each with the package that provides it. */
  files?: [path: string, pkg: string][];
}

/** Null when the sandbox works; otherwise why not and how to fix it. */
export async function pythonSandboxAvailability(needs: SandboxRequirements): Promise<string | null> {
  if (Deno.build.os !== "linux") return "the Python sandbox needs Linux (bubblewrap and user namespaces)";
  const files: [string, string][] = [[BWRAP, "bubblewrap"], [SETPRIV, "util-linux"], [PYTHON, "python3"]];
  for (const [path, pkg] of [...files, ...(needs.files ?? [])]) {
    if (!(await exists(path))) return `${path} is missing (package ${pkg}); ${needs.installHint}`;
  }
  try {
    const process = await PythonProcess.start(needs.handlers);
    process.kill();
    await process.exited();
    return null;
  } catch (error) {
    const text = (error as Error).message;
    if (text.includes("namespace") || text.includes("Operation not permitted")) {
      return `bubblewrap could not create its namespaces (${text}); allow unprivileged user namespaces ` +
        "(sysctl -w kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0)";
    }
    return `the Python sandbox could not start (${text}); ${needs.installHint}`;
  }
}
