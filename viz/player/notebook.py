"""Jupyter display: ``viz.show(y)`` returns an object notebooks draw inline."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

from autograd_core import collector
from viz.layout.engines import RenderResult, render, render_to_file
from viz.player import PlayerView
from viz.render.dot import to_dot

DOT_KEYS = ("verbose", "rankdir", "title", "show_grads", "theme", "max_nodes", "big_graph",
            "last_generations", "grad_graphs", "collapse", "expand", "names")


def as_dot(obj: Any, **dot_kwargs: Any) -> str:
    """DOT text for a graph's output (through :func:`viz.to_dot`), or DOT text passed
    through. The output is a Variable of autograd_core or of any source viz reads."""
    if isinstance(obj, str):
        return obj
    unknown = set(dot_kwargs) - set(DOT_KEYS)
    if unknown:
        raise TypeError(f"unknown to_dot option(s): {', '.join(sorted(unknown))}")
    return to_dot(obj, **dot_kwargs)


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


def show(output: Any, *, engine: str = "auto", steps: bool = False,
         lang: str = "en", forward: bool = False, create_graph: bool = False,
         names: Mapping[str, Any] | None = None, widget: bool | None = None,
         **dot_kwargs: Any) -> Any:
    """A notebook-friendly view of ``output``'s graph (or of DOT text), displayed inline.

    ``output`` is a Variable of autograd_core, the output of any graph viz reads (your
    own DeZero classes, ``dezero``, micrograd, PyTorch), or a replay from
    :func:`viz.record` / :func:`viz.replay`. Keyword arguments are those of
    :func:`viz.to_dot` (``verbose``, ``rankdir``...).

    With ``steps=True`` the view is the step-by-step player: a graph whose backward has
    not run yet is recorded (your backward runs once, as ``y.backward()`` would), one
    whose backward already ran is replayed (your objects stay as they are). Keys,
    slider, zoom and pan, offline (``lang``: "en" or "ko"); ``forward=True`` steps the
    forward pass first. With anywidget installed it is a two-way widget
    (:class:`viz.player.widget.StepWidget`: ``w.step``, ``w.selected``...), else the HTML player
    in an iframe (``widget=False``: the HTML player anyway).
    """
    if not steps:
        return GraphView(as_dot(output, names=names, **dot_kwargs), engine=engine)
    if isinstance(output, str):
        raise TypeError("steps=True needs a graph's output, not DOT text")
    unknown = set(dot_kwargs) - {"rankdir", "max_nodes", "big_graph", "last_generations",
                                 "verbose", "title", "collapse", "expand"}
    if unknown:
        raise TypeError(f"unknown option(s) for steps=True: {', '.join(sorted(unknown))}")
    from viz.model.titles import default_title
    from viz.player.scene import Scene
    from viz.sources import frames

    with collector.paused():  # frames and a scene: many short-lived objects, no cycles
        replay = frames(output, names=names, create_graph=create_graph)
        layout_engine = engine if engine in ("dot", "wasm") else "auto"
        title = dot_kwargs.pop("title", None) or default_title(replay, lang)
        if widget is not False:
            try:
                from viz.player.widget import StepWidget
            except ImportError:  # no anywidget: the HTML player, and once how to get it
                _say_once_how_to_get_the_widget(lang)
            else:
                return StepWidget(replay, lang=lang, title=title, forward=forward,
                                  engine=layout_engine, **dot_kwargs)
        scene = Scene(replay, lang=lang, forward=forward, engine=layout_engine, title=title,
                      **dot_kwargs)
        return PlayerView(scene.to_json(), title=title, lang=lang)


_SAID: list[bool] = []


def _say_once_how_to_get_the_widget(lang: str) -> None:
    if not _SAID:
        _SAID.append(True)
        from viz.i18n import t

        warnings.warn(t("widget_missing", lang), WidgetUnavailableWarning, stacklevel=3)


class WidgetUnavailableWarning(UserWarning):
    """viz.show(y, steps=True) gave the HTML player: anywidget is not installed."""
