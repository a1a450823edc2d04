"""Memory and time bounds of what a class can type (issue #13).

Run from the repo root:

    python -m bench.bench_memory

1. The hostile programs the issue measured (tests/exprlang/test_budget.py holds them):
   time until each is refused and the peak memory it took (tracemalloc, which numpy
   reports its arrays to). Target: < 0.2 s and < 50 MB each.
2. The app's lesson cache under the worst a class can do: LESSONS distinct lessons at the
   edge of the per-expression budget (three arrays of ~1e6 elements each, their grads
   kept for stepping), each built, drawn (its scene) and cached as the app does, while
   the process's resident memory is watched. Target: the process stays under 1 GB.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc

from classroom.lesson import CACHE_BYTES, LessonSpec, cache_stats, clear_cache, lesson_for
from exprlang import ExpressionError
from exprlang.engine import build_graph

from .hostile import CASES

LESSONS = 24
RSS_BOUND_MB = 1024
WORST = "a = broadcast_to(x, (999, 1000))\nb = exp(a)\ny = b * a"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def hostile_cases() -> list[tuple[str, str, float, float]]:
    cases = dict(CASES)
    cases["a 10-million-element value list: 1.1 s, 153 MB"] = (
        "sum(x)", {"x": [0.0] * 10_000_000})
    out = []
    for name, (text, values) in cases.items():
        tracemalloc.start()
        start = time.perf_counter()
        try:
            build_graph(text, values)
            code = "accepted"
        except ExpressionError as err:
            code = err.code
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out.append((name, code, seconds, peak / 2**20))
    return out


def lesson_cache() -> list[tuple[int, float, float, int]]:
    clear_cache()
    rows = []
    for i in range(LESSONS):
        lesson = lesson_for(LessonSpec.make(WORST, {"x": f"0.{i + 1:03d}"}))
        lesson.scene().to_json()
        stats = cache_stats()
        rows.append((i + 1, rss_mb(), stats["bytes"] / 2**20, stats["entries"]))
    return rows


def main() -> int:
    ok = True
    print("## Hostile programs: refused before their memory is taken\n")
    print("| case | refused as | seconds | peak MB |")
    print("|---|---|---:|---:|")
    for name, code, seconds, peak in hostile_cases():
        ok &= code != "accepted" and seconds < 0.2 and peak < 50
        print(f"| {name} | {code} | {seconds:.3f} | {peak:.1f} |")
    print(f"\ntarget < 0.2 s and < 50 MB each: {'PASS' if ok else 'FAIL'}\n")
    print(f"## The lesson cache: {LESSONS} lessons at the edge of the budget "
          f"(cache bound {CACHE_BYTES / 2**20:.0f} MB)\n")
    print("| lessons built | process RSS MB | cache MB (weighed) | lessons cached |")
    print("|---:|---:|---:|---:|")
    rows = lesson_cache()
    for n, rss, weighed, entries in rows:
        if n in (1, 2, 4, 8, 12, 16, 20, LESSONS):
            print(f"| {n} | {rss:.0f} | {weighed:.0f} | {entries} |")
    peak_rss = max(r[1] for r in rows)
    verdict = peak_rss < RSS_BOUND_MB
    ok &= verdict
    print(f"\ntarget the process under {RSS_BOUND_MB} MB: peak {peak_rss:.0f} MB "
          f"{'PASS' if verdict else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
