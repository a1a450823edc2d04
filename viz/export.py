"""Exports: one graph to a file, the backward pass as numbered frames / GIF / HTML player,
and the notebook display object."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from autograd_core import Variable

from .animate import frames_to_gif, frames_to_html
from .dot import to_dot
from .engines import RenderResult, render, render_to_file
from .frames import BackwardReplay

DOT_KEYS = ("verbose", "rankdir", "title", "show_grads", "theme", "max_nodes", "big_graph",
            "last_generations")


def _as_dot(obj: Variable | str, **kw: Any) -> str:
    if isinstance(obj, Variable):
        return to_dot(obj, **{k: v for k, v in kw.items() if k in DOT_KEYS})
    if isinstance(obj, str):
        return obj
    raise TypeError(f"expected a Variable or DOT text, got {type(obj).__name__}")


def render_graph(obj: Variable | str, fmt_or_path: str | os.PathLike[str], *,
                 engine: str = "auto", scale: float = 1.0, **dot_kwargs: Any) -> RenderResult:
    """Render a Variable's graph (or DOT text) to a format ("svg", "png"...) or into a file."""
    dot = _as_dot(obj, **dot_kwargs)
    target = os.fspath(fmt_or_path)
    if target in ("svg", "png", "pdf", "dot"):
        return render(dot, target, engine=engine, scale=scale)
    return render_to_file(dot, target, engine=engine, scale=scale)


def plot_dot_graph(output: Variable, verbose: bool = True, to_file: str = "graph.png") -> Any:
    """The book's name: draw ``output``'s graph into ``to_file``; in a notebook show it."""
    render_graph(output, to_file, verbose=verbose)
    try:
        from IPython.display import Image
    except ImportError:
        return to_file
    return Image(filename=to_file)


class GraphView:
    """What ``viz.show(y)`` returns: Jupyter displays it inline as SVG (or PNG)."""

    def __init__(self, dot: str) -> None:
        self.dot = dot

    def _repr_svg_(self) -> str:
        return render(self.dot, "svg").text

    def _repr_png_(self) -> bytes:
        return render(self.dot, "png").data

    def save(self, path: str | os.PathLike[str]) -> RenderResult:
        return render_to_file(self.dot, path)


def show(output: Variable | str, **dot_kwargs: Any) -> GraphView:
    """A notebook-friendly view of a graph (displayed inline by Jupyter)."""
    return GraphView(_as_dot(output, **dot_kwargs))


def export_steps(
    output: Variable,
    directory: str | os.PathLike[str] | None = None,
    *,
    formats: tuple[str, ...] = ("svg",),
    gif: str | os.PathLike[str] | None = None,
    html: str | os.PathLike[str] | None = None,
    retain_grad: bool = True,
    lang: str = "en",
    title: str | None = None,
    **dot_kwargs: Any,
) -> BackwardReplay:
    """Run the backward pass from ``output`` and write it as a lesson.

    ``directory`` gets numbered frames (step_000.svg, step_001.svg, ...) in each
    of ``formats``; ``gif`` an animated GIF; ``html`` one self-contained player.
    """
    replay = BackwardReplay(output, retain_grad=retain_grad)
    dots = replay.dots(lang=lang, title=title, **dot_kwargs)
    captions = [replay.caption(k, lang) for k in range(len(dots))]
    svgs: list[str] = []
    pngs: list[bytes] = []
    if directory is not None:
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for k, dot in enumerate(dots):
            for fmt in formats:
                (folder / f"step_{k:03d}.{fmt}").write_bytes(render(dot, fmt).data)
    if gif is not None or html is not None:
        svgs = [render(dot, "svg").text for dot in dots]
    if gif is not None:
        from .engines import svg_to_png

        pngs = [render(dot, "png").data if not svgs else svg_to_png(svg) for dot, svg in
                zip(dots, svgs, strict=True)]
        Path(gif).write_bytes(frames_to_gif(pngs))
    if html is not None:
        page = title or ("Backward pass" if lang != "ko" else "역전파")
        Path(html).write_text(frames_to_html(svgs, titles=[f"{k}" for k in range(len(svgs))],
                                             captions=captions, page_title=page, lang=lang),
                              encoding="utf-8")
    return replay
