// Scores a candidate chart against a reference from their traces and renderings (see
// verifiers/chart_code/README.md): text, tick, layout, chart-type and color F1, image similarity, and
// the weighted reward of the default profile or ChartMimic's four low-level metrics.

import { countsF1, F1, foldTypes, multisetF1 } from "./f1";
import { colorF1 } from "./color";
import { compareImages, ImageScore } from "./image";
import { ChartInput } from "./input";
import { writeRendering } from "./rendering";
import { ChartTrace } from "./trace";
import { JsonKind, JsonValue } from "../_lib/json";
import { beginResult, finishResult } from "../_lib/result";
import { JsonWriter } from "../_lib/writer";

export const METRICS: string[] = ["format", "text", "ticks", "layout", "type", "color", "image"];
const DEFAULT_WEIGHTS: f64[] = [0.1, 0.15, 0.05, 0.1, 0.15, 0.15, 0.3];

/** The trusted parameters the host glue wrote. */
export class ChartParams {
  chartmimic: bool = false;
  weights: f64[] = DEFAULT_WEIGHTS.slice(0);
  threshold: f64 = 0.9;
}

/** Reads the parameters object; unknown or malformed fields keep their defaults. */
export function readChartParams(v: JsonValue): ChartParams {
  const p = new ChartParams();
  const profile = v.get("profile");
  p.chartmimic = profile !== null && profile.kind == JsonKind.String && profile.str == "chartmimic";
  const threshold = v.get("threshold");
  if (threshold !== null && threshold.kind == JsonKind.Number) p.threshold = threshold.num;
  const weights = v.get("weights");
  if (weights !== null && weights.kind == JsonKind.Object) {
    for (let i = 0; i < METRICS.length; i++) {
      const w = weights.get(METRICS[i]);
      if (w !== null && w.kind == JsonKind.Number && w.num >= 0) p.weights[i] = w.num;
    }
  }
  return p;
}

function writeF1(w: JsonWriter, name: string, f: F1): void {
  w.key(name).beginObject();
  w.key("f1").num(f.f1);
  w.key("precision").num(f.precision);
  w.key("recall").num(f.recall);
  w.endObject();
}

/** The verdict for two readable renderings (the reference trace may be absent: image reference). */
export function scoreCharts(p: ChartParams, input: ChartInput, cand: ChartTrace, ref: ChartTrace | null): ArrayBuffer {
  const image: ImageScore = compareImages(input.candPixels, input.refPixels, input.width, input.height);
  const imageScore = 0.7 * max(0, image.ssim) + 0.3 * image.histogram;
  const scores = new Array<f64>(METRICS.length).fill(-1); // -1: not available
  scores[0] = 1;
  scores[6] = imageScore;
  let text: F1 | null = null, ticks: F1 | null = null, layout: F1 | null = null, types: F1 | null = null;
  let color: F1 | null = null;
  if (ref !== null) {
    const emptyBoth: f64 = p.chartmimic ? 0 : 1;
    if (p.chartmimic) {
      // ChartMimic's text metric compares every drawn string, tick labels included.
      text = multisetF1(cand.texts.concat(cand.ticks), ref.texts.concat(ref.ticks), 0);
      types = countsF1(cand.callNames, cand.callCounts, ref.callNames, ref.callCounts, 0);
    } else {
      text = multisetF1(cand.texts, ref.texts, 1);
      ticks = multisetF1(cand.ticks, ref.ticks, 1);
      const cn = new Array<string>(), cc = new Array<i32>(), rn = new Array<string>(), rc = new Array<i32>();
      foldTypes(cand.callNames, cand.callCounts, cn, cc);
      foldTypes(ref.callNames, ref.callCounts, rn, rc);
      types = countsF1(cn, cc, rn, rc, 1);
    }
    layout = multisetF1(cand.grids, ref.grids, emptyBoth);
    color = colorF1(cand.colorTypes, cand.colorValues, ref.colorTypes, ref.colorValues, emptyBoth);
    scores[1] = text.f1;
    if (ticks !== null) scores[2] = ticks.f1;
    scores[3] = layout.f1;
    scores[4] = types.f1;
    scores[5] = color.f1;
  }
  let reward: f64 = 0;
  let reason: string | null = null;
  if (p.chartmimic) {
    reward = (scores[1] + scores[3] + scores[4] + scores[5]) / 4;
  } else if (cand.dataArtists == 0) {
    reason = "no_data_drawn"; // a blank canvas or a pasted picture earns nothing, not even the format share
  } else {
    let sum: f64 = 0, weight: f64 = 0;
    for (let i = 0; i < METRICS.length; i++) {
      if (scores[i] < 0) continue;
      sum += p.weights[i] * scores[i];
      weight += p.weights[i];
    }
    reward = weight > 0 ? sum / weight : 0;
  }
  const correct = reason === null && reward >= p.threshold;
  if (reason === null && !correct) reason = "wrong";
  const w = beginResult(reward, correct, reason);
  w.key("profile").str(p.chartmimic ? "chartmimic" : "default");
  w.key("scores").beginObject();
  for (let i = 0; i < METRICS.length; i++) {
    if (p.chartmimic && (i == 0 || i == 2)) continue;
    w.key(METRICS[i]);
    if (scores[i] < 0) w.null();
    else w.num(scores[i]);
  }
  w.endObject();
  w.key("image").beginObject();
  w.key("ssim").num(image.ssim);
  w.key("histogram").num(image.histogram);
  w.key("size").beginArray().int(input.width).int(input.height).endArray();
  w.endObject();
  if (text !== null) writeF1(w, "text", text);
  if (ticks !== null) writeF1(w, "ticks", ticks);
  if (layout !== null) writeF1(w, "layout", layout);
  if (types !== null) writeF1(w, "type", types);
  if (color !== null) writeF1(w, "color", color);
  w.key("data_artists").int(cand.dataArtists);
  writeRendering(w, input);
  return finishResult(w);
}
