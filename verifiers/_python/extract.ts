/**
 * Finds the chart code in a model's response without regular expressions: the last complete
 * ```python (or ```py) fence, else the last complete ``` fence, else the whole response (bare code).
 */

/** What was taken from the response, and from where. */
export interface ExtractedCode {
  code: string;
  extraction: "python_fence" | "fence" | "bare";
}

interface Fence {
  info: string;
  body: string;
}

function fences(text: string): Fence[] {
  const out: Fence[] = [];
  let at = 0;
  while (true) {
    const open = text.indexOf("```", at);
    if (open < 0) break;
    const lineEnd = text.indexOf("\n", open + 3);
    if (lineEnd < 0) break;
    const close = text.indexOf("```", lineEnd + 1);
    if (close < 0) break;
    out.push({
      info: text.slice(open + 3, lineEnd).trim().toLowerCase(),
      body: text.slice(lineEnd + 1, close),
    });
    at = close + 3;
  }
  return out;
}

/** The code to run; null when the response holds nothing but whitespace. */
export function extractCode(response: string): ExtractedCode | null {
  const all = fences(response);
  for (let i = all.length - 1; i >= 0; i--) {
    if (all[i].info === "python" || all[i].info === "py" || all[i].info === "python3") {
      return { code: all[i].body, extraction: "python_fence" };
    }
  }
  if (all.length > 0) return { code: all[all.length - 1].body, extraction: "fence" };
  if (response.trim() === "") return null;
  return { code: response, extraction: "bare" };
}
