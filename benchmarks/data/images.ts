/**
 * A record's image: a path relative to the suite's image folder, or bytes embedded in the record
 * (Hugging Face's `{bytes, path}` struct, raw bytes, or base64 text). Sent to the model as a data URL.
 */
import { resolve, sep } from "node:path";
import { encodeBase64, sha256Hex } from "../core/mod.ts";
import { valueAt } from "./record.ts";

/** An image ready to send: its data URL and the sha256 of its bytes. */
export interface PreparedImage {
  dataUrl: string;
  sha256: string;
  bytes: number;
}

/** The MIME type of image bytes, from their magic numbers. */
export function imageMimeOf(bytes: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return "image/webp";
  if (starts(0x42, 0x4d)) return "image/bmp";
  return "application/octet-stream";
}

function bytesOf(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value) && value.every((b) => typeof b === "number")) return Uint8Array.from(value);
  return null;
}

/** The relative image paths of a record (for the pre-run check), or [] when images are embedded. */
export function imagePathsOf(record: unknown, field: string): string[] {
  const value = valueAt(record, field);
  const list = Array.isArray(value) && !value.every((b) => typeof b === "number") ? value : [value];
  return list.filter((v): v is string => typeof v === "string" && !v.startsWith("data:"));
}

/** Reads one image reference (path, bytes, `{bytes, path}`, data URL) into a prepared image. */
export async function prepareImage(value: unknown, imagesDir: string): Promise<PreparedImage> {
  let bytes = bytesOf(value);
  if (!bytes && value !== null && typeof value === "object" && "bytes" in value) {
    const struct = value as { bytes: unknown; path?: unknown };
    bytes = bytesOf(struct.bytes);
    if (!bytes && typeof struct.path === "string") return prepareImage(struct.path, imagesDir);
  }
  if (!bytes && typeof value === "string") {
    if (value.startsWith("data:")) {
      const comma = value.indexOf(",");
      const data = Uint8Array.from(atob(value.slice(comma + 1)), (c) => c.charCodeAt(0));
      return { dataUrl: value, sha256: sha256Hex(data), bytes: data.length };
    }
    const path = resolve(imagesDir, value);
    if (!path.startsWith(imagesDir + sep) && path !== imagesDir) {
      throw new Error(`image path "${value}" leaves the image folder`);
    }
    bytes = await Deno.readFile(path);
  }
  if (!bytes) throw new Error(`unreadable image value (${typeof value})`);
  return {
    dataUrl: `data:${imageMimeOf(bytes)};base64,${encodeBase64(bytes)}`,
    sha256: sha256Hex(bytes),
    bytes: bytes.length,
  };
}

/** Every image of a record's image field (one value or a list). */
export function prepareImages(record: unknown, field: string, imagesDir: string): Promise<PreparedImage[]> {
  const value = valueAt(record, field);
  if (value === undefined || value === null) return Promise.resolve([]);
  const list = Array.isArray(value) && !value.every((b) => typeof b === "number") ? value : [value];
  return Promise.all(list.map((v) => prepareImage(v, imagesDir)));
}
