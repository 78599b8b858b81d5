/** Starts the real server (`main.ts serve`) as a subprocess on a free port, as a user would. */

export interface RunningServer {
  url: string;
  process: Deno.ChildProcess;
  /** Everything the server printed on stdout so far. */
  output: () => string;
  stop: (signal?: Deno.Signal) => Promise<Deno.CommandStatus>;
}

const mainTs = new URL("../main.ts", import.meta.url).pathname;

/**
 * The permission flags of a `deno task` that runs main.ts (`start`, `verify`, `bench`), read from
 * deno.json, so that tests run the server and the CLI exactly as the README's commands do.
 */
export function taskFlags(task: "start" | "verify" | "bench"): string[] {
  const tasks = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url))).tasks;
  const words = (tasks[task].command as string).split(/\s+/);
  return words.slice(words.indexOf("run") + 1, words.indexOf("main.ts"));
}

/** Spawns the server with `--port 0` and waits for its "listening on" line. */
export async function startServer(
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<RunningServer> {
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...taskFlags("start"),
      mainTs,
      "serve",
      "--port",
      "0",
      ...args,
    ],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const reader = process.stdout.getReader();
  let url = "";
  while (!url) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The server exited before listening:\n${text}`);
    text += decoder.decode(value, { stream: true });
    const match = /listening on (http:\/\/\S+)/.exec(text);
    if (match) url = match[1];
  }
  const pump = (async () => {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return {
    url,
    process,
    output: () => text,
    stop: async (signal: Deno.Signal = "SIGTERM") => {
      try {
        process.kill(signal);
      } catch { /* already gone */ }
      const status = await process.status;
      await pump;
      return status;
    },
  };
}
