"""DOT texts and image checks shared by the rendering tests (module name unique on purpose)."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

SMALL = """digraph G {
  rankdir=LR;
  node [fontname="Courier", fontsize=14, shape=box];
  x [id="v_x", label="x = 0.5"];
  sq [id="f_square", label="Square"];
  y [id="v_y", label="y = 0.25"];
  x -> sq -> y;
}"""


def big_label(text: str, fontsize: int = 48) -> str:
    """One borderless node: every dark pixel in its PNG is a glyph of ``text``."""
    from viz.render.escape import dot_quote

    return (f'digraph {{ node [shape=plaintext, fontname="Courier", fontsize={fontsize}]; '
            f"t [label={dot_quote(text)}]; }}")


def dark_pixels(png: bytes) -> int:
    return int((np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128).sum())


def png_size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def svg_size_px(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', svg)
    assert m, "Graphviz sizes the root in pt"
    return float(m[1]) * 4 / 3, float(m[2]) * 4 / 3


def chain_dot(n: int) -> str:
    body = "\n".join(f'  n{i} [id="n{i}", label="node {i}"];' for i in range(n))
    edges = "\n".join(f"  n{i} -> n{i + 1};" for i in range(n - 1))
    return f"digraph G {{\n{body}\n{edges}\n}}"
