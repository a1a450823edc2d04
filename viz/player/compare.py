"""Two backward passes side by side: the same graph in two engines, stepped together.

The last study note puts DeZero next to PyTorch (``tanh`` then ``sigmoid`` at 1.0:
``Dezero : 0.09112821805819912``, ``PyTorch : tensor([0.0911])``). :func:`compare` does
that with pictures: both passes recorded (or replayed), both players on one page, the
right one following the left one's steps (each at the same fraction of its own pass: the
two engines may take different steps), and under them the inputs' grads compared by the
engine's :func:`~autograd_core.compare_grads`, a difference marked.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_core import Variable, collector, compare_grads
from viz.i18n import t
from viz.model.explain import value_text
from viz.model.frames import BackwardReplay
from viz.model.titles import default_title
from viz.player import _asset, _sha256, json_for_html, player_css, player_js
from viz.player.scene import Scene
from viz.sources import frames, kind_of

_KIND_NAMES = {"autograd_core": "autograd_core", "dezero": "DeZero",
               "micrograd": "micrograd", "torch": "PyTorch"}


@dataclass(frozen=True)
class GradRow:
    """One input's grad in both passes."""

    name: str
    left: np.ndarray | None
    right: np.ndarray | None
    ok: bool
    detail: str


def _leaves(replay: BackwardReplay) -> list[Variable]:
    """The inputs whose grads a user reads: leaves (PyTorch's: AccumulateGrad's outputs)."""
    out = []
    for v in replay.graph.variables:
        creator = v.creator
        if creator is None:
            if v.origin == "leaf":
                out.append(v)
        elif type(creator).label == "AccumulateGrad":
            out.append(v)
    return out


