"""The player as a notebook widget: two-way, offline, wherever anywidget runs.

``viz.show(y, steps=True)`` returns a :class:`StepWidget` when anywidget is installed
(``pip install "autograd-viz[notebook]"``): JupyterLab 4, Notebook 7, VS Code, Colab and
marimo (``mo.ui.anywidget(w)``). It is the same player as the app's and the HTML
export's (``viz/player/player.js``, shipped in the package: no CDN, no network), with its
state as traits a later cell reads and writes::

    w = viz.show(y, steps=True)
    w.step            # the frame on screen (a key press or click in the widget sets it)
    w.step = 5        # moves the widget (out of range: clamped, with a warning)
    w.selected        # the node clicked ("v3"), or ""; w.variable is your own object
    w.collapsed       # the groups drawn as one box
    w.lang = "ko"     # the frames' words in Korean (same layout)
    w.observe(print, names="step")

Under the player the widget says where the selected variable's grad comes from at this
frame (``a.grad = 8 (from Square #1) + 8 (from Square #2) = 16``). Where widgets do not
run (GitHub's viewer, nbviewer, ``jupyter nbconvert --to html``), a saved notebook shows
the frame that was on screen as a picture instead of an empty box.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

import anywidget
import traitlets

from viz.i18n import t
from viz.model.explain import grad_story
from viz.model.frames import BackwardReplay
from viz.player import _asset, player_css, player_js
from viz.player.scene import LANGS, Scene


@cache
def widget_esm() -> str:
    """The widget's ES module: the player's core and its anywidget wrapper."""
    return player_js() + _asset("widget.js")


@cache
def widget_css() -> str:
    return player_css() + _asset("widget.css")


class StepWidget(anywidget.AnyWidget):
    """The step-by-step player of one backward pass, as a two-way notebook widget."""

    _esm = widget_esm()
    _css = widget_css()

    scene = traitlets.Unicode("").tag(sync=True)  # the scene's JSON, in ``lang``
    step = traitlets.Int(0).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    collapsed = traitlets.List(traitlets.Unicode()).tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    details = traitlets.Unicode("").tag(sync=True)  # where the selected grad comes from
    height = traitlets.Int(0).tag(sync=True)  # the graph's height in px (0: fits the page)

    def __init__(self, replay: BackwardReplay, *, lang: str = "en", title: str | None = None,
                 height: int = 0, **scene_options: Any) -> None:
        lang = lang if lang in LANGS else "en"
        self.replay = replay
        self._title = title
        self._scenes: dict[str, Scene] = {lang: Scene(replay, lang=lang, title=title,
                                                      **scene_options)}
        first = self._scenes[lang]
        self._scene_options = dict(scene_options)
        super().__init__(scene=first.to_json(), lang=lang, step=first.start,
                         collapsed=[g.id for g in first.collapsed], height=int(height))
        self._update_details()

    # --- reading the state -------------------------------------------------------------
    @property
    def scene_object(self) -> Scene:
        """The :class:`viz.Scene` on screen (its language's)."""
        return self._scenes[self.lang]

    @property
    def n_frames(self) -> int:
        return self.scene_object.n_frames

    @property
    def caption(self) -> str:
        """The sentence under the player's buttons at this frame."""
        return self.scene_object.caption(self.step)

    @property
    def variable(self) -> Any:
        """Your own object for the selected node (a variable of yours; for autograd_core the
        Variable itself), or None when nothing (or a function) is selected."""
        node = self._selected_node()
        if node is None:
            return None
        return getattr(node, "source", node)

    def _selected_node(self) -> Any:
        if not self.selected:
            return None
        graph = self.replay.graph
        for v in graph.variables:
            if graph.node_id(v) == self.selected:
                return v
        return None

    # --- keeping the traits right --------------------------------------------------------
    @traitlets.validate("step")
    def _valid_step(self, proposal: dict[str, Any]) -> int:
        asked = int(proposal["value"])
        last = self.n_frames - 1 if self._scenes else 0
        shown = max(0, min(asked, last))
        if shown != asked:
            warnings.warn(t("widget_step_clamped", self.lang, asked=asked, last=last,
                            shown=shown), stacklevel=4)
        return shown

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: dict[str, Any]) -> str:
        lang = proposal["value"]
        if lang not in LANGS:
            raise traitlets.TraitError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
        return lang

    @traitlets.observe("lang")
    def _lang_changed(self, change: dict[str, Any]) -> None:
        lang = change["new"]
        if lang not in self._scenes:  # the same layout: node sizes fit both languages
            first = next(iter(self._scenes.values()))
            self._scenes[lang] = Scene(self.replay, lang=lang, title=self._title,
                                       layout=first.layout,
                                       narrow_layout=first.narrow_layout,
                                       **self._scene_options)
        self.scene = self._scenes[lang].to_json()
        self._update_details()

    @traitlets.observe("step", "selected")
    def _position_changed(self, change: dict[str, Any]) -> None:
        self._update_details()

    def _update_details(self) -> None:
        node = self._selected_node()
        info = self.scene_object.timeline[self.step]
        if node is None or info.phase != "backward":
            self.details = ""
            return
        self.details = grad_story(self.replay, info.step, node, self.lang)

    # --- where widgets do not run --------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget, and the frame on screen as SVG for viewers that cannot run it."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["image/svg+xml"] = self.scene_object.svg(self.step)
            data["text/plain"] = f"<viz.StepWidget: {self.caption}>"
        return bundle

    def __repr__(self) -> str:
        return f"<viz.StepWidget: frame {self.step} of {self.n_frames - 1}>"
