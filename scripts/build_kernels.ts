/**
 * Builds every kernel entry file `kernels/<name>.ts` (the top-level files; helpers live in
 * `kernels/<name>/` and `kernels/_lib/`) into `wasm/<name>.wasm` with AssemblyScript, and the
 * sandbox's test kernels `tests/kernels/*.ts` into `wasm/test/`. Skips the build when no source
 * under `kernels/` or `tests/kernels/` (subfolders included) changed.
 * Usage: deno task build [--force]
 */
import asc from "assemblyscript/asc";
import { KERNEL_MAX_PAGES } from "../wasm/mod.ts";

const root = new URL("..", import.meta.url);
const kernelsDir = new URL("kernels/", root);
const testKernelsDir = new URL("tests/kernels/", root);
const wasmDir = new URL("wasm/", root);
const stampFile = new URL(".build_stamp.json", wasmDir);

const flags = ["-O3", "--runtime", "stub", "--maximumMemory", String(KERNEL_MAX_PAGES)];

/** The `.ts` files directly in `dir` (the entry files), sorted. */
function tsFiles(dir: URL): string[] {
  return [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".ts")).map((e) => e.name)
    .sort();
}

/** Every `.ts` file under `dir`, subfolders included, as paths relative to it, sorted. */
function allTsFiles(dir: URL, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(prefix, dir))) {
    if (e.isDirectory) out.push(...allTsFiles(dir, `${prefix}${e.name}/`));
    else if (e.isFile && e.name.endsWith(".ts")) out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

async function sourcesDigest(): Promise<string> {
  const parts: string[] = [JSON.stringify(flags)];
  for (const dir of [kernelsDir, testKernelsDir]) {
    for (const name of allTsFiles(dir)) {
      parts.push(dir.pathname, name, Deno.readTextFileSync(new URL(name, dir)));
    }
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Source → output pairs, relative to the project root. */
function targets(): [string, string][] {
  const entries = (dir: string, out: string) =>
    tsFiles(new URL(dir, root)).map((n): [string, string] => [
      `${dir}${n}`,
      `${out}${n.slice(0, -3)}.wasm`,
    ]);
  return [...entries("kernels/", "wasm/"), ...entries("tests/kernels/", "wasm/test/")];
}

async function main(): Promise<void> {
  Deno.chdir(root);
  const force = Deno.args.includes("--force");
  const digest = await sourcesDigest();
  const pairs = targets();
  let stamp: { digest?: string } = {};
  try {
    stamp = JSON.parse(Deno.readTextFileSync(stampFile));
  } catch { /* first build */ }
  const allBuilt = pairs.every(([, out]) => {
    try {
      return Deno.statSync(new URL(out, root)).isFile;
    } catch {
      return false;
    }
  });
  if (!force && stamp.digest === digest && allBuilt) return;
  for (const [source, out] of pairs) {
    const started = performance.now();
    const { error, stderr } = await asc.main([source, "-o", out, ...flags]);
    if (error) {
      console.error(String(stderr));
      console.error(`build: ${source} failed: ${error.message}`);
      Deno.exit(1);
    }
    console.error(`build: ${out} in ${Math.round(performance.now() - started)} ms`);
  }
  Deno.writeTextFileSync(stampFile, JSON.stringify({ digest }));
}

if (import.meta.main) await main();
