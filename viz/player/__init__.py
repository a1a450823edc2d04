"""The one client-side player, in its three places: Streamlit, the HTML export, notebooks.

The player itself is ``player.js`` and ``player.css`` (plain JavaScript and CSS
written for this project; no network, no CDN, no external dependency). This
module wraps them:

* :func:`component_js` — an ES module for ``st.components.v2.component`` (and
  :func:`moves_js`, the small one that moves it);
* :func:`html_page` — one self-contained file with a Content-Security-Policy
  that allows only its own script and style (by hash): zero requests;
* :class:`PlayerView` — what notebooks display (``_repr_html_``): the same
  page in a sandboxed ``<iframe srcdoc>``, so it works offline and its ids
  never collide with the notebook's.

The scene travels as JSON data (``<script type="application/json">``, with
``<``, ``>`` and ``&`` escaped); the player shows user text with
``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from viz.model import states

# The node a user clicked: drawn over any state's look (a rule per state combination has
# more classes than this one, hence !important: selection is the one look above them all).
_TAIL_CSS = (
    ".ag-node.agv-selected>.shape{stroke:" + states.SELECTED_BORDER
    + "!important;stroke-width:5px!important;stroke-dasharray:none!important}\n"
)


@cache
def player_css() -> str:
    """The player's CSS: layout, then every state's look (from viz.model.states), then overrides."""
    base = _asset("player.css")
    return base + states.css() + "\n" + _TAIL_CSS


def _asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def player_js() -> str:
    """The player's core: ``agvizPlayer(root, scene, opts)``."""
    return _asset("player.js")


@cache
def component_js() -> str:
    """The ES module Streamlit's components v2 runs (player core + mount function)."""
    return player_js() + _asset("streamlit.js")


@cache
def moves_js() -> str:
    """The ES module of the player's moves in Streamlit (a second, tiny component)."""
    return _asset("moves.js")


@cache
def student_js() -> str:
    """The ES module that reports the student id a browser keeps (a live room's quiz)."""
    return _asset("student.js")


def _sha256(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def json_for_html(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script type="application/json">`` element."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def html_page(scene_json: str, *, title: str = "Backward pass", lang: str = "en",
              projector: bool = False) -> str:
    """A self-contained HTML page playing the scene (``Scene.to_json()``): works offline.

    Its Content-Security-Policy allows only this page's own script and style, by
    hash; nothing is loaded from anywhere. ``title`` is shown as text.
    """
    lang = lang if _LANG.fullmatch(lang) else "en"
    style = _asset("page.css") + player_css()
    script = player_js() + _asset("boot.js")
    csp = (f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>"
        f'<h1 id="agv-title">{html.escape(title)}</h1>'
        f'<div id="agv-root" data-projector="{1 if projector else 0}"></div>'
        f'<script type="application/json" id="agv-scene">{json_for_html(scene_json)}</script>'
        f"<script>{script}</script></body></html>\n"
    )


class PlayerView:
    """A notebook cell's player: ``_repr_html_`` is the page in a sandboxed iframe."""

    def __init__(self, scene_json: str, *, title: str = "Backward pass", lang: str = "en",
                 height: int = 620) -> None:
        self.page = html_page(scene_json, title=title, lang=lang)
        self.height = int(height)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:0" '
                'sandbox="allow-scripts" allow="fullscreen" '
                'title="autograd-viz player"></iframe>')

    def save(self, path: str) -> None:
        """Write the page as a standalone HTML file."""
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.page)

    def __repr__(self) -> str:
        return f"<viz.PlayerView: {len(self.page):,} bytes; display it in a notebook>"
