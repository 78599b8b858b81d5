/**
 * Arbiter's entry point.
 *   deno task start [--port N] [--host H] [--workers N] [--config arbiter.yaml]   the HTTP server
 *   deno task verify [--in items.jsonl] [--out results.jsonl] [--fields …]           the CLI verifier
 *   deno task bench run|report|compare …                                            benchmark suites
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { runBenchCli, runVerify } from "./cli/mod.ts";
import { type Config, ConfigError, describeConfig, engineOptions, loadConfig } from "./config.ts";
import { createApp } from "./routes/mod.ts";
import {
  createEngine,
  type FieldSelection,
  InvalidRequestError,
  RESULT_FIELDS,
  selectFields,
  VERIFIERS,
} from "./verifiers/mod.ts";

const USAGE = `usage:
  main.ts serve  [--port N] [--host H] [--workers N] [--config FILE]
  main.ts verify [--in items.jsonl] [--out results.jsonl] [--fields reward,correct,reason] [--workers N] [--config FILE]
  main.ts bench  run <suite> --model-url URL | --predictions FILE [--data PATH]; bench report <run>; bench compare <a> <b>`;

/** Paths on the command line are relative to where the user ran the task, not to this folder. */
function userPath(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

/**
 * The effective configuration, with its paths (runs, data roots, the judge cache) made absolute
 * against the user's directory once, so the engine, the routes and the CLI all see the same files.
 */
function configFrom(values: Record<string, string | boolean | undefined>): Config {
  const yamlText = typeof values.config === "string"
    ? Deno.readTextFileSync(userPath(values.config))
    : undefined;
  const config = loadConfig({
    yamlText,
    env: Deno.env.toObject(),
    flags: { host: values.host, port: values.port, workers: values.workers },
  });
  const inMemory = config.judge_cache === "" || config.judge_cache === ":memory:";
  return {
    ...config,
    runs_dir: userPath(config.runs_dir),
    data_roots: config.data_roots.map(userPath),
    judge_cache: inMemory ? config.judge_cache : userPath(config.judge_cache),
  };
}

async function serve(config: Config): Promise<void> {
  console.log(`config ${describeConfig(config)}`);
  const engine = await createEngine(VERIFIERS, engineOptions(config));
  const app = createApp(engine, {
    maxBodyBytes: config.max_body_bytes,
    apiKeys: config.api_keys,
    runsDir: config.runs_dir,
    dataRoots: config.data_roots,
    modelUrlAllow: config.model_url_allow,
  });
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  }, app.fetch);
  // On SIGTERM/SIGINT: stop accepting, finish in-flight requests, stop the sandbox, then return.
  const stopped = new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      console.log(`${signal}: finishing in-flight requests`);
      await app.drain();
      await server.shutdown();
      await engine.close();
      console.log("stopped");
      resolve();
    };
    Deno.addSignalListener("SIGTERM", () => void stop("SIGTERM"));
    Deno.addSignalListener("SIGINT", () => void stop("SIGINT"));
  });
  await stopped;
}

/** `--fields reward,correct,reason`: the result fields the CLI writes (all when absent). */
function fieldsFlag(value: string | boolean | undefined): FieldSelection {
  if (typeof value !== "string") return null;
  const names = value.split(",").map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(RESULT_FIELDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `--fields: unknown field ${JSON.stringify(unknown[0])}; known: ${RESULT_FIELDS.join(", ")}`,
    );
  }
  return selectFields(names);
}

async function verify(config: Config, values: Record<string, string | boolean | undefined>): Promise<void> {
  // Sandbox checks and preparation threads are waited for only when needed: the run starts at once.
  const engine = await createEngine(VERIFIERS, engineOptions(config, { oneShot: true, lazyStart: true }));
  try {
    const inPath = typeof values.in === "string" ? userPath(values.in) : null;
    const outPath = typeof values.out === "string" ? userPath(values.out) : null;
    await runVerify(engine, inPath, outPath, fieldsFlag(values.fields));
  } finally {
    await engine.close();
  }
}

async function main(): Promise<number> {
  // The benchmark commands have flags of their own.
  if (Deno.args[0] === "bench") {
    return await runBenchCli(Deno.args.slice(1), (flags) => {
      const config = configFrom(flags);
      return { engine: engineOptions(config, { oneShot: true }), runsDir: config.runs_dir };
    });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        workers: { type: "string" },
        config: { type: "string" },
        in: { type: "string" },
        out: { type: "string" },
        fields: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || (command !== "serve" && command !== "verify")) {
    console.error(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  try {
    const config = configFrom(parsed.values);
    if (command === "serve") await serve(config);
    else await verify(config, parsed.values);
    return 0;
  } catch (error) {
    if (
      error instanceof ConfigError || error instanceof InvalidRequestError ||
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.PermissionDenied
    ) {
      console.error(`error: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main());
