"""Arbiter's chart renderer: a job handler of the Python sandbox's zygote (verifiers/_python/zygote.py).

The zygote loads this file once and calls `warm_up()` (matplotlib imported and drawn once), then for
each job of a kind in JOB_KINDS forks a child (its own rlimits, an empty work directory, stdin and
stdout on /dev/null) that calls `run_child`. The child executes the job's untrusted matplotlib code
under an audit hook (or decodes the job's reference image), captures the final figure and writes one
record to the result pipe; the host reads it (verifiers/chart_code/record.ts) and the kernel parses
the trace in WebAssembly. Nothing here evaluates text that the child produced.

Record (little-endian): "CHD1", u8 kind, 3 pad, u32 width, u32 height, u32 msg_len, u32 trace_len,
then msg, trace, pixels (width*height*4 RGBA bytes, only when kind is OK).
"""

import json
import os
import struct
import sys

# 1. Warm up: everything a job needs is imported once, here, before any job runs.
os.environ["MPLBACKEND"] = "Agg"
import matplotlib  # noqa: E402

matplotlib.use("Agg")
matplotlib.rcParams["font.family"] = "DejaVu Sans"
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.image  # noqa: E402,F401
import matplotlib.patches  # noqa: E402,F401
import matplotlib.collections as mcoll  # noqa: E402
import matplotlib.container  # noqa: E402,F401
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.lines as mlines  # noqa: E402
import matplotlib.text as mtext  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
import numpy as np  # noqa: E402
import random  # noqa: E402
from PIL import Image  # noqa: E402

JOB_KINDS = ("chart_code", "chart_image")
KIND_OK, KIND_ERROR, KIND_MEMORY, KIND_TOO_LARGE, KIND_NO_FIGURE, KIND_SYNTAX, KIND_BLOCKED = range(7)
MAX_MSG = 2048
MAX_TRACE = 1 << 20
MAX_FIGURE_PIXELS = 16_000_000
MAX_LIST = 512  # entries per trace list
MAX_TEXT = 200  # characters per text

# Plotting calls recorded as chart types (the ChartMimic-style call log), with reentrancy guard.
TRACED_CALLS = [
    "plot", "loglog", "semilogx", "semilogy", "scatter", "bar", "barh", "hist", "hist2d", "pie",
    "errorbar", "fill_between", "fill_betweenx", "stackplot", "imshow", "matshow", "pcolor",
    "pcolormesh", "contour", "contourf", "boxplot", "violinplot", "step", "stem", "hexbin",
    "axhline", "axvline", "axhspan", "axvspan", "quiver", "arrow", "stairs",
]


def write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


# 2. The child: limits, guards, patches, the code, the capture.

BLOCKED_EVENTS = {
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "socket.__new__", "socket.connect", "socket.bind", "os.kill",
    "os.killpg", "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "sys.addaudithook",
    "os.setuid", "os.setsid", "os.setpgid",
}


class Blocked(Exception):
    pass


def audit(event, args):
    if event in BLOCKED_EVENTS or (event == "import" and args and args[0] in ("ctypes", "_ctypes")):
        raise Blocked(f"{event} is not allowed in the chart sandbox")


class Recorder:
    """What the hooks saw: plotting calls, figures saved or shown, texts drawn in the final draw."""

    def __init__(self):
        self.calls = {}
        self.depth = 0
        self.chosen = None
        self.drawn = []

    def wrap(self, name, fn):
        rec = self

        def traced(*args, **kwargs):
            outer = rec.depth == 0
            rec.depth += 1
            try:
                result = fn(*args, **kwargs)
            finally:
                rec.depth -= 1
            if outer:
                rec.calls[name] = rec.calls.get(name, 0) + 1
            return result

        traced.__name__ = name
        return traced


