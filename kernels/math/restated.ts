// An answer is taken only from the model's own statement, never from the task it restates. The
// fallback rules (the last math block, the last number) take whatever comes last; when that sits in
// a question ("What is $2+3$?") or in a sentence that restates the task ("Compute $2+3$.", "We need
// to find $\frac{6}{4}$ in lowest terms.") and states no value of its own (no '='), the response has
// not answered: `no_answer`, not the value of the restated expression.

const TASK_OPENINGS: string[] = [
  "compute", "find", "evaluate", "simplify", "calculate", "determine", "solve", "what is", "what's", "what are",
  "how many", "how much", "we need to", "we are asked", "we want to", "we have to", "we must", "the problem asks",
  "the question asks", "the task is", "question:", "problem:", "express", "write",
];

const MAX_SENTENCE: i32 = 400;

@inline function at(ptr: usize, len: i32, i: i32): i32 {
  return i >= 0 && i < len ? <i32>load<u8>(ptr + <usize>i) : -1;
}

function isBlank(c: i32): bool {
  return c == 32 || c == 9 || c == 10 || c == 13;
}

/** A sentence end at i: '.', '!' or '?' followed by a blank or the end, or a line break. */
function endsSentence(ptr: usize, len: i32, i: i32): bool {
  const c = at(ptr, len, i);
  if (c == 10) return true;
  if (c != 46 && c != 33 && c != 63) return false;
  const next = at(ptr, len, i + 1);
  return next < 0 || isBlank(next);
}

function startsWithFolded(ptr: usize, len: i32, i: i32, w: string): bool {
  if (i + w.length > len) return false;
  for (let k = 0; k < w.length; k++) {
    let c = at(ptr, len, i + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c != w.charCodeAt(k)) return false;
  }
  const after = at(ptr, len, i + w.length);
  return !((after >= 97 && after <= 122) || (after >= 65 && after <= 90));
}

/**
 * Whether the answer found at [start, end) of the response sits in a question or a restatement of
 * the task, with no '=' of its own (`text`: the extracted answer).
 */
export function restatesTask(ptr: usize, len: i32, start: i32, end: i32, text: string): bool {
  if (start < 0 || end > len || text.indexOf("=") >= 0) return false;
  // the sentence's end: a question mark makes it a question
  let e = end;
  while (e < len && e - end < MAX_SENTENCE && !endsSentence(ptr, len, e)) e++;
  if (at(ptr, len, e) == 63) return true;
  // the sentence's start
  let s = start - 1;
  while (s >= 0 && start - s < MAX_SENTENCE && !endsSentence(ptr, len, s)) s--;
  s++;
  while (s < start && (isBlank(at(ptr, len, s)) || at(ptr, len, s) == 42 || at(ptr, len, s) == 35)) s++;
  for (let k = 0; k < TASK_OPENINGS.length; k++) {
    if (startsWithFolded(ptr, len, s, unchecked(TASK_OPENINGS[k]))) return true;
  }
  return false;
}
