/** A batch's budget as an AbortSignal for the pool: it fires at the batch's deadline. */

/** An AbortSignal that fires at `deadlineAt` (epoch ms; Infinity or undefined: never), and its clean-up. */
export function budgetSignal(deadlineAt: number | undefined): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  if (deadlineAt === undefined || !Number.isFinite(deadlineAt)) {
    return { signal: controller.signal, clear: () => {} };
  }
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadlineAt - Date.now()));
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
