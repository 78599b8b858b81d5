/**
 * The Python sandbox that staged verifiers share (chart_code, program): Debian's python3 under
 * setpriv + bubblewrap, a warm zygote that forks a fresh child per job, typed answer frames, and a
 * pool of such sandboxes. A verifier brings its own reviewed job handler script (chart_code's
 * renderer.py); `programHandlerPath` runs programs (stdout, stderr, exit status, a variable).
 */
export { pythonSandboxAvailability, type SandboxRequirements } from "./availability.ts";
export { Check, Outcome, type SandboxFrame } from "./frame.ts";
export { PythonPool, type PythonPoolOptions } from "./python_pool.ts";
export { BACKSTOP_GRACE_MS, type PythonJob, type PythonResult } from "./python_process.ts";
export { sandboxCommand, zygotePath } from "./sandbox.ts";
export { seccompFilterFile } from "./seccomp.ts";
export {
  programHandlerPath,
  type ProgramRequest,
  type ProgramRun,
  ProgramStatus,
  type ProgramTest,
  runProgram,
} from "./program.ts";
export { extractCode, type ExtractedCode } from "./extract.ts";
export { budgetSignal } from "./budget.ts";
export { readProgramRecord } from "./program.ts";
