"""exprlang: the safe expression language of the app and the CLI.

User text is tokenised and parsed by a small recursive-descent parser of our own (never
eval/exec/compile), checked against :class:`Limits` before any work, and evaluated with
the operations the caller supplies (the autograd engine's, or numpy's). Every rejection
is an :class:`ExpressionError` with a code, params, a position and a message in English
or Korean (:func:`format_error`).

    program = parse_program("a = square(x)\\ny = exp(a)", functions)
    result = evaluate(program, {"x": "0.5"}, functions=functions, operators=ops,
                      make_input=lambda name, a: Variable(a, name=name))
"""

from .errors import ExpressionError
from .evaluate import NUMPY_OPERATORS, Operators, Result, Trouble, evaluate
from .limits import DEFAULT_LIMITS, Limits
from .messages import CODES, format_error
from .normalize import normalize
from .numpy_backend import numpy_functions
from .parser import parse_program
from .syntax import FunctionSpec, Program, Statement
from .values import parse_value

__all__ = [
    "CODES", "DEFAULT_LIMITS", "NUMPY_OPERATORS", "ExpressionError", "FunctionSpec", "Limits",
    "Operators", "Program", "Result", "Statement", "Trouble", "evaluate", "format_error",
    "normalize", "numpy_functions", "parse_program", "parse_value",
]
