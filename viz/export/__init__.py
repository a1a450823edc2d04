"""Exports: one graph to a file, and the backward pass as numbered frames / GIF / HTML player.

``animate`` makes the GIF (within one bound everywhere); ``cli`` is ``python -m viz``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd_core import Variable, collector
from viz.export.animate import GIF_MAX_SIDE, check_gif_size, frame_name, frames_to_gif
from viz.layout.engines import RenderResult, render, render_to_file, svg_to_png
from viz.model.frames import BackwardReplay
from viz.model.titles import default_title
from viz.player import html_page
from viz.player.notebook import GraphView, as_dot, show
from viz.player.scene import Scene

__all__ = ["GraphView", "export_steps", "plot_dot_graph", "render_graph", "show"]


def render_graph(obj: Any, fmt_or_path: str | os.PathLike[str], *,
                 engine: str = "auto", scale: float = 1.0, **dot_kwargs: Any) -> RenderResult:
    """Render a graph's output (a Variable of any source viz reads) or DOT text to a format
    or into a file.

    ``fmt_or_path`` is "svg", "png", "pdf" or "dot" (the bytes are returned in a
    :class:`RenderResult`) or a file path whose suffix picks the format (the file
    is written too). ``engine`` is "auto", "dot" or "wasm"; other keyword
    arguments go to :func:`viz.to_dot` when ``obj`` is a Variable.
    """
    dot = as_dot(obj, **dot_kwargs)
    target = os.fspath(fmt_or_path)
    if target in ("svg", "png", "pdf", "dot"):
        return render(dot, target, engine=engine, scale=scale)
    return render_to_file(dot, target, engine=engine, scale=scale)


def plot_dot_graph(output: Any, verbose: bool = True, to_file: str = "graph.png") -> Any:
    """The book's name: draw ``output``'s graph into ``to_file``.

    Returns an ``IPython.display.Image`` of the file when IPython is importable
    (so a notebook cell shows it), else the path, as in the book.
    """
    render_graph(output, to_file, verbose=verbose)
    try:
        from IPython.display import Image
    except ImportError:
        return to_file
    return Image(filename=to_file)


def export_steps(
    output: Any,
    directory: str | os.PathLike[str] | None = None,
    *,
    formats: tuple[str, ...] = ("svg",),
    gif: str | os.PathLike[str] | None = None,
    html: str | os.PathLike[str] | None = None,
    retain_grad: bool = False,
    create_graph: bool = False,
    names: Mapping[str, Any] | None = None,
    lang: str = "en",
    title: str | None = None,
    engine: str = "auto",
    gif_ms: int = 900,
    forward: bool = False,
    scale: float = 1.0,
    **dot_kwargs: Any,
) -> BackwardReplay:
    """Write the backward pass of ``output`` as a lesson.

    ``output`` is a Variable of autograd_core or of any source viz reads, or a replay
    from :func:`viz.record`/:func:`viz.replay`. A graph whose backward has not run yet is
    recorded (its backward runs once, as ``y.backward(retain_grad=retain_grad)`` would);
    one whose backward already ran is replayed, its objects left as they are.

    Every picture comes from one :class:`~viz.player.scene.Scene` (one layout, every frame
    a delta over it), so the files show exactly what the player shows.
    ``directory`` gets numbered frames (``step_000.svg`` ...) in each of
    ``formats`` ("svg", "png", "dot", "pdf"; DOT and PDF are the Graphviz
    drawing of the frame); ``gif`` an animated GIF (``gif_ms`` per frame, the
    last held three times as long); ``html`` one self-contained player page
    that works offline. ``forward=True`` steps the forward pass first. Other
    keyword arguments go to :meth:`BackwardReplay.to_dot` (``verbose``,
    ``rankdir``, ``max_nodes``...). Returns the replay.
    """
    unknown = [f for f in formats if f not in ("svg", "png", "dot", "pdf")]
    if unknown:
        raise ValueError(f"unsupported frame format(s) {unknown}; use svg, png, dot or pdf")
    scene_options = {k: dot_kwargs[k] for k in ("rankdir", "max_nodes", "big_graph",
                                                "last_generations", "verbose")
                     if k in dot_kwargs}
    for key in ("collapse", "expand"):  # groups: the scene's (the DOT frames draw them open)
        if key in dot_kwargs:
            scene_options[key] = dot_kwargs.pop(key)
    layout_engine = engine if engine in ("dot", "wasm") else "auto"
    need_svg = gif is not None or (directory is not None and bool({"svg", "png"} & set(formats)))
    with collector.paused():  # frames, a scene, its pictures: short-lived objects, no cycles
        replay = _frames_of(output, names, retain_grad, create_graph)
        scene = Scene(replay, lang=lang, title=title or default_title(replay, lang),
                      forward=forward, engine=layout_engine, **scene_options)
        if gif is not None:  # refused before any work, as the app refuses it
            check_gif_size(len(scene.layout.nodes), scene.n_frames)
        frames = range(scene.n_frames)
        svgs = [scene.svg(t) for t in frames] if need_svg else []
    if directory is not None:
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for t in frames:
            info = scene.timeline[t]
            for fmt in formats:
                if fmt == "svg":
                    data = svgs[t].encode("utf-8")
                elif fmt == "png":
                    data = svg_to_png(svgs[t], scale)
                else:
                    if info.phase != "backward":
                        continue  # DOT/PDF frames are the backward pass's Graphviz drawing
                    dot = replay.to_dot(info.step, lang=lang, title=title, **dot_kwargs)
                    data = dot.encode("utf-8") if fmt == "dot" else render(
                        dot, fmt, engine=engine).data
                (folder / frame_name(t, fmt, total=scene.n_frames)).write_bytes(data)
    if gif is not None:
        durations = [gif_ms] * (len(svgs) - 1) + [gif_ms * 3]
        Path(gif).write_bytes(frames_to_gif(
            [svg_to_png(svg, scale, max_side=GIF_MAX_SIDE) for svg in svgs],
            duration_ms=durations))
    if html is not None:
        page_title = title or default_title(replay, lang)
        Path(html).write_text(html_page(scene.to_json(), title=page_title, lang=lang),
                              encoding="utf-8")
    return replay


def _frames_of(output: Any, names: Mapping[str, Any] | None, retain_grad: bool,
               create_graph: bool) -> BackwardReplay:
    """The frames to export: recorded, replayed, or the replay given."""
    from viz.sources import frames, native

    if isinstance(output, Variable) and not native.backpropagated(output):
        return native.record(output, create_graph=create_graph, retain_grad=retain_grad)
    return frames(output, names=names, create_graph=create_graph)
