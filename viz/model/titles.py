"""What a player or a picture is called: the expression it shows, or its output's name.

``square(exp(square(x)))`` reads better above a graph than "Backward pass": for a small
graph the title is the expression rebuilt from the graph itself (each function's label,
operators written infix), for a big one the output's name and the number of functions.
"""

from __future__ import annotations

import re
from typing import Any

from autograd_core import Variable
from viz.i18n import t
from viz.render.escape import clean_text

MAX_TITLE = 70  # characters; a longer expression is summarised instead
_TORCH_SUFFIX = re.compile(r"Backward\d*$")
_INFIX = {"Add": "+", "+": "+", "Sub": "-", "Mul": "*", "*": "*", "Div": "/",
          "AddBackward0": "+", "SubBackward0": "-", "MulBackward0": "*", "DivBackward0": "/"}


def _leaf_text(v: Variable) -> str:
    if v.name:
        return clean_text(v.name, 20)
    data = v.data
    if data is not None and getattr(data, "ndim", 1) == 0:
        return f"{float(data):.4g}"
    return "?" if data is None else f"({', '.join(str(d) for d in data.shape)})"


def expression_text(output: Variable, limit: int = MAX_TITLE) -> str | None:
    """The expression that computed ``output`` (``square(exp(square(x)))``), or None when
    it would be longer than ``limit`` characters (or shares a subexpression widely)."""
    memo: dict[int, str] = {}
    stack: list[tuple[Variable, bool]] = [(output, False)]
    budget = 4 * limit  # nodes visited: a shared subexpression is written out each time
    while stack:
        v, ready = stack.pop()
        if v.index in memo:
            continue
        budget -= 1
        if budget < 0:
            return None
        f = v.creator
        if f is None or (v is not output and v.name):
            memo[v.index] = _leaf_text(v)
            continue
        if not ready:
            stack.append((v, True))
            stack.extend((x, False) for x in f.inputs if x.index not in memo)
            continue
        args = [memo[x.index] for x in f.inputs]
        label = type(f).label
        params = f.params()
        if label in _INFIX and len(args) == 2:
            text = f"({args[0]} {_INFIX[label]} {args[1]})"
        elif label in ("Pow", "PowBackward0") and len(args) == 1 and "c" in params:
            text = f"{args[0]} ** {params['c']}"
        elif label.startswith("**") and len(args) == 1:
            text = f"{args[0]} {label}"
        elif label in ("Neg", "NegBackward0") and len(args) == 1:
            text = f"-{args[0]}"
        else:
            name = clean_text(_TORCH_SUFFIX.sub("", label) or label, 24)  # ExpBackward0: exp
            name = name[:1].lower() + name[1:] if name[:1].isupper() and name[1:].islower() \
                else name
            text = f"{name}({', '.join(args)})"
        if len(text) > 3 * limit:
            return None
        memo[v.index] = text
    text = memo[output.index]
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    if len(text) > limit:
        return None
    return f"{clean_text(output.name, 20)} = {text}" if output.name else text


def default_title(replay: Any, lang: str = "en") -> str:
    """A player's title: the expression, else the output's name and the pass's size."""
    output = replay.output
    text = expression_text(output)
    if text is None:
        n = len(replay.graph.functions)
        name = clean_text(output.name, 20) if output.name else t("the_output", lang)
        text = t("title_big", lang, name=name, n=n)
    return t("title_backward", lang, what=text)
