"""Many sessions at once, below Streamlit: lessons built, drawn and checked in parallel
threads (as Streamlit runs each browser session in its own thread), one of them holding
no_grad, give exactly what each gives alone; the shared caches hand every thread the
same immutable results."""

from __future__ import annotations

import threading

import numpy as np

from autograd_core import Variable, no_grad, square
from classroom.checks import leaf_rows
from classroom.lesson import LessonSpec, build_lesson, clear_cache, lesson_for

CASES = [
    ("square(exp(square(x)))", {"x": "0.5"}, False),
    ("x*y + z", {"x": "3", "y": "2", "z": "1"}, False),
    ("sin(x) * x", {"x": "[1, 2]"}, False),
    ("a = square(x)\ny = square(a) + square(a)", {"x": "2"}, False),
    ("y = x**4 - 2 * x**2", {"x": "2"}, True),
    ("sum(matmul(x, W))", {"x": "[[1, 2], [3, 4]]", "W": "[[0.5, -1], [2, 1]]"}, False),
]


def _result(text: str, values: dict, higher: bool, *, shared: bool) -> tuple:
    spec = LessonSpec.make(text, values, higher_order=higher)
    lesson = lesson_for(spec) if shared else build_lesson(spec)
    scene = lesson.scene(lang="en")
    frames = (scene.to_json(), tuple(scene.svg(t) for t in range(scene.n_frames)))
    rows = tuple((r.name, r.grad, r.numerical, r.ok) for r in leaf_rows(lesson))
    return rows, lesson.n_steps, frames


def _parallel(shared: bool) -> list:
    together: list = [None] * (3 * len(CASES))
    errors: list = []
    barrier = threading.Barrier(len(together) + 1)
    stop = threading.Event()

    def session(i: int) -> None:
        try:
            barrier.wait(10)
            together[i] = _result(*CASES[i % len(CASES)], shared=shared)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def student_in_no_grad() -> None:
        barrier.wait(10)
        with no_grad():  # another session's no_grad must not leak into these
            while not stop.is_set():
                square(Variable(np.array(1.0)))

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(together))]
    noisy = threading.Thread(target=student_in_no_grad)
    noisy.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    stop.set()
    noisy.join(10)
    assert not errors, errors
    return together


def test_parallel_sessions_match_sequential_ones():
    alone = [_result(*case, shared=False) for case in CASES]
    for shared in (False, True):
        clear_cache()
        for i, result in enumerate(_parallel(shared)):
            assert result == alone[i % len(CASES)], (shared, CASES[i % len(CASES)][0])
