// The parameter blocks of a batch differ in their references only: the key walker's values of a block with one
// reference are kept as a template (its bytes before the reference's text, its bytes from the reference's closing
// quote on, and the values read), and a later block with the same bytes around a plain string gets the same values
// with that string as its reference, without walking its keys. A few templates (one per set of options in turn).

import { Item } from "../_lib/item";
import { sameBytes } from "./ascii_tokens";
import { plainStringEnd } from "../_lib/plain_json";
import { Metric, TextParams } from "./params";

// Templates: SLOTS of them, each its prefix and suffix (at most EDGE bytes each) and its values, all in static memory
// (the heap is reset every item): per slot the prefix's length (0: no template), the suffix's, the metric, three flags,
// five constant strings' addresses and five numbers.
const SLOTS: i32 = 4;
const EDGE: i32 = 248;
const PREFIX: usize = memory.data((EDGE + 8) * SLOTS, 16);
const SUFFIX: usize = memory.data((EDGE + 8) * SLOTS, 16);
const RECORD: i32 = 80;
const VALUES: usize = memory.data(RECORD * SLOTS, 16);
let next = 0;


// Whether `s` is a constant (static memory: the same text at the same address in every item).
@inline function constant(s: string): bool {
  return changetype<usize>(s) < __heap_base;
}

/** The values of the item's parameter block from a template that fits it, else null. */
export function cachedParams(item: Item): TextParams | null {
  const ptr = item.ptr;
  const len = item.sep;
  for (let k = 0; k < SLOTS; k++) {
    const v = VALUES + <usize>(k * RECORD);
    const pre = load<i32>(v);
    const suf = load<i32>(v, 4);
    if (pre == 0 || len < pre + suf || !sameBytes(ptr, PREFIX + <usize>(k * (EDGE + 8)), pre)) continue;
    // the reference: a plain string whose opening quote is the prefix's last byte, then exactly the suffix
    const e = plainStringEnd(ptr, len, pre - 1);
    if (e < 0 || len - e != suf || !sameBytes(ptr + <usize>e, SUFFIX + <usize>(k * (EDGE + 8)), suf)) continue;
    const t = new TextParams();
    t.ptr = ptr;
    t.refSpans.push(pre);
    t.refSpans.push(e);
    t.refsKeys = 1;
    t.metric = <Metric>load<i32>(v, 8);
    t.lowercase = load<u8>(v, 12) != 0;
    t.removePunct = load<u8>(v, 13) != 0;
    t.whitespace = load<u8>(v, 14) != 0;
    t.metricName = changetype<string>(<usize>load<u32>(v, 16));
    t.tag = changetype<string>(<usize>load<u32>(v, 20));
    t.tokenize = changetype<string>(<usize>load<u32>(v, 24));
    t.smooth = changetype<string>(<usize>load<u32>(v, 28));
    t.werReward = changetype<string>(<usize>load<u32>(v, 32));
    t.smoothValue = load<f64>(v, 40);
    t.maxOrder = load<f64>(v, 48);
    t.charOrder = load<f64>(v, 56);
    t.beta = load<f64>(v, 64);
    t.threshold = load<f64>(v, 72);
    return t;
  }
  return null;
}

/**
 * Keeps the values `t` of the item's block as a template when the key walker read them (`refStrings` null) from one
 * `refs` key with one reference, and every string value is a constant.
 */
export function rememberParams(item: Item, t: TextParams): void {
  if (t.refStrings !== null || t.refsKeys != 1 || t.refCount != 1) return;
  if (!constant(t.metricName) || !constant(t.tag) || !constant(t.tokenize)) return;
  if (!constant(t.smooth) || !constant(t.werReward)) return;
  const pre = t.refStart(0);
  const e = t.refEnd(0);
  const suf = item.sep - e;
  if (pre < 1 || pre > EDGE || suf > EDGE) return;
  const k = next;
  next = (next + 1) % SLOTS;
  const v = VALUES + <usize>(k * RECORD);
  memory.copy(PREFIX + <usize>(k * (EDGE + 8)), item.ptr, <usize>pre);
  memory.copy(SUFFIX + <usize>(k * (EDGE + 8)), item.ptr + <usize>e, <usize>suf);
  store<i32>(v, pre);
  store<i32>(v, suf, 4);
  store<i32>(v, <i32>t.metric, 8);
  store<u8>(v, <u8>t.lowercase, 12);
  store<u8>(v, <u8>t.removePunct, 13);
  store<u8>(v, <u8>t.whitespace, 14);
  store<u32>(v, <u32>changetype<usize>(t.metricName), 16);
  store<u32>(v, <u32>changetype<usize>(t.tag), 20);
  store<u32>(v, <u32>changetype<usize>(t.tokenize), 24);
  store<u32>(v, <u32>changetype<usize>(t.smooth), 28);
  store<u32>(v, <u32>changetype<usize>(t.werReward), 32);
  store<f64>(v, t.smoothValue, 40);
  store<f64>(v, t.maxOrder, 48);
  store<f64>(v, t.charOrder, 56);
  store<f64>(v, t.beta, 64);
  store<f64>(v, t.threshold, 72);
}
