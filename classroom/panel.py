"""The side panel: the queue of pending functions, and where a variable's grad comes from."""

from __future__ import annotations

from dataclasses import dataclass

from autograd_core import Function, Variable
from viz.model.explain import consumer_names, contribution_terms, grad_name, variable_name
from viz.render.style import fmt_array

from .i18n import t
from .lesson import Lesson


def _value(a: object, lang: str = "en") -> str:
    return fmt_array(a, lang=lang)[-1]


def _fn(f: Function) -> str:
    return type(f).label


@dataclass(frozen=True)
class QueueRow:
    """A function waiting to run: its name and generation (higher runs first)."""

    name: str
    generation: int

    def text(self, lang: str) -> str:
        return t("queue_row", lang, name=self.name, gen=self.generation)


def queue(lesson: Lesson, k: int) -> list[QueueRow]:
    """Functions queued but not yet run after ``k`` steps, in the order they will run."""
    return [QueueRow(_fn(f), f.generation) for f in lesson.replay.queue(lesson.clamp(k))]


def variable_label(lesson: Lesson, node_id: str, lang: str) -> str:
    """How the inspector names a variable: ``a = 4``, or ``Exp's output = 1.284`` (the one
    naming scheme of viz.model.explain.variable_name, as in the chain rule and the pitfalls)."""
    v = lesson.variable(node_id)
    return f"{variable_name(v, lang, lesson.replay.graph)} = {_value(v.data, lang)}"


def default_variable(lesson: Lesson) -> str | None:
    """The variable worth inspecting first: one whose grad is a sum of several
    contributions (the point of the panel), else the first input."""
    replay = lesson.replay
    final = lesson.n_steps
    for node_id in lesson.variable_ids:
        if len(replay.contributions(final, lesson.variable(node_id))) > 1:
            return node_id
    for v in lesson.inputs.values():
        if v in replay.graph:
            return replay.graph.node_id(v)
    return lesson.variable_ids[0] if lesson.variable_ids else None


@dataclass(frozen=True)
class GradSum:
    """A variable's grad after ``k`` steps as the sum of what each consumer sent."""

    name: str
    terms: tuple[tuple[str, str], ...]  # (function that sent it, value text)
    total: str | None
    received: int
    expected: int
    is_output: bool

    def lines(self, lang: str) -> list[str]:
        """Markdown lines: ``a.grad = 8 (from Square) + 8 (from Square) = 16`` and a status."""
        grad = grad_name(self.name, lang)
        grad = f"`{grad}`" if grad.endswith(".grad") else grad  # code where it is code
        if self.is_output:
            return [f"{grad} = **{self.total}**", t("grad_seed", lang)]
        if not self.terms:
            return [f"{grad} = —", t("grad_none", lang)]
        parts = " + ".join(f"{text} *({t('grad_from', lang, fn=fn)})*" for fn, text in self.terms)
        parts = parts.replace("+ -", "- ")  # 8 (from Mul #1) - 5 (from Mul #2)
        status = (t("grad_final", lang) if self.received == self.expected
                  else t("grad_partial", lang, got=self.received, total=self.expected))
        return [f"{grad} = {parts} = **{self.total}**", status]


def grad_sum(lesson: Lesson, k: int, node_id: str, lang: str = "en") -> GradSum:
    """Where ``node_id``'s grad comes from after ``k`` steps."""
    k = lesson.clamp(k)
    replay = lesson.replay
    v: Variable = lesson.variable(node_id)
    everything = replay.contributions(lesson.n_steps, v)
    names = consumer_names([f for f, _ in everything])  # "Square #1", "Square #2"
    terms = tuple(sorted(((name, _value(g, lang)) for name, g in
                          contribution_terms(v, replay.contributions(k, v), names)),
                         key=lambda term: term[0]))
    total = replay.grad_at(k, v)
    expected = len(everything)
    return GradSum(variable_name(v, lang, replay.graph), terms,
                   None if total is None else _value(total, lang), len(terms), expected,
                   v is replay.output)
