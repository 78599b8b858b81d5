/**
 * The WebAssembly sandbox's one door: a pool of `deno run` sandbox processes that score chunks of
 * items with the verifier kernels under a memory cap and per-item deadlines, plus the in-process
 * kernel runner that tests and conformance suites use.
 *
 * ```ts
 * const kernels = { iou: "wasm/iou.wasm" };
 * const pool = new WorkerPool({ size: 2, kernels, launch: await sandboxLaunch({ kernels, memoryBytes: 1 << 30 }) });
 * await pool.ready();
 * ```
 */
export { type ChunkRequest, type ItemOutcome, type PoolOptions, type PoolStats, WorkerPool } from "./pool.ts";
export { ChunkOutputs, type KernelHead, OutputOutcome, readKernelHead } from "./chunk_outputs.ts";
export {
  compileKernel,
  encodeItem,
  KernelInstance,
  type KernelOutput,
  scoreInProcess,
} from "./kernel_instance.ts";
export type { ItemFault } from "./protocol.ts";
export {
  DEFAULT_CGROUP_MEMORY_BYTES,
  SANDBOX_NICE,
  type SandboxLaunch,
  sandboxLaunch,
} from "./sandbox_launch.ts";
export { type CgroupSource, locateMemoryCgroup } from "./sandbox_cgroup.ts";
export { joinBytes, Utf8Text } from "./frames.ts";
export { KERNEL_MAX_BYTES, KERNEL_MAX_PAGES, PAGE_BYTES } from "./limits.ts";