def install_patches(rec):
    for name in TRACED_CALLS:
        if hasattr(Axes, name):
            setattr(Axes, name, rec.wrap(name, getattr(Axes, name)))

    def savefig(*args, **kwargs):
        fig = args[0] if args and isinstance(args[0], Figure) else plt.gcf()
        rec.chosen = fig

    def show(*args, **kwargs):
        if plt.get_fignums():
            rec.chosen = plt.gcf()

    def close(*args, **kwargs):
        # Keep the figure of record alive; only forget it in pyplot's registry.
        if rec.chosen is None and plt.get_fignums():
            rec.chosen = plt.gcf()
        return original_close(*args, **kwargs)

    original_close = plt.close
    Figure.savefig = savefig
    plt.savefig = lambda *a, **k: savefig(plt.gcf())
    plt.show = show
    plt.close = close
    Figure.show = lambda self, *a, **k: setattr(rec, "chosen", self)

    original_draw_text = RendererAgg.draw_text

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if len(rec.drawn) < 4 * MAX_LIST:
            rec.drawn.append((str(s)[:MAX_TEXT], id(mtext) if mtext is not None else 0))
        return original_draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)

    RendererAgg.draw_text = draw_text

    original_default_rng = np.random.default_rng
    np.random.default_rng = lambda seed=0, *a: original_default_rng(seed, *a)
    np.random.seed(0)
    random.seed(0)


def hex_color(c):
    try:
        return mcolors.to_hex(c, keep_alpha=False)
    except (ValueError, TypeError):
        return None


def finite(v):
    return float(v) if v is not None and np.isfinite(v) else None


def capture(fig, rec, width, height):
    """Draws the final figure and returns (trace dict, RGBA bytes at width x height)."""
    w0, h0 = fig.get_size_inches() * fig.dpi
    if not (w0 >= 1 and h0 >= 1) or w0 * h0 > MAX_FIGURE_PIXELS:
        return KIND_TOO_LARGE, f"figure of {w0:.0f}x{h0:.0f} pixels exceeds the limit", None, None
    fig.canvas.draw()
    buf = np.asarray(fig.canvas.buffer_rgba())
    img = Image.fromarray(np.ascontiguousarray(buf[:, :, :3])).convert("RGBA")
    pixels = img.resize((width, height), Image.BOX).tobytes()

    tick_ids = set()
    axes_out, colors, data_artists = [], [], 0
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for t in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_ids.add(id(t.label1))
                tick_ids.add(id(t.label2))
        # Axes made with fig.add_axes (insets, full-figure axes) have no subplot spec.
        spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
        entry = {"bbox": [round(float(v), 4) for v in ax.get_position().bounds]}
        if spec is not None:
            nrows, ncols = spec.get_gridspec().get_geometry()
            entry["grid"] = [nrows, ncols, spec.rowspan.start, spec.rowspan.stop - 1,
                             spec.colspan.start, spec.colspan.stop - 1]
        entry["xlim"] = [finite(v) for v in ax.get_xlim()]
        entry["ylim"] = [finite(v) for v in ax.get_ylim()]
        entry["xscale"], entry["yscale"] = ax.get_xscale(), ax.get_yscale()
        kinds, n = artist_kinds(ax, colors)
        data_artists += n
        entry["types"] = kinds
        dl = ax.dataLim
        entry["data"] = [finite(dl.x0), finite(dl.x1), finite(dl.y0), finite(dl.y1)] if n else None
        if len(axes_out) < MAX_LIST:
            axes_out.append(entry)

    texts, ticks = [], []
    for s, ident in rec.drawn:
        if not s.strip():
            continue
        (ticks if ident in tick_ids else texts).append(s)
    calls = dict(sorted(rec.calls.items()))
    trace = {
        "v": 1, "axes": axes_out, "texts": texts[:MAX_LIST], "ticks": ticks[:MAX_LIST],
        "calls": calls, "colors": colors[:MAX_LIST], "data_artists": data_artists,
        "size": [round(float(w0)), round(float(h0))],
    }
    return KIND_OK, "", trace, pixels


