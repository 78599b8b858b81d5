// The verdict every kernel returns: {"reward": r, "correct": b, "details": {"reason": …, …}}.

import { JsonWriter } from "./writer";

/**
 * Starts a result and opens its details with the reason; the caller adds detail keys with
 * `w.key(…)` and then calls `finishResult`. Rewards outside [0, 1] or not finite are clamped (0).
 */
export function beginResult(reward: f64, correct: bool, reason: string | null): JsonWriter {
  const w = new JsonWriter();
  let r = reward;
  if (!(r >= 0)) r = 0;
  if (r > 1) r = 1;
  // the constant parts as written-out text: the same bytes as beginObject, key("reward"), …, key("reason")
  w.raw('{"reward":').num(r);
  w.raw(correct ? ',"correct":true,"details":{"reason":' : ',"correct":false,"details":{"reason":');
  w.strOrNull(reason);
  return w;
}

/** Closes the details and the result; returns the bytes to hand to `emit`. */
export function finishResult(w: JsonWriter): ArrayBuffer {
  w.endObject();
  w.endObject();
  return w.finish();
}
