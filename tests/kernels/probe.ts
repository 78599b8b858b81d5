// A kernel for the sandbox's own tests (built into wasm/test/probe.wasm, never served).
// The response is a command: "ok" allocates 4 KiB (so a heap that is never reset would reach the
// cap after ~16,000 items) and scores 1; "mem" reports the linear memory's size in pages; "loop"
// never returns; "alloc N" keeps allocating N MiB; "trap" executes unreachable; "abort" fails an
// assertion; "bad" emits invalid JSON.
import { emit, input, itemLen, itemPtr, output_len, separatorAt } from "../../kernels/_lib/abi";
import { JsonWriter } from "../../kernels/_lib/writer";
export { input, output_len };

function command(): string {
  const sep = separatorAt();
  return String.UTF8.decodeUnsafe(itemPtr() + <usize> (sep + 1), <usize> (itemLen() - sep - 1), false);
}

let sink: i32 = 0;

export function score(): usize {
  const cmd = command();
  let pages: i32 = -1;
  if (cmd == "ok") {
    const scratch = new Uint8Array(4096);
    scratch[4095] = 1;
    sink = scratch[4095];
  } else if (cmd == "mem") {
    pages = memory.size();
  } else if (cmd == "loop") {
    let i: i32 = 0;
    while (i >= 0) i = (i + 1) & 0x3fffffff;
    sink = i;
  } else if (cmd.startsWith("alloc ")) {
    const mib = I32.parseInt(cmd.substring(6));
    const keep = new Array<ArrayBuffer>();
    for (let i = 0; i < mib; i++) keep.push(new ArrayBuffer(1 << 20));
    sink = keep.length;
  } else if (cmd == "trap") {
    unreachable();
  } else if (cmd == "abort") {
    assert(false, "probe abort");
  } else if (cmd == "bad") {
    return emit(String.UTF8.encode("{not json"));
  }
  const w = new JsonWriter();
  w.beginObject().key("reward").num(1).key("correct").bool(true);
  w.key("details").beginObject().key("reason").null().key("command").str(cmd);
  if (pages >= 0) w.key("pages").int(pages);
  w.endObject();
  w.endObject();
  return emit(w.finish());
}
