// The calling convention shared by every verifier kernel (see kernels/README.md).
//
// Per item the host calls `input(len)`, writes `len` bytes at the returned pointer, then calls
// `score()` (defined by the kernel's entry file) and reads `output_len()` bytes at the pointer that
// `score()` returned. The item's bytes are the host's parameters as JSON, one 0x00 byte, then the
// model's response as UTF-8. `input` resets the whole heap: nothing survives from one item to the
// next, so a long-lived instance never drifts towards its memory cap.

let inputPtr: usize = 0;
let inputLen: i32 = 0;
let outputLen: i32 = 0;

/** Resets the heap and reserves `len` bytes for the next item's input. */
export function input(len: i32): usize {
  __reset();
  inputPtr = __alloc(<usize>max(len, 1));
  inputLen = len;
  return inputPtr;
}

/** Length in bytes of the output that the last `score()` returned. */
export function output_len(): i32 {
  return outputLen;
}

/** Start of the current item's input bytes. */
export function itemPtr(): usize {
  return inputPtr;
}

/** Length of the current item's input bytes. */
export function itemLen(): i32 {
  return inputLen;
}

/** Offset of the 0x00 byte that separates parameters from response, or -1 when there is none. */
export function separatorAt(): i32 {
  for (let i = 0; i < inputLen; i++) {
    if (load<u8>(inputPtr + <usize>i) == 0) return i;
  }
  return -1;
}

/** Hands a finished output buffer to the host: returns its pointer and records its length. */
export function emit(bytes: ArrayBuffer): usize {
  outputLen = bytes.byteLength;
  return changetype<usize>(bytes);
}
