"""Exports: one graph to a file, and the backward pass as numbered frames / GIF / HTML player."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from autograd_core import Variable

from .animate import frames_to_gif, frames_to_html
from .engines import RenderResult, render, render_to_file, svg_to_png
from .frames import BackwardReplay
from .notebook import GraphView, as_dot, show

__all__ = ["GraphView", "export_steps", "plot_dot_graph", "render_graph", "show"]


def render_graph(obj: Variable | str, fmt_or_path: str | os.PathLike[str], *,
                 engine: str = "auto", scale: float = 1.0, **dot_kwargs: Any) -> RenderResult:
    """Render a Variable's graph (or DOT text) to a format or into a file.

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


def plot_dot_graph(output: Variable, verbose: bool = True, to_file: str = "graph.png") -> Any:
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
    output: Variable,
    directory: str | os.PathLike[str] | None = None,
    *,
    formats: tuple[str, ...] = ("svg",),
    gif: str | os.PathLike[str] | None = None,
    html: str | os.PathLike[str] | None = None,
    retain_grad: bool = True,
    create_graph: bool = False,
    lang: str = "en",
    title: str | None = None,
    engine: str = "auto",
    gif_ms: int = 900,
    **dot_kwargs: Any,
) -> BackwardReplay:
    """Run the backward pass from ``output`` and write it as a lesson.

    ``directory`` gets numbered frames (step_000.svg, step_001.svg, ...) in each
    of ``formats`` ("svg", "png", "dot", "pdf"); ``gif`` an animated GIF (one
    frame per step, ``gif_ms`` each); ``html`` one self-contained player that
    works offline. Other keyword arguments go to :meth:`BackwardReplay.to_dot`
    (``verbose``, ``rankdir``, ``theme``, ``max_nodes``...). Returns the replay.
    """
    unknown = [f for f in formats if f not in ("svg", "png", "dot", "pdf")]
    if unknown:
        raise ValueError(f"unsupported frame format(s) {unknown}; use svg, png, dot or pdf")
    replay = BackwardReplay(output, retain_grad=retain_grad, create_graph=create_graph)
    dots = replay.dots(lang=lang, title=title, **dot_kwargs)
    captions = [replay.caption(k, lang) for k in range(len(dots))]
    need_svg = gif is not None or html is not None or bool({"svg", "png"} & set(formats))
    svgs = [render(dot, "svg", engine=engine).text for dot in dots] if need_svg else []
    if directory is not None:
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        for k, dot in enumerate(dots):
            for fmt in formats:
                if fmt == "svg":
                    data = svgs[k].encode("utf-8")
                elif fmt == "png":
                    data = svg_to_png(svgs[k])
                elif fmt == "dot":
                    data = dot.encode("utf-8")
                else:
                    data = render(dot, fmt, engine=engine).data
                (folder / f"step_{k:03d}.{fmt}").write_bytes(data)
    if gif is not None:
        Path(gif).write_bytes(frames_to_gif([svg_to_png(svg) for svg in svgs],
                                            duration_ms=gif_ms))
    if html is not None:
        page = title or ("Backward pass" if lang != "ko" else "역전파")
        Path(html).write_text(frames_to_html(svgs, titles=[f"{k}" for k in range(len(svgs))],
                                             captions=captions, page_title=page, lang=lang),
                              encoding="utf-8")
    return replay
