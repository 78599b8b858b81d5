/** The `chart_code` verifier: fixtures with known effects, the sandbox's bad-input cases, the pool. */
import assert from "node:assert/strict";
import { createEngine, type Engine } from "../verifiers/engine.ts";
import { chartCodeVerifier, rendererPath } from "../verifiers/chart_code/mod.ts";
import { PythonPool } from "../verifiers/_python/mod.ts";
import { ensureChartDeps } from "../scripts/ensure_deps.ts";
import type { VerifyResult } from "../verifiers/result.ts";
import { kernelInput } from "../verifiers/chart_code/kernel_input.ts";
import { chartParams } from "../verifiers/chart_code/params.ts";
import { readRecord, renderJob } from "../verifiers/chart_code/record.ts";
import { compileKernel, KernelInstance } from "../wasm/mod.ts";
import sharp from "sharp";

const installed = await ensureChartDeps();
const fixtures = new URL("../fixtures/charts/", import.meta.url);
const opts = { sanitizeOps: false, sanitizeResources: false };
let engine: Engine | null = null;

async function chartEngine(): Promise<Engine> {
  engine ??= await createEngine({ chart_code: chartCodeVerifier }, { workers: 1 });
  assert.deepEqual(engine.health(), { chart_code: "ok" }, `sandbox unavailable (deps: ${installed})`);
  return engine;
}

function fixture(name: string): string {
  return Deno.readTextFileSync(new URL(name, fixtures));
}

function scores(r: VerifyResult): Record<string, number> {
  return (r.details as { scores: Record<string, number> }).scores;
}

/**
 * This test process's descendants running as nobody (uid 65534), i.e. its sandboxes; zombies excluded.
 * (Other processes on the machine may run as nobody too: only descendants count.)
 */
function sandboxProcesses(): number[] {
  const parents = new Map<number, number>();
  const nobody: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const status = Deno.readTextFileSync(`/proc/${entry.name}/status`);
      parents.set(Number(entry.name), Number(status.match(/^PPid:\s+(\d+)/m)?.[1]));
      const uid = status.match(/^Uid:\s+(\d+)/m)?.[1];
      const state = status.match(/^State:\s+(\w)/m)?.[1];
      if (uid === "65534" && state !== "Z") nobody.push(Number(entry.name));
    } catch { /* gone */ }
  }
  const descends = (pid: number): boolean => {
    for (
      let p = parents.get(pid), hops = 0;
      p !== undefined && p > 1 && hops < 64;
      p = parents.get(p), hops++
    ) {
      if (p === Deno.pid) return true;
    }
    return false;
  };
  return nobody.filter(descends);
}

