/**
 * The folders a caller may name files in (config `data_roots`): benchmark suites, datasets and
 * predictions today, judge images later. A path is refused, never read, when it is outside every
 * root (absolute paths), contains a `..` segment or a NUL, or leads out of its root through a symlink.
 */
import { isAbsolute, join, normalize, resolve, sep } from "node:path";

/** A path that the caller may not name; the message names the field, never the file's contents. */
export class PathNotAllowedError extends Error {
  readonly code = "invalid_request";
  override name = "PathNotAllowedError";
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function realPathOrNull(path: string): string | null {
  try {
    return Deno.realPathSync(path);
  } catch {
    return null;
  }
}

/**
 * The configured data roots, resolved once. `resolve("preds/a.jsonl", "predictions")` gives the
 * file under the first root where it exists; `resolve("/data/bench/a.jsonl", …)` checks that the
 * absolute path lies under a root.
 */
export class DataRoots {
  /** Each root as configured (absolute) and as the file system resolves it (symlinks followed). */
  readonly roots: { path: string; real: string }[];

  /** `roots` relative to `base`; a root that does not exist is kept (nothing under it can be read). */
  constructor(roots: readonly string[], base = Deno.cwd()) {
    this.roots = roots.map((root) => {
      const path = resolve(base, root);
      return { path, real: realPathOrNull(path) ?? path };
    });
  }

  /** The absolute path that `path` (from field `field` of a request) names; throws PathNotAllowedError. */
  resolve(path: string, field: string): string {
    if (typeof path !== "string" || path.length === 0 || path.includes("\0")) {
      throw new PathNotAllowedError(`${field}: must be a non-empty path`);
    }
    if (path.split(/[\\/]/).includes("..")) {
      throw new PathNotAllowedError(`${field}: a path may not contain ".."`);
    }
    if (this.roots.length === 0) {
      throw new PathNotAllowedError(
        `${field}: no files may be named here (the server's data_roots is empty; use a built-in suite)`,
      );
    }
    const candidates = isAbsolute(path) ? [normalize(path)] : this.roots.map((root) => join(root.path, path));
    const inRoots = candidates.filter((c) => this.roots.some((root) => within(c, root.path)));
    if (inRoots.length === 0) {
      throw new PathNotAllowedError(`${field}: "${path}" is outside the server's data_roots`);
    }
    const chosen = inRoots.find((c) => realPathOrNull(c) !== null) ?? inRoots[0];
    const real = realPathOrNull(chosen);
    if (real !== null && !this.roots.some((root) => within(real, root.real))) {
      throw new PathNotAllowedError(`${field}: "${path}" leads outside the server's data_roots`);
    }
    return chosen;
  }

  /** Whether an absolute path (say, a suite's dataset path) lies under a root, symlinks followed. */
  contains(path: string): boolean {
    const real = realPathOrNull(path) ?? normalize(path);
    return this.roots.some((root) => within(normalize(path), root.path) && within(real, root.real));
  }
}
