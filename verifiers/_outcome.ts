/** Turns what happened to an item in the sandbox into its result (DESIGN.md §2's three classes). */
import {
  type ItemOutcome,
  KERNEL_MAX_BYTES,
  type KernelHead,
  type OutputOutcome,
  readKernelHead,
} from "../wasm/mod.ts";
import type { PreparedItem } from "./_prepared.ts";
import { KernelVerdict, noVerdict, roundMs, tooComplex, type VerifyResult } from "./result.ts";

/**
 * The result for an item's outcome: the kernel's verdict, `too_complex` for a deadline or memory
 * overrun, `internal` for a kernel fault, `overloaded` when the batch's budget ran out.
 */
export function resultOfOutcome(
  item: Pick<PreparedItem, "head" | "timeoutMs">,
  outcome: ItemOutcome,
  budgetMs: number | undefined,
  budgetSpent: boolean,
): VerifyResult {
  const head = item.head;
  const ms = roundMs(outcome.ms);
  switch (outcome.kind) {
    case "output":
      return kernelResult(head.id, head.verifier!, head.version, outcome, ms);
    case "timeout":
      return tooComplex(head, "deadline", `Verification ran past its ${item.timeoutMs} ms deadline`, ms);
    case "fault": {
      const fault = outcome.fault;
      if (fault.memoryBytes >= KERNEL_MAX_BYTES / 2 || fault.inputBytes >= KERNEL_MAX_BYTES / 4) {
        return tooComplex(
          head,
          "memory",
          `Verification exhausted the sandbox's ${KERNEL_MAX_BYTES >> 20} MiB memory cap`,
          ms,
        );
      }
      return noVerdict(
        head,
        "internal",
        `The ${head.verifier} kernel failed (${fault.kind}: ${fault.message})`,
        ms,
      );
    }
    case "budget":
      return noVerdict(
        head,
        "overloaded",
        `The batch's budget_ms of ${budgetMs} ms ran out while this item ran`,
        ms,
      );
    case "cancelled":
      return budgetSpent
        ? noVerdict(
          head,
          "overloaded",
          `The batch's budget_ms of ${budgetMs} ms ran out before this item ran`,
        )
        : noVerdict(head, "sandbox_unavailable", "The server is shutting down");
  }
}

/** The head of the output being read (one object for every item: read, then copied at once). */
const outputHead: KernelHead = { reward: 0, correct: false, reason: null, detailsStart: 0, detailsEnd: 0 };

/**
 * The result of a kernel's output for an item of `verifier` (its id, the verifier's version, `ms`
 * already rounded): the kernel's verdict, or `internal` when the output breaks the contract.
 */
export function kernelResult(
  id: string | undefined,
  verifier: string,
  version: string | null,
  output: OutputOutcome,
  ms: number,
): VerifyResult {
  const out = outputHead;
  if (!readKernelHead(output, out)) {
    const head = id === undefined ? { verifier, version } : { id, verifier, version };
    return noVerdict(head, "internal", `The ${verifier} kernel returned a malformed result`, ms);
  }
  return new KernelVerdict(
    id,
    verifier,
    version,
    out.reward,
    out.correct,
    out.reason,
    output.outputs,
    out.detailsStart,
    out.detailsEnd,
    ms,
  );
}