class Comparison:
    """Two replays, their grads compared, and a page that steps them together."""

    def __init__(self, left: BackwardReplay, right: BackwardReplay, *,
                 labels: Sequence[str], lang: str = "en", rtol: float = 1e-4,
                 atol: float = 1e-5) -> None:
        self.left, self.right = left, right
        self.labels = tuple(labels)
        self.lang = lang
        self.rows = self._rows(rtol, atol)

    @property
    def ok(self) -> bool:
        """True when every input's grad agrees (within the tolerances)."""
        return all(row.ok for row in self.rows)

    def _rows(self, rtol: float, atol: float) -> list[GradRow]:
        a, b = _leaves(self.left), _leaves(self.right)
        by_name = {v.name: v for v in b if v.name}
        pairs = [(v.name or f"input {i}", v, by_name.get(v.name) if v.name else None)
                 for i, v in enumerate(a)]
        if all(w is None for _, _, w in pairs) and len(a) == len(b):
            pairs = [(v.name or w.name or f"input {i}", v, w)
                     for i, (v, w) in enumerate(zip(a, b, strict=True))]
        rows = []
        for name, v, w in pairs:
            ga = self.left.grad_at(self.left.n_steps, v)
            gb = None if w is None else self.right.grad_at(self.right.n_steps, w)
            if ga is None or gb is None or np.shape(ga) != np.shape(gb):
                rows.append(GradRow(name, ga, gb, False, t("cmp_missing", self.lang)))
                continue
            report = compare_grads([gb], [ga], rtol=rtol, atol=atol, equal_nan=True)
            detail = "" if report.ok else report.worst.replace("input 0, ", "")
            rows.append(GradRow(name, np.asarray(ga), np.asarray(gb), report.ok, detail))
        return rows

    # --- the page ----------------------------------------------------------------------
    def page(self, title: str | None = None) -> str:
        """One self-contained HTML page: both players (the right one follows), the table."""
        lang = self.lang
        title = title or t("cmp_title", lang, what=default_title(self.left, lang))
        scenes = [Scene(r, lang=lang, title=label) for r, label in
                  ((self.left, self.labels[0]), (self.right, self.labels[1]))]
        style = _asset("page.css") + _asset("compare.css") + player_css()
        script = player_js() + _asset("compare.js")
        csp = (f"default-src 'none'; style-src {_sha256(style)}; "
               f"script-src {_sha256(script)}; img-src data:; base-uri 'none'; "
               "form-action 'none'")
        columns = "".join(
            f'<section class="agv-side"><h2>{html.escape(label)}</h2>'
            f'<div class="agv-root" id="agv-root-{i}"></div>'
            f'<script type="application/json" id="agv-scene-{i}">'
            f"{json_for_html(scene.to_json())}</script></section>"
            for i, (scene, label) in enumerate(zip(scenes, self.labels, strict=True)))
        return (
            f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{style}</style></head><body>"
            f'<h1 id="agv-title">{html.escape(title)}</h1>'
            f'<p class="agv-cmp-how">{html.escape(t("cmp_how", lang))}</p>'
            f'<div class="agv-sides">{columns}</div>{self.table_html()}'
            f"<script>{script}</script></body></html>\n")

    def table_html(self) -> str:
        """The grads table (a row per input; a difference marked ✘ and in its own class)."""
        lang = self.lang
        head = "".join(f"<th>{html.escape(h)}</th>" for h in
                       (t("cmp_input", lang), f"{self.labels[0]}: grad",
                        f"{self.labels[1]}: grad", ""))
        body = []
        for row in self.rows:
            mark = "✔" if row.ok else f"✘ {row.detail}"
            cls = "agv-same" if row.ok else "agv-diff"
            body.append(f'<tr class="{cls}"><td>{html.escape(row.name)}</td>'
                        f"<td>{html.escape(value_text(row.left, lang))}</td>"
                        f"<td>{html.escape(value_text(row.right, lang))}</td>"
                        f"<td>{html.escape(mark)}</td></tr>")
        verdict = t("cmp_same" if self.ok else "cmp_differ", lang)
        return (f'<table class="agv-cmp"><caption>{html.escape(verdict)}</caption>'
                f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page(), quote=True)}" '
                'style="width:100%;height:760px;border:0" sandbox="allow-scripts" '
                'title="autograd-viz comparison"></iframe>')

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the page (works offline)."""
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.page())

    def __repr__(self) -> str:
        verdict = "the same grads" if self.ok else "grads that differ"
        return (f"<viz.Comparison {self.labels[0]} ({self.left.n_steps} steps) vs "
                f"{self.labels[1]} ({self.right.n_steps} steps): {verdict}>")


def _label(replay: BackwardReplay) -> str:
    if replay.kind == "dezero" and replay.read is not None and replay.read.title != "DeZero":
        return "your classes"
    return _KIND_NAMES.get(replay.kind, replay.kind)


def _ones_for_torch(y: Any) -> Any:
    if kind_of(y) == "torch" and y.numel() != 1:
        import torch

        return torch.ones_like(y)
    return None


def compare(a: Any, b: Any, *, names: Mapping[str, Any] | None = None,
            names_b: Mapping[str, Any] | None = None, labels: Sequence[str] | None = None,
            lang: str = "en", rtol: float = 1e-4, atol: float = 1e-5) -> Comparison:
    """Step two backward passes together and compare their inputs' grads.

    ``a`` and ``b`` are outputs of any source viz reads (recorded when not backpropagated
    yet, else replayed) or replays from :func:`viz.record`. Inputs are matched by name
    (``names``/``names_b`` name those of sources without names), else in order. A
    non-scalar PyTorch output is seeded with ones, as autograd_core and the book seed it.
    """
    with collector.paused():  # two replays and their scenes: short-lived objects, no cycles
        left = frames(a, names=names, gradient=_ones_for_torch(a))
        right = frames(b, names=names_b, gradient=_ones_for_torch(b))
        if labels is None:
            labels = tuple(_label(r) for r in (left, right))
            if labels[0] == labels[1]:
                labels = (f"{labels[0]} (1)", f"{labels[1]} (2)")
        return Comparison(left, right, labels=labels, lang=lang, rtol=rtol, atol=atol)
