/**
 * Splits a batch body `{"items": [ … ], …}` into each item's JSON text without parsing the items:
 * the engine parses them a window at a time, so a maximal batch never blocks the server for the time
 * of one `JSON.parse` of 64 MiB (the splitter itself yields every few megabytes), and a batch with
 * more items than the queue can hold is refused before the rest of it is read. This reads the JSON
 * framing of the client's request; the items' contents (and a model's output in them) are left to
 * the engine and the kernels.
 */
import { BatchTooLargeError, RawItem, WorkSlicer } from "../verifiers/mod.ts";

/** Bytes scanned between two looks at the clock (the slicer decides whether to yield). */
const CHECK_EVERY = 65_536;

const QUOTE = 34, BACKSLASH = 92, OPEN_OBJECT = 123, CLOSE_OBJECT = 125, OPEN_ARRAY = 91, CLOSE_ARRAY = 93;
const COMMA = 44, COLON = 58;

/** The body's JSON is not well formed where the splitter looked (the route answers 400). */
export class MalformedBodyError extends Error {
  override name = "MalformedBodyError";
}

const decoder = new TextDecoder();
const QUOTED_VERIFIER = new TextEncoder().encode('"verifier"');
const QUOTED_ITEMS = new TextEncoder().encode('"items"');

/** Whether `bytes` holds `word` at `at`. */
function holds(bytes: Uint8Array, at: number, word: Uint8Array): boolean {
  if (at + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

/**
 * Scans UTF-8 bytes (no decoding of the whole body: an item's bytes are decoded alone, later). In
 * UTF-8 no byte of a multi-byte character equals an ASCII quote, backslash or bracket, so the
 * framing can be read byte by byte.
 */
class Scanner {
  at = 0;
  constructor(readonly text: Uint8Array) {}

  fail(what: string): never {
    throw new MalformedBodyError(`Malformed JSON body: ${what} at position ${this.at}`);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t[this.at];
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      this.at++;
    }
  }

  peek(): number {
    this.skipSpace();
    return this.at < this.text.length ? this.text[this.at] : -1;
  }

  expect(code: number, what: string): void {
    if (this.peek() !== code) this.fail(`expected ${what}`);
    this.at++;
  }

  /** Skips a string starting at the opening quote; returns the index after the closing quote. */
  skipString(): number {
    const t = this.text;
    let from = this.at + 1;
    while (true) {
      // The next quote (a native search), escaped when an odd number of backslashes precede it.
      const quote = t.indexOf(QUOTE, from);
      if (quote < 0) return this.fail("unterminated string");
      let before = quote - 1;
      while (t[before] === BACKSLASH) before--;
      if ((quote - 1 - before) % 2 === 0) return this.at = quote + 1;
      from = quote + 1;
    }
  }

  /** Skips any value; with `captureVerifier`, returns an object's top-level `verifier` string. */
  skipValue(captureVerifier = false): string | undefined {
    const c = this.peek();
    if (c === QUOTE) {
      this.skipString();
      return undefined;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) return this.skipNested(captureVerifier && c === OPEN_OBJECT);
    // A number or a literal: up to the next delimiter (JSON.parse checks it later, or the rest does).
    const start = this.at;
    const t = this.text;
    while (this.at < t.length) {
      const d = t[this.at];
      if (
        d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 32 || d === 10 || d === 13 || d === 9
      ) break;
      this.at++;
    }
    if (this.at === start) this.fail("expected a value");
    return undefined;
  }

  /** Where the last verifier name was read, and its value: the next item's usually repeats it. */
  private lastName = { start: 0, end: 0, value: undefined as string | undefined };

  /**
   * The verifier name quoted at [start, end): the last one's string when the bytes repeat (no
   * per-item allocation for a batch of one verifier, which keeps collections short), else parsed.
   */
  private verifierAt(start: number, end: number): string | undefined {
    const t = this.text;
    const last = this.lastName;
    if (last.value !== undefined && end - start === last.end - last.start) {
      let same = true;
      for (let i = 0; i < end - start && same; i++) same = t[start + i] === t[last.start + i];
      if (same) return last.value;
    }
    try {
      const value = JSON.parse(decoder.decode(t.subarray(start, end)));
      if (typeof value === "string") this.lastName = { start, end, value };
      return value;
    } catch {
      return undefined; // left to the item's own parse
    }
  }

  /** Skips an object or array by depth, strings respected; captures the top-level `verifier` value. */
  private skipNested(captureVerifier: boolean): string | undefined {
    const t = this.text;
    let depth = 0;
    let verifier: string | undefined;
    // At depth 1 of an object, strings alternate key, value; `afterKey` marks a value position.
    let expectKey = true;
    let keyIsVerifier = false;
    while (this.at < t.length) {
      const c = t[this.at];
      if (c === QUOTE) {
        const start = this.at;
        this.skipString();
        if (captureVerifier && depth === 1) {
          if (expectKey) keyIsVerifier = this.at - start === 10 && holds(t, start, QUOTED_VERIFIER);
          else if (keyIsVerifier && verifier === undefined) verifier = this.verifierAt(start, this.at);
        }
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) {
          this.at++;
          return verifier;
        }
      } else if (depth === 1 && c === COLON) expectKey = false;
      else if (depth === 1 && c === COMMA) {
        expectKey = true;
        keyIsVerifier = false;
      }
      this.at++;
    }
    return this.fail("unbalanced brackets");
  }
}

