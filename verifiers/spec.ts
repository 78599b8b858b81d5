/**
 * Composite rewards (DESIGN.md §2 "Composite rewards"): a spec is a tree whose leaves are verifiers
 * and whose inner nodes combine their rewards (`sum` weighted, `min`, `max`, `product`, `gate`),
 * plus `constant` leaves for offsets (a DAPO-style overlong penalty is `length` − 1). Every leaf is
 * an ordinary item scored by the engine in the same pass as the rest of the batch.
 */
import type { JsonSchema } from "./types.ts";
import type { VerifyResult } from "./result.ts";

/** One node of a spec. `weight` matters inside `sum` only (default 1). */
export type SpecNode =
  | { verifier: string; options?: Record<string, unknown>; reference?: unknown; weight?: number }
  | { sum: SpecNode[]; weight?: number }
  | { min: SpecNode[]; weight?: number }
  | { max: SpecNode[]; weight?: number }
  | { product: SpecNode[]; weight?: number }
  | { gate: { if: SpecNode; then: SpecNode; threshold?: number }; weight?: number }
  | { constant: number; weight?: number };

/** JSON Schema of a spec node (recursive), published in the OpenAPI document. */
export const specSchema: JsonSchema = {
  $id: "arbiter-spec",
  $ref: "#/$defs/node",
  $defs: {
    node: {
      oneOf: [
        {
          type: "object",
          required: ["verifier"],
          additionalProperties: false,
          properties: {
            verifier: { type: "string" },
            options: { type: "object" },
            reference: {},
            weight: { type: "number" },
          },
        },
        ...["sum", "min", "max", "product"].map((op) => ({
          type: "object",
          required: [op],
          additionalProperties: false,
          properties: {
            [op]: { type: "array", minItems: 1, items: { $ref: "#/$defs/node" } },
            weight: { type: "number" },
          },
        })),
        {
          type: "object",
          required: ["gate"],
          additionalProperties: false,
          properties: {
            gate: {
              type: "object",
              required: ["if", "then"],
              additionalProperties: false,
              properties: {
                if: { $ref: "#/$defs/node" },
                then: { $ref: "#/$defs/node" },
                threshold: {
                  type: "number",
                  description: "`then` counts when `if`'s reward is at least this (default 1).",
                },
              },
            },
            weight: { type: "number" },
          },
        },
        {
          type: "object",
          required: ["constant"],
          additionalProperties: false,
          properties: { constant: { type: "number" }, weight: { type: "number" } },
        },
      ],
    },
  },
};

/** A verifier leaf of a spec, with its path (e.g. `sum[1]`) for components and logs. */
export interface SpecLeaf {
  path: string;
  verifier: string;
  options: Record<string, unknown>;
  /** The leaf's own reference; undefined means the item's. */
  reference: unknown;
  weight: number;
}

/** The verifier leaves of a spec, in a fixed order (depth first). */
export function leavesOf(node: SpecNode, path = "spec"): SpecLeaf[] {
  if ("verifier" in node) {
    return [{
      path,
      verifier: node.verifier,
      options: node.options ?? {},
      reference: node.reference,
      weight: node.weight ?? 1,
    }];
  }
  if ("constant" in node) return [];
  if ("gate" in node) {
    return [...leavesOf(node.gate.if, `${path}.gate.if`), ...leavesOf(node.gate.then, `${path}.gate.then`)];
  }
  const [op, children] = Object.entries(node).find(([k]) => k !== "weight") as [string, SpecNode[]];
  return children.flatMap((child, i) => leavesOf(child, `${path}.${op}[${i}]`));
}

