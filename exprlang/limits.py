"""The limits every input is checked against, each before the work it guards."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds on user text and values. Every field is checked before the work it guards.

    Program text (:func:`exprlang.parse_program`):

    - ``max_length`` (2000): characters of the whole program, checked before anything
      else (normalisation, tokenising, parsing).
    - ``max_nodes`` (400): syntax-tree nodes of the whole program (numbers, names,
      operators, calls, constant parameters), counted while parsing; parsing stops at
      the first node past the limit.
    - ``max_depth`` (40): nesting depth: parentheses, function calls, unary signs and
      exponents each open one level (``-(-(x))`` is 4 deep). Checked while tokenising
      for parentheses and while parsing for the rest.
    - ``max_statements`` (16): non-blank lines (statements) of a program.
    - ``max_variables`` (16): distinct input variables (names used but never assigned).
    - ``max_name_length`` (32): characters of one variable name.
    - ``max_abs_constant`` (1e12): magnitude of any number literal, in programs and in
      values. Literals are read as float64, never as Python ints.
    - ``max_abs_exponent`` (100): magnitude of a constant exponent of ``**`` (a literal
      or a constant sub-expression such as ``-(1/2)``, folded in float64). Stops
      ``9**9**9`` at the inner ``9**9`` without computing it.
    - ``max_param_int`` (10_000): magnitude of an integer in a constant parameter
      (``axis=``, an entry of a shape tuple). The product of a shape tuple's entries is
      bounded by ``max_result_elements``, the size of any result.
    - ``max_param_items`` (8): entries of a tuple parameter such as a shape.

    Values (:func:`exprlang.parse_value`) and evaluation:

    - ``max_array_text`` (200_000): characters of one value's text, checked before it is
      read (room for ``max_array_elements`` numbers of up to 18 characters each, with
      their separators).
    - ``max_array_elements`` (10_000): elements of one input value, counted on the text
      before any array is allocated.
    - ``max_array_dims`` (4): nesting depth of a list value (its number of dimensions).
    - ``max_result_elements`` (1_000_000): elements of any intermediate result, checked
      before the operation runs (the broadcast shape of an operator, a function's shape
      rule from the op registry), and again on what it returns.
    - ``max_total_elements`` (3_000_000): elements of the inputs and every intermediate
      result of the whole program, counted before each operation runs. Their grads take
      as much again, so a program's arrays stay under ~50 MB (float64).
    - ``max_total_work`` (100_000_000): multiply-adds of the whole program (a matmul of
      (n, k) and (k, m) is n*k*m; an element-wise op one per element), counted before
      each operation runs; the backward pass costs about twice the forward pass.
    - ``passes`` (1): how many times over the budget is spent: 2 when a gradient's own
      graph is built and stepped (``create_graph=True``), halving what one program may use.
    """

    max_length: int = 2000
    max_nodes: int = 400
    max_depth: int = 40
    max_statements: int = 16
    max_variables: int = 16
    max_name_length: int = 32
    max_abs_constant: float = 1e12
    max_abs_exponent: float = 100
    max_param_int: int = 10_000
    max_param_items: int = 8
    max_array_text: int = 200_000
    max_array_elements: int = 10_000
    max_array_dims: int = 4
    max_result_elements: int = 1_000_000
    max_total_elements: int = 3_000_000
    max_total_work: int = 100_000_000
    passes: int = 1


DEFAULT_LIMITS = Limits()
"""The limits used when none are given."""
