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

/** An image ready for the judge. */
export interface JudgeImage {
  dataUrl: string;
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

/** Reads, checks and resizes an item's images. Throws `ImageRequestError` for the caller's mistakes. */
export async function prepareJudgeImages(
  images: unknown,
  dataRoots: DataRoots,
  maxSide: number,
): Promise<JudgeImage[]> {
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
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const out = await resized(bytes, maxSide);
    return { dataUrl: `data:${mimeOf(out)};base64,${base64Of(out)}`, sha256 };
  }));
}
