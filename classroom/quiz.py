"""Predict, then reveal: before each backward step the student predicts one grad it computes.

The question is about a variable that receives a grad in the next step (a named one
first), asked as its grad after that step; an array grad is asked for one element. An
answer is a number, a simple fraction (``1/2``) or e-notation; it is right within about
three significant digits. Nothing here touches Streamlit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .i18n import t
from .lesson import Lesson

MAX_ANSWER = 40  # characters
RTOL, ATOL = 5e-3, 1e-9  # about three significant digits
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_ANSWER = re.compile(rf"^\s*({_NUMBER})\s*(?:/\s*({_NUMBER})\s*)?$")


@dataclass(frozen=True)
class Question:
    """What the student predicts: ``label`` (``a.grad``, ``x.grad[0, 1]``) after backward
    step ``step``; ``answer`` is what the engine computed."""

    step: int
    node_id: str
    label: str
    answer: float


class AnswerError(ValueError):
    """An answer that cannot be read; ``code`` names why (for the message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def question(lesson: Lesson, k: int, lang: str = "en") -> Question | None:
    """The question for backward step ``k + 1`` (None after the last step). The variable
    is highlighted in the player; an unnamed one is called "the highlighted variable"."""
    replay = lesson.replay
    if not 0 <= k < replay.n_steps:
        return None
    step = replay.steps[k]
    receivers = []
    for call in step.calls:
        for x, g in zip(call.function.inputs, call.input_grads, strict=True):
            if g is not None and x in replay.graph and all(x is not r for r in receivers):
                receivers.append(x)
    if not receivers:
        return None
    v = min(receivers, key=lambda r: (r.name is None, r.index))  # a named one first
    grad = np.asarray(replay.grad_at(k + 1, v), dtype=float)
    index = (0,) * grad.ndim
    element = f"[{', '.join(map(str, index))}]" if index else ""
    label = (f"{v.name}.grad{element}" if v.name
             else t("quiz_highlighted", lang, element=element))
    return Question(k + 1, replay.graph.node_id(v), label, float(grad[index]))


def read_answer(text: str) -> float:
    """A typed prediction as a number: ``-0.5``, ``1/2``, ``3e-2``. Raises AnswerError."""
    if text is None or not str(text).strip():
        raise AnswerError("empty")
    text = str(text)
    if len(text) > MAX_ANSWER:
        raise AnswerError("too_long")
    found = _ANSWER.match(text)
    if not found:
        raise AnswerError("not_a_number")
    top = float(found.group(1))
    if found.group(2) is None:
        value = top
    else:
        bottom = float(found.group(2))
        if bottom == 0:
            raise AnswerError("divide_by_zero")
        value = top / bottom
    if not math.isfinite(value):
        raise AnswerError("not_a_number")
    return value


def is_right(guess: float, answer: float) -> bool:
    """Right within about three significant digits (and exactly for a non-finite answer)."""
    if not math.isfinite(answer):
        return guess == answer
    return abs(guess - answer) <= ATOL + RTOL * abs(answer)
