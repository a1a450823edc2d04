"""The files the app offers: this frame as DOT/SVG/PNG, the whole pass as GIF and HTML.

DOT and SVG are what is on screen already; PNG, GIF and HTML are made only when
a student clicks (the app passes these functions to Streamlit as deferred
downloads). Whole-pass exports of huge graphs are refused up front with a
reason, instead of tying the server up for minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import viz

from . import render
from .i18n import t
from .lesson import DEFAULT_MAX_NODES, Lesson

# nodes x frames above which a whole-pass export is not offered
GIF_BUDGET = 20_000
HTML_BUDGET = 60_000


@dataclass(frozen=True)
class FrameOptions:
    """How frames are drawn (the same options the page uses)."""

    lang: str = "en"
    theme: str = "default"
    rankdir: str = "LR"
    max_nodes: int = DEFAULT_MAX_NODES

    def dot(self, lesson: Lesson, k: int, *, legend: bool = False) -> str:
        """DOT of frame ``k`` of ``lesson`` with these options."""
        return lesson.frame_dot(k, lang=self.lang, theme=self.theme, rankdir=self.rankdir,
                                max_nodes=self.max_nodes, legend=legend)


def neighbour_dots(lesson: Lesson, opts: FrameOptions, k: int) -> list[str]:
    """DOT of the frames one step after and before ``k`` (what a student asks for next)."""
    return [opts.dot(lesson, j) for j in (k + 1, k - 1) if 0 <= j <= lesson.n_steps]


def file_stem(k: int) -> str:
    """Name of the files of frame ``k``: step_003."""
    return f"step_{k:03d}"


def frame_png(lesson: Lesson, k: int, opts: FrameOptions) -> bytes:
    """Frame ``k`` as PNG, with the legend drawn in."""
    return render.png(opts.dot(lesson, k, legend=True))


def _work(lesson: Lesson) -> tuple[int, int]:
    return lesson.graph_size, lesson.n_steps + 1


def refusal(lesson: Lesson, what: str, lang: str) -> str | None:
    """Why the whole-pass ``what`` ("gif" or "html") is not offered, or None if it is."""
    nodes, frames = _work(lesson)
    limit = GIF_BUDGET if what == "gif" else HTML_BUDGET
    if nodes * frames <= limit:
        return None
    return t("dl_reason", lang, nodes=nodes, frames=frames, limit=limit)


def pass_gif(lesson: Lesson, opts: FrameOptions) -> bytes:
    """Every frame of the backward pass as an animated GIF (legend in each frame)."""
    pngs = [frame_png(lesson, k, opts) for k in range(lesson.n_steps + 1)]
    return viz.frames_to_gif(pngs)


def pass_html(lesson: Lesson, opts: FrameOptions) -> str:
    """Every frame as one self-contained HTML page with a player (works offline)."""
    frames = range(lesson.n_steps + 1)
    svgs = [render.svg(opts.dot(lesson, k, legend=True)) for k in frames]
    captions = [lesson.caption(k, opts.lang) for k in frames]
    title = lesson.canonical.splitlines()[-1] if lesson.canonical else "backward"
    return viz.frames_to_html(svgs, titles=[t("frame", opts.lang, k=k, n=lesson.n_steps)
                                            for k in frames],
                              captions=captions, page_title=title, lang=opts.lang)
