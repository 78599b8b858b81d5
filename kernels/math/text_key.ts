// The text key of an answer: two answers with the same key are the same answer, whatever their case,
// spacing, braces, $ signs and \text-like wrappers.

const TEXT_NOISE: string[] = [
  "\\textbf", "\\textnormal", "\\textit", "\\text", "\\mathrm", "\\mathbf", "\\mbox", "\\left", "\\right", "\\!",
  "\\,", "\\;", "\\quad", "\\displaystyle", "\\dfrac", "\\tfrac",
];

/** A case-, space- and wrapper-insensitive key: two answers with the same key are the same answer. */
export function textKey(s: string): string {
  let t = s;
  const n0 = t.length;
  let digits = false;
  let ascii = true;
  for (let i = 0; i < n0; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    if (c >= 128) ascii = false;
  }
  if (!ascii) t = t.toLowerCase();
  const m = t.length;
  const buf = new StaticArray<u16>(m + 8);
  let k = 0;
  let i = 0;
  while (i < m) {
    let c = t.charCodeAt(i);
    if (c == 36) {
      i++;
      continue;
    }
    if (c == 92) {
      // wrappers and spacing commands vanish; \dfrac and \tfrac read as \frac
      let skipped = false;
      for (let w = 0; w < TEXT_NOISE.length; w++) {
        const word = unchecked(TEXT_NOISE[w]);
        if (startsAt(t, i, word)) {
          i += word.length;
          if (word == "\\dfrac" || word == "\\tfrac") {
            unchecked(buf[k++] = 92);
            unchecked(buf[k++] = 102);
            unchecked(buf[k++] = 114);
            unchecked(buf[k++] = 97);
            unchecked(buf[k++] = 99);
          }
          skipped = true;
          break;
        }
      }
      if (skipped) continue;
    }
    i++;
    if (c == 32 || c == 9 || c == 10 || c == 13 || c == 123 || c == 125 || c == 126) continue;
    if (!digits && (c == 40 || c == 41 || c == 46 || c == 58 || c == 44)) continue;
    if (c >= 65 && c <= 90) c += 32;
    if (k >= buf.length) break;
    unchecked(buf[k++] = <u16>c);
  }
  while (k > 0 && unchecked(buf[k - 1]) == 46) k--;
  return String.UTF16.decodeUnsafe(changetype<usize>(buf), <usize>k << 1);
}

/** Whether `w` (its first character already matched) starts at `i` of `s`. */
export function startsAt(s: string, i: i32, w: string): bool {
  const n = w.length;
  if (i + n > s.length) return false;
  for (let k = 1; k < n; k++) if (s.charCodeAt(i + k) != w.charCodeAt(k)) return false;
  return true;
}