def artist_kinds(ax, colors):
    """Data artists of one axes: their kinds and (kind, color) pairs, unique per kind."""
    kinds, n, seen = [], 0, set()

    def note(kind, color):
        c = hex_color(color) if not isinstance(color, str) or color.startswith("#") or len(color) < 3 \
            else (hex_color(color) or color)
        if c is not None and (kind, c) not in seen and len(seen) < MAX_LIST:
            seen.add((kind, c))
            colors.append({"type": kind, "c": c})
        if kind not in kinds:
            kinds.append(kind)

    bar_patches = set()
    for container in ax.containers:
        if isinstance(container, matplotlib.container.BarContainer):
            for p in container.patches:
                bar_patches.add(id(p))
                if p.get_visible():
                    n += 1
                    note("bar", p.get_facecolor())
    for line in ax.lines:
        if line.get_visible() and len(line.get_xdata(orig=False)) > 0:
            n += 1
            note("line", line.get_color())
    for coll in ax.collections:
        if not coll.get_visible():
            continue
        if isinstance(coll, mcoll.PathCollection):
            kind = "scatter"
        elif isinstance(coll, mcoll.QuadMesh):
            kind = "heatmap"
        elif isinstance(coll, (mcoll.PolyCollection, mcoll.FillBetweenPolyCollection)
                        if hasattr(mcoll, "FillBetweenPolyCollection") else mcoll.PolyCollection):
            kind = "area"
        elif isinstance(coll, mcoll.LineCollection):
            kind = "line"
        else:
            kind = "collection"
        n += 1
        cmap = coll.get_cmap() if coll.get_array() is not None else None
        if cmap is not None:
            note(kind, cmap.name)
        else:
            fc = coll.get_facecolor()
            ec = coll.get_edgecolor()
            src = fc if len(fc) else ec
            for c in src[:16]:
                note(kind, tuple(c))
    for p in ax.patches:
        if id(p) in bar_patches or not p.get_visible():
            continue
        if isinstance(p, matplotlib.patches.Wedge):
            n += 1
            note("pie", p.get_facecolor())
        elif isinstance(p, (matplotlib.patches.Polygon, matplotlib.patches.Rectangle)):
            n += 1
            note("patch", p.get_facecolor())
    for im in ax.images:
        arr = im.get_array()
        if im.get_visible() and arr is not None and arr.ndim == 2:
            n += 1
            note("heatmap", im.get_cmap().name)
    return kinds, n


def run_child(job, wfd, secret):
    """Executes the job's code (or decodes its image) and writes one record to wfd; never returns."""
    width, height = job["width"], job["height"]
    kind, msg, trace_bytes, pixels = KIND_ERROR, "", b"", b""
    try:
        if job["kind"] == "chart_image":
            import base64
            import io
            Image.MAX_IMAGE_PIXELS = MAX_FIGURE_PIXELS
            img = Image.open(io.BytesIO(base64.b64decode(job["png_b64"]))).convert("RGB")
            pixels = img.convert("RGBA").resize((width, height), Image.BOX).tobytes()
            kind = KIND_OK
        else:
            rec = Recorder()
            install_patches(rec)
            code = compile(job["code"], "<chart>", "exec")
            sys.addaudithook(audit)
            try:
                exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
            except SystemExit as e:
                if e.code not in (None, 0):
                    raise
            fig = rec.chosen if rec.chosen is not None else (plt.gcf() if plt.get_fignums() else None)
            if fig is None:
                kind, msg = KIND_NO_FIGURE, "the code made no figure"
            else:
                kind, msg, trace, px = capture(fig, rec, width, height)
                if kind == KIND_OK:
                    trace_bytes = json.dumps(trace, ensure_ascii=True, allow_nan=False).encode()
                    if len(trace_bytes) > MAX_TRACE:
                        kind, msg, trace_bytes = KIND_TOO_LARGE, "the trace exceeds 1 MiB", b""
                    else:
                        pixels = px
    except SyntaxError as e:
        kind, msg = KIND_SYNTAX, f"SyntaxError: {e.msg} (line {e.lineno})"
    except MemoryError:
        kind, msg = KIND_MEMORY, "MemoryError"
    except Blocked as e:
        kind, msg = KIND_BLOCKED, str(e)
    except RecursionError:
        kind, msg = KIND_MEMORY, "RecursionError"
    except BaseException as e:  # noqa: BLE001 - the job's own failure, reported as render_failed
        try:
            kind, msg = KIND_ERROR, f"{type(e).__name__}: {e}"
        except BaseException:  # noqa: BLE001
            kind, msg = KIND_ERROR, "an exception that could not be printed"
    if kind != KIND_OK:
        trace_bytes, pixels = b"", b""
    m = msg.encode("utf-8", "replace")[:MAX_MSG]
    head = struct.pack("<4sB3xIIII", b"CHD1", kind, width if pixels else 0, height if pixels else 0,
                       len(m), len(trace_bytes))
    try:
        write_all(wfd, head + m + trace_bytes + pixels)
    finally:
        os._exit(0)


def warm_up():
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1, 2], label="a")
    ax.plot([0, 1], [1, 0])
    ax.scatter([0.5], [0.5])
    ax.set_title("warm")
    ax.legend()
    fig.canvas.draw()
    plt.close("all")
