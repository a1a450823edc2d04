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


def build_graph(text: str | Program, values: Mapping[str, Any],
                limits: Limits = DEFAULT_LIMITS) -> Result:
    """Parse ``text`` (or take the :class:`Program` it was already parsed into) and build
    its graph with real Variables named after the user's names.

    ``values`` maps each input name to value text (``"[1, 2, 3]"``), a number or an
    array. Number literals become (unnamed) constant Variables. Inputs and assigned
    intermediates (``a = square(x)``, ``c = 2``) get ``.name``, so they appear in
    drawings; a plain alias (``a = x``) is the same Variable and keeps its first name.
    ``result.output`` is always a Variable. Raises ExpressionError only.
    """
    from autograd_core import Variable, as_variable

    functions = default_functions()
    program = text if isinstance(text, Program) else parse_program(text, functions, limits)

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


def torch_functions() -> dict[str, FunctionSpec]:
    """The same functions as :func:`default_functions`, computed with PyTorch (each op's
    ``torch`` counterpart, declared next to it in the registry). Ops without one are left
    out, so a program using them fails to parse with the usual "unknown function" message.
    """
    import torch

    from autograd_core.registry import OPS

    def on_torch(counterpart: Any) -> Any:
        return lambda *args, **params: counterpart(torch, *args, **params)

    return {name: FunctionSpec(spec.name, on_torch(OPS[name].torch), spec.n_inputs,
                               spec.params, spec.doc, spec.required, spec.cost)
            for name, spec in default_functions().items() if OPS[name].torch is not None}


def build_torch_graph(text: str, values: Mapping[str, Any],
                      limits: Limits = DEFAULT_LIMITS) -> tuple[Any, dict[str, Any]]:
    """The program of :func:`build_graph` built with PyTorch (float64 tensors): its output
    tensor and its named tensors (inputs and assigned names), for viz to read.

    Raises ExpressionError only (ImportError when torch is not installed).
    """
    import torch

    functions = torch_functions()
    program = parse_program(text, functions, limits)
    names: dict[str, Any] = {}

    def make_input(name: str, a: np.ndarray) -> Any:
        tensor = torch.tensor(a.copy(), dtype=torch.float64, requires_grad=True)
        names[name] = tensor
        return tensor

    def make_constant(a: np.ndarray) -> Any:
        return torch.tensor(np.asarray(a, dtype=np.float64))

    def name_output(v: Any, name: str) -> None:
        if isinstance(v, torch.Tensor) and not any(v is t for t in names.values()):
            names[name] = v

    operators = Operators(torch.add, torch.sub, torch.mul, torch.div, torch.pow, torch.neg)
    result = evaluate(program, values, functions=functions, operators=operators,
                      make_input=make_input, make_constant=make_constant,
                      name_output=name_output)
    output = result.output
    if not isinstance(output, torch.Tensor):
        output = torch.tensor(np.asarray(output, dtype=np.float64))
    return output, names
