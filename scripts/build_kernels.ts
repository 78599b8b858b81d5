/**
 * Builds every kernel entry file `kernels/<name>.ts` (files starting with `_` are shared helpers)
 * into `wasm/<name>.wasm` with AssemblyScript. Skips the build when no kernel source changed.
 * Usage: deno task build [--force]
 */
import asc from "assemblyscript/asc";
import { KERNEL_MAX_PAGES } from "../wasm/limits.ts";

const root = new URL("..", import.meta.url);
const kernelsDir = new URL("kernels/", root);
const wasmDir = new URL("wasm/", root);
const stampFile = new URL(".build_stamp.json", wasmDir);

const flags = ["-O3", "--runtime", "stub", "--maximumMemory", String(KERNEL_MAX_PAGES)];

async function sourcesDigest(): Promise<string> {
  const names = [...Deno.readDirSync(kernelsDir)].filter((e) => e.isFile && e.name.endsWith(".ts")).map((e) =>
    e.name
  ).sort();
  const parts: string[] = [JSON.stringify(flags)];
  for (const name of names) parts.push(name, Deno.readTextFileSync(new URL(name, kernelsDir)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function entryNames(): string[] {
  return [...Deno.readDirSync(kernelsDir)]
    .filter((e) => e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_"))
    .map((e) => e.name.slice(0, -3))
    .sort();
}

async function main(): Promise<void> {
  Deno.chdir(root);
  const force = Deno.args.includes("--force");
  const digest = await sourcesDigest();
  const names = entryNames();
  let stamp: { digest?: string } = {};
  try {
    stamp = JSON.parse(Deno.readTextFileSync(stampFile));
  } catch { /* first build */ }
  const allBuilt = names.every((n) => {
    try {
      return Deno.statSync(new URL(`${n}.wasm`, wasmDir)).isFile;
    } catch {
      return false;
    }
  });
  if (!force && stamp.digest === digest && allBuilt) return;
  for (const name of names) {
    const started = performance.now();
    const { error, stderr } = await asc.main([
      `kernels/${name}.ts`,
      "-o",
      `wasm/${name}.wasm`,
      ...flags,
    ]);
    if (error) {
      console.error(String(stderr));
      console.error(`build: kernels/${name}.ts failed: ${error.message}`);
      Deno.exit(1);
    }
    console.error(`build: wasm/${name}.wasm in ${Math.round(performance.now() - started)} ms`);
  }
  Deno.writeTextFileSync(stampFile, JSON.stringify({ digest }));
}

if (import.meta.main) await main();
