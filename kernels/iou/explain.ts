// Turning extracted shapes into reference-pixel geometry, and writing the shared detail fields.

import { Box } from "./geometry";
import { FORMAT_CXCYWH, FORMAT_XYWH, IouParams } from "./params";
import { Shape } from "./shapes";
import { JsonWriter } from "../_lib/writer";

/** A box shape in reference pixels: box format applied (unless written as corners), then the mapping. */
export function shapeToBox(s: Shape, p: IouParams): Box {
  let x1 = s.a;
  let y1 = s.b;
  let x2 = s.c;
  let y2 = s.d;
  if (!s.corners && p.boxFormat == FORMAT_XYWH) {
    x2 = s.a + s.c;
    y2 = s.b + s.d;
  } else if (!s.corners && p.boxFormat == FORMAT_CXCYWH) {
    x1 = s.a - s.c / 2;
    x2 = s.a + s.c / 2;
    y1 = s.b - s.d / 2;
    y2 = s.b + s.d / 2;
  }
  const b = new Box(p.mapX(x1), p.mapY(y1), p.mapX(x2), p.mapY(y2));
  b.label = s.label;
  b.score = s.score;
  b.hasScore = s.hasScore;
  return b;
}

/** Why a box is not valid: "not_finite", "reversed" or "zero_area"; null for a valid box. */
export function geometryProblem(b: Box): string | null {
  if (!isFinite(b.x1) || !isFinite(b.y1) || !isFinite(b.x2) || !isFinite(b.y2)) return "not_finite";
  if (b.x2 < b.x1 || b.y2 < b.y1) return "reversed";
  if (b.x2 == b.x1 || b.y2 == b.y1) return "zero_area";
  return null;
}

/** Writes [x1, y1, x2, y2]. */
export function writeBox(w: JsonWriter, b: Box): void {
  w.beginArray().num(b.x1).num(b.y1).num(b.x2).num(b.y2).endArray();
}

/** Writes the mode, the extraction rule and the coordinate mapping that was applied. */
export function writeCommon(w: JsonWriter, p: IouParams, extraction: string): void {
  w.key("mode").str(p.modeName);
  w.key("profile").str(p.vlmR1 ? "vlm_r1" : "default");
  w.key("extraction").str(extraction);
  w.key("mapping").beginObject();
  w.key("coords").str(p.coords);
  w.key("box_format").str(p.boxFormatName);
  w.key("scale").beginArray().num(p.numX / p.denX).num(p.numY / p.denY).endArray();
  w.endObject();
}
