"""The expression language wired to autograd_core: functions come from the op registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import ExpressionError
from .evaluate import Operators, Result, evaluate
from .limits import DEFAULT_LIMITS, Limits
from .parser import FunctionSpec, Program, parse_program
from .values import parse_value


def default_functions() -> dict[str, FunctionSpec]:
    """Every registered op that is offered to the expression language."""
    from autograd_core.registry import OPS

    return {
        name: FunctionSpec(name, info.function, info.n_inputs, info.params, info.doc)
        for name, info in OPS.items()
        if info.expression
    }


def engine_operators() -> Operators:
    import autograd_core as ag

    return Operators(ag.add, ag.sub, ag.mul, ag.div, ag.pow, ag.neg)


def parse(text: str, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse ``text`` against the engine's functions."""
    return parse_program(text, default_functions(), limits)


def build_graph(text: str, values: Mapping[str, Any], limits: Limits = DEFAULT_LIMITS) -> Result:
    """Parse ``text`` and build its graph with real, named Variables.

    ``values`` maps each input name to a number, an array or value text
    (``"[1, 2, 3]"``). Intermediate names (``a = square(x)``) become the
    variables' names, so they appear in drawings.
    """
    from autograd_core import Variable

    program = parse(text, limits)
    arrays = {}
    for name in program.input_names:
        if name not in values:
            raise ExpressionError("missing_value", None, name=name)
        raw = values[name]
        arrays[name] = parse_value(raw, limits) if isinstance(raw, str) else np.asarray(
            raw, dtype=np.float64)

    def name_output(v: Any, name: str) -> None:
        if isinstance(v, Variable) and v.name is None:
            v.name = name

    def make_input(name: str, a: np.ndarray) -> Variable:
        return Variable(a.copy(), name=name)

    result = evaluate(program, arrays, operators=engine_operators(), make_input=make_input,
                      name_output=name_output)
    if not isinstance(result.output, Variable):
        result.output = Variable(np.asarray(result.output, dtype=np.float64))
    return result
