/**
 * The checks that run before any request is sent: the dataset file's pinned sha256 and, when the
 * suite has images, that every image is there (and, when pinned, the sha256 of their manifest).
 */
import { sha256Dataset, sha256File, sha256Hex, SuiteError } from "../core/mod.ts";
import { type IdentifiedRecord, imagePathsOf } from "../data/mod.ts";
import type { LoadedSuite } from "./load.ts";

/** What the checks found, for the run's provenance. */
export interface IntegrityReport {
  datasetSha256: string;
  /** sha256 of the "sha256  path" lines of every image file, sorted by path; null when not checked. */
  imagesSha256: string | null;
  imagesChecked: boolean;
}

/**
 * Fails with a message naming the file when the dataset's sha256 differs from the pinned one: the
 * suite's, or `callerPin` (`--data-sha256`) for a dataset given with `--data` (the published file
 * where a suite ships only a sample).
 */
export async function checkDatasetHash(suite: LoadedSuite, callerPin?: string): Promise<string> {
  let actual: string;
  try {
    actual = await sha256Dataset(suite.dataPath, suite.spec.dataset.format);
  } catch (error) {
    throw new SuiteError(`dataset file ${suite.dataPath} cannot be read: ${(error as Error).message}`);
  }
  const pinned = callerPin ?? suite.spec.dataset.sha256;
  if (actual !== pinned) {
    throw new SuiteError(
      `dataset file ${suite.dataPath} has sha256 ${actual}, but ${
        callerPin ? "--data-sha256 pins" : "the suite pins dataset.sha256"
      } ${pinned}`,
    );
  }
  return actual;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

async function folderExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Checks the image files the records name. `required`: a missing image folder is an error (model
 * runs); otherwise (predictions) the check is skipped when the folder is absent.
 */
export async function checkImages(
  suite: LoadedSuite,
  records: IdentifiedRecord[],
  required: boolean,
): Promise<{ imagesSha256: string | null; imagesChecked: boolean }> {
  const images = suite.spec.dataset.images;
  if (!images || !suite.imagesDir) return { imagesSha256: null, imagesChecked: false };
  const paths = new Set<string>();
  for (const { record } of records) for (const p of imagePathsOf(record, images.field)) paths.add(p);
  if (paths.size === 0) return { imagesSha256: null, imagesChecked: false }; // embedded in the dataset
  if (!(await folderExists(suite.imagesDir))) {
    if (!required) return { imagesSha256: null, imagesChecked: false };
    throw new SuiteError(`image folder ${suite.imagesDir} (dataset.images.dir) does not exist`);
  }
  if (!required && !(await fileExists(`${suite.imagesDir}/${[...paths][0]}`))) {
    return { imagesSha256: null, imagesChecked: false }; // predictions without the images at hand
  }
  const lines: string[] = [];
  for (const path of [...paths].sort()) {
    try {
      lines.push(`${await sha256File(`${suite.imagesDir}/${path}`)}  ${path}`);
    } catch {
      throw new SuiteError(`image file ${suite.imagesDir}/${path} (field ${images.field}) cannot be read`);
    }
  }
  const manifest = sha256Hex(lines.join("\n") + "\n");
  if (images.sha256 && images.sha256 !== manifest) {
    throw new SuiteError(
      `images in ${suite.imagesDir} have manifest sha256 ${manifest}, but the suite pins dataset.images.sha256 ${images.sha256}`,
    );
  }
  return { imagesSha256: manifest, imagesChecked: true };
}
