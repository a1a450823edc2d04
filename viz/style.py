"""Colours, shapes and label text: one place for how nodes look.

State is always encoded twice, by border (style, width, double border) and by
fill colour, with the Okabe-Ito palette, so the drawing reads for colour-blind
viewers and on a washed-out projector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .escape import clean_text

# Okabe-Ito palette and light tints of it.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
)
VARIABLE_FILL = "#FCE8C8"
FUNCTION_FILL = "#D4EAF7"
CONSTANT_FILL = "#F2F2F2"
NO_GRAD_FILL = "#E4E4E4"
INK = "#333333"
# Derivative orders (functions recorded by backward(create_graph=True)) apart by colour
# and, from order 1 on, by a bold border.
ORDER_FILLS = {0: FUNCTION_FILL, 1: "#F3D3E6", 2: "#F9D9BF", 3: "#E3F1D0"}
ORDER_BORDERS = {0: INK, 1: PURPLE, 2: VERMILLION, 3: GREEN}


def order_fill(order: int) -> str:
    """Fill of a node made by a backward pass of derivative ``order`` (0: the forward)."""
    return ORDER_FILLS.get(order, ORDER_FILLS[3])


def order_border(order: int) -> str:
    """Border colour for derivative ``order``."""
    return ORDER_BORDERS.get(order, ORDER_BORDERS[3])


@dataclass(frozen=True)
class Look:
    """How one node is drawn."""

    lines: tuple[str, ...]
    shape: str
    fill: str
    border: str = "#333333"
    style: str = "filled"
    penwidth: float = 1.0
    peripheries: int = 1
    fontcolor: str = "#111111"


# Function states in a backward-pass frame. Each state differs from the others by its
# border (style and width) as well as by its fill; none changes a node's size (no
# peripheries), so recolouring never moves the layout.
FUNCTION_STATES = {
    "not_reached": dict(fill="#FFFFFF", style="filled,dotted", penwidth=1.0),
    "pending": dict(fill="#FFF6CC", style="filled,dashed", penwidth=2.0),
    "current": dict(fill=ORANGE, style="filled,bold", penwidth=5.0),
    "done": dict(fill=SKY, style="filled", penwidth=1.5),
}
# Variable grad states in a frame
VARIABLE_STATES = {
    "no_grad": dict(fill="#FFFFFF", style="filled", penwidth=1.0),
    "partial": dict(fill=YELLOW, style="filled,dashed", penwidth=3.0),
    "final": dict(fill="#8FD9BE", style="filled,bold", penwidth=4.0),
    "freed": dict(fill=NO_GRAD_FILL, style="filled,dotted", penwidth=2.0),
}

LEGEND = {
    "en": {
        "not_reached": "function: not reached", "pending": "function: queued",
        "current": "function: running now", "done": "function: done",
        "no_grad": "variable: no grad yet", "partial": "variable: grad partial",
        "final": "variable: grad final", "freed": "variable: grad freed",
        "grad_graph": "recorded by this pass: order {order}", "title": "legend",
    },
    "ko": {
        "not_reached": "함수: 아직 도달 전", "pending": "함수: 대기열",
        "current": "함수: 지금 실행",
        "done": "함수: 완료", "no_grad": "변수: 기울기 없음", "partial": "변수: 기울기 일부",
        "final": "변수: 기울기 완성", "freed": "변수: 기울기 해제됨",
        "grad_graph": "이 역전파가 기록함: {order}차", "title": "범례",
    },
}

THEMES = {
    "default": {"fontsize": 12, "penscale": 1.0, "fontname": "Courier"},
    "projector": {"fontsize": 20, "penscale": 1.6, "fontname": "Courier"},
}


def fmt_number(x: float) -> str:
    """Compact, deterministic: 4 significant digits."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return f"{float(x):.4g}"


def fmt_array(a: np.ndarray | None, verbose: bool = False) -> list[str]:
    """Value text: scalars compactly, arrays as shape/dtype plus a short summary."""
    if a is None:
        return ["None"]
    if type(a) is np.ndarray and a.ndim == 0 and a.dtype == np.float64:  # the common case
        text = f"{float(a):.4g}"
        return [text, "() float64"] if verbose else [text]
    a = np.asarray(a)
    if a.ndim == 0:
        text = fmt_number(a.item())
        return [text, f"() {a.dtype}"] if verbose else [text]
    head = f"{tuple(a.shape)} {a.dtype}"
    if a.size == 0:
        return [head, "empty"]
    if a.size <= 4:
        return [head, "[" + ", ".join(fmt_number(v) for v in a.ravel().tolist()) + "]"]
    if np.issubdtype(a.dtype, np.number):
        finite = a[np.isfinite(a)] if np.issubdtype(a.dtype, np.floating) else a
        if finite.size:
            return [head, f"min {fmt_number(finite.min())} max {fmt_number(finite.max())}"]
    return [head, "…"]


def is_troubled(a: np.ndarray | None) -> bool:
    """True when an array holds NaN or infinity (shown on the node)."""
    if a is None:
        return False
    if type(a) is np.ndarray and a.ndim == 0 and a.dtype == np.float64:
        return not math.isfinite(float(a))
    a = np.asarray(a)
    return bool(np.issubdtype(a.dtype, np.floating) and not np.all(np.isfinite(a)))


def fmt_param(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(fmt_param(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return fmt_number(value)
    if isinstance(value, np.ndarray):
        return fmt_array(value)[-1] if value.ndim else fmt_number(value.item())
    if isinstance(value, slice):
        parts = ["" if p is None else str(p) for p in (value.start, value.stop, value.step)]
        return ":".join(parts).rstrip(":") or ":"
    return clean_text(repr(value), 24)
