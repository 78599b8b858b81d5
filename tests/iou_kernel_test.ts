/** Tests of the `iou` kernel driven in-process through its host glue (params) and `score()`. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeItem, type KernelOutput, scoreInProcess } from "../wasm/mod.ts";
import { iouVerifier } from "../verifiers/iou/mod.ts";
import { QWEN25_VL_RESIZE, roundHalfEven, smartResize } from "../verifiers/_coordinates/mod.ts";
import { InvalidRequestError } from "../verifiers/types.ts";
import { assertVerdict, loadKernel } from "./_kernel.ts";

const kernel = loadKernel("iou");

function score(response: string, reference: unknown, options: Record<string, unknown> = {}): KernelOutput {
  return scoreInProcess(kernel, iouVerifier.params(reference, options), response);
}

Deno.test("`iou` gives every published example its expected result", () => {
  assert.ok(iouVerifier.examples.length >= 10);
  for (const ex of iouVerifier.examples) {
    const out = score(ex.item.response, ex.item.reference, ex.item.options ?? {});
    assert.equal(out.reward, ex.expected.reward, ex.title);
    assert.equal(out.correct, ex.expected.correct, ex.title);
    for (const [k, v] of Object.entries(ex.expected.details ?? {})) {
      assert.deepEqual(out.details[k], v, `${ex.title}: ${k}`);
    }
  }
});

Deno.test("`iou` scores a Qwen-VL <box> answer by IoU", () => {
  const out = score("<answer><|box_start|>(0,0),(100,50)<|box_end|></answer>", { box: [0, 0, 100, 100] });
  assert.equal(out.reward, 0.5);
  assert.equal(out.correct, true);
  assert.equal(out.details.extraction, "answer_tag+qwen_box");
});

Deno.test("`iou` reads Python-style dicts with single quotes inside a json fence", () => {
  const out = score("<answer>```json\n{'bbox_2d': [0, 0, 10, 10], 'label': 'cup'}\n```</answer>", {
    box: [0, 0, 10, 10],
  });
  assert.equal(out.reward, 1);
  assert.equal(out.details.extraction, "answer_tag+fence+json_object");
});

Deno.test("`iou` uses the last complete <answer> block", () => {
  const out = score("<answer>[0,0,5,5]</answer> wait <answer>[0,0,10,10]</answer>", { box: [0, 0, 10, 10] });
  assert.equal(out.reward, 1);
});

Deno.test("`iou` reads two corner tuples outside tags as one box", () => {
  const out = score("The box is (0, 0), (10, 10).", { box: [0, 0, 10, 10] });
  assert.equal(out.reward, 1);
  assert.equal(out.details.extraction, "whole+tuple_pair");
});

Deno.test("`iou` does not call the same box repeated hedging", () => {
  const out = score('<answer>[0,0,10,10] i.e. {"bbox_2d": [0,0,10,10]}</answer>', { box: [0, 0, 10, 10] });
  assert.equal(out.reward, 1);
  assert.equal(out.details.reason, null);
});

Deno.test("`iou` converts xywh and cxcywh answers", () => {
  assert.equal(score("[0, 0, 10, 10]", { box: [0, 0, 10, 10] }, { box_format: "xywh" }).reward, 1);
  assert.equal(score("[5, 5, 10, 10]", { box: [0, 0, 10, 10] }, { box_format: "cxcywh" }).reward, 1);
  // corner pairs stay xyxy whatever the box format
  assert.equal(score("<box>(0,0),(10,10)</box>", { box: [0, 0, 10, 10] }, { box_format: "xywh" }).reward, 1);
});

Deno.test("`iou` maps norm1 coordinates and resized-image pixels to the reference's pixels", () => {
  assert.equal(
    score("[0.1, 0.1, 0.5, 0.5]", { box: [64, 48, 320, 240] }, { coords: "norm1", image_size: [640, 480] })
      .reward,
    1,
  );
  const out = score("[0, 0, 320, 240]", { box: [0, 0, 640, 480] }, {
    image_size: [640, 480],
    resized_size: [320, 240],
  });
  assert.deepEqual(out.details.extracted, [0, 0, 640, 480]);
});

Deno.test("`iou` calls a zero-area box invalid geometry", () => {
  const out = score("[5, 5, 5, 10]", { box: [0, 0, 10, 10] });
  assert.equal(out.details.reason, "invalid_geometry");
  assert.equal(out.details.problem, "zero_area");
});

Deno.test("`iou` point mode counts edges as inside and uses a box's center", () => {
  assert.equal(score("(0, 0)", { box: [0, 0, 10, 10] }, { mode: "point" }).reward, 1);
  assert.equal(score("(10.5, 0)", { box: [0, 0, 10, 10] }, { mode: "point" }).details.reason, "wrong");
  const out = score("[0, 0, 4, 4]", { box: [0, 0, 10, 10] }, { mode: "point" });
  assert.equal(out.reward, 1);
  assert.equal(out.details.point_from, "box_center");
  assert.deepEqual(out.details.extracted, [2, 2]);
});

Deno.test("`iou` temporal mode reads [s, e] and rejects reversed segments", () => {
  assert.equal(score("<answer>[4, 8]</answer>", { segment: [4, 8] }).reward, 1);
  assert.equal(score("<answer>[8, 4]</answer>", { segment: [4, 8] }).details.reason, "invalid_geometry");
  assert.equal(score("<answer>[10, 12]</answer>", { segment: [4, 8] }).reward, 0);
});

Deno.test("`iou` detection finds the optimal matching where greedy matching would not", () => {
  // pred 0 overlaps ref 0 best, but ref 0 is the only match for pred 1
  const out = score("[[1,0,11,10],[0,0,8,10]]", { boxes: [[0, 0, 10, 10], [3, 0, 13, 10]] });
  assert.equal(out.details.matched, 2);
  assert.equal(out.reward, 1);
  assert.deepEqual(out.details.matches, [{ pred: 0, ref: 1, iou: 8 / 12 }, { pred: 1, ref: 0, iou: 0.8 }]);
});

Deno.test("`iou` detection needs matching labels when the reference has them", () => {
  const out = score('[{"bbox_2d": [0,0,10,10], "label": "dog"}]', {
    boxes: [[0, 0, 10, 10]],
    labels: ["cat"],
  });
  assert.equal(out.reward, 0);
  assert.equal(out.details.reason, "wrong");
});

Deno.test("`iou` detection rejects any box when the object is absent", () => {
  const out = score("[0,0,10,10]", { boxes: [] });
  assert.equal(out.reward, 0);
  assert.equal(out.details.reason, "wrong");
  assert.equal(score("No object matches.", { boxes: [] }).reward, 1);
  assert.equal(score("<answer>None</answer>", { boxes: [[0, 0, 1, 1]] }).reward, 0);
});

Deno.test("`iou` detection mAP ranks boxes by their confidence when the answer gives one", () => {
  const ref = { boxes: [[0, 0, 10, 10]] };
  const low = '[{"bbox": [50,50,60,60], "score": 0.9}, {"bbox": [0,0,10,10], "score": 0.1}]';
  const high = '[{"bbox": [50,50,60,60], "score": 0.1}, {"bbox": [0,0,10,10], "score": 0.9}]';
  assert.equal(score(high, ref, { reward: "map" }).reward, 1);
  assert.equal(score(low, ref, { reward: "map" }).reward, 0.5);
});

Deno.test("`iou` vlm_r1 profile uses VLM-R1's pixel-inclusive IoU and first answer block", () => {
  // inclusive convention: intersection (min(x2)-1 - max(x1) + 1) when the overlap exceeds one pixel
  const out = score("<answer>[0, 0, 10, 10]</answer><answer>[5,5,6,6]</answer>", { box: [5, 0, 15, 10] }, {
    profile: "vlm_r1",
  });
  assert.equal(out.reward, 50 / 150);
  // floats are not VLM-R1 boxes
  assert.equal(
    score("<answer>[0.5, 0, 10, 10]</answer>", { box: [0, 0, 10, 10] }, { profile: "vlm_r1" }).details.reason,
    "bad_format",
  );
  // no answer tag, no reward
  assert.equal(
    score("[0, 0, 10, 10]", { box: [0, 0, 10, 10] }, { profile: "vlm_r1" }).details.reason,
    "no_answer",
  );
});

Deno.test("`iou` vlm_r1 detection reproduces pycocotools' AP@0.50 (with its epsilon)", () => {
  const ref = { boxes: [[0, 0, 10, 10], [20, 20, 30, 30]], labels: ["cat", "dog"] };
  const perfect =
    '```json\n[{"bbox_2d": [0,0,10,10], "label": "cat"}, {"bbox_2d": [20,20,30,30], "label": "dog"}]\n```';
  assert.equal(score(perfect, ref, { profile: "vlm_r1" }).reward, 0.9999999999999999);
  const half = '```json\n[{"bbox_2d": [0,0,10,10], "label": "cat"}]\n```';
  // numpy: np.mean over [p, 0] * 101 with p = 1 / (1 + spacing(1)) is 0.49999999999999994
  assert.equal(score(half, ref, { profile: "vlm_r1" }).reward, 0.49999999999999994);
  // labels are case-sensitive there
  const upper = '```json\n[{"bbox_2d": [0,0,10,10], "label": "Cat"}]\n```';
  assert.equal(score(upper, ref, { profile: "vlm_r1" }).reward, 0);
});

Deno.test("`iou` params reject combinations the schema cannot express", () => {
  const bad: [unknown, Record<string, unknown>][] = [
    [{ box: [10, 0, 0, 10] }, {}],
    [{ box: [0, 0, 10, 10] }, { coords: "norm1000" }],
    [{ box: [0, 0, 10, 10] }, { mode: "detection" }],
    [{ box: [0, 0, 10, 10] }, { reward: "f1" }],
    [{ boxes: [[0, 0, 1, 1]], labels: [] }, {}],
    [{ segment: [3, 3] }, {}],
    [{ box: [0, 0, 10, 10] }, { mode: "point", profile: "vlm_r1" }],
    [{ box: [0, 0, 10, 10] }, { image_size: [10, 10], resized_size: [5, 5], resize: {} }],
  ];
  for (const [ref, opts] of bad) {
    assert.throws(() => iouVerifier.params(ref, opts), InvalidRequestError, JSON.stringify([ref, opts]));
  }
});

Deno.test("`smartResize()` matches Qwen2.5-VL's smart_resize", () => {
  assert.equal(roundHalfEven(2.5), 2);
  assert.equal(roundHalfEven(3.5), 4);
  assert.deepEqual(smartResize([640, 480], QWEN25_VL_RESIZE), [644, 476]);
  assert.deepEqual(smartResize([14, 14], QWEN25_VL_RESIZE), [56, 56]);
  const [w, h] = smartResize([8000, 6000], QWEN25_VL_RESIZE);
  assert.ok(w * h <= QWEN25_VL_RESIZE.max_pixels && w % 28 === 0 && h % 28 === 0);
});

const ADVERSARIAL: [string, string][] = [
  ["100,000 nested brackets", "[".repeat(100_000)],
  ["100,000 nested parentheses", "(".repeat(100_000)],
  ["100,000 nested braces in an answer", "<answer>" + "{".repeat(100_000) + "</answer>"],
  ["a huge flat list", "[" + "1,".repeat(200_000) + "1]"],
  ["many empty lists", "[]".repeat(200_000)],
  ["huge numbers", "[1e999999, 1e308, 1e309, -1e400]"],
  ["a very long number", "[" + "9".repeat(10_000) + ", 0, 1, 1]"],
  ["an unterminated string", '[{"bbox_2d": "' + "a".repeat(100_000)],
  ["unterminated box tags", "<box>(1,2),(3,4)".repeat(10_000)],
  ["5,000 boxes", "[" + Array.from({ length: 5000 }, (_, i) => `[${i},0,${i + 1},1]`).join(",") + "]"],
  ["NaN and Infinity words", "[NaN, Infinity, -Infinity, 1]"],
  ["nested lists of objects", "[" + '[{"box": [0,0,1,1]}],'.repeat(3000) + "[]]"],
];

for (const [name, response] of ADVERSARIAL) {
  Deno.test(`\`iou\` gives a verdict without trapping on ${name}`, () => {
    for (
      const [ref, opts] of [[{ box: [0, 0, 10, 10] }, {}], [{ boxes: [[0, 0, 1, 1]] }, {}], [{
        segment: [0, 1],
      }, {}]] as const
    ) {
      assertVerdict(score(response, ref, opts));
    }
  });
}

Deno.test("`iou` never traps on random text and always gives a known reason", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.constantFrom("rec", "detection", "point", "temporal"),
      (s, mode) => {
        const ref = mode === "detection"
          ? { boxes: [[0, 0, 10, 10]] }
          : mode === "temporal"
          ? { segment: [0, 10] }
          : { box: [0, 0, 10, 10] };
        assertVerdict(score(s, ref, { mode }));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("`iou` never traps on random bytes, including 0x00 and invalid UTF-8", () => {
  const params = iouVerifier.params({ box: [0, 0, 10, 10] }, {});
  const decoder = new TextDecoder();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      const head = encodeItem(params, "");
      const item = new Uint8Array(head.length + bytes.length);
      item.set(head);
      item.set(bytes, head.length);
      assertVerdict(JSON.parse(decoder.decode(kernel.scoreBytes(item))));
    }),
    { numRuns: 500 },
  );
});

Deno.test("`iou` never traps on box-like fragments glued together", () => {
  const fragment = fc.constantFrom(
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ",",
    "1",
    "-2.5",
    "1e400",
    '"',
    "'",
    ":",
    "bbox_2d",
    "<box>",
    "</box>",
    "<answer>",
    "</answer>",
    "```json",
    "```",
    "None",
    " ",
  );
  fc.assert(
    fc.property(
      fc.array(fragment, { maxLength: 80 }),
      fc.constantFrom("rec", "detection", "point"),
      (parts, mode) => {
        const ref = mode === "detection"
          ? { boxes: [[0, 0, 10, 10]], labels: ["a"] }
          : { box: [0, 0, 10, 10] };
        assertVerdict(score(parts.join(""), ref, { mode }));
      },
    ),
    { numRuns: 1000 },
  );
});

const boxArb = fc.tuple(
  fc.integer({ min: 0, max: 500 }),
  fc.integer({ min: 0, max: 500 }),
  fc.integer({ min: 1, max: 500 }),
  fc.integer({ min: 1, max: 500 }),
)
  .map(([x, y, w, h]) => [x, y, x + w, y + h]);

function iouOf(pred: number[], ref: number[]): number {
  return score(`<answer>${JSON.stringify(pred)}</answer>`, { box: ref }).reward;
}

Deno.test("`iou` IoU is symmetric, in [0, 1] and 1 for identical boxes", () => {
  fc.assert(
    fc.property(boxArb, boxArb, (a, b) => {
      const ab = iouOf(a, b);
      assert.equal(ab, iouOf(b, a));
      assert.ok(ab >= 0 && ab <= 1);
      assert.equal(iouOf(a, a), 1);
    }),
    { numRuns: 300 },
  );
});

Deno.test("`iou` IoU is invariant under scaling both boxes alike", () => {
  fc.assert(
    fc.property(boxArb, boxArb, fc.integer({ min: 2, max: 50 }), (a, b, k) => {
      const scaled = iouOf(a.map((v) => v * k), b.map((v) => v * k));
      assert.ok(Math.abs(scaled - iouOf(a, b)) < 1e-12);
    }),
    { numRuns: 300 },
  );
});

Deno.test("`iou` keeps one instance's memory bounded over many adversarial items", () => {
  for (let i = 0; i < 200; i++) {
    assertVerdict(score("[".repeat(10_000) + "[]".repeat(5000), { box: [0, 0, 1, 1] }));
  }
  assert.ok(kernel.memoryBytes() <= 64 * 1024 * 1024);
});

// The kernel's fast paths (kernels/iou/fast.ts) take a `rec` answer with exactly one box and the
// host's compact parameters; a second, identical box or an unknown parameter key sends the same item
// down the general path. Both must give the very same bytes.
const rawDecoder = new TextDecoder();
function rawScore(params: string, response: string): string {
  const head = new TextEncoder().encode(params);
  const body = new TextEncoder().encode(response);
  const item = new Uint8Array(head.length + 1 + body.length);
  item.set(head, 0);
  item.set(body, head.length + 1);
  return rawDecoder.decode(kernel.scoreBytes(item));
}

const numberTextArb = fc.oneof(
  fc.integer({ min: 0, max: 2000 }).map(String),
  fc.double({ min: 0, max: 2000, noNaN: true }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 6 })).map(([v, d]) =>
    (v / 7).toFixed(d)
  ),
  fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: -3, max: 3 })).map(([m, e]) => `${m}e${e}`),
  fc.constantFrom("12345678901234567890", "0.30000000000000004441", "1e-400", "-0", "007", "5."),
);

Deno.test("`iou` fast paths give the general path's exact bytes", () => {
  const wraps = [
    (a: string) => `<think>t</think><answer>${a}</answer>`,
    (a: string) => `<answer>${a}`,
    (a: string) => a,
  ];
  fc.assert(
    fc.property(
      fc.array(numberTextArb, { minLength: 4, maxLength: 4 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 2 }),
      fc.record({
        reward: fc.constantFrom("iou", "binary"),
        box_format: fc.constantFrom("xyxy", "xywh", "cxcywh"),
        threshold: fc.constantFrom(0.5, 0.75, 0.3),
      }),
      (n, form, wrap, options) => {
        const one = [
          `{"bbox_2d": [${n.join(", ")}], "label": "object"}`,
          `[${n.join(", ")}]`,
          `<|box_start|>(${n[0]},${n[1]}),(${n[2]},${n[3]})<|box_end|>`,
          `[{"bbox_2d": [${n.join(",")}], "label": "object"}]`,
        ][form];
        const params = iouVerifier.params({ box: [100, 120, 400, 380] }, options);
        const compact = JSON.stringify(params);
        const fast = rawScore(compact, wraps[wrap](one));
        assert.equal(rawScore(compact, wraps[wrap](`${one} ${one}`)), fast);
        assert.equal(rawScore(compact.slice(0, -1) + ',"x":0}', wraps[wrap](one)), fast);
        assert.equal(rawScore(JSON.stringify(params, null, 1), wraps[wrap](one)), fast);
        const out = JSON.parse(fast) as KernelOutput;
        assertVerdict(out);
        if (form === 1 && options.box_format === "xyxy" && out.details.extracted) {
          // numbers are read exactly as JavaScript reads them (correctly rounded; -0 is written as 0),
          // except subnormal ones (below 2.2e-308, meaningless as coordinates): AssemblyScript's
          // parseFloat, the kernel's slow path, may miss their last bit (found by this test with
          // seed -1876755474: 6.50167981123608e-309 read as 6.501679811236077e-309).
          const expected = n.map((t) => Number(t) + 0);
          const got = out.details.extracted as number[];
          expected.forEach((value, k) => {
            if (value === 0 || Math.abs(value) >= 2.2250738585072014e-308) assert.equal(got[k], value);
            else assert.ok(Math.abs(got[k] - value) <= Math.abs(value) * 1e-15, `${got[k]} vs ${value}`);
          });
        }
      },
    ),
    { numRuns: 2000 },
  );
});
