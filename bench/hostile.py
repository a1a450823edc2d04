"""The hostile programs issue #13 measured, before the expression budget existed: shared by
tests/exprlang/test_budget.py (refused, peak memory) and bench/bench_memory.py (time)."""

from __future__ import annotations

import numpy as np

CASES = {
    # (program, values): what the issue measured before the budget existed
    "outer matmul (1e4, 1) @ (1, 1e4): 760 MB": (
        "matmul(x, y)", {"x": np.ones((10_000, 1)), "y": np.ones((1, 10_000))}),
    "batched matmul (10, 1000, 1) @ (1, 1000): 2.3 GB": (
        "matmul(x, y)", {"x": np.ones((10, 1000, 1)), "y": np.ones((1, 1000))}),
    "60 matmuls of 1000 x 1000: 11.8 s, 2.8 GB": (
        "a = broadcast_to(x, (1000, 1000))\ny = "
        + " + ".join(["sum(matmul(a, a))"] * 60), {"x": np.ones(1000)}),
    "20 exp of a 1e6-element broadcast: 773 MB": (
        "a = broadcast_to(x, (1000, 1000))\ny = " + " + ".join(["exp(a)"] * 20),
        {"x": np.ones(1000)}),
}
