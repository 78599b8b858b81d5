// A growable UTF-8 buffer that writes JSON, used by every kernel to build its output.

/** Builds one JSON text, ASCII only, byte by byte; numbers that are not finite are written as null. */
export class JsonWriter {
  buf: Uint8Array = new Uint8Array(256);
  len: i32 = 0;
  // true right after '{' or '[' (no comma needed before the next value)
  private fresh: bool = true;

  private reserve(n: i32): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    memory.copy(next.dataStart, this.buf.dataStart, <usize>this.len);
    this.buf = next;
  }

  private byte(b: i32): void {
    this.reserve(1);
    unchecked((this.buf[this.len++] = <u8>b));
  }

  private ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    for (let i = 0; i < n; i++) unchecked((this.buf[this.len++] = <u8>s.charCodeAt(i)));
  }

  private comma(): void {
    if (!this.fresh) this.byte(0x2c);
    this.fresh = false;
  }

  beginObject(): JsonWriter {
    this.comma();
    this.byte(0x7b);
    this.fresh = true;
    return this;
  }

  endObject(): JsonWriter {
    this.byte(0x7d);
    this.fresh = false;
    return this;
  }

  beginArray(): JsonWriter {
    this.comma();
    this.byte(0x5b);
    this.fresh = true;
    return this;
  }

  endArray(): JsonWriter {
    this.byte(0x5d);
    this.fresh = false;
    return this;
  }

  /** Writes an object key; the next call writes its value. */
  key(k: string): JsonWriter {
    this.comma();
    this.writeString(k);
    this.byte(0x3a);
    this.fresh = true;
    return this;
  }

  num(v: f64): JsonWriter {
    this.comma();
    if (!isFinite(v)) {
      this.ascii("null");
    } else if (v == Math.floor(v) && Math.abs(v) < 1e15) {
      this.ascii((<i64>v).toString());
    } else {
      this.ascii(v.toString());
    }
    return this;
  }

  int(v: i64): JsonWriter {
    this.comma();
    this.ascii(v.toString());
    return this;
  }

  bool(v: bool): JsonWriter {
    this.comma();
    this.ascii(v ? "true" : "false");
    return this;
  }

  null(): JsonWriter {
    this.comma();
    this.ascii("null");
    return this;
  }

  /** Writes a JSON string, escaping quotes, backslashes and control characters. */
  str(s: string): JsonWriter {
    this.comma();
    this.writeString(s);
    return this;
  }

  /** Writes a JSON string from raw UTF-8 bytes; invalid UTF-8 is replaced by U+FFFD. */
  strBytes(ptr: usize, n: i32): JsonWriter {
    this.comma();
    this.writeString(String.UTF8.decodeUnsafe(ptr, <usize>n, false));
    return this;
  }

  /** A string value or null. */
  strOrNull(s: string | null): JsonWriter {
    if (s === null) return this.null();
    return this.str(s);
  }

  private writeString(s: string): void {
    this.byte(0x22);
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c == 0x22 || c == 0x5c) {
        this.byte(0x5c);
        this.byte(c);
      } else if (c < 0x20) {
        this.ascii("\\u00");
        this.byte(hexDigit(c >> 4));
        this.byte(hexDigit(c & 15));
      } else if (c < 0x80) {
        this.byte(c);
      } else {
        // Non-ASCII as \uXXXX escapes (surrogate pairs as two): the output stays ASCII, so the
        // host can slice a chunk's decoded text by byte offsets.
        this.ascii("\\u");
        this.byte(hexDigit((c >> 12) & 15));
        this.byte(hexDigit((c >> 8) & 15));
        this.byte(hexDigit((c >> 4) & 15));
        this.byte(hexDigit(c & 15));
      }
    }
    this.byte(0x22);
  }

  /** The finished bytes, to hand to `emit()`. */
  finish(): ArrayBuffer {
    const out = new ArrayBuffer(this.len);
    memory.copy(changetype<usize>(out), this.buf.dataStart, <usize>this.len);
    return out;
  }
}

function hexDigit(n: i32): i32 {
  return n < 10 ? 0x30 + n : 0x57 + n;
}