async function noSandboxesLeft(): Promise<void> {
  for (let i = 0; i < 50 && sandboxProcesses().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(sandboxProcesses(), [], "sandbox processes outlived their pool");
}

const reference = fixture("bar.py");

const badInputs: [string, string, string[]][] = [
  ["an endless loop", "while True: pass", ["too_complex"]],
  ["a fork bomb", "import os\nwhile True:\n    os.fork()", ["render_failed", "too_complex"]],
  [
    "a fork bomb through _posixsubprocess",
    "import os, sys\nfor i in range(200):\n    try:\n        os.register_at_fork\n        pid = sys.modules['posix'].fork()\n    except Exception:\n        pass\nimport matplotlib.pyplot as plt\n",
    ["render_failed", "too_complex", "no_data_drawn"],
  ],
  ["allocating 10 GB", "x = bytearray(10 * 1024 ** 3)", ["too_complex"]],
  [
    "writing a 10 GB file",
    "f = open('big.bin', 'wb')\nfor i in range(10 * 1024):\n    f.write(b'x' * 1024 * 1024)",
    ["too_complex", "render_failed"],
  ],
  ["opening a socket", "import socket\ns = socket.socket()\ns.connect(('1.1.1.1', 80))", ["render_failed"]],
  ["reading /etc/shadow", "import matplotlib.pyplot as plt\nplt.title(open('/etc/shadow').read())", [
    "render_failed",
  ]],
  [
    "reading the project's files",
    `import matplotlib.pyplot as plt\nplt.title(open(${
      JSON.stringify(new URL("../README.md", import.meta.url).pathname)
    }).read())`,
    ["render_failed"],
  ],
  [
    "reading the reference fixtures",
    `print(open(${JSON.stringify(new URL("bar.py", fixtures).pathname)}).read())`,
    ["render_failed"],
  ],
  ["os.system", "import os\nos.system('echo hi > /tmp/x')", ["render_failed"]],
  ["subprocess", "import subprocess\nsubprocess.run(['ls', '/'])", ["render_failed"]],
  ["ctypes", "import ctypes\nctypes.CDLL(None).abort()", ["render_failed"]],
  [
    "a 100,000 x 100,000 pixel figure",
    "import matplotlib.pyplot as plt\nfig = plt.figure(figsize=(1000, 1000), dpi=100)\nplt.plot([1, 2])",
    ["too_complex"],
  ],
  ["printing 1 GB", "import sys\nfor i in range(1024):\n    sys.stdout.write('x' * 1024 * 1024)", [
    "too_complex",
    "no_data_drawn",
  ]],
  ["a syntax error", "plt.plot([1, 2)", ["render_failed"]],
  ["prose without code", "I think the chart shows quarterly revenue as bars.", ["render_failed"]],
  ["an empty code block", "   ", ["render_failed", "no_data_drawn"]],
  ["killing the renderer", "import signal, os\nos.kill(1, signal.SIGKILL)", ["render_failed"]],
];

Deno.test(
  "chart_code: each bad input is contained and gets a verdict within its deadline",
  opts,
  async (t) => {
    const e = await chartEngine();
    // Warm the pool and the reference's rendering first: the bound below is about deadlines, not start-up.
    await e.verifyOne({ verifier: "chart_code", response: reference, reference: { code: reference } });
    for (const [title, code, reasons] of badInputs) {
      await t.step(title, async () => {
        const started = performance.now();
        const r = await e.verifyOne({
          verifier: "chart_code",
          response: "```python\n" + code + "\n```",
          reference: { code: reference },
          options: { timeout_ms: 3000 },
        });
        const ms = performance.now() - started;
        assert.equal(r.error, null, JSON.stringify(r.error));
        assert.equal(r.reward, 0);
        assert.ok(reasons.includes(String(r.details?.reason)), `${title}: ${JSON.stringify(r.details)}`);
        assert.ok(ms < 3000 + 4000, `${title} took ${ms} ms`);
      });
    }
    await t.step("the pool recovers: the reference's own code still scores 1", async () => {
      const r = await e.verifyOne({
        verifier: "chart_code",
        response: reference,
        reference: { code: reference },
      });
      assert.equal(r.reward, 1, JSON.stringify(r.details));
    });
  },
);

Deno.test("chart_code: code that never calls savefig is still rendered and scored", opts, async () => {
  const e = await chartEngine();
  const code = reference.replace('plt.savefig("bar.png")', "");
  const r = await e.verifyOne({ verifier: "chart_code", response: code, reference: { code: reference } });
  assert.equal(r.reward, 1, JSON.stringify(r.details));
});

Deno.test("chart_code: axes made with fig.add_axes (an inset) render and score", opts, async () => {
  const e = await chartEngine();
  const inset =
    `${reference}\ninset = plt.gcf().add_axes([0.6, 0.6, 0.25, 0.25])\ninset.plot([1, 2, 3], [3, 1, 2])\n`;
  const r = await e.verifyOne({ verifier: "chart_code", response: inset, reference: { code: inset } });
  assert.equal(r.error, null);
  assert.notEqual(r.details?.reason, "render_failed", JSON.stringify(r.details));
  assert.equal(r.reward, 1, JSON.stringify(r.details));
});

Deno.test("chart_code: code after savefig counts (the final figure state is captured)", opts, async () => {
  const e = await chartEngine();
  const code = reference.replace(
    'plt.savefig("bar.png")',
    'plt.savefig("bar.png")\nax.set_title("Changed later")',
  );
  const r = await e.verifyOne({ verifier: "chart_code", response: code, reference: { code: reference } });
  assert.ok(scores(r).text < 1, JSON.stringify(r.details));
});

Deno.test("chart_code: a forged trace or frame written to the result pipe is contained", opts, async () => {
  const e = await chartEngine();
  const forge = (payload: string) =>
    [
      "import os, struct",
      "fds = [int(f) for f in os.listdir('/proc/self/fd') if int(f) > 2]",
      payload,
      "for fd in fds:",
      "    try:",
      "        os.write(fd, frame)",
      "    except OSError:",
      "        pass",
      "os._exit(0)",
    ].join("\n");
  const hugeHeader = forge("frame = struct.pack('<4sB3xIIII', b'CHD1', 0, 400, 300, 0, 2**31)");
  const deepTrace = forge(
    "trace = b'[' * 100000\npixels = b'\\xff' * (400 * 300 * 4)\n" +
      "frame = struct.pack('<4sB3xIIII', b'CHD1', 0, 400, 300, 0, len(trace)) + trace + pixels",
  );
  const claimsData = forge(
    "import json\ntrace = json.dumps({'v': 1, 'axes': [], 'texts': ['Quarterly revenue'], 'ticks': [], 'calls': {'bar': 1}, " +
      "'colors': [], 'data_artists': 10 ** 30}).encode()\npixels = b'\\x00' * (400 * 300 * 4)\n" +
      "frame = struct.pack('<4sB3xIIII', b'CHD1', 0, 400, 300, 0, len(trace)) + trace + pixels",
  );
  const results = await e.verifyBatch([hugeHeader, deepTrace, claimsData, reference].map((response) => ({
    verifier: "chart_code",
    response,
    reference: { code: reference },
  })));
  assert.equal(results[0].details?.reason, "render_failed");
  assert.equal(results[1].details?.reason, "render_failed");
  assert.equal(results[1].details?.problem, "unreadable_trace");
  // A well-formed forgery only describes its own item: it cannot reach another item or the host.
  assert.equal(results[2].error, null);
  assert.ok(results[2].reward! < 0.9, JSON.stringify(results[2]));
  assert.equal(results[3].reward, 1);
});

interface Variants {
  colors: [string, string];
  type: [string, string];
  type_needs?: [string, string];
  title: string;
  shift: [string, string];
}

function replaceOnce(code: string, [from, to]: [string, string], where: string): string {
  assert.ok(code.includes(from), `${where}: "${from}" not found`);
  return code.replace(from, to);
}

Deno.test("chart_code: fixture variants move the scores as expected (12 charts)", opts, async (t) => {
  const e = await chartEngine();
  const manifest = JSON.parse(fixture("variants.json")) as Record<string, Variants>;
  const names = Object.keys(manifest).filter((n) => n.endsWith(".py"));
  assert.ok(names.length >= 12);
  for (const name of names) {
    await t.step(name, async () => {
      const ref = fixture(name);
      const v = manifest[name];
      const typed = v.type_needs ? replaceOnce(ref, v.type_needs, name) : ref;
      const variants = [
        ref,
        replaceOnce(ref, v.colors, name),
        replaceOnce(typed, v.type, name),
        replaceOnce(ref, [v.title, ""], name),
        replaceOnce(ref, v.shift, name),
      ];
      const [same, colors, type, title, shift] = await e.verifyBatch(variants.map((code) => ({
        verifier: "chart_code",
        response: "```python\n" + code + "\n```",
        reference: { code: ref },
      })));
      for (const r of [same, colors, type, title, shift]) {
        assert.equal(r.error, null, JSON.stringify(r.error));
      }
      assert.ok(same.reward! >= 0.99, `${name} identical: ${same.reward}`);
      const s = scores(same);
      assert.ok(scores(colors).color < s.color, `${name} colors: ${JSON.stringify(scores(colors))}`);
      assert.equal(scores(colors).text, 1, `${name} colors keep the text`);
      assert.equal(scores(colors).layout, 1, `${name} colors keep the layout`);
      assert.ok(scores(type).type < s.type, `${name} type: ${JSON.stringify(scores(type))}`);
      assert.ok(scores(title).text < s.text, `${name} title: ${JSON.stringify(scores(title))}`);
      assert.ok(scores(shift).image < s.image, `${name} shift: ${JSON.stringify(scores(shift))}`);
      for (const r of [colors, type, title, shift]) {
        assert.ok(r.reward! < same.reward!, `${name}: a variant scored ${r.reward} >= ${same.reward}`);
        assert.ok(r.reward! > 0, `${name}: a variant that draws data scored 0`);
      }
    });
  }
});

Deno.test("chart_code: an image reference is compared by image only", opts, async () => {
  const e = await chartEngine();
  // A 20x20 PNG made by the sandbox itself is not available here: use the bar chart rendered as PNG by the test.
  const png = await renderPng(reference);
  const r = await e.verifyOne({ verifier: "chart_code", response: reference, reference: { image: png } });
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.equal(scores(r).text, null);
  assert.ok(scores(r).image > 0.9, JSON.stringify(r.details));
});

/** A PNG of a chart, made with the system's python3 outside any server path (test data only). */
async function renderPng(code: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${code.replace(/plt\.savefig\([^)]*\)/, "")}\nplt.savefig(${
      JSON.stringify(`${dir}/out.png`)
    })`;
    const { code: exit } = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", script],
      env: { MPLBACKEND: "Agg", MPLCONFIGDIR: dir },
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(exit, 0);
    const bytes = await Deno.readFile(`${dir}/out.png`);
    let text = "";
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Decodes a `details.rendering` data URL (our own PNG: trusted) to its size and pixel statistics. */
async function decodeRendering(r: VerifyResult) {
  const url = r.details?.rendering;
  assert.equal(typeof url, "string", JSON.stringify(r.details));
  const prefix = "data:image/png;base64,";
  assert.ok((url as string).startsWith(prefix));
  const png = Uint8Array.from(atob((url as string).slice(prefix.length)), (c) => c.charCodeAt(0));
  const image = sharp(png);
  const meta = await image.metadata();
  assert.equal(meta.format, "png");
  return { width: meta.width, height: meta.height, stats: await image.stats() };
}

Deno.test(
  "chart_code: return_image puts a small PNG of the candidate's rendering in the details",
  opts,
  async () => {
    const e = await chartEngine();
    const item = { verifier: "chart_code", response: reference, reference: { code: reference } };
    const [plain, withImage, small] = await e.verifyBatch([
      item,
      { ...item, options: { return_image: true } },
      { ...item, options: { return_image: true, figsize: [4, 3] } },
    ]);
    assert.equal(plain.error, null, JSON.stringify(plain.error));
    assert.equal(withImage.error, null, JSON.stringify(withImage.error));
    assert.ok(!("rendering" in plain.details!) && !("rendering_omitted" in plain.details!));
    // The scores are the same with or without the image; the rendering is the last detail.
    const { rendering, ...rest } = withImage.details!;
    assert.deepEqual({ ...rest, reward: withImage.reward }, { ...plain.details, reward: plain.reward });
    assert.equal(Object.keys(withImage.details!).at(-1), "rendering");
    assert.ok((rendering as string).length <= 200_000);
    // 400x300 comparison pixels, downscaled to 320 wide.
    const big = await decodeRendering(withImage);
    assert.deepEqual([big.width, big.height], [320, 240]);
    // Not blank: the bars make the channels vary, and the mean is not white.
    assert.ok(big.stats.channels.slice(0, 3).some((c) => c.stdev > 10), JSON.stringify(big.stats.channels));
    assert.ok(big.stats.channels.slice(0, 3).some((c) => c.mean < 250), JSON.stringify(big.stats.channels));
    // A comparison grid narrower than 320 pixels is not enlarged: figsize [4, 3] at 50 dpi is 200x150.
    const narrow = await decodeRendering(small);
    assert.deepEqual([narrow.width, narrow.height], [200, 150]);
    // A rendering that fails before the kernel has no image.
    const failed = await e.verifyOne({
      ...item,
      response: "plt.plot([1, 2)",
      options: { return_image: true },
    });
    assert.equal(failed.details?.reason, "render_failed");
    assert.ok(!("rendering" in failed.details!));
  },
);

Deno.test("chart_code kernel: copies a well-formed rendering, omits a large or malformed one", () => {
  const module = compileKernel(Deno.readFileSync(new URL("../wasm/chart_code.wasm", import.meta.url)));
  const kernel = new KernelInstance(module);
  const [width, height] = [16, 16];
  const pixels = new Uint8Array(width * height * 4).fill(255);
  const trace = new TextEncoder().encode(JSON.stringify({
    v: 1,
    axes: [],
    texts: [],
    ticks: [],
    calls: { bar: 1 },
    colors: [],
    data_artists: 1,
  }));
  const params = new TextEncoder().encode(JSON.stringify(chartParams({ code: "x" }, {})));
  const score = (png?: string | null) => {
    const input = kernelInput(width, height, { pixels, trace }, { pixels, trace }, png);
    const item = new Uint8Array(params.length + 1 + input.length); // parameters, 0x00, the stage's input
    item.set(params);
    item.set(input, params.length + 1);
    const out = kernel.scoreBytes(item);
    assert.ok(out.every((b) => b < 0x80), "the output is ASCII");
    return JSON.parse(new TextDecoder().decode(out)).details as Record<string, unknown>;
  };
  const none = score(undefined);
  assert.ok(!("rendering" in none) && !("rendering_omitted" in none), JSON.stringify(none));
  assert.equal(score("iVBORw0KGgo=").rendering, "data:image/png;base64,iVBORw0KGgo=");
  assert.equal(score(null).rendering_omitted, "encoder_unavailable");
  assert.equal(score('iVBO"\u00e9\n===').rendering_omitted, "malformed");
  assert.equal(score("abc").rendering_omitted, "malformed");
  // The data URL may have 200,000 characters: 22 of prefix and base64 in groups of 4.
  const fits = 199_976;
  assert.equal(String(score("A".repeat(fits)).rendering).length, 22 + fits);
  assert.equal(score("A".repeat(fits + 4)).rendering_omitted, "too_large");
});

Deno.test("chart_code: options are checked (size, chartmimic needs code)", opts, async () => {
  const e = await chartEngine();
  const big = await e.verifyOne({
    verifier: "chart_code",
    response: reference,
    reference: { code: reference },
    options: { figsize: [32, 32], dpi: 200 },
  });
  assert.equal(big.error?.code, "invalid_request");
  const cm = await e.verifyOne({
    verifier: "chart_code",
    response: reference,
    reference: { image: "iVBORw0KGgo=" },
    options: { profile: "chartmimic" },
  });
  assert.equal(cm.error?.code, "invalid_request");
});

Deno.test("PythonPool: replaces a process after N jobs and leaves no process behind", opts, async () => {
  const pool = new PythonPool({ handlers: [rendererPath], size: 1, jobsPerProcess: 2 });
  const job = renderJob({ kind: "code", code: reference, width: 64, height: 48, timeoutMs: 5000 });
  for (let i = 0; i < 3; i++) {
    const r = await pool.run(job);
    assert.ok("frame" in r);
    assert.equal(readRecord(r.frame.payload, 64, 48)?.pixels?.length, 64 * 48 * 4);
  }
  assert.ok(pool.stats.recycled >= 1);
  await pool.close();
  await engine?.close();
  engine = null;
  await noSandboxesLeft();
});
