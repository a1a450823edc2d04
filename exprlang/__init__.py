"""exprlang: the safe expression language of the app and the CLI.

User text is parsed with an allow-list (never eval/exec), checked against
:class:`Limits` before any work, and evaluated with the operations the caller
supplies. Every rejection is an :class:`ExpressionError` with a code, a
position and a message in English or Korean.
"""

from .errors import ExpressionError, format_error
from .evaluate import NUMPY_OPERATORS, Operators, Result, Trouble, evaluate
from .limits import DEFAULT_LIMITS, Limits
from .normalize import normalize
from .parser import FunctionSpec, Program, Statement, parse_program
from .values import parse_value

__all__ = [
    "DEFAULT_LIMITS", "NUMPY_OPERATORS", "ExpressionError", "FunctionSpec", "Limits",
    "Operators", "Program", "Result", "Statement", "Trouble", "evaluate", "format_error",
    "normalize", "parse_program", "parse_value",
]
