"""Shared graphs and helpers for the viz tests (the seed examples of issue #4)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from autograd_core import Variable, add, exp, square

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def chain():
    """y = square(exp(square(x))) at x = 0.5."""
    x = Variable(np.array(0.5), name="x")
    y = square(exp(square(x)))
    y.name = "y"
    return x, y


def diamond():
    """a = square(x); y = add(square(a), square(a)) at x = 2 (a feeds two functions)."""
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    a.name = "a"
    y = add(square(a), square(a))
    y.name = "y"
    return x, y


def x_plus_x():
    """y = add(add(x, x), x): one variable, three uses."""
    x = Variable(np.array(3.0), name="x")
    y = add(add(x, x), x)
    y.name = "y"
    return x, y


def goldstein():
    """The Goldstein-Price function of the book's steps 24/26 at (1, 1)."""
    x = Variable(np.array(1.0), name="x")
    y = Variable(np.array(1.0), name="y")
    z = (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)) * (
        30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    )
    z.name = "z"
    return (x, y), z


def check_golden(name: str, text: str) -> None:
    """Compare with tests/viz/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"golden file {name} is missing: run UPDATE_GOLDEN=1 pytest tests/viz once "
                    "and review the new file")
    assert text == path.read_text(encoding="utf-8"), (
        f"DOT differs from golden/{name}; if the change is intended, run "
        "UPDATE_GOLDEN=1 pytest tests/viz and review the diff")


_NODE_SHAPE = re.compile(
    r'<g id="(?P<id>[vfcs]\d+)" class="node">\s*<title>[^<]*</title>\s*'
    r'<(?:polygon|ellipse|path)\b(?P<geometry>[^>]*)>', re.S)


def node_geometry(svg: str) -> dict[str, str]:
    """Node id -> the attributes of its first drawn shape (points / cx, cy, rx, ry)."""
    out = {}
    for m in _NODE_SHAPE.finditer(svg):
        geometry = re.sub(r'\s(fill|stroke|stroke-width|stroke-dasharray)="[^"]*"', "",
                          m["geometry"])
        out[m["id"]] = geometry.strip()
    return out


def structure(dot: str) -> list[str]:
    """DOT with labels, colours and styles removed: what must not change between frames."""
    out = []
    for line in dot.splitlines():
        line = re.sub(r'label="(?:[^"\\]|\\.)*"', "label", line)
        line = re.sub(r'\b(style|fillcolor|color|penwidth|fontcolor)=("[^"]*"|[\w.]+)',
                      r"\1", line)
        out.append(line)
    return out
