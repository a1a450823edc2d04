"""Many sessions at once: lessons built and drawn in parallel threads (as Streamlit runs
each browser session in its own thread) give exactly what each gives alone."""

from __future__ import annotations

import threading

import numpy as np

from autograd_core import Variable, no_grad, square
from classroom.lesson import Lesson

CASES = [
    ("square(exp(square(x)))", {"x": "0.5"}, False),
    ("x*y + z", {"x": "3", "y": "2", "z": "1"}, False),
    ("sin(x) * x", {"x": "[1, 2]"}, False),
    ("a = square(x)\ny = square(a) + square(a)", {"x": "2"}, False),
    ("y = x**4 - 2 * x**2", {"x": "2"}, True),
    ("sum(matmul(x, W))", {"x": "[[1, 2], [3, 4]]", "W": "[[0.5, -1], [2, 1]]"}, False),
]


def _result(text: str, values: dict, higher: bool) -> tuple:
    lesson = Lesson(text, values, higher_order=higher)
    frames = tuple(lesson.frame_svg(k) for k in range(lesson.n_steps + 1))
    rows = tuple((r.name, r.grad_text, r.ok) for r in lesson.leaf_rows())
    return rows, lesson.n_steps, frames


def test_parallel_sessions_match_sequential_ones():
    alone = [_result(*case) for case in CASES]
    together: list = [None] * (2 * len(CASES))
    errors: list = []
    barrier = threading.Barrier(2 * len(CASES) + 1)
    stop = threading.Event()

    def session(i):
        try:
            barrier.wait(10)
            together[i] = _result(*CASES[i % len(CASES)])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def student_in_no_grad():
        barrier.wait(10)
        with no_grad():  # another session's no_grad must not leak into these
            while not stop.is_set():
                square(Variable(np.array(1.0)))

    threads = [threading.Thread(target=session, args=(i,)) for i in range(2 * len(CASES))]
    noisy = threading.Thread(target=student_in_no_grad)
    noisy.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    stop.set()
    noisy.join(10)
    assert not errors, errors
    for i, result in enumerate(together):
        assert result == alone[i % len(CASES)], CASES[i % len(CASES)][0]
