"""Jupyter display: ``viz.show(y)`` returns an object notebooks draw inline."""

from __future__ import annotations

import os
from typing import Any

from autograd_core import Variable

from .dot import to_dot
from .engines import RenderResult, render, render_to_file
from .player import PlayerView

DOT_KEYS = ("verbose", "rankdir", "title", "show_grads", "theme", "max_nodes", "big_graph",
            "last_generations", "grad_graphs")


def as_dot(obj: Variable | str, **dot_kwargs: Any) -> str:
    """DOT text for a Variable (through :func:`viz.to_dot`), or DOT text passed through."""
    if isinstance(obj, Variable):
        unknown = set(dot_kwargs) - set(DOT_KEYS)
        if unknown:
            raise TypeError(f"unknown to_dot option(s): {', '.join(sorted(unknown))}")
        return to_dot(obj, **dot_kwargs)
    if isinstance(obj, str):
        return obj
    raise TypeError(f"expected a Variable or DOT text, got {type(obj).__name__}")


class GraphView:
    """What ``viz.show(y)`` returns: Jupyter displays it inline as SVG (or PNG).

    The DOT is fixed when the view is made; rendering happens when the notebook
    asks (``_repr_svg_`` / ``_repr_png_``) or on :meth:`save`.
    """

    def __init__(self, dot: str, engine: str = "auto") -> None:
        self.dot = dot
        self.engine = engine

    def _repr_svg_(self) -> str:
        return render(self.dot, "svg", engine=self.engine).text

    def _repr_png_(self) -> bytes:
        return render(self.dot, "png", engine=self.engine).data

    def save(self, path: str | os.PathLike[str]) -> RenderResult:
        """Write the graph to ``path`` (.svg, .png, .pdf or .dot)."""
        return render_to_file(self.dot, path, engine=self.engine)

    def __repr__(self) -> str:
        return f"<viz.GraphView: {self.dot.count(' [id=')} nodes; display it in a notebook>"


def show(output: Variable | str, *, engine: str = "auto", steps: bool = False,
         lang: str = "en", forward: bool = False, create_graph: bool = False,
         **dot_kwargs: Any) -> GraphView | PlayerView:
    """A notebook-friendly view of ``output``'s graph (or of DOT text), displayed inline.

    Keyword arguments are those of :func:`viz.to_dot` (``verbose``, ``rankdir``...).
    With ``steps=True`` the view is the step-by-step player instead: the backward
    pass of ``output`` (``forward=True``: the forward pass first) with keys,
    slider, zoom and pan, working offline (``lang``: "en" or "ko").
    """
    if not steps:
        return GraphView(as_dot(output, **dot_kwargs), engine=engine)
    if not isinstance(output, Variable):
        raise TypeError(f"steps=True needs a Variable, got {type(output).__name__}")
    unknown = set(dot_kwargs) - {"rankdir", "max_nodes", "big_graph", "last_generations",
                                 "verbose", "title"}
    if unknown:
        raise TypeError(f"unknown option(s) for steps=True: {', '.join(sorted(unknown))}")
    from .frames import BackwardReplay
    from .scene import Scene

    replay = BackwardReplay(output, create_graph=create_graph)
    layout_engine = engine if engine in ("dot", "wasm") else "auto"
    scene = Scene(replay, lang=lang, forward=forward, engine=layout_engine, **dot_kwargs)
    title = dot_kwargs.get("title") or ("Backward pass" if lang != "ko" else "역전파")
    return PlayerView(scene.to_json(), title=title, lang=lang)