/**
 * Splits `body` (a batch body's UTF-8 bytes, or its text) into its items, as `RawItem`s, and the rest
 * of the body, parsed with `items` replaced by `[]` (for the route's schema). Throws
 * `MalformedBodyError` for broken JSON framing and `BatchTooLargeError` as soon as there are more than
 * `maxItems` items. A body that is not an object, or has no `items` list, is parsed whole and
 * returned with `items: null`.
 */
export async function splitBatchBody(
  body: Uint8Array | string,
  maxItems: number,
): Promise<{ rest: unknown; items: RawItem[] | null }> {
  const text = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const scan = new Scanner(text);
  const whole = () => {
    try {
      return { rest: JSON.parse(decoder.decode(text)), items: null };
    } catch (error) {
      throw new MalformedBodyError(`Malformed JSON body: ${(error as Error).message.slice(0, 200)}`);
    }
  };
  if (scan.peek() !== OPEN_OBJECT) return whole();
  scan.at++;
  let itemsStart = -1, itemsEnd = -1;
  const items: RawItem[] = [];
  const slicer = new WorkSlicer();
  let nextCheck = CHECK_EVERY;
  if (scan.peek() !== CLOSE_OBJECT) {
    while (true) {
      if (scan.peek() !== QUOTE) scan.fail("expected a key");
      const keyStart = scan.at;
      scan.skipString();
      const isItems = scan.at - keyStart === 7 && holds(text, keyStart, QUOTED_ITEMS);
      scan.expect(COLON, "':'");
      if (isItems && scan.peek() === OPEN_ARRAY) {
        if (itemsStart >= 0) scan.fail('a second "items"');
        itemsStart = scan.at;
        scan.at++;
        if (scan.peek() !== CLOSE_ARRAY) {
          while (true) {
            scan.skipSpace();
            const start = scan.at;
            const verifier = scan.skipValue(true);
            if (items.length === maxItems) throw new BatchTooLargeError(items.length + 1, maxItems);
            // The item stays in the body's bytes until the engine prepares it.
            items.push(new RawItem(text, verifier, start, scan.at));
            if (scan.at > nextCheck) {
              nextCheck = scan.at + CHECK_EVERY;
              if (slicer.due()) await slicer.yield();
            }
            const d = scan.peek();
            if (d === COMMA) {
              scan.at++;
              continue;
            }
            if (d === CLOSE_ARRAY) break;
            scan.fail("expected ',' or ']' in items");
          }
        }
        scan.at++;
        itemsEnd = scan.at;
      } else scan.skipValue();
      const d = scan.peek();
      if (d === COMMA) {
        scan.at++;
        continue;
      }
      if (d === CLOSE_OBJECT) break;
      scan.fail("expected ',' or '}'");
    }
  }
  scan.at++;
  if (scan.peek() !== -1) scan.fail("unexpected text after the body");
  if (itemsStart < 0) return whole();
  let rest: unknown;
  try {
    rest = JSON.parse(
      decoder.decode(text.subarray(0, itemsStart)) + "[]" + decoder.decode(text.subarray(itemsEnd)),
    );
  } catch (error) {
    throw new MalformedBodyError(`Malformed JSON body: ${(error as Error).message.slice(0, 200)}`);
  }
  return { rest, items };
}
