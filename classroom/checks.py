"""The leaf-grad table: every input's backprop grad next to a numerical derivative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_core import Variable, compare_grads, no_grad, numerical_grad, using_config
from exprlang import evaluate
from exprlang.engine import default_functions, engine_operators
from viz.model.explain import value_text

from .i18n import t
from .lesson import Lesson

CHECK_MAX_ELEMENTS = 64  # central differences cost two evaluations per element
EPS = 1e-5
RTOL, ATOL = 1e-4, 1e-5


@dataclass(frozen=True)
class LeafRow:
    """One input: its value, final backprop grad, numerical grad and the check."""

    name: str
    value: str
    grad: str
    numerical: str
    ok: bool | None  # None: not checked

    def cells(self, lang: str, final: bool, quiz: bool = False) -> dict[str, str]:
        """The row as the table shows it (the grad only once the pass is complete; in a
        quiz that is still asking, not the numerical grad either: it is the answer)."""
        check = (t("not_final", lang) if not final  # no verdict before there is a grad
                 else t("skipped", lang) if self.ok is None
                 else t("pass", lang) if self.ok else t("fail", lang))
        return {t("col_var", lang): self.name, t("col_value", lang): self.value,
                t("col_grad", lang): self.grad if final else t("not_final", lang),
                t("col_num", lang): t("after_quiz", lang) if quiz else self.numerical,
                t("col_check", lang): check}


def _text(a: Any) -> str:
    """The same convention as the graph and the explanations (viz.model.explain.value_text)."""
    return "—" if a is None else value_text(a)


def leaf_rows(lesson: Lesson) -> list[LeafRow]:
    """One row per input, in order of appearance in the expression."""
    final = lesson.n_steps
    numerical = lesson.memo("numerical_grads", lambda: numerical_grads(lesson))
    rows = []
    for name, v in lesson.inputs.items():
        g = lesson.replay.grad_at(final, v) if v in lesson.replay.graph else None
        num = None if numerical is None else numerical[name]
        ok = None
        if num is not None:  # the engine's own comparison (gradient_check's)
            # no path from the target to this input means a zero derivative
            ok = compare_grads([0.0 if g is None else g], [num], rtol=RTOL, atol=ATOL,
                               equal_nan=True).ok
        rows.append(LeafRow(name, _text(v.data), _text(g), _text(num), ok))
    return rows


def numerical_grads(lesson: Lesson) -> dict[str, np.ndarray] | None:
    """d(sum of target)/d(input) by central differences, or None when not checked
    (no program text, no inputs, or more than CHECK_MAX_ELEMENTS elements)."""
    program = lesson.program
    names = list(lesson.inputs)
    arrays = [np.asarray(lesson.inputs[n].data) for n in names]
    if program is None or not names or sum(a.size for a in arrays) > CHECK_MAX_ELEMENTS:
        return None
    functions, operators = default_functions(), engine_operators()

    def run(*vs: Variable) -> Any:
        values = {n: np.asarray(v.data) for n, v in zip(names, vs, strict=True)}
        if not lesson.higher_order:
            with no_grad():
                return evaluate(program, values, functions=functions, operators=operators,
                                make_input=lambda n, a: Variable(a)).output
        with using_config("enable_backprop", True):
            result = evaluate(program, values, functions=functions, operators=operators,
                              make_input=lambda n, a: Variable(a.copy()))
            result.output.backward()
            return result.inputs[lesson.wrt].grad

    with np.errstate(all="ignore"):
        grads = numerical_grad(run, *arrays, eps=EPS)
    return dict(zip(names, grads, strict=True))



def leaf_table(lesson: Lesson, lang: str, final: bool, quiz: bool = False) -> str:
    """The leaf-grad table as Markdown, made once per lesson, language and state (st.table's
    Arrow encoding was the largest cost of a student's page following a room). ``quiz``: a
    quiz is still asking (no numerical grad shown)."""
    from .view import literal

    def make() -> str:
        head = [t(key, lang) for key in ("col_var", "col_value", "col_grad", "col_num",
                                         "col_check")]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in leaf_rows(lesson):
            lines.append("| " + " | ".join(literal(cell) for cell in
                                            row.cells(lang, final, quiz).values()) + " |")
        return "\n".join(lines)

    return lesson.memo(f"leaf_table:{lang}:{final}:{quiz}", make)
