/**
 * Finds a suite (a path, or a name under `benchmarks/suites/`), parses its YAML and checks it against
 * the suite schema. Errors name the field (`dataset/sha256: must match pattern …`) or the file.
 */
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";
import { dirname, isAbsolute, resolve } from "node:path";
import { sha256Hex, SuiteError, suiteSchema, type SuiteSpec } from "../core/mod.ts";
import { checkRunOptions } from "./run_options.ts";

/** A suite ready to run: its spec, where it came from, and its resolved data paths. */
export interface LoadedSuite {
  spec: SuiteSpec;
  /** Absolute path of the suite file. */
  file: string;
  /** sha256 of the suite file's text. */
  sha256: string;
  /** Absolute path of the dataset file (the suite's, or `--data`). */
  dataPath: string;
  /** Absolute folder of the images (relative paths in the image field resolve against it). */
  imagesDir: string | null;
  /** A suite shipped in `benchmarks/suites/` whose dataset path is its own (no `--data`). */
  builtIn: boolean;
}

const SUITES_DIR = new URL("../suites/", import.meta.url).pathname;
const validateSuite = new Ajv({ allErrors: false, strict: false, verbose: true }).compile(suiteSchema);

/** Whether a suite argument names a built-in suite (`mathvista_testmini`) rather than a file. */
export function isSuiteName(nameOrPath: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(nameOrPath) && !/\.ya?ml$/.test(nameOrPath) && !nameOrPath.startsWith(".");
}

/** The suite file for a name (`mathvista_testmini`) or a path (`./my_suite.yaml`). */
export function suitePathOf(nameOrPath: string, cwd = Deno.cwd()): string {
  if (isSuiteName(nameOrPath)) return `${SUITES_DIR}${nameOrPath}.yaml`;
  return isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
}

/** The failing field and rule; never a value or an unknown key from the file (it may not be a suite). */
function describeError(error: ErrorObject): string {
  const where = error.instancePath.replace(/^\//, "") || "(suite)";
  if (error.keyword === "additionalProperties") {
    const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
    return `${where}: has a field the suite schema does not define (allowed: ${allowed.join(", ")})`;
  }
  const extra = error.keyword === "enum"
    ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`
    : "";
  return `${where}: ${error.message}${extra}`;
}

/** Where YAML parsing failed (line and column), without quoting the text. */
function yamlProblem(error: unknown): string {
  const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  const code = (error as { code?: unknown }).code;
  return `not valid YAML${typeof code === "string" ? ` (${code})` : ""}${
    at ? ` at line ${at.line}, column ${at.col}` : ""
  }`;
}

/** Parses and validates suite text; `file` is only used in messages and to resolve relative paths. */
export function parseSuite(text: string, file: string, dataPath?: string): LoadedSuite {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new SuiteError(`Suite ${file} is ${yamlProblem(error)}`);
  }
  if (!validateSuite(raw)) {
    throw new SuiteError(`Suite ${file} is invalid: ${describeError(validateSuite.errors![0])}`);
  }
  const spec = raw as unknown as SuiteSpec;
  checkRunOptions(spec);
  const data = dataPath ?? resolve(dirname(file), spec.dataset.path);
  const images = spec.dataset.images;
  const imagesDir = images ? resolve(dirname(data), images.dir ?? ".") : null;
  const builtIn = dataPath === undefined && dirname(file) === dirname(`${SUITES_DIR}x`);
  return { spec, file, sha256: sha256Hex(text), dataPath: data, imagesDir, builtIn };
}

/** Reads a suite by name or path; `dataPath` (absolute) replaces the suite's dataset path. */
export function loadSuite(nameOrPath: string, dataPath?: string): LoadedSuite {
  const file = suitePathOf(nameOrPath);
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    throw new SuiteError(`Suite "${nameOrPath}" not found (${file}): ${(error as Error).message}`);
  }
  return parseSuite(text, file, dataPath);
}

/** The built-in suites (`benchmarks/suites/*.yaml`) by name, each parsed (its data is not read). */
export function listSuites(): { name: string; spec: SuiteSpec | null; error: string | null }[] {
  const names = [...Deno.readDirSync(SUITES_DIR)]
    .filter((e) => e.isFile && e.name.endsWith(".yaml"))
    .map((e) => e.name.slice(0, -".yaml".length))
    .sort();
  return names.map((name) => {
    try {
      return { name, spec: loadSuite(name).spec, error: null };
    } catch (error) {
      return { name, spec: null, error: (error as Error).message };
    }
  });
}
