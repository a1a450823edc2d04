"""viz benchmark: DOT generation vs DeZero's get_dot_graph, and render time per engine.

Run from the repo root:  python -m bench.bench_viz [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import viz
from autograd_core import Variable

from .peers import PeerUnavailable, load_dezero, load_dezero_utils


def _graph(variable: Callable, n_ops: int):
    """A chain with side inputs: y = (y * c_i) + d_i ... about 4 nodes per op pair."""
    x = variable(np.array(0.5))
    y = x
    for i in range(n_ops // 2):
        y = y * variable(np.array(1.0 + (i % 7) * 1e-7))
        y = y + variable(np.array(1e-3))
    return y


def _time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    sizes = [100, 1_000] if args.quick else [100, 1_000, 10_000]
    try:
        dz = load_dezero()
        dz_utils = load_dezero_utils()
    except PeerUnavailable as exc:
        dz = dz_utils = None
        print(f"(DeZero column skipped: {exc})")
    print("## DOT generation (same graph, median of 3)\n")
    print("| graph nodes | autograd-viz to_dot (ms) | DeZero get_dot_graph (ms) | ratio |")
    print("|---|---|---|---|")
    for n in sizes:
        ours = _graph(Variable, n)
        nodes = viz.graph_size(ours)
        t_ours = _time(lambda ours=ours: viz.to_dot(ours, max_nodes=10**9), 3)
        if dz is not None:
            theirs = _graph(dz.Variable, n)
            t_dz = _time(lambda theirs=theirs: dz_utils.get_dot_graph(theirs, verbose=True), 3)
            print(f"| {nodes:,} | {t_ours * 1e3:.1f} | {t_dz * 1e3:.1f} | "
                  f"{t_ours / t_dz:.2f}x |")
        else:
            print(f"| {nodes:,} | {t_ours * 1e3:.1f} | — | — |")
    print("\n## Render time per engine (median of 3; first wasm call compiles, excluded)\n")
    print("| graph nodes | engine | SVG (ms) | PNG (ms) |")
    print("|---|---|---|---|")
    viz.warm_up()
    for n in [20, 200] if args.quick else [20, 200, 1_000]:
        dot = viz.to_dot(_graph(Variable, n), max_nodes=10**9)
        nodes = dot.count(" [id=")
        for engine in viz.available_engines():
            svg = _time(lambda dot=dot, e=engine: viz.render(dot, "svg", engine=e), 3)
            png = _time(lambda dot=dot, e=engine: viz.render(dot, "png", engine=e), 3)
            print(f"| {nodes:,} | {engine} | {svg * 1e3:.0f} | {png * 1e3:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
