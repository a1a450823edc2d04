"""Render time per engine: SVG and PNG for synthetic graphs of ~20, 200 and 1,000 nodes.

Run from the repo root:  python -m bench.bench_render [--repeats N] [--sizes 20,200,1000]

Graphs are chains with crossings: three interleaved chains plus short skip
edges, labelled like value nodes. Every engine renders the same DOT, engines
interleaved in each repeat so they share the machine's noise; the table shows
the median and the ratio to the fastest engine for that graph and format.
The wasm module is compiled (or loaded from wasmtime's cache) before timing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import time

from viz.layout import engines, wasm_engine
from viz.render import raster


def synthetic_dot(n: int, seed: int = 0) -> str:
    """A DOT graph of ``n`` boxed nodes: chains with some crossings, left to right."""
    rnd = random.Random(seed)
    lines = ["digraph G {", '  rankdir=LR; bgcolor="#FFFFFF";',
             '  node [fontname="Courier", fontsize=12, shape=box, style="rounded,filled", '
             'fillcolor="#E8F0FE"];']
    lines += [f'  n{i} [id="n{i}", label="x{i} = {i * 0.5:.2f}"];' for i in range(n)]
    for i in range(3, n):
        lines.append(f"  n{i - 3} -> n{i};")
        if i % 4 == 0:
            lines.append(f"  n{i - rnd.randrange(1, 3)} -> n{i};")
    lines.append("}")
    return "\n".join(lines)


def _once(dot: str, fmt: str, engine: str) -> float:
    start = time.perf_counter()
    engines.render(dot, fmt, engine=engine)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="20,200,1000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    names = engines.available_engines()
    if not names:
        print(engines.describe_engines())
        return 1
    start = time.perf_counter()
    engines.warm_up()
    print(f"engines: {', '.join(names)} (dot: {shutil.which('dot') or 'not installed'}); "
          f"wasm compile/load {time.perf_counter() - start:.2f} s "
          f"(compiled={wasm_engine.compiled()}); {raster.describe_fonts()}")
    print(f"median of {args.repeats} runs, engines interleaved; ratio = time / fastest\n")
    print("| nodes | format | engine (path) | median ms | ratio |")
    print("|---:|---|---|---:|---:|")
    for n in sizes:
        dot = synthetic_dot(n)
        for fmt in ("svg", "png"):
            used = {e: engines.render(dot, fmt, engine=e).engine_used for e in names}
            times: dict[str, list[float]] = {e: [] for e in names}
            for _ in range(args.repeats):
                for e in names:
                    times[e].append(_once(dot, fmt, e))
            medians = {e: statistics.median(ts) for e, ts in times.items()}
            best = min(medians.values())
            for e in names:
                print(f"| {n:,} | {fmt} | {e} ({used[e]}) | {medians[e] * 1e3:.1f} | "
                      f"{medians[e] / best:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
