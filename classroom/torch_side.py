"""The same lesson in PyTorch: the typed expression built with torch ops, its backward
recorded, stepped beside ours (the app's "The same in PyTorch"). No Streamlit here.

PyTorch is optional: :func:`available` says whether it can be imported, and nothing
imports it before that. Each registry op declares its torch counterpart next to it, so the
expression means the same in both engines; the inputs' grads are compared with the
engine's ``compare_grads`` (viz.compare).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache

import numpy as np

import viz
from exprlang import ExpressionError, parse_value
from viz.model.titles import default_title

from .lesson import Lesson

INSTALL = 'pip install "autograd-viz[torch]"'
PLAYER_KEY = "player_torch"  # the second player's key (its state in the session)


@cache
def available() -> bool:
    """True when PyTorch can be imported here (looked up once, without importing it)."""
    return importlib.util.find_spec("torch") is not None


@dataclass(frozen=True)
class TorchSide:
    """PyTorch's pass of a lesson: its replay, its scene (one per language) and how its
    inputs' grads compare with ours; or why there is none (``problem``, a message key)."""

    problem: str | None = None
    detail: str = ""
    comparison: viz.Comparison | None = None

    def frame_for(self, t: int, ours: viz.Scene) -> int:
        """PyTorch's frame while ours shows timeline frame ``t``: before its pass during our
        forward frames, then the same fraction of its pass as of ours."""
        info = ours.timeline[t]
        n = self.comparison.right.n_steps
        if info.phase != "backward" or info.steps == 0:
            return 0
        return round(info.step * n / info.steps)


def torch_side(lesson: Lesson) -> TorchSide:
    """PyTorch's pass of ``lesson`` (memoised in the lesson: built once per lesson)."""
    return lesson.memo("torch_side", lambda: _build(lesson))


def torch_scene(lesson: Lesson, lang: str) -> viz.Scene:
    """The player's scene of PyTorch's pass (laid out once per lesson and language)."""
    side = torch_side(lesson)

    def make() -> viz.Scene:
        scene = viz.Scene(side.comparison.right, lang=lang,
                          title=default_title(side.comparison.right, lang))
        scene.payload()
        return scene

    return lesson.memo(f"torch_scene:{lang}", make)


def _build(lesson: Lesson) -> TorchSide:
    if not available():
        return TorchSide("torch_missing", INSTALL)
    spec = lesson.spec
    if spec.synthetic is not None:
        return TorchSide("torch_not_here")
    if spec.higher_order:
        return TorchSide("torch_higher_order")
    from exprlang.engine import build_torch_graph

    try:
        arrays = {name: parse_value(text) for name, text in spec.values}
        with np.errstate(all="ignore"):
            output, names = build_torch_graph(spec.text, arrays)
    except ExpressionError as err:
        return TorchSide("torch_cannot", err.code)
    ours = lesson.replay
    comparison = viz.Comparison(ours, viz.sources.frames(output, names=names,
                                                         gradient=_ones(output)),
                                labels=("autograd_core", "PyTorch"))
    return TorchSide(comparison=comparison)


def _ones(output: object) -> object:
    import torch

    return torch.ones_like(output) if output.numel() != 1 else None
