import { benchRec } from "./rec_bench.ts";
console.log((await benchRec()).join("\n"));
