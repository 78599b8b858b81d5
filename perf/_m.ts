import { benchMath } from "./math_bench.ts";
console.log((await benchMath()).join("\n"));
