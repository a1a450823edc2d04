"""Engine benchmark: per-op forward/backward time against numpy, DeZero and PyTorch.

Run from the repo root:  python -m bench.bench_core [--quick] [--markdown]

Scenarios (all engines in the same run, interleaved to share machine noise):
  chain  y = y * c repeated N times (a 0-d scalar chain), forward and backward
  wide   s = x*c0 + x*c1 + ... + x*c(N-1), backward only (DeZero sorts its
         whole frontier on every insert: quadratic here)
The floor is plain numpy on 0-d arrays with a hand-written reverse loop.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import autograd_core as ag

from .peers import PeerUnavailable, load_dezero, load_torch

Timing = tuple[float, float]  # (forward seconds, backward seconds)


def _floor_chain(n: int) -> Timing:
    c = np.array(1.000001)
    t0 = time.perf_counter()
    values = [np.array(0.5)]
    for _ in range(n):
        values.append(values[-1] * c)
    t1 = time.perf_counter()
    g = np.array(1.0)
    gc_total = np.array(0.0)
    for k in range(n - 1, -1, -1):
        gc_total = gc_total + g * values[k]
        g = g * c
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def _floor_wide(n: int) -> Timing:
    x = np.array(0.5)
    cs = [np.array(1.0 + i * 1e-6) for i in range(n)]
    t0 = time.perf_counter()
    s = x * cs[0]
    for c in cs[1:]:
        s = s + x * c
    t1 = time.perf_counter()
    gx = np.array(0.0)
    gcs = []
    for c in cs:
        gx = gx + c
        gcs.append(x * 1.0)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def _graph_chain(leaf: Callable[[float], object], n: int) -> Timing:
    """y = y * c, n times, then backward; ``leaf`` makes a 0-d leaf of the engine."""
    x = leaf(0.5)
    c = leaf(1.000001)
    t0 = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * c
    t1 = time.perf_counter()
    y.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def _graph_wide(leaf: Callable[[float], object], n: int) -> Timing:
    """s = x*c0 + x*c1 + ... + x*c(n-1), then backward."""
    x = leaf(0.5)
    cs = [leaf(1.0 + i * 1e-6) for i in range(n)]
    t0 = time.perf_counter()
    s = x * cs[0]
    for c in cs[1:]:
        s = s + x * c
    t1 = time.perf_counter()
    s.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def _leaf_maker(variable: Callable) -> Callable[[float], object]:
    return lambda value: variable(np.array(value))


def _torch_leaf(torch) -> Callable[[float], object]:
    return lambda value: torch.tensor(value, dtype=torch.float64, requires_grad=True)


def _engines() -> tuple[dict[str, dict[str, Callable[[int], Timing]]], list[str]]:
    engines: dict[str, dict[str, Callable[[int], Timing]]] = {
        "numpy floor": {"chain": _floor_chain, "wide": _floor_wide},
        "autograd_core": {
            "chain": lambda n: _graph_chain(_leaf_maker(ag.Variable), n),
            "wide": lambda n: _graph_wide(_leaf_maker(ag.Variable), n),
        },
    }
    notes = []
    try:
        dz = load_dezero()
        engines["dezero 0.0.13"] = {
            "chain": lambda n: _graph_chain(_leaf_maker(dz.Variable), n),
            "wide": lambda n: _graph_wide(_leaf_maker(dz.Variable), n),
        }
    except PeerUnavailable as exc:
        notes.append(f"dezero column skipped: {exc}")
    try:
        torch = load_torch()
        engines[f"torch {torch.__version__} eager"] = {
            "chain": lambda n: _graph_chain(_torch_leaf(torch), n),
            "wide": lambda n: _graph_wide(_torch_leaf(torch), n),
        }
    except PeerUnavailable as exc:
        notes.append(f"torch column skipped: {exc}")
    return engines, notes


def _measure(fn: Callable[[int], Timing], n: int, repeats: int) -> Timing:
    forwards, backwards = [], []
    for _ in range(repeats):
        gc.collect()
        f, b = fn(n)
        forwards.append(f)
        backwards.append(b)
    return statistics.median(forwards), statistics.median(backwards)


def run(quick: bool = False) -> tuple[dict, list[str]]:
    """Measure every engine on every scenario; returns {(scenario, n): {engine: Timing}}."""
    engines, notes = _engines()
    sizes = {"chain": [1_000, 10_000] if quick else [1_000, 10_000, 100_000],
             "wide": [1_000, 3_000] if quick else [1_000, 3_000, 10_000, 30_000]}
    results: dict[tuple[str, int], dict[str, Timing]] = {}
    for scenario, ns in sizes.items():
        for n in ns:
            repeats = 1 if n * (1 if scenario == "chain" else 3) >= 100_000 else 5
            row: dict[str, Timing] = {}
            for _ in range(repeats):  # interleave engines so they share the same noise
                for name, fns in engines.items():
                    if "dezero" in name and scenario == "wide" and n > 10_000 and quick:
                        continue
                    f, b = _measure(fns[scenario], n, 1)
                    old = row.get(name)
                    row[name] = (f, b) if old is None else (min(old[0], f), min(old[1], b))
            results[(scenario, n)] = row
            print(f"  measured {scenario} N={n:,}", file=sys.stderr)
    return results, notes


def _table(results: dict, markdown: bool) -> str:
    lines = []
    header = ["scenario", "N", "engine", "forward µs/op", "backward µs/op", "total µs/op",
              "total / floor"]
    if markdown:
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    else:
        lines.append("  ".join(f"{h:>16}" for h in header))
    for (scenario, n), row in results.items():
        floor = sum(row["numpy floor"]) / n
        for name, (f, b) in row.items():
            cells = [scenario, f"{n:,}", name, f"{f / n * 1e6:.2f}", f"{b / n * 1e6:.2f}",
                     f"{(f + b) / n * 1e6:.2f}", f"{(f + b) / n / floor:.1f}x"]
            if markdown:
                lines.append("| " + " | ".join(cells) + " |")
            else:
                lines.append("  ".join(f"{c:>16}" for c in cells))
    return "\n".join(lines)


def _targets(results: dict) -> list[str]:
    out = []
    chain = [(n, row) for (s, n), row in results.items() if s == "chain"]
    for n, row in chain:
        ours = sum(row["autograd_core"])
        for name, timing in row.items():
            if name.startswith("dezero"):
                ratio = ours / sum(timing)
                out.append(f"chain N={n:,}: autograd_core / DeZero total = {ratio:.2f} "
                           f"(target <= 0.50: {'PASS' if ratio <= 0.5 else 'FAIL'})")
            if name.startswith("torch"):
                ratio = ours / sum(timing)
                out.append(f"chain N={n:,}: autograd_core / PyTorch eager total = {ratio:.2f} "
                           f"(target <= 1.00: {'PASS' if ratio <= 1.0 else 'FAIL'})")
    wide = {n: row for (s, n), row in results.items() if s == "wide"}
    for small, big in ((1_000, 10_000), (3_000, 30_000)):
        if small in wide and big in wide:
            for name in wide[small]:
                if name in wide[big]:
                    ratio = wide[big][name][1] / wide[small][name][1]
                    verdict = ""
                    if name == "autograd_core":
                        verdict = f" (target <= ~11x: {'PASS' if ratio <= 11.5 else 'FAIL'})"
                    out.append(f"wide backward N={big:,} / N={small:,}, {name}: "
                               f"{ratio:.1f}x{verdict}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    results, notes = run(quick=args.quick)
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")
    print()
    print(_table(results, args.markdown))
    print()
    for line in _targets(results) + notes:
        print(("- " if args.markdown else "") + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
