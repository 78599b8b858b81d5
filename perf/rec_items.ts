/** Deterministic `rec` grounding items in the formats models emit, for the performance benchmarks. */

/** A small seeded PRNG (mulberry32): the same seed always gives the same items. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const thoughts = [
  "The cat sits on the left cushion, so the box covers the left half.",
  "I look for the red car near the crossing; it is in the lower right.",
  "The question asks for the man holding the umbrella.",
  "",
];

/** `count` rec items: a reference box and a response that predicts a box near it. */
export function recItems(
  count: number,
  seed = 7,
): { verifier: "iou"; response: string; reference: { box: number[] } }[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const items = [];
  for (let i = 0; i < count; i++) {
    const x1 = int(800), y1 = int(600), w = 20 + int(400), h = 20 + int(300);
    const box = [x1, y1, x1 + w, y1 + h];
    const p = box.map((v) => Math.max(0, v + int(41) - 20));
    if (p[2] <= p[0]) p[2] = p[0] + 1;
    if (p[3] <= p[1]) p[3] = p[1] + 1;
    const think = `<think>${thoughts[i % thoughts.length]}</think>`;
    let response: string;
    switch (i % 4) {
      case 0:
        response = `${think}<answer>{"bbox_2d": [${p.join(", ")}], "label": "object"}</answer>`;
        break;
      case 1:
        response = `${think}<answer>[${p.join(", ")}]</answer>`;
        break;
      case 2:
        response = `<|box_start|>(${p[0]},${p[1]}),(${p[2]},${p[3]})<|box_end|>`;
        break;
      default:
        response = `${think}<answer>[{"bbox_2d": [${p.join(",")}], "label": "object"}]</answer>`;
    }
    items.push({ verifier: "iou" as const, response, reference: { box } });
  }
  return items;
}
