"""Engine benchmark: per-op forward and backward time of autograd_core against a
numpy floor, DeZero 0.0.13 and PyTorch eager, all measured in the same run.

Run from the repo root:

    python -m bench.bench_core              # full run (a few minutes)
    python -m bench.bench_core --quick      # smaller sizes, a smoke run (seconds)
    python -m bench.bench_core --markdown   # the same tables as Markdown, for the README

Scenarios (every engine builds the same graph from 0-d float64 scalars):

  chain  y = y * c, N times (c a constant leaf); forward = building the graph,
         backward = y.backward(). One op per step.
  mix    y = sin(y) * c + d, N times; three ops per step.
  wide   s = x*c0 + x*c1 + ... + x*c(N-1), built left to right (2N - 1 ops).
         DeZero re-sorts its list of pending functions on every insertion, and
         here that list grows to N entries, so its backward is quadratic in N.

Engines:

  numpy floor     the same arithmetic on 0-d arrays in a plain Python loop, storing
                  what the backward needs, and a hand-written reverse loop computing
                  the same grads (no graph, no bookkeeping: the cost of the math)
  autograd_core   this project
  dezero core     PyPI dezero 0.0.13's core.py (what ``import dezero`` uses; grads
                  are Variables), loaded without the package __init__ (bench/peers.py)
  dezero simple   dezero 0.0.13's core_simple.py (grads are raw ndarrays), with the
                  book's Sin (step 27) for the mix scenario
  torch eager     PyTorch on 0-d float64 tensors, torch.set_num_threads(1)

Every cell is the median of several runs (fewer for the big sizes; a run that
takes longer than LONG_RUN_S seconds is not repeated), engines interleaved and
their order rotated between runs so they share the machine's noise.
gc.collect() runs before each run; the cyclic collector stays on while timing
(as in a user's program), with everything imported before the runs frozen
(gc.freeze()) so that a peer's import (torch's ~150k objects) does not slow down
the other engines' collections. ``--no-gc`` switches the collector off while timing.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import autograd_core as ag

from .peers import (
    PeerUnavailable,
    dezero_simple_sin,
    dezero_version,
    load_dezero,
    load_dezero_functions,
    load_dezero_simple,
    load_torch,
)

LONG_RUN_S = 10.0  # a run longer than this is measured once (DeZero's quadratic wide graph)
OURS = "autograd_core"
FLOOR = "numpy floor"
DEZERO = "dezero core"
DEZERO_SIMPLE = "dezero simple"
TORCH = "torch eager"

# (forward seconds, backward seconds, grads that every engine must agree on)
Run = tuple[float, float, tuple[float, ...]]

SCENARIOS: dict[str, dict[str, Any]] = {
    "chain": {
        "title": "chain: y = y * c, N times (N ops)",
        "ops": lambda n: n,
        "full": [1_000, 10_000, 100_000],
        "quick": [1_000, 10_000],
    },
    "mix": {
        "title": "mix: y = sin(y) * c + d, N times (3N ops)",
        "ops": lambda n: 3 * n,
        "full": [1_000, 10_000, 100_000],
        "quick": [1_000],
    },
    "const": {
        "title": ("const: y = y * 0.9999, then y + 0.0001, alternately: Python constants, "
                  "as users write a chain (N ops)"),
        "ops": lambda n: n,
        "full": [1_000, 10_000, 100_000],
        "quick": [1_000, 10_000],
    },
    "wide": {
        "title": "wide: s = x*c0 + x*c1 + ... + x*c(N-1) (2N - 1 ops; DeZero: quadratic)",
        "ops": lambda n: 2 * n - 1,
        "full": [1_000, 3_000, 10_000, 30_000],
        "quick": [300, 1_000, 3_000],
    },
}

X0, C0, D0 = 0.5, 1.000001, 0.25


def _wide_constant(i: int) -> float:
    return 1.0 + i * 1e-6


# --- the floor: numpy arithmetic and a hand-written backward -----------------------------

def _floor_chain(n: int) -> Run:
    x, c = np.array(X0), np.array(C0)
    t0 = time.perf_counter()
    ys = [x]  # what the backward of y = y * c needs: the input of every step
    y = x
    for _ in range(n):
        y = y * c
        ys.append(y)
    t1 = time.perf_counter()
    g = np.array(1.0)
    gc_ = np.array(0.0)
    for k in range(n - 1, -1, -1):
        gc_ = gc_ + g * ys[k]
        g = g * c
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, (float(g), float(gc_))


def _floor_mix(n: int) -> Run:
    x, c, d = np.array(X0), np.array(C0), np.array(D0)
    t0 = time.perf_counter()
    ys, ss = [], []
    y = x
    for _ in range(n):
        s = np.sin(y)
        ys.append(y)
        ss.append(s)
        y = s * c + d
    t1 = time.perf_counter()
    g = np.array(1.0)
    gc_ = np.array(0.0)
    gd = np.array(0.0)
    for k in range(n - 1, -1, -1):
        gd = gd + g
        gc_ = gc_ + g * ss[k]
        g = g * c * np.cos(ys[k])
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, (float(g), float(gc_), float(gd))


def _floor_const(n: int) -> Run:
    x = np.array(X0)
    t0 = time.perf_counter()
    y = x
    for i in range(n):
        y = y * 0.9999 if i % 2 else y + 0.0001
    t1 = time.perf_counter()
    g = np.array(1.0)
    for i in range(n - 1, -1, -1):
        if i % 2:
            g = g * 0.9999
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, (float(g),)


def _floor_wide(n: int) -> Run:
    x = np.array(X0)
    cs = [np.array(_wide_constant(i)) for i in range(n)]
    t0 = time.perf_counter()
    s = x * cs[0]
    for i in range(1, n):
        s = s + x * cs[i]
    t1 = time.perf_counter()
    # reverse loop over the 2N - 1 ops: each add passes g through, each mul sends
    # g * c_i to x (accumulated) and g * x to c_i
    g = np.array(1.0)
    gx = np.array(0.0)
    gcs: list[Any] = [None] * n
    for i in range(n - 1, -1, -1):
        gx = gx + g * cs[i]
        gcs[i] = g * x
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, (float(gx), float(gcs[0]), float(gcs[-1]))


# --- graph engines: one builder per scenario, shared by every engine ---------------------

@dataclass
class GraphEngine:
    """How to make a leaf, read a grad and apply sin in one engine."""

    leaf: Callable[[float], Any]
    grad: Callable[[Any], float]
    sin: Callable[[Any], Any] | None = None

    def chain(self, n: int) -> Run:
        x, c = self.leaf(X0), self.leaf(C0)
        t0 = time.perf_counter()
        y = x
        for _ in range(n):
            y = y * c
        t1 = time.perf_counter()
        y.backward()
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, (self.grad(x), self.grad(c))

    def mix(self, n: int) -> Run:
        x, c, d = self.leaf(X0), self.leaf(C0), self.leaf(D0)
        sin = self.sin
        assert sin is not None
        t0 = time.perf_counter()
        y = x
        for _ in range(n):
            y = sin(y) * c + d
        t1 = time.perf_counter()
        y.backward()
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, (self.grad(x), self.grad(c), self.grad(d))

    def const(self, n: int) -> Run:
        x = self.leaf(X0)
        t0 = time.perf_counter()
        y = x
        for i in range(n):
            y = y * 0.9999 if i % 2 else y + 0.0001
        t1 = time.perf_counter()
        y.backward()
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, (self.grad(x),)

    def wide(self, n: int) -> Run:
        x = self.leaf(X0)
        cs = [self.leaf(_wide_constant(i)) for i in range(n)]
        t0 = time.perf_counter()
        s = x * cs[0]
        for i in range(1, n):
            s = s + x * cs[i]
        t1 = time.perf_counter()
        s.backward()
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, (self.grad(x), self.grad(cs[0]), self.grad(cs[-1]))


def _variable_engine(variable: type, sin: Callable[[Any], Any] | None) -> GraphEngine:
    def grad(v: Any) -> float:
        g = v.grad  # a Variable (core.py, ours) or raw numpy (core_simple.py)
        return float(g if isinstance(g, (np.ndarray, np.generic)) else g.data)

    return GraphEngine(leaf=lambda value: variable(np.array(value)), grad=grad, sin=sin)


def _torch_engine(torch: Any) -> GraphEngine:
    return GraphEngine(
        leaf=lambda value: torch.tensor(value, dtype=torch.float64, requires_grad=True),
        grad=lambda t: float(t.grad),
        sin=torch.sin,
    )


@dataclass
class Engine:
    name: str
    label: str  # shown in the tables
    scenarios: dict[str, Callable[[int], Run]]


def load_engines() -> tuple[list[Engine], list[str], dict[str, str]]:
    """The engines that can run here, notes on those that cannot, and their versions."""
    engines = [
        Engine(FLOOR, "numpy floor", {"chain": _floor_chain, "mix": _floor_mix,
                                      "const": _floor_const, "wide": _floor_wide}),
    ]
    ours = _variable_engine(ag.Variable, ag.sin)
    engines.append(Engine(OURS, "autograd_core", {"chain": ours.chain, "mix": ours.mix,
                                                  "const": ours.const, "wide": ours.wide}))
    notes: list[str] = []
    versions = {"dezero": dezero_version()}
    try:
        dz = load_dezero()
        dzf = load_dezero_functions()
        e = _variable_engine(dz.Variable, dzf.sin)
        engines.append(Engine(DEZERO, f"dezero {versions['dezero']} core",
                              {"chain": e.chain, "mix": e.mix, "const": e.const,
                               "wide": e.wide}))
    except PeerUnavailable as exc:
        notes.append(f"DeZero columns skipped: {exc}")
    else:
        try:
            simple = load_dezero_simple()
            e = _variable_engine(simple.Variable, dezero_simple_sin(simple))
            engines.append(Engine(DEZERO_SIMPLE, f"dezero {versions['dezero']} core_simple",
                                  {"chain": e.chain, "mix": e.mix, "const": e.const,
                               "wide": e.wide}))
        except PeerUnavailable as exc:
            notes.append(f"DeZero core_simple column skipped: {exc}")
    try:
        torch = load_torch()
        versions["torch"] = f"{torch.__version__} ({torch.get_num_threads()} thread)"
        e = _torch_engine(torch)
        engines.append(Engine(TORCH, f"torch {torch.__version__} eager",
                              {"chain": e.chain, "mix": e.mix, "const": e.const,
                               "wide": e.wide}))
    except PeerUnavailable as exc:
        versions["torch"] = "not installed"
        notes.append(f"PyTorch column skipped: {exc}")
    return engines, notes, versions


# --- measuring ---------------------------------------------------------------------------

@dataclass
class Cell:
    """All runs of one engine on one (scenario, N)."""

    forward: list[float] = field(default_factory=list)
    backward: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    grads: tuple[float, ...] = ()

    def add(self, run: Run) -> None:
        f, b, grads = run
        self.forward.append(f)
        self.backward.append(b)
        self.total.append(f + b)
        self.grads = grads

    @property
    def runs(self) -> int:
        return len(self.total)

    def median(self) -> tuple[float, float, float]:
        return (statistics.median(self.forward), statistics.median(self.backward),
                statistics.median(self.total))


Results = dict[tuple[str, int], dict[str, Cell]]


def _repeats(scenario: str, n: int, quick: bool) -> int:
    if quick:
        return 3
    return 3 if SCENARIOS[scenario]["ops"](n) >= 20_000 else 5


def _one_run(fn: Callable[[int], Run], n: int, no_gc: bool) -> Run:
    gc.collect()
    if no_gc:
        gc.disable()
    try:
        return fn(n)
    finally:
        if no_gc:
            gc.enable()


def _check_grads(scenario: str, n: int, row: dict[str, Cell]) -> list[str]:
    """Every engine must have computed the floor's grads (else the timing means nothing)."""
    want = row[FLOOR].grads
    problems = []
    for name, cell in row.items():
        if not all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
                   for a, b in zip(cell.grads, want, strict=True)):
            problems.append(f"{name} {scenario} N={n}: grads {cell.grads} != floor {want}")
    return problems


