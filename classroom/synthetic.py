"""Generated graphs of a chosen size, for the browser benchmark (``app.py?bench=...``).

Typed expressions are capped by exprlang's limits at a few hundred nodes, so
the 1,000-node benchmark graph is built here, in code, from a fixed allow-list
of names: the query parameter never carries a size or any text of its own.
"""

from __future__ import annotations

import numpy as np

from autograd_core import Variable, cos, sin, using_config

from .lesson import GENERATED, Lesson, LessonSpec

# query value -> (shape, approximate node count)
BENCH_GRAPHS: dict[str, tuple[str, int]] = {
    "200": ("chain", 200), "1000": ("chain", 1000),
    "ladder-200": ("ladder", 200), "ladder-1000": ("ladder", 1000),
}
# What students type, as typed: an 80-term sum sharing x (399 nodes) and a small
# MLP-like tensor expression. query value -> (expression, values)
SUM80 = " + ".join(f"{i}*x" for i in range(1, 81))
TYPED_GRAPHS: dict[str, tuple[str, dict[str, str]]] = {
    "sum80": (SUM80, {"x": "0.5"}),
    "mlp": ("h = sigmoid(matmul(x, W1) + b1)\ny = sum((matmul(h, W2) + b2) ** 2)",
            {"x": "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2]]",
             "W1": "[[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]]", "b1": "[0.1, -0.1]",
             "W2": "[[0.3], [-0.6]]", "b2": "[0.05]"}),
}


def bench_spec(query_value: str | None) -> LessonSpec | None:
    """The spec of an allow-listed benchmark graph, or None for anything else."""
    if query_value in TYPED_GRAPHS:
        text, values = TYPED_GRAPHS[query_value]
        return LessonSpec.make(text, values)
    if query_value not in BENCH_GRAPHS:
        return None
    shape, nodes = BENCH_GRAPHS[query_value]
    return LessonSpec(f"# generated {shape} graph of about {nodes} nodes",
                      synthetic=f"{shape}:{nodes}")


def _chain(nodes: int) -> tuple[Variable, Variable]:
    """y = sin(y) * c_i repeated: a long chain, one generation per function."""
    x = Variable(np.array(0.5), name="x")
    y = x
    for i in range(max(1, nodes // 5)):
        y = sin(y) * Variable(np.array(1.0 + i * 1e-3))
    return x, y


def _ladder(nodes: int) -> tuple[Variable, Variable]:
    """a, b = sin(a) * b, cos(b) + a repeated: every value feeds two functions
    (partial grads everywhere) and the edges cross between the two rails."""
    x = Variable(np.array(0.5), name="x")
    a, b = sin(x), cos(x)
    for _ in range(max(1, (nodes - 7) // 8)):
        a, b = sin(a) * b, cos(b) + a
    return x, a + b


def synthetic_lesson(spec: LessonSpec) -> Lesson:
    """Build the generated graph named by ``spec.synthetic`` ("chain:200", "ladder:1000")."""
    shape, _, size = (spec.synthetic or "").partition(":")
    make = {"chain": _chain, "ladder": _ladder}.get(shape)
    if make is None or not size.isdigit() or (shape, int(size)) not in BENCH_GRAPHS.values():
        raise ValueError(f"unknown generated graph {spec.synthetic!r}")
    with using_config("enable_backprop", True):
        x, y = make(int(size))
    y.name = "y"
    return Lesson(spec, inputs={"x": x}, output=y, canonical=spec.text)


GENERATED.update(chain=synthetic_lesson, ladder=synthetic_lesson)
