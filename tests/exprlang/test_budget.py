"""One expression cannot exhaust the server (issue #13): a whole program's elements and
multiply-adds are counted *before* each operation runs, so the hostile programs the issue
measured are refused with almost nothing allocated. Peak memory is measured with
tracemalloc (numpy reports its arrays to it); the time of each case is in
bench/bench_memory.py, not here (this machine is noisy)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from bench.hostile import CASES  # the cases, shared with bench/bench_memory.py
from classroom.lesson import LessonError, LessonSpec, build_lesson
from exprlang import DEFAULT_LIMITS, ExpressionError
from exprlang.engine import build_graph

PEAK_LIMIT = 50 * 2**20


def _refused(text, values):
    tracemalloc.start()
    try:
        with pytest.raises(ExpressionError) as info:
            build_graph(text, values)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return info.value, peak


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_programs_are_refused_before_their_memory_is_taken(case):
    text, values = CASES[case]
    err, peak = _refused(text, values)
    assert err.code in ("result_too_large", "too_much_memory", "too_much_work"), str(err)
    assert peak < PEAK_LIMIT, f"{case}: peak {peak / 2**20:.1f} MB"


def test_which_limit_each_case_meets():
    codes = {case: _refused(*CASES[case])[0].code for case in CASES}
    assert list(codes.values()) == ["result_too_large", "result_too_large", "too_much_work",
                                    "too_much_memory"]
    err = _refused(*CASES["60 matmuls of 1000 x 1000: 11.8 s, 2.8 GB"])[0]
    assert err.params["count"] == 1_000_000_000 + 1_000_000  # the broadcast, then a matmul
    assert "multiply-adds" in str(err)


def test_a_ten_million_element_value_list_is_refused_before_numpy_copies_it():
    values = {"x": [0.0] * 10_000_000}  # made before measuring: the caller's own memory
    nested = {"x": [[0.0] * 10_000] * 1_000}
    for given in (values, nested):
        err, peak = _refused("sum(x)", given)
        assert err.code == "too_many_elements" and peak < 2**20


def test_programs_within_the_budget_still_run():
    edge = "a = broadcast_to(x, (999, 1000))\nb = exp(a)\ny = b * a"  # 3 arrays of ~1e6
    out = build_graph(edge, {"x": np.full(1000, 0.5)}).output
    assert out.shape == (999, 1000)
    assert float(out.data[0, 0]) == pytest.approx(np.exp(0.5) * 0.5)
    work = "a = broadcast_to(x, (300, 300))\ny = sum(matmul(a, a))"  # 2.7e7 multiply-adds
    assert float(build_graph(work, {"x": np.ones(300)}).output.data) == 300.0 ** 3


def test_a_gradients_graph_halves_what_one_program_may_use():
    text = "a = broadcast_to(x, (999, 1000))\ny = sum(exp(a))"
    ok = build_lesson(LessonSpec.make(text, {"x": "0.5"}))
    assert ok.output.shape == ()
    with pytest.raises(LessonError) as info:
        build_lesson(LessonSpec.make(text, {"x": "0.5"}, higher_order=True))
    assert info.value.error.code == "too_much_memory"
    assert DEFAULT_LIMITS.passes == 1