/** The smallest and largest reward the spec can give (verifier leaves give [0, 1]). */
export function rangeOf(node: SpecNode): [number, number] {
  if ("verifier" in node) return [0, 1];
  if ("constant" in node) return [node.constant, node.constant];
  if ("gate" in node) {
    const then = rangeOf(node.gate.then);
    return [Math.min(0, then[0]), Math.max(0, then[1])];
  }
  if ("sum" in node) {
    let lo = 0, hi = 0;
    for (const child of node.sum) {
      const [a, b] = rangeOf(child);
      const w = child.weight ?? 1;
      lo += Math.min(w * a, w * b);
      hi += Math.max(w * a, w * b);
    }
    return [lo, hi];
  }
  const ranges = ("min" in node ? node.min : "max" in node ? node.max : node.product).map(rangeOf);
  if ("min" in node) return [Math.min(...ranges.map((r) => r[0])), Math.min(...ranges.map((r) => r[1]))];
  if ("max" in node) return [Math.max(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
  // product: the running interval's extremes times each factor's endpoints bound the product
  let lo = 1, hi = 1;
  for (const [a, b] of ranges) {
    const corners = [lo * a, lo * b, hi * a, hi * b];
    lo = Math.min(...corners);
    hi = Math.max(...corners);
  }
  return [lo + 0, hi + 0]; // + 0 turns -0 into 0
}

/** Limits on a spec's size, so that one item cannot make the server do unbounded work. */
export interface SpecLimits {
  /** Deepest nesting of operators. */
  maxDepth: number;
  /** Most leaves (verifiers and constants). */
  maxLeaves: number;
}

/**
 * Checks a spec's depth and leaf count without recursion (a spec 100,000 levels deep must not
 * overflow the stack); returns the problem or null. Run before the schema, which recurses.
 */
export function specSizeProblem(spec: unknown, limits: SpecLimits): string | null {
  const stack: [unknown, number][] = [[spec, 1]];
  let leaves = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limits.maxDepth) return `spec: is nested deeper than max_spec_depth (${limits.maxDepth})`;
    if (node === null || typeof node !== "object") continue;
    const record = node as Record<string, unknown>;
    if (Object.hasOwn(record, "verifier") || Object.hasOwn(record, "constant")) {
      if (++leaves > limits.maxLeaves) {
        return `spec: has more than max_spec_leaves (${limits.maxLeaves}) leaves`;
      }
      continue;
    }
    for (const op of ["sum", "min", "max", "product"]) {
      const children = Object.hasOwn(record, op) ? record[op] : undefined;
      if (!Array.isArray(children)) continue;
      if (children.length > limits.maxLeaves) {
        return `spec: has more than max_spec_leaves (${limits.maxLeaves}) leaves`;
      }
      for (const child of children) stack.push([child, depth + 1]);
    }
    const gate = Object.hasOwn(record, "gate") ? record.gate : undefined;
    if (gate !== null && typeof gate === "object") {
      stack.push([(gate as Record<string, unknown>).if, depth + 1], [
        (gate as Record<string, unknown>).then,
        depth + 1,
      ]);
    }
  }
  return null;
}

/** The combined outcome of a spec over its leaves' results. */
export interface SpecOutcome {
  /** null when a counted leaf has no verdict. */
  reward: number | null;
  correct: boolean;
  /** The reason of the first counted leaf that is not correct (null when all are). */
  reason: string | null;
  /** The first counted leaf without a verdict. */
  noVerdict: VerifyResult | null;
  /** Paths of leaves under a closed gate: scored, but not counted. */
  gatedOut: Set<string>;
}

/** Combines leaf results (by path) into the spec's reward. */
export function combine(node: SpecNode, results: Map<string, VerifyResult>): SpecOutcome {
  const outcome: SpecOutcome = {
    reward: null,
    correct: true,
    reason: null,
    noVerdict: null,
    gatedOut: new Set(),
  };
  outcome.reward = evaluate(node, "spec", results, outcome, true);
  if (outcome.noVerdict) outcome.reward = null;
  return outcome;
}

function evaluate(
  node: SpecNode,
  path: string,
  results: Map<string, VerifyResult>,
  out: SpecOutcome,
  counted: boolean,
): number {
  if ("verifier" in node) {
    const result = results.get(path)!;
    if (!counted) {
      out.gatedOut.add(path);
      return 0;
    }
    if (result.reward === null) {
      out.noVerdict ??= result;
      return 0;
    }
    if (!result.correct) {
      out.correct = false;
      out.reason ??= (result.details?.reason as string | null | undefined) ?? "wrong";
    }
    return result.reward;
  }
  if ("constant" in node) return node.constant;
  if ("gate" in node) {
    const threshold = node.gate.threshold ?? 1;
    const gate = evaluate(node.gate.if, `${path}.gate.if`, results, out, counted);
    const open = gate >= threshold;
    const then = evaluate(node.gate.then, `${path}.gate.then`, results, out, counted && open);
    return open ? then : 0;
  }
  if ("max" in node) {
    // max is correct when any child is: evaluate children on their own outcome records
    let best = -Infinity;
    let anyCorrect = false;
    let firstReason: string | null = null;
    node.max.forEach((child, i) => {
      const sub: SpecOutcome = {
        reward: null,
        correct: true,
        reason: null,
        noVerdict: null,
        gatedOut: out.gatedOut,
      };
      const value = evaluate(child, `${path}.max[${i}]`, results, sub, counted);
      if (sub.noVerdict) out.noVerdict ??= sub.noVerdict;
      if (sub.correct) anyCorrect = true;
      else firstReason ??= sub.reason;
      best = Math.max(best, value);
    });
    if (!anyCorrect) {
      out.correct = false;
      out.reason ??= firstReason;
    }
    return best;
  }
  if ("sum" in node) {
    return node.sum.reduce(
      (acc, child, i) =>
        acc + (child.weight ?? 1) * evaluate(child, `${path}.sum[${i}]`, results, out, counted),
      0,
    );
  }
  if ("min" in node) {
    return Math.min(
      ...node.min.map((child, i) => evaluate(child, `${path}.min[${i}]`, results, out, counted)),
    );
  }
  return node.product.reduce(
    (acc, child, i) => acc * evaluate(child, `${path}.product[${i}]`, results, out, counted),
    1,
  );
}