def measure(engines: list[Engine], quick: bool, no_gc: bool,
            log: Callable[[str], None]) -> tuple[Results, list[str]]:
    results: Results = {}
    problems: list[str] = []
    for scenario, spec in SCENARIOS.items():
        for n in spec["quick" if quick else "full"]:
            active = [e for e in engines if scenario in e.scenarios]
            row = {e.name: Cell() for e in active}
            started = time.perf_counter()
            for rep in range(_repeats(scenario, n, quick)):
                shift = rep % len(active)
                for engine in active[shift:] + active[:shift]:  # rotate the order
                    cell = row[engine.name]
                    if cell.runs and cell.total[0] > LONG_RUN_S:
                        continue  # measured once: repeating would blow the time budget
                    cell.add(_one_run(engine.scenarios[scenario], n, no_gc))
            results[(scenario, n)] = row
            problems += _check_grads(scenario, n, row)
            log(f"  {scenario:5} N={n:>7,}: {time.perf_counter() - started:6.1f} s")
    return results, problems


# --- reporting ---------------------------------------------------------------------------

def _fmt_us(seconds: float, ops: int) -> str:
    us = seconds / ops * 1e6
    return f"{us:.2f}" if us < 100 else f"{us:,.0f}"


def _fmt_ratio(r: float) -> str:
    return f"{r:.1f}x" if r < 100 else f"{r:,.0f}x"


