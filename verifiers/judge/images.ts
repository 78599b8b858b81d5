/**
 * An item's `images` for the judge: data URLs, or paths under one of the config's `data_roots`
 * (never any other server path: `..`, absolute paths and symlinks that leave the root are refused).
 * Each is resized with sharp so that its longer side is at most the judge's `max_image_side`, and
 * sent as a data URL; its digest (of the original bytes) goes into the cache key.
 */
import { createHash } from "node:crypto";
import { DataRoots, PathNotAllowedError } from "../_access/mod.ts";
import type sharpModule from "sharp"; // types only: sharp loads on first use (it needs --allow-ffi)

/** At most this many images per item, each at most this many bytes. */
export const MAX_IMAGES = 8;
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** An item's image, read and checked (not yet resized). */
export interface JudgeImage {
  bytes: Uint8Array;
  /** SHA-256 (hex) of the original bytes. */
  sha256: string;
}

/** A problem with an item's images that the caller must fix (becomes `invalid_request`). */
export class ImageRequestError extends Error {
  override name = "ImageRequestError";
}

type Sharp = typeof sharpModule;
let loading: Promise<Sharp | Error> | null = null;

function loadSharp(): Promise<Sharp | Error> {
  loading ??= import("sharp").then(
    (module) => module.default,
    (error) => error instanceof Error ? error : new Error(String(error)),
  );
  return loading;
}

function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(",");
  if (comma < 0 || !url.slice(0, comma).endsWith(";base64")) {
    throw new ImageRequestError("images: a data URL must be base64 (data:image/...;base64,...)");
  }
  if ((url.length - comma) * 0.75 > MAX_IMAGE_BYTES) {
    throw new ImageRequestError(`images: an image is larger than ${MAX_IMAGE_BYTES} bytes`);
  }
  try {
    return Uint8Array.from(atob(url.slice(comma + 1)), (c) => c.charCodeAt(0));
  } catch {
    throw new ImageRequestError("images: a data URL's base64 is malformed");
  }
}

/** The file an `images` entry names under the data roots; a caller error when it is outside them. */
export function pathUnderRoots(path: string, roots: DataRoots, field: string): string {
  try {
    return roots.resolve(path, field);
  } catch (error) {
    if (error instanceof PathNotAllowedError) throw new ImageRequestError(error.message);
    throw error;
  }
}

function mimeOf(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  return "image/png";
}

function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Resizes (never enlarges) to `maxSide`, as PNG when the input is PNG, else JPEG. */
async function resized(bytes: Uint8Array, maxSide: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  if (sharp instanceof Error) throw new Error(`sharp did not load: ${sharp.message}`);
  let image;
  try {
    image = sharp(bytes, { limitInputPixels: 100_000_000 }).rotate().resize({
      width: maxSide,
      height: maxSide,
      fit: "inside",
      withoutEnlargement: true,
    });
    const out = mimeOf(bytes) === "image/png" ? image.png() : image.jpeg({ quality: 90 });
    return new Uint8Array(await out.toBuffer());
  } catch (error) {
    throw new ImageRequestError(`images: an image could not be decoded (${(error as Error).message})`);
  }
}

/**
 * Reads and checks an item's images and digests them (for the cache key); resizing waits until a
 * call needs them (`judgeImageUrls`). Throws `ImageRequestError` for the caller's mistakes.
 */
export async function readJudgeImages(images: unknown, dataRoots: DataRoots): Promise<JudgeImage[]> {
  if (images === undefined || images === null) return [];
  if (!Array.isArray(images) || !images.every((i) => typeof i === "string")) {
    throw new ImageRequestError("images: must be a list of data URLs or paths under a data root");
  }
  if (images.length > MAX_IMAGES) throw new ImageRequestError(`images: at most ${MAX_IMAGES} per item`);
  return await Promise.all(images.map(async (reference: string, i: number) => {
    let bytes: Uint8Array;
    if (reference.startsWith("data:")) bytes = decodeDataUrl(reference);
    else {
      const path = pathUnderRoots(reference, dataRoots, `images[${i}]`);
      const info = await Deno.stat(path).catch(() => null);
      if (info === null) throw new ImageRequestError(`images[${i}]: no such file under the data roots`);
      if (!info.isFile || info.size > MAX_IMAGE_BYTES) {
        throw new ImageRequestError(
          `images: ${JSON.stringify(reference)} is not a file under the size limit`,
        );
      }
      bytes = await Deno.readFile(path);
    }
    return { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
  }));
}

/** Resized images kept (data URLs, by digest and side), at most this many characters in all. */
export const RESIZED_CACHE_CHARS = 64 * 1024 * 1024;

/**
 * Recently resized images: the items of a GRPO group (or a cached pass's retry) share their image,
 * which is then resized once. A pending resize is shared too.
 */
const resizedUrls = new Map<string, { url: Promise<string>; size: number }>();
let resizedChars = 0;
let resizes = 0;

/** How many resizes have run in this process (tests). */
export function resizeCount(): number {
  return resizes;
}

function resizedUrl(image: JudgeImage, maxSide: number): Promise<string> {
  const key = `${image.sha256}:${maxSide}`;
  const known = resizedUrls.get(key);
  if (known !== undefined) {
    resizedUrls.delete(key);
    resizedUrls.set(key, known);
    return known.url;
  }
  resizes++;
  const entry = {
    url: resized(image.bytes, maxSide).then((out) => `data:${mimeOf(out)};base64,${base64Of(out)}`),
    size: 0,
  };
  resizedUrls.set(key, entry);
  entry.url.then((url) => {
    if (resizedUrls.get(key) !== entry) return;
    entry.size = url.length;
    resizedChars += url.length;
    for (const [oldKey, old] of resizedUrls) {
      if (resizedChars <= RESIZED_CACHE_CHARS) break;
      resizedUrls.delete(oldKey);
      resizedChars -= old.size;
    }
  }, () => {
    if (resizedUrls.get(key) === entry) resizedUrls.delete(key);
  });
  return entry.url;
}

/** The images resized to fit `maxSide`, as data URLs. Throws `ImageRequestError` for an undecodable one. */
export function judgeImageUrls(images: JudgeImage[], maxSide: number): Promise<string[]> {
  return Promise.all(images.map((image) => resizedUrl(image, maxSide)));
}
