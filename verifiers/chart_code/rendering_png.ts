/**
 * `return_image`: the candidate's rendering as a small PNG, for debugging and the UI. The input is the
 * fixed-size raw RGBA pixels whose length the host checked when it read the sandbox's frame; sharp only
 * encodes them (it never decodes anything that came out of the sandbox).
 *
 * sharp is a native addon (prebuilt libvips from npm): it is imported on first use only, so the server
 * starts and scores without it, and loading it needs `--allow-ffi`. When it cannot load, the item is
 * still scored and the kernel reports `rendering_omitted: "encoder_unavailable"` (also if encoding fails).
 */
import type sharpModule from "sharp"; // types only: erased, nothing loads at start-up

/** The PNG fits in this many pixels each way (aspect ratio kept, never enlarged). */
export const RENDERING_MAX_SIDE = 320;

type Sharp = typeof sharpModule;

let loading: Promise<Sharp | Error> | null = null;
let warned = false;

function loadSharp(): Promise<Sharp | Error> {
  loading ??= import("sharp").then(
    (module) => module.default,
    (error) => error instanceof Error ? error : new Error(String(error)),
  );
  return loading;
}

function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`chart_code: return_image: ${message}`);
}

/**
 * The rendering as base64 PNG, or null when the encoder is unavailable here or fails (logged once).
 * `pixels` holds width × height RGBA pixels.
 */
export async function renderingPng(
  pixels: Uint8Array,
  width: number,
  height: number,
): Promise<string | null> {
  if (pixels.length !== width * height * 4) throw new Error("the rendering's pixels do not match its size");
  const sharp = await loadSharp();
  if (sharp instanceof Error) {
    warnOnce(`the PNG encoder (sharp) did not load: ${sharp.message}`);
    return null;
  }
  try {
    const png = await sharp(pixels, { raw: { width, height, channels: 4 } })
      .resize({
        width: RENDERING_MAX_SIDE,
        height: RENDERING_MAX_SIDE,
        fit: "inside",
        withoutEnlargement: true,
      })
      .png({ compressionLevel: 9 })
      .toBuffer();
    return png.toString("base64");
  } catch (error) {
    warnOnce(`encoding the PNG failed: ${(error as Error).message}`);
    return null;
  }
}
