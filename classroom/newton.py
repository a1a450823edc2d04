"""Newton's method (book steps 29 and 33): x <- x - f'(x) / f''(x), both derivatives by
backprop, the second one through the gradient's own graph (create_graph=True)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from autograd_core import Variable, using_config
from exprlang.engine import build_graph
from viz.render.style import fmt_number

from .lesson import Lesson

FAR_STEP = 1000.0  # a step this many times x's size (or 1) is shown with a warning


@dataclass(frozen=True)
class NewtonStep:
    """One Newton step from ``x0`` for the single input ``name``."""

    name: str
    x0: float
    d1: float
    d2: float

    @property
    def possible(self) -> bool:
        return (math.isfinite(self.d1) and math.isfinite(self.d2) and self.d2 != 0
                and math.isfinite(self.d1 / self.d2))

    @property
    def why_not(self) -> str:
        """Why no step can be taken: "flat" (f'' = 0) or "not_finite" (NaN/infinite)."""
        return "flat" if self.d2 == 0 else "not_finite"

    @property
    def far(self) -> bool:
        """The step would land over FAR_STEP times further away than x's own size: f'' is
        almost 0 next to f' (an inflection point), where Newton's method is not reliable."""
        return self.possible and abs(self.x1 - self.x0) > FAR_STEP * max(1.0, abs(self.x0))

    @property
    def x1(self) -> float:
        return self.x0 - self.d1 / self.d2

    def texts(self) -> dict[str, str]:
        """Numbers as shown in the formula (4 significant digits, x1 in full for the value)."""
        return {"x": self.name, "x0": fmt_number(self.x0), "d1": fmt_number(self.d1),
                "d2": fmt_number(self.d2),
                "x1": fmt_number(self.x1) if self.possible else "—"}

    @property
    def value_text(self) -> str:
        """The new value as typed into the value box (full precision)."""
        return repr(float(self.x1))


def newton_step(lesson: Lesson) -> NewtonStep | None:
    """The Newton step for a lesson with one scalar input and a scalar output, else None."""
    if lesson.program is None or len(lesson.inputs) != 1:
        return None
    (name, x), = lesson.inputs.items()
    if np.ndim(x.data) != 0 or np.ndim(lesson.output.data) != 0 or lesson.output.creator is None:
        return None
    return lesson.memo("newton", lambda: _compute(lesson, name, float(x.data)))


def _compute(lesson: Lesson, name: str, x0: float) -> NewtonStep | None:
    with np.errstate(all="ignore"), using_config("enable_backprop", True):
        result = build_graph(lesson.spec.text, {name: np.array(x0)})
        x: Variable = result.inputs[name]
        result.output.backward(create_graph=True)
        gx = x.grad
        if gx is None or gx.creator is None:  # f is linear in x: f'' = 0
            d1 = 0.0 if gx is None else float(gx.data)
            return NewtonStep(name, x0, d1, 0.0)
        x.cleargrad()
        gx.backward()
        d2 = 0.0 if x.grad is None else float(x.grad.data)
        return NewtonStep(name, x0, float(gx.data), d2)
