/**
 * Checks the layout rules of README "Layout" over the production TypeScript (everything but
 * kernels/, tests/, perf/, conformance/, fixtures/ and node_modules/):
 * - imports go down or sideways, never up — except `verifiers/types.ts`, the engine's contract,
 *   which every verifier folder may import;
 * - an import into another folder goes through that folder's `mod.ts`;
 * - there is no import cycle;
 * - no source file is longer than 600 lines (generated files excepted).
 * Usage: deno task check:layout (exits 1 and lists every violation).
 */
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);
const SKIP = new Set(["kernels", "tests", "perf", "conformance", "fixtures", "node_modules", ".git", "runs"]);
const GENERATED = new Set(["clients/ts/types.ts"]);
const CONTRACT = "verifiers/types.ts";
const MAX_LINES = 600;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    const rel = relative(root, path);
    if (entry.isDirectory) {
      if (!SKIP.has(rel.split("/")[0]) && !entry.name.startsWith(".")) sourceFiles(path, out);
    } else if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Relative specifiers a file imports or re-exports (static and dynamic). */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec.startsWith(".")) found.push(spec);
  }
  return found;
}

/** Is `ancestor` a proper ancestor folder of `dir` (both relative to the root; "." is the root)? */
function isAncestor(ancestor: string, dir: string): boolean {
  if (ancestor === dir) return false;
  return ancestor === "." || dir.startsWith(`${ancestor}/`);
}

const files = sourceFiles(root).sort();
const graph = new Map<string, string[]>();
const problems: string[] = [];
for (const file of files) {
  const text = Deno.readTextFileSync(join(root, file));
  const lines = text.split("\n").length;
  if (lines > MAX_LINES && !GENERATED.has(file)) {
    problems.push(`${file}: ${lines} lines (more than ${MAX_LINES})`);
  }
  const from = dirname(file);
  const targets: string[] = [];
  for (const spec of importsOf(text)) {
    const target = relative(root, resolve(root, from, spec));
    targets.push(target);
    const to = dirname(target);
    if (to === from) continue;
    if (isAncestor(to, from)) {
      const contract = target === CONTRACT && from.startsWith("verifiers/");
      if (!contract) problems.push(`${file}: imports up into ${target}`);
      continue;
    }
    if (!target.endsWith("/mod.ts") && !(to === "." && !isAncestor(from, to))) {
      problems.push(`${file}: imports ${target} instead of its folder's mod.ts`);
    }
  }
  graph.set(file, targets);
}

// Cycles: depth-first search with colours; report each cycle once.
const state = new Map<string, "open" | "done">();
const stack: string[] = [];
const reported = new Set<string>();
function visit(file: string): void {
  state.set(file, "open");
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (!graph.has(next)) continue;
    const s = state.get(next);
    if (s === "open") {
      const cycle = stack.slice(stack.indexOf(next));
      const key = [...cycle].sort().join(" ");
      if (!reported.has(key)) {
        reported.add(key);
        problems.push(`import cycle: ${[...cycle, next].join(" -> ")}`);
      }
    } else if (s === undefined) visit(next);
  }
  stack.pop();
  state.set(file, "done");
}
for (const file of files) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  console.error(`layout: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`);
  Deno.exit(1);
}
console.log(
  `layout: ${files.length} files, imports go down or sideways through mod.ts, no cycles, none over ${MAX_LINES} lines`,
);
