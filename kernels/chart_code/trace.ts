// The renderer's trace of one chart (untrusted JSON from the sandbox), read into bounded lists.
// Any field of the wrong shape makes the whole trace unreadable (the item is then render_failed).

import { JsonKind, JsonReader, JsonValue } from "../_lib/json";

/** Most entries kept per list; the renderer caps its lists at 512 too. */
export const MAX_ENTRIES: i32 = 512;

/** One chart's structure: what the scores compare. */
export class ChartTrace {
  texts: string[] = [];
  ticks: string[] = [];
  /** One key per axes placed on a grid: "nrows,ncols,row_start,row_end,col_start,col_end". */
  grids: string[] = [];
  /** Plotting calls as made (ChartMimic's call log): name and count. */
  callNames: string[] = [];
  callCounts: i32[] = [];
  colorTypes: string[] = [];
  colorValues: string[] = [];
  dataArtists: i32 = 0;
  axes: i32 = 0;
}

function strings(v: JsonValue | null, out: string[]): bool {
  if (v === null || v.kind != JsonKind.Array) return false;
  for (let i = 0; i < v.items.length && out.length < MAX_ENTRIES; i++) {
    const s = v.items[i];
    if (s.kind != JsonKind.String) return false;
    out.push(normalizeText(s.str));
  }
  return true;
}

/** Trims and collapses runs of whitespace, so "Sales  (2024) " equals "Sales (2024)". */
export function normalizeText(s: string): string {
  const parts = new Array<string>();
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x20;
    const space = c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
    if (space && start >= 0) {
      parts.push(s.substring(start, i));
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return parts.join(" ");
}

/** Parses a trace at [ptr, ptr + len); null when it is not a well-formed trace. */
export function readTrace(ptr: usize, len: i32): ChartTrace | null {
  const root = new JsonReader(ptr, len, false).parseWhole();
  if (root === null || root.kind != JsonKind.Object) return null;
  const t = new ChartTrace();
  if (!strings(root.get("texts"), t.texts) || !strings(root.get("ticks"), t.ticks)) return null;
  const axes = root.get("axes");
  if (axes === null || axes.kind != JsonKind.Array) return null;
  t.axes = min(axes.items.length, MAX_ENTRIES);
  for (let i = 0; i < t.axes; i++) {
    const ax = axes.items[i];
    if (ax.kind != JsonKind.Object) return null;
    const grid = ax.get("grid");
    if (grid === null) continue;
    if (grid.kind != JsonKind.Array || grid.items.length != 6) return null;
    const parts = new Array<string>();
    for (let k = 0; k < 6; k++) {
      const n = grid.items[k];
      if (n.kind != JsonKind.Number || !(n.num >= 0 && n.num < 1e6)) return null;
      parts.push((<i64>n.num).toString());
    }
    t.grids.push(parts.join(","));
  }
  const calls = root.get("calls");
  if (calls === null || calls.kind != JsonKind.Object) return null;
  for (let i = 0; i < calls.keys.length && i < MAX_ENTRIES; i++) {
    const n = calls.items[i];
    if (n.kind != JsonKind.Number || !(n.num >= 0 && n.num < 1e9)) return null;
    t.callNames.push(calls.keys[i]);
    t.callCounts.push(<i32>n.num);
  }
  const colors = root.get("colors");
  if (colors === null || colors.kind != JsonKind.Array) return null;
  for (let i = 0; i < colors.items.length && i < MAX_ENTRIES; i++) {
    const c = colors.items[i];
    if (c.kind != JsonKind.Object) return null;
    const type = c.get("type");
    const value = c.get("c");
    if (type === null || value === null || type.kind != JsonKind.String || value.kind != JsonKind.String) return null;
    t.colorTypes.push(type.str);
    t.colorValues.push(value.str);
  }
  const data = root.get("data_artists");
  if (data === null || data.kind != JsonKind.Number || !(data.num >= 0)) return null;
  t.dataArtists = data.num > 1e9 ? 1000000000 : <i32>data.num;
  return t;
}
