// The item prologue every kernel starts with (see kernels/README.md): split the item's bytes at the
// first 0x00 into the parameter block and the response, parse the parameters, and give the one
// verdict for a block that is missing or malformed. The host writes the parameters as strict JSON
// (an object) built from schema-validated values, so either case is a host bug, reported the same
// way by every kernel: reward 0, reason `parse_error`, `problem` `no_parameters` or
// `malformed_parameters`.

import { itemLen, itemPtr } from "./abi";
import { JsonKind, JsonReader, JsonValue } from "./json";
import { beginResult, finishResult } from "./result";
import { indexOfByte } from "./text";

/** The current item: `[ptr, ptr + sep)` holds the parameters, `[start, end)` the response. */
export class Item {
  ptr: usize;
  /** Offset of the separator (the first 0x00 byte). */
  sep: i32;
  /** Offset of the response's first byte (`sep + 1`). */
  start: i32;
  /** Length of the whole item: the response ends here. */
  end: i32;

  constructor(ptr: usize, sep: i32, end: i32) {
    this.ptr = ptr;
    this.sep = sep;
    this.start = sep + 1;
    this.end = end;
  }
}

/** The current item, or null when it has no separator (the kernel returns `badParameters(null)`). */
export function readItem(): Item | null {
  const ptr = itemPtr();
  const len = itemLen();
  const sep = indexOfByte(ptr, len, 0, 0); // eight bytes at a time
  if (sep < 0) return null;
  return new Item(ptr, sep, len);
}

/**
 * The parameter block as a JSON object, or null when it is not one (the kernel returns
 * `badParameters(item)`). Kernels with a fast parameter reader call this only when it declines.
 */
export function readParams(item: Item): JsonValue | null {
  const v = new JsonReader(item.ptr, item.sep, false).parseWhole();
  if (v === null || v.kind != JsonKind.Object) return null;
  return v;
}

/** The one verdict for an item without a parameter block (`item` null) or with a malformed one. */
export function badParameters(item: Item | null): ArrayBuffer {
  const w = beginResult(0, false, "parse_error");
  w.key("problem").str(item === null ? "no_parameters" : "malformed_parameters");
  return finishResult(w);
}
