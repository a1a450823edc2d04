"""DOT generation time: viz.to_dot vs DeZero's get_dot_graph on the same graphs.

Run from the repo root:  python -m bench.bench_dot [--quick] [--repeats N]

The graph is a chain with a side input per op (y = y * c_i + d_i), about three
nodes per op, built once per engine with the same values. Our DOT carries more
(values, grads, operand labels, colours, fixed attribute order, escaping of
every name); DeZero's verbose=False writes bare labels, verbose=True adds
shape and dtype. Times are medians in one run; each ratio is ours / DeZero's
on the same row. The last columns time the default call, which draws a graph
over max_nodes=1500 under the big_graph policy instead of whole.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import viz
from autograd_core import Variable


def build(variable: Callable[..., Any], n_nodes: int) -> Any:
    """A graph of about ``n_nodes`` nodes: y = (y * c) + d, repeated."""
    x = variable(np.array(0.5))
    y = x
    for i in range(max(1, (n_nodes - 1) // 6)):
        y = y * variable(np.array(1.0 + (i % 7) * 1e-7))
        y = y + variable(np.array(1e-3))
    return y


def load_dezero_utils() -> Any | None:
    """dezero.utils from bench.peers (or a stub-package load of its files); None if absent."""
    try:
        from .peers import PeerUnavailable
        from .peers import load_dezero_utils as peer_loader
    except ImportError:
        peer_loader, PeerUnavailable = None, RuntimeError  # noqa: N806
    try:
        if peer_loader is not None:
            return peer_loader()
        return _stub_load()
    except (PeerUnavailable, ImportError) as exc:
        print(f"(DeZero column skipped: {exc})")
        return None


def _stub_load() -> Any:
    import importlib
    import importlib.util
    import os
    import types

    spec = importlib.util.find_spec("dezero")
    if spec is None or spec.origin is None:
        raise ImportError("dezero is not installed: pip install --no-deps dezero==0.0.13")
    stub = sys.modules.setdefault("dezero", types.ModuleType("dezero"))
    stub.__path__ = [os.path.dirname(spec.origin)]
    core = importlib.import_module("dezero.core")
    for name in ("Variable", "Function", "as_variable", "as_array", "Config", "no_grad"):
        setattr(stub, name, getattr(core, name))
    core.setup_variable()
    return importlib.import_module("dezero.utils")


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn`` in seconds (the collector paused while timing)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1e2 and 1e3 nodes only")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [100, 1_000] if args.quick else [100, 1_000, 10_000, 100_000]
    utils = load_dezero_utils()
    dz_variable = sys.modules["dezero.core"].Variable if utils is not None else None
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; median of {args.repeats}\n")
    print("| graph nodes | viz.to_dot whole (ms) | µs/node | DeZero verbose=False (ms) | ratio "
          "| DeZero verbose=True (ms) | ratio | viz.to_dot big_graph=auto (ms) | nodes drawn |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        ours = build(Variable, n)
        nodes = viz.graph_size(ours)
        whole = timed(lambda ours=ours: viz.to_dot(ours, max_nodes=10**9), args.repeats)
        capped = timed(lambda ours=ours: viz.to_dot(ours), args.repeats)
        drawn = viz.to_dot(ours).count(" [id=")
        cells = ["—", "—", "—", "—"]
        if utils is not None:
            theirs = build(dz_variable, n)
            for i, verbose in enumerate((False, True)):
                t_dz = timed(lambda theirs=theirs, verbose=verbose: utils.get_dot_graph(
                    theirs, verbose=verbose), args.repeats)
                cells[2 * i: 2 * i + 2] = [f"{t_dz * 1e3:,.1f}", f"{whole / t_dz:.2f}x"]
            del theirs
        print(f"| {nodes:,} | {whole * 1e3:,.1f} | {whole / nodes * 1e6:.2f} | "
              f"{' | '.join(cells)} | {capped * 1e3:,.1f} | {drawn:,} |")
        del ours
    return 0


if __name__ == "__main__":
    sys.exit(main())
