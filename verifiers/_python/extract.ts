/**
 * Finds the program in a model's response without regular expressions (plain string search): a fence
 * named `block` when asked (its info string holds that word, e.g. ```python solution), else the last
 * complete ```python (or ```py, ```python3) fence, else the last complete ``` fence, else the whole
 * response as a bare program. Shared by chart_code and program.
 */

/** What was taken from the response, and from where. */
export interface ExtractedCode {
  code: string;
  extraction: "named_fence" | "python_fence" | "fence" | "bare";
}

interface Fence {
  words: string[];
  body: string;
}

const PYTHON_INFO = new Set(["python", "py", "python3"]);

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
    const info = text.slice(open + 3, lineEnd).trim().toLowerCase();
    out.push({ words: info.split(" ").filter((w) => w !== ""), body: text.slice(lineEnd + 1, close) });
    at = close + 3;
  }
  return out;
}

/**
 * The code to run; null when the response holds nothing but whitespace, or when `block` is named and
 * no fence carries that name.
 */
export function extractCode(response: string, block?: string): ExtractedCode | null {
  const all = fences(response);
  if (block !== undefined) {
    const name = block.toLowerCase();
    for (let i = all.length - 1; i >= 0; i--) {
      if (all[i].words.includes(name)) return { code: all[i].body, extraction: "named_fence" };
    }
    return null;
  }
  for (let i = all.length - 1; i >= 0; i--) {
    if (PYTHON_INFO.has(all[i].words[0] ?? "")) return { code: all[i].body, extraction: "python_fence" };
  }
  if (all.length > 0) return { code: all[all.length - 1].body, extraction: "fence" };
  if (response.trim() === "") return null;
  return { code: response, extraction: "bare" };
}
