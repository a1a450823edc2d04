"""The limits every input is checked against before any work is done."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds on user text; each is checked before the work it guards."""

    max_length: int = 2000           # characters, checked before parsing
    max_nodes: int = 400             # syntax-tree nodes
    max_depth: int = 40              # nesting (parentheses, calls, operators)
    max_statements: int = 16         # lines
    max_variables: int = 16          # input variables
    max_abs_constant: float = 1e12   # any number literal
    max_abs_exponent: float = 100    # a constant exponent of **
    max_name_length: int = 32
    max_array_elements: int = 10_000
    max_array_text: int = 60_000     # characters of one value
    max_array_depth: int = 4         # dimensions of a value


DEFAULT_LIMITS = Limits()
