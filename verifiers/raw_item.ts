/**
 * An item still in its JSON text, parsed only when the engine prepares it (window by window), so a
 * large batch is never parsed in one long synchronous stretch: the server keeps answering, and the
 * sandbox processes keep receiving work while the rest of the batch waits.
 */
export class RawItem {
  /**
   * `text` is one item's JSON; `verifier` is its top-level `verifier` string when the splitter saw
   * one (for admission: a batch that needs an unavailable verifier is refused before it runs).
   */
  constructor(readonly text: string, readonly verifier?: string) {}

  /** The parsed item, or the parse error's message. */
  parse(): { item: unknown } | { error: string } {
    try {
      return { item: JSON.parse(this.text) };
    } catch (error) {
      return { error: `malformed JSON (${(error as Error).message.slice(0, 200)})` };
    }
  }
}