def tables(results: Results, engines: list[Engine], markdown: bool) -> list[str]:
    labels = {e.name: e.label for e in engines}
    header = ["engine", "N", "runs", "forward µs/op", "backward µs/op", "total µs/op",
              "total / floor", "backward / floor"]
    out: list[str] = []
    for scenario, spec in SCENARIOS.items():
        rows = []
        for (s, n), row in results.items():
            if s != scenario:
                continue
            ops = spec["ops"](n)
            _, floor_b, floor_t = row[FLOOR].median()
            for name, cell in row.items():
                f, b, t = cell.median()
                rows.append([labels[name], f"{n:,}", str(cell.runs), _fmt_us(f, ops),
                             _fmt_us(b, ops), _fmt_us(t, ops), _fmt_ratio(t / floor_t),
                             _fmt_ratio(b / floor_b)])
        if not rows:
            continue
        out.append(f"#### {spec['title']}" if markdown else spec["title"])
        out.append("")
        if markdown:
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
            out += ["| " + " | ".join(r) + " |" for r in rows]
        else:
            widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
            out.append("  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                                 for i, (h, w) in enumerate(zip(header, widths, strict=True))))
            for r in rows:
                out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                     for i, (c, w) in enumerate(zip(r, widths, strict=True))))
        out.append("")
    return out


