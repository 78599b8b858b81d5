/**
 * Separates a model's reasoning from its final answer: `<think>…</think>` blocks in the content
 * and the server's `reasoning_content` (vLLM, SGLang, DeepSeek) or `reasoning` field are reasoning;
 * what remains of the content is the answer that gets scored.
 */

/** The final answer and the reasoning of one completion. */
export interface SplitAnswer {
  answer: string;
  reasoning: string | null;
}

/** Splits `content` (plus a separate reasoning field, if the server sent one). */
export function splitReasoning(content: string, reasoningField: string | null): SplitAnswer {
  const parts: string[] = reasoningField ? [reasoningField] : [];
  let answer = "";
  let at = 0;
  while (at < content.length) {
    const open = content.indexOf("<think>", at);
    const close = content.indexOf("</think>", at);
    if (close >= 0 && (open < 0 || close < open)) {
      // A closing tag with no opening one: the server put the opening tag in the prompt template.
      parts.push(content.slice(at, close));
      at = close + "</think>".length;
      continue;
    }
    if (open < 0) {
      answer += content.slice(at);
      break;
    }
    answer += content.slice(at, open);
    const end = content.indexOf("</think>", open);
    if (end < 0) {
      parts.push(content.slice(open + "<think>".length)); // unfinished reasoning: no answer yet
      break;
    }
    parts.push(content.slice(open + "<think>".length, end));
    at = end + "</think>".length;
  }
  const reasoning = parts.map((p) => p.trim()).filter((p) => p.length > 0).join("\n\n");
  return { answer: answer.trim(), reasoning: reasoning.length > 0 ? reasoning : null };
}
