import { VERIFIERS } from "../verifiers/mod.ts";
import { ItemValidator } from "../verifiers/validate.ts";
import { recItems } from "./rec_items.ts";
const items = recItems(100_000);
const v = new ItemValidator(VERIFIERS, 1 << 23);
const enc = new TextEncoder();
const buf = new Uint8Array(64 << 20);
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  const checked = items.map((i) => v.check(i));
  const t1 = performance.now();
  const ps = checked.map((c: any) => JSON.stringify(c.item.verifier.params(c.item.reference, c.item.options)));
  const t2 = performance.now();
  let at = 0;
  for (let i = 0; i < items.length; i++) { at += enc.encodeInto(ps[i], buf.subarray(at)).written; buf[at++] = 0; at += enc.encodeInto(items[i].response, buf.subarray(at)).written; }
  const t3 = performance.now();
  console.log(`validate ${(t1 - t).toFixed(0)} params ${(t2 - t1).toFixed(0)} encode ${(t3 - t2).toFixed(0)} ms`);
}
