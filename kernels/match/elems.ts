// The compared elements of an answer or a reference: canonical keys and, for tuples, their fields'
// keys, held in raw blocks of the bump allocator (no object per element, no array zeroed per list).

const PTR: usize = sizeof<usize>();

/** Elements in order: `key(i)` and, for a tuple, `field(i, f)` of `arity(i)` fields. */
export class Elems {
  /** How many elements. */
  length: i32 = 0;
  private cap: i32;
  private keys: usize;
  /** (string[] | null) per element, 0 until a tuple is added. */
  private tuples: usize = 0;

  constructor(capacity: i32) {
    this.cap = max(capacity, 4);
    this.keys = heap.alloc(<usize>this.cap * PTR);
  }

  /** The i-th element's key (a tuple's fields joined by U+001F). */
  @inline key(i: i32): string {
    return changetype<string>(load<usize>(this.keys + <usize>i * PTR));
  }

  /** How many fields the i-th element has: 1 for a label. */
  arity(i: i32): i32 {
    const t = this.tupleAt(i);
    return t === null ? 1 : t.length;
  }

  /** The i-th element's f-th field's key (the key itself for a label). */
  field(i: i32, f: i32): string {
    const t = this.tupleAt(i);
    return t === null ? this.key(i) : t[f];
  }

  /** Adds an element: a label (`tuple` null) or a tuple and its fields' keys. */
  push(key: string, tuple: string[] | null): void {
    if (this.length == this.cap) this.grow();
    const at = <usize>this.length * PTR;
    store<usize>(this.keys + at, changetype<usize>(key));
    if (tuple !== null && this.tuples == 0) {
      this.tuples = heap.alloc(<usize>this.cap * PTR);
      memory.fill(this.tuples, 0, <usize>this.cap * PTR);
    }
    if (this.tuples != 0) store<usize>(this.tuples + at, changetype<usize>(tuple));
    this.length++;
  }

  private tupleAt(i: i32): string[] | null {
    const t = this.tuples;
    return t == 0 ? null : changetype<string[] | null>(load<usize>(t + <usize>i * PTR));
  }

  private grow(): void {
    const bytes = <usize>this.cap * PTR;
    this.cap *= 2;
    const keys = heap.alloc(bytes << 1);
    memory.copy(keys, this.keys, bytes);
    this.keys = keys;
    if (this.tuples != 0) {
      const tuples = heap.alloc(bytes << 1);
      memory.copy(tuples, this.tuples, bytes);
      memory.fill(tuples + bytes, 0, bytes);
      this.tuples = tuples;
    }
  }
}
