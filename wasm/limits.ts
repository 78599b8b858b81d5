/** Limits that the kernel build and the sandbox host agree on. */

/** WebAssembly page size in bytes. */
export const PAGE_BYTES = 65536;

/** Every kernel's memory cap, compiled into the module with `--maximumMemory` (64 MiB). */
export const KERNEL_MAX_PAGES = 1024;

/** The cap in bytes. */
export const KERNEL_MAX_BYTES = KERNEL_MAX_PAGES * PAGE_BYTES;
