"""'What if...': the same graph backpropagated by a naive loop the book replaces.

Teaching simulations, computed from a lesson's recorded graph (each function's own
``backward`` on raw arrays); the engine keeps its one traversal. Each pitfall runs a
naive pass, records it call by call, and compares with the real pass:

* ``overwrite``: ``x.grad = gx`` instead of accumulating (book step 14);
* ``inplace``: ``x.grad += gx`` in place: a grad passed through (Add) becomes one array
  shared by the input and the output (the note under step 14);
* ``no_cleargrad``: a second backward without ``cleargrad()`` adds to the old grads
  (step 14: ``x.cleargrad()``);
* ``no_generations``: a plain stack instead of the generation order (before step 16):
  a function can run before all its output's grad has arrived;
* ``recursion``: a recursive backward (step 7) instead of the loop (step 8): a long
  chain overflows Python's stack.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd_core import Function, Variable, grad_array, using_config
from viz.i18n import t
from viz.model.explain import grad_name, value_text, variable_name

PITFALLS = ("overwrite", "inplace", "no_cleargrad", "no_generations", "recursion")
# The example where each pitfall shows, when the lesson's own graph does not show it.
SHOWS_IN = {"overwrite": "x_plus_x", "inplace": "x_plus_x", "no_cleargrad": "x_plus_x",
            "no_generations": "diamond", "recursion": "chain"}
RECURSION_CHAIN = 2000
# The simulation stops where CPython's default recursion limit would, whatever this
# process's own limit is (a server may have raised it): the same answer everywhere.
PYTHON_DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class Call:
    """One naive call: the function and the grads it sent to its inputs."""

    function: Function
    sent: tuple[Any, ...]
    partial: bool  # it ran before every grad of its output had arrived


@dataclass
class Outcome:
    """A naive pass next to the real one."""

    pitfall: str
    applies: bool
    calls: list[Call] = field(default_factory=list)
    naive: dict[int, Any] = field(default_factory=dict)  # variable index -> grad
    real: dict[int, Any] = field(default_factory=dict)
    first_difference: int | None = None  # 1-based naive call
    error: str | None = None  # recursion on this graph: what Python said
    depth: int | None = None  # recursion: functions deep
    demo_error: str | None = None  # recursion on a 2,000-function chain
    earlier: str | None = None  # no_cleargrad: the earlier computation, None: this one again

    def lines(self, replay: Any, lang: str) -> list[str]:
        """The comparison as text: order of calls, first difference, grads side by side."""
        if self.pitfall == "recursion":
            if self.error is not None:
                return [t("pitfall_error", lang, error=self.error)]
            depth = (t("functions_1", lang) if self.depth == 1
                     else t("functions_n", lang, n=self.depth))
            return [t("pitfall_recursion_fits", lang, depth=depth, n=RECURSION_CHAIN,
                      error=self.demo_error or "—")]
        out = []
        if self.pitfall == "no_cleargrad":
            out.append(t("pitfall_earlier", lang, expr=self.earlier) if self.earlier
                       else t("pitfall_earlier_same", lang))
        order = " → ".join(type(c.function).label + ("*" if c.partial else "")
                           for c in self.calls)
        if order:
            out.append(t("pitfall_order", lang, order=order))
        if self.first_difference is not None:
            c = self.calls[self.first_difference - 1]
            out.append(t("pitfall_first", lang, k=self.first_difference,
                         fn=type(c.function).label))
        for v in replay.graph.variables:
            if v.index in self.naive or v.index in self.real:
                naive, real = self.naive.get(v.index), self.real.get(v.index)
                mark = "" if _same(naive, real) else "  ✘"
                out.append(f"{grad_name(variable_name(v, lang, replay.graph), lang)}: "
                           f"{value_text(naive, lang)} "
                           f"({t('pitfall_naive', lang)}) / {value_text(real, lang)} "
                           f"({t('pitfall_real', lang)}){mark}")
        return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.allclose(np.asarray(a), np.asarray(b), equal_nan=True))


def _raw_backward(f: Function, grads: list[Any]) -> tuple[Any, ...]:
    with np.errstate(all="ignore"), using_config("enable_backprop", False):
        gxs = f.backward(*grads)
    gxs = gxs if isinstance(gxs, tuple) else (gxs,)
    return tuple(None if g is None else (g if isinstance(g, np.ndarray) else np.asarray(
        getattr(g, "data", g))) for g in gxs)


def _real_grads(replay: Any) -> dict[int, Any]:
    return {v.index: replay.grad_at(replay.n_steps, v) for v in replay.graph.variables
            if replay.grad_at(replay.n_steps, v) is not None}


def _in_pass_functions(replay: Any) -> list[Function]:
    return [f for f in replay.graph.functions if replay.in_pass(f)]


@np.errstate(all="ignore")  # inf + -inf is NaN here as in the real pass: no warning in the log
def run(replay: Any, pitfall: str, previous: dict[int, Any] | None = None,
        earlier: str | None = None) -> Outcome:
    """Replay a backward pass (a :class:`viz.BackwardReplay`, or a lesson's) with
    ``pitfall`` (one of :data:`PITFALLS`).

    ``previous`` (no_cleargrad): the grads an earlier pass left on the inputs (variable
    index -> array), ``earlier`` the computation that pass ran (the book's ``add(x, x)``
    before ``add(add(x, x), x)``: 2 + 3 = 5 where 3 is right); by default the same
    graph's own, i.e. backward() run twice.
    """
    replay = getattr(replay, "replay", replay)
    if pitfall not in PITFALLS:
        raise ValueError(f"unknown pitfall {pitfall!r}; choose one of {', '.join(PITFALLS)}")
    real = _real_grads(replay)
    output = replay.output
    if output.creator is None:
        return Outcome(pitfall, False, real=real)
    if pitfall == "recursion":
        return _recursion(replay, real)
    order = _generation_order(replay) if pitfall != "no_generations" else None
    last_of_step = {step.calls[-1].function for step in replay.steps}
    outcome = Outcome(pitfall, True, real=real,
                      earlier=earlier if pitfall == "no_cleargrad" and previous else None)
    grads: dict[int, Any] = {output.index: np.ones_like(output.data)}
    if pitfall == "no_cleargrad":
        earlier = real if previous is None else previous
        for v in replay.graph.variables:
            if v.creator is None and v.index in earlier:
                grads[v.index] = np.array(earlier[v.index], dtype=float)
    pending = {v.index: len(replay.contributions(replay.n_steps, v))
               for v in replay.graph.variables}
    received: dict[int, int] = {}
    stack: list[Function] = [output.creator]
    seen = {output.creator.index}
    while True:
        if order is not None:
            if not order:
                break
            f = order.pop(0)
        else:
            if not stack:
                break
            f = stack.pop()  # a plain stack: the last function found runs first
        ys = [ref() for ref in f.outputs]
        partial = any(y is not None and received.get(y.index, 0) < pending.get(y.index, 0)
                      for y in ys)
        gys = [grads.get(y.index) if y is not None else None for y in ys]
        if all(g is None for g in gys):
            continue
        sent = _raw_backward(f, gys)
        for x, gx in zip(f.inputs, sent, strict=True):
            if gx is None:
                continue
            received[x.index] = received.get(x.index, 0) + 1
            old = grads.get(x.index)
            if pitfall == "overwrite" or old is None:
                grads[x.index] = gx  # inplace: the very array (Add passes gy itself)
            elif pitfall == "inplace" and old.flags.writeable:
                old += gx  # in place: whoever shares this array sees it change
            else:
                grads[x.index] = old + gx
            if x.creator is not None and x.creator.index not in seen:
                seen.add(x.creator.index)
                stack.append(x.creator)
        outcome.calls.append(Call(f, sent, partial))
        if outcome.first_difference is None and _differs(replay, pitfall, f, sent, grads,
                                                         ends_step=f in last_of_step):
            outcome.first_difference = len(outcome.calls)
    outcome.naive = {k: np.array(v) for k, v in grads.items()}
    outcome.applies = any(not _same(outcome.naive.get(k), real.get(k))
                          for k in set(real) | set(outcome.naive))
    return outcome


def _generation_order(replay: Any) -> list[Function]:
    return [call.function for step in replay.steps for call in step.calls]


def _differs(replay: Any, pitfall: str, f: Function, sent: tuple, grads: dict,
             ends_step: bool) -> bool:
    """Whether this naive call already went wrong: it sent other grads than the real
    call of ``f``, or (accumulation pitfalls, once the real pass's step holding ``f`` is
    complete) the grads of that step's variables differ from the real pass's."""
    replay = replay
    real_call = next((c for s in replay.steps for c in s.calls if c.function is f), None)
    if real_call is None:
        return True
    if any(not _same(a, None if b is None else grad_array(b))
           for a, b in zip(sent, real_call.input_grads, strict=True)):
        return True
    if pitfall == "no_generations" or not ends_step:
        return False
    step = next(s for s in replay.steps for c in s.calls if c.function is f)
    touched = [v for c in step.calls for v in (*c.function.inputs,
                                               *(r() for r in c.function.outputs))
               if v is not None]
    return any(not _same(grads.get(v.index), replay.grad_at(step.number + 1, v))
               for v in touched)


def _recursion(replay: Any, real: dict[int, Any]) -> Outcome:
    """A recursive backward on the lesson's graph; and, to show where it breaks, on a
    chain of :data:`RECURSION_CHAIN` functions (the loop handles 100,000)."""
    depth = max((f.generation for f in _in_pass_functions(replay)), default=0) + 1
    outcome = Outcome("recursion", False, real=real, depth=depth,
                      demo_error=_recursion_error(_chain(RECURSION_CHAIN)))
    outcome.error = _recursion_error(replay.output)
    outcome.applies = outcome.error is not None
    return outcome


def _recursion_error(output: Variable) -> str | None:
    """The recursive backward run in a fresh thread (the caller's own stack depth does
    not count): Python's error text, or None when it fits."""
    result: list[str | None] = [None]

    def work() -> None:
        try:
            with np.errstate(all="ignore"):  # numpy's error state does not cross threads
                _recursive_pass(output)
        except RecursionError as exc:
            result[0] = f"RecursionError: {exc}"

    thread = threading.Thread(target=work, name="recursive-backward")
    thread.start()
    thread.join()
    return result[0]


def _chain(n: int) -> Variable:
    from autograd_core import sin

    y = Variable(np.array(0.5))
    with using_config("enable_backprop", True):
        for _ in range(n):
            y = sin(y)
    return y


def _recursive_pass(output: Variable) -> dict[int, Any]:
    """The book's step-7 backward: each function calls the backward of its inputs'
    creators (depth-first, no generations): one Python frame per function deep."""
    grads: dict[int, Any] = {output.index: np.ones_like(output.data)}

    def visit(f: Function, depth: int = 1) -> None:
        if depth > PYTHON_DEFAULT_LIMIT:  # what CPython does at its default limit
            raise RecursionError("maximum recursion depth exceeded (Python's default limit "
                                 f"is {PYTHON_DEFAULT_LIMIT} frames)")
        ys = [ref() for ref in f.outputs]
        sent = _raw_backward(f, [grads.get(y.index) if y is not None else None for y in ys])
        for x, gx in zip(f.inputs, sent, strict=True):
            if gx is None:
                continue
            grads[x.index] = gx if x.index not in grads else grads[x.index] + gx
            if x.creator is not None:
                visit(x.creator, depth + 1)

    visit(output.creator)
    return grads