def targets(results: Results) -> tuple[list[str], int, int]:
    """Every target with PASS/FAIL: issue #13's (chain and mix at every N: forward+backward
    at most DeZero core_simple's and PyTorch eager's, the backward alone at most
    core_simple's), the earlier engine issue's (at most half DeZero core's total; the
    wide graph's backward linear in N), and the codebase issue's (the chain written with
    Python constants, 10,000 ops: forward+backward and backward alone at most
    core_simple's; its other cells are shown for reference)."""
    lines: list[str] = []
    verdicts: list[bool] = []

    def check(text: str, ratio: float, limit: float) -> None:
        ok = ratio <= limit
        verdicts.append(ok)
        lines.append(f"{text} = {ratio:.2f} (target <= {limit:.2f}): {'PASS' if ok else 'FAIL'}")

    for (scenario, n), row in results.items():
        if scenario == "wide" or OURS not in row:
            continue
        forward, backward, total = row[OURS].median()
        where = f"{scenario} N={n:,}: autograd_core /"
        if scenario == "const":
            if DEZERO_SIMPLE in row:
                _, simple_b, simple_t = row[DEZERO_SIMPLE].median()
                ratios = (total / simple_t, backward / simple_b)
                if n == 10_000:
                    check(f"{where} DeZero core_simple, forward+backward", ratios[0], 1.0)
                    check(f"{where} DeZero core_simple, backward", ratios[1], 1.0)
                else:
                    lines.append(f"{where} DeZero core_simple: forward+backward "
                                 f"{ratios[0]:.2f}, backward {ratios[1]:.2f} (reference)")
            continue
        if DEZERO_SIMPLE in row:
            _, simple_b, simple_t = row[DEZERO_SIMPLE].median()
            check(f"{where} DeZero core_simple, forward+backward", total / simple_t, 1.0)
            check(f"{where} DeZero core_simple, backward", backward / simple_b, 1.0)
        if TORCH in row:
            check(f"{where} PyTorch eager, forward+backward", total / row[TORCH].median()[2],
                  1.0)
        if DEZERO in row:
            check(f"{where} DeZero core, forward+backward", total / row[DEZERO].median()[2],
                  0.5)
    wide = {n: row for (s, n), row in results.items() if s == "wide"}
    for small in sorted(wide):
        big = small * 10
        if big not in wide:
            continue
        floor = wide[big][FLOOR].median()[1] / wide[small][FLOOR].median()[1]
        lines.append(f"wide backward time N={big:,} / N={small:,}, numpy floor: {floor:.1f}x"
                     + ("" if 9.0 <= floor <= 11.5 else
                        " — the floor itself did not scale by ~10x: the machine's load changed "
                        "between these cells, re-run on a quieter machine"))
        for name in wide[small]:
            if name not in wide[big] or name == FLOOR:
                continue
            r = wide[big][name].median()[1] / wide[small][name].median()[1]
            label = {OURS: "autograd_core", DEZERO: "DeZero core", DEZERO_SIMPLE:
                     "DeZero core_simple", TORCH: "PyTorch eager"}[name]
            text = f"wide backward time N={big:,} / N={small:,}, {label}"
            if name == OURS:
                check(text + ", linear in N", r, 11.0)
            else:
                lines.append(f"{text}: {r:.1f}x (reference)")
    return lines, sum(verdicts), len(verdicts)


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=5,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
                              ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def machine_info(versions: dict[str, str], no_gc: bool, load: str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rev = _git("rev-parse", "--short", "HEAD") or "unknown revision"
    if _git("status", "--porcelain", "--", "autograd_core"):
        rev += " + uncommitted changes"
    return (f"python {platform.python_version()}, numpy {np.__version__}, "
            f"dezero {versions.get('dezero')}, torch {versions.get('torch')}; "
            f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.machine()}; "
            f"autograd_core at {rev}; "
            f"cyclic GC {'off' if no_gc else 'on'} while timing; "
            f"1-min load average {load} before / {_load()} after the runs "
            f"(other work on this machine shows up as noise)")


