"""The files the app offers: this frame as DOT/SVG/PNG, the whole lesson as GIF and HTML.

Every picture comes from the lesson's scene (one layout, every frame a delta over
it), so a downloaded file shows what the player shows. PNG, GIF and HTML are
made only when a student clicks (the app passes these functions to Streamlit as
deferred downloads); a GIF of a huge lesson is refused up front with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import viz
from viz.export.animate import GIF_BUDGET, GIF_MAX_SIDE
from viz.render.raster import svg_to_png

from .i18n import t
from .lesson import DEFAULT_MAX_NODES, Lesson

# scene size (bytes of JSON) above which the HTML player page is not offered
HTML_BUDGET = 20_000_000


@dataclass(frozen=True)
class FrameOptions:
    """How frames are drawn (the same options the page uses)."""

    lang: str = "en"
    rankdir: str = "auto"
    max_nodes: int = DEFAULT_MAX_NODES
    projector: bool = False
    narrow: bool = True  # with rankdir "auto": the top-to-bottom layout too (Lesson.scene)

    def scene(self, lesson: Lesson) -> viz.Scene:
        """The lesson's scene with these options."""
        return lesson.scene(lang=self.lang, rankdir=self.rankdir, max_nodes=self.max_nodes,
                            narrow=self.narrow)

    @property
    def scale(self) -> float:
        """PNG scale: text as large as on screen, larger for a projector."""
        return 2.0 if self.projector else 1.5


def file_stem(lesson: Lesson, t_index: int, scene: viz.Scene) -> str:
    """A file name for frame ``t_index``: the expression's safe characters and the step,
    e.g. ``square_exp_square_x_backward_03``."""
    info = scene.timeline[t_index]
    return f"{expression_stem(lesson)}_{info.phase}_{info.step:02d}"


def expression_stem(lesson: Lesson) -> str:
    """Letters, digits and ``_`` of the expression's last line (at most 40), else "graph"."""
    last = lesson.canonical.splitlines()[-1] if lesson.canonical.strip() else ""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", last).strip("_")[:40].strip("_")
    return stem or "graph"


def frame_dot(lesson: Lesson, t_index: int, opts: FrameOptions) -> str:
    """Graphviz source of the frame (a forward frame gives the graph before backward)."""
    info = opts.scene(lesson).timeline[t_index]
    k = info.step if info.phase == "backward" else 0
    return lesson.frame_dot(k, lang=opts.lang, rankdir=opts.rankdir.replace("auto", "LR"),
                            max_nodes=opts.max_nodes, legend=True)


def frame_svg(lesson: Lesson, t_index: int, opts: FrameOptions) -> str:
    """The frame as SVG, with its caption and a legend of the states that occur."""
    return opts.scene(lesson).svg(t_index)


def frame_png(lesson: Lesson, t_index: int, opts: FrameOptions) -> bytes:
    """The frame as PNG (from the same SVG)."""
    return svg_to_png(frame_svg(lesson, t_index, opts), opts.scale)


def refusal(lesson: Lesson, what: str, lang: str, opts: FrameOptions) -> str | None:
    """Why the whole-lesson ``what`` ("gif" or "html") is not offered, or None if it is."""
    scene = opts.scene(lesson)
    if what == "gif":
        nodes, frames = len(scene.layout.nodes), scene.n_frames
        if nodes * frames <= GIF_BUDGET:
            return None
        return t("dl_reason", lang, nodes=nodes, frames=frames, limit=GIF_BUDGET)
    size = len(scene.to_json())
    if size <= HTML_BUDGET:
        return None
    return t("dl_reason_bytes", lang, size=size, limit=HTML_BUDGET)


def pass_gif(lesson: Lesson, opts: FrameOptions) -> bytes:
    """Every frame of the lesson as an animated GIF (caption and legend in each frame,
    the last frame held longer)."""
    scene = opts.scene(lesson)
    pngs = [svg_to_png(scene.svg(k), opts.scale, max_side=GIF_MAX_SIDE)
            for k in range(scene.n_frames)]
    return viz.frames_to_gif(pngs, duration_ms=[900] * (len(pngs) - 1) + [2700])


def pass_html(lesson: Lesson, opts: FrameOptions) -> str:
    """The lesson as one self-contained HTML page with the player (works offline), with
    the top-to-bottom layout for narrow screens whatever the page asked for: the file is
    opened anywhere."""
    scene = replace(opts, narrow=True).scene(lesson)
    return viz.html_page(scene.to_json(), title=lesson.canonical or "backward", lang=opts.lang,
                         projector=opts.projector)
