/**
 * An item still in its JSON text, parsed only when the engine prepares it (window by window), so a
 * large batch is never parsed in one long synchronous stretch: the server keeps answering, and the
 * sandbox processes keep receiving work while the rest of the batch waits.
 */
const decoder = new TextDecoder();

export class RawItem {
  /**
   * `source` is one item's JSON text, or the UTF-8 bytes of a whole body with the item at
   * [`start`, `end`) (decoded when needed: a maximal batch keeps one object per item while it waits,
   * not a string too, which keeps the server's garbage collections short); `verifier` is its
   * top-level `verifier` string when the splitter saw one (for admission: a batch that needs an
   * unavailable verifier is refused before it runs).
   */
  constructor(
    readonly source: string | Uint8Array,
    readonly verifier?: string,
    readonly start = 0,
    readonly end = source.length,
  ) {}

  /** The item's JSON text. */
  get text(): string {
    const source = this.source;
    return typeof source === "string" ? source : decoder.decode(source.subarray(this.start, this.end));
  }

  /** The parsed item, or the parse error's message. */
  parse(): { item: unknown } | { error: string } {
    try {
      return { item: JSON.parse(this.text) };
    } catch (error) {
      return { error: `malformed JSON (${(error as Error).message.slice(0, 200)})` };
    }
  }
}
