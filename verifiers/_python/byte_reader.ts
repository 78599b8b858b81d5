import { joinBytes } from "../../wasm/mod.ts";

/** Exact-length reads from a byte stream (a sandbox's stdout), with one carry-over buffer. */
export class ByteReader {
  private buffered: Uint8Array = new Uint8Array(0);
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  /** Reads exactly `n` bytes; null when the stream ends first. */
  async readExact(n: number): Promise<Uint8Array | null> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      if (this.buffered.length === 0) {
        const { value, done } = await this.reader.read();
        if (done || !value) return null;
        this.buffered = value;
      }
      const take = Math.min(n - have, this.buffered.length);
      parts.push(this.buffered.subarray(0, take));
      this.buffered = this.buffered.subarray(take);
      have += take;
    }
    return joinBytes(parts);
  }

  /** Stops reading (the process is gone or being killed). */
  cancel(): void {
    this.reader.cancel().catch(() => {});
  }
}
