"""The expression language wired to autograd_core: functions come from its op registry.

This is the only module of exprlang that imports the engine (lazily, inside functions),
so the language itself stays engine-agnostic.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np

from .evaluate import Operators, Result, evaluate
from .limits import DEFAULT_LIMITS, Limits
from .parser import parse_program
from .syntax import FunctionSpec, Program


def default_functions() -> dict[str, FunctionSpec]:
    """A FunctionSpec for every op the engine's registry offers to the expression
    language (``OpInfo.expression``), with its arity, parameters and one-line doc.
    Parameters without a default in the op's signature are required."""
    from autograd_core.registry import OPS

    specs = {}
    for name, info in OPS.items():
        if not info.expression:
            continue
        signature = inspect.signature(info.function).parameters
        required = tuple(p for p in info.params
                         if p in signature and signature[p].default is inspect.Parameter.empty)
        specs[name] = FunctionSpec(name, info.function, info.n_inputs, tuple(info.params),
                                   info.doc, required, info.cost)
    return specs


def engine_operators() -> Operators:
    """The engine's + - * / ** and unary minus (``pow`` takes a constant or a Variable)."""
    import autograd_core as ag

    return Operators(ag.add, ag.sub, ag.mul, ag.div, ag.pow, ag.neg)


def parse(text: str, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse ``text`` against the engine's functions."""
    return parse_program(text, default_functions(), limits)


def build_graph(text: str, values: Mapping[str, Any],
                limits: Limits = DEFAULT_LIMITS) -> Result:
    """Parse ``text`` and build its graph with real Variables named after the user's names.

    ``values`` maps each input name to value text (``"[1, 2, 3]"``), a number or an
    array. Number literals become (unnamed) constant Variables. Inputs and assigned
    intermediates (``a = square(x)``, ``c = 2``) get ``.name``, so they appear in
    drawings; a plain alias (``a = x``) is the same Variable and keeps its first name.
    ``result.output`` is always a Variable. Raises ExpressionError only.
    """
    from autograd_core import Variable, as_variable

    functions = default_functions()
    program = parse_program(text, functions, limits)

    def make_input(name: str, a: np.ndarray) -> Variable:
        return Variable(a.copy(), name=name)

    def name_output(v: Any, name: str) -> None:
        if isinstance(v, Variable) and v.name is None:
            v.name = name

    result = evaluate(program, values, functions=functions, operators=engine_operators(),
                      make_input=make_input, make_constant=as_variable,  # as `x * 2` in Python
                      name_output=name_output)
    if not isinstance(result.output, Variable):
        name = program.output_name
        result.output = Variable(np.asarray(result.output, dtype=np.float64), name=name)
    return result