NOTES = [
    "µs/op = the median run's time divided by the number of ops in the graph "
    "(chain N, mix 3N, wide 2N - 1); total = forward (building the graph) + backward.",
    "numpy floor: the same arithmetic on 0-d float64 arrays in a Python loop (numpy hands "
    "back np.float64 scalars after the first op), keeping each step's inputs, and a "
    "hand-written reverse loop computing the same grads; no graph objects at all.",
    "Every engine's grads were checked against the floor's in each cell.",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_core", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--markdown", action="store_true", help="print Markdown (README)")
    parser.add_argument("--no-gc", action="store_true",
                        help="switch the cyclic garbage collector off while timing")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    engines, notes, versions = load_engines()
    gc.collect()
    gc.freeze()  # imported modules (torch's above all) are not rescanned by every engine
    started = time.perf_counter()
    load = _load()
    log(f"measuring {', '.join(e.label for e in engines)}"
        f"{' (quick)' if args.quick else ''} ...")
    results, problems = measure(engines, args.quick, args.no_gc, log)
    log(f"done in {time.perf_counter() - started:.0f} s")

    bullet = "- " if args.markdown else "  "
    print(machine_info(versions, args.no_gc, load))
    print()
    for line in tables(results, engines, args.markdown):
        print(line)
    lines, passed, total = targets(results)
    print("#### Targets" if args.markdown else "Targets")
    print()
    for line in lines:
        print(bullet + line)
    print(f"{bullet}{passed} of {total} targets pass")
    print()
    print("#### Notes" if args.markdown else "Notes")
    print()
    for line in NOTES + notes + [f"GRADIENT MISMATCH: {p}" for p in problems]:
        print(bullet + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
