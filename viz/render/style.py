"""Colours, shapes and label text: one place for how nodes look.

State is always encoded twice, by border (style, width, double border) and by
fill colour, with the Okabe-Ito palette, so the drawing reads for colour-blind
viewers and on a washed-out projector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from viz.i18n import t
from viz.model import states
from viz.model.states import (  # noqa: F401  (re-exported: the palette and orders live in states)
    BLUE,
    CONSTANT_FILL,
    GREEN,
    INK,
    NO_GRAD_FILL,
    ORANGE,
    ORDER_BORDERS,
    ORDER_FILLS,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    order_border,
    order_fill,
)
from viz.render.escape import clean_text

VARIABLE_FILL = states.VALUE.fill
FUNCTION_FILL = ORDER_FILLS[0]
GROUP_FILL = "#EEF3FA"      # a collapsed group's box
GROUP_BORDER = "#7A8CA5"    # a group's cluster outline (dashed)


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


LEGEND = {
    lang: {**{st.key: st.legend_text(lang) for st in states.ALL},
           "grad_graph": states.ORDER_LEGEND[lang], "title": title}
    for lang, title in (("en", "legend"), ("ko", "범례"))
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


def fmt_array(a: np.ndarray | None, verbose: bool = False, lang: str = "en") -> list[str]:
    """Value text: scalars compactly, arrays as shape/dtype plus a short summary (its
    words in ``lang``)."""
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
    if a.size <= SMALL_ARRAY:  # nested like the table and the explanations: [[1, 2], [3, 4]]
        return [head, _nested(a.tolist())]
    if np.issubdtype(a.dtype, np.number):
        finite = a[np.isfinite(a)] if np.issubdtype(a.dtype, np.floating) else a
        if finite.size:
            return [head, t("array_stats", lang, lo=fmt_number(finite.min()),
                            hi=fmt_number(finite.max()), mean=fmt_number(finite.mean()))]
    return [head, "…"]


SMALL_ARRAY = 6  # arrays up to this many elements are written out, nested


def _nested(x: object) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_nested(v) for v in x) + "]"
    return fmt_number(x)


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
