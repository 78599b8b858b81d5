// Writing normalized actions and the shared detail fields of a `gui_action` verdict.

import { GuiAction, typeName } from "./action";
import { GuiParams } from "./params";
import { JsonWriter } from "../_lib/writer";

/** Longest text (in UTF-16 units) copied into the details; longer texts are cut with "…". */
const MAX_SHOWN_TEXT: i32 = 200;

/** A text as the details show it: cut after MAX_SHOWN_TEXT units with "…". */
export function shown(s: string): string {
  return s.length <= MAX_SHOWN_TEXT ? s : s.substring(0, MAX_SHOWN_TEXT) + "\u2026";
}

/** Writes an action as {type, point?, box?, end_point?, text?, direction?, keys?, app?, status?}. */
export function writeAction(w: JsonWriter, a: GuiAction, direction: string | null): void {
  w.beginObject();
  w.key("type").str(typeName(a.type));
  if (a.hasPoint) w.key("point").beginArray().num(a.x).num(a.y).endArray();
  if (a.hasBox) w.key("box").beginArray().num(a.x1).num(a.y1).num(a.x2).num(a.y2).endArray();
  if (a.hasEnd) w.key("end_point").beginArray().num(a.ex).num(a.ey).endArray();
  const text = a.text;
  if (text !== null) w.key("text").str(shown(text));
  const dir = a.direction !== null ? a.direction : direction;
  if (dir !== null) w.key("direction").str(dir);
  const keys = a.keys;
  if (keys !== null) {
    w.key("keys").beginArray();
    for (let i = 0; i < keys.length; i++) w.str(shown(keys[i]));
    w.endArray();
  }
  const app = a.app;
  if (app !== null) w.key("app").str(shown(app));
  const status = a.status;
  if (status !== null) w.key("status").str(shown(status));
  w.endObject();
}

/** Writes the profile, the extraction rule and the coordinate mapping that was applied. */
export function writeCommon(w: JsonWriter, p: GuiParams, extraction: string): void {
  w.key("profile").str(p.profile);
  w.key("extraction").str(extraction);
  w.key("mapping").beginObject();
  w.key("coords").str(p.coords);
  w.key("scale").beginArray().num(p.numX / p.denX).num(p.numY / p.denY).endArray();
  w.endObject();
}

/** Writes the reference as the kernel understood it (or {"absent": true}). */
export function writeReference(w: JsonWriter, p: GuiParams): void {
  w.key("reference");
  if (p.refAbsent) {
    w.beginObject();
    w.key("absent").bool(true);
    w.endObject();
  } else writeAction(w, p.ref, null);
}
