"""Shared graphs for the viz tests (the seed examples)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from autograd_core import Variable, add, exp, square

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def chain():
    x = Variable(np.array(0.5), name="x")
    y = square(exp(square(x)))
    y.name = "y"
    return x, y


def diamond():
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    a.name = "a"
    y = add(square(a), square(a))
    y.name = "y"
    return x, y


def x_plus_x():
    x = Variable(np.array(3.0), name="x")
    y = add(add(x, x), x)
    y.name = "y"
    return x, y


def goldstein():
    x = Variable(np.array(1.0), name="x")
    y = Variable(np.array(1.0), name="y")
    z = (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)) * (
        30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    )
    z.name = "z"
    return (x, y), z


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI") == "true":
            pytest.fail(f"golden file {name} is missing (run with UPDATE_GOLDEN=1 once)")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"DOT differs from golden {name}"
