/** Where the client reports retries and substitutions: a function the caller may replace. */

/** Receives one line per event; `info` is per-attempt detail, `warn` and `error` need attention. */
export type Logger = (level: "info" | "warn" | "error", message: string) => void;

/** The default logger: warnings and errors to the console, per-attempt detail dropped. */
export const consoleLogger: Logger = function logToConsole(level, message) {
  if (level === "warn") console.warn(message);
  else if (level === "error") console.error(message);
};
