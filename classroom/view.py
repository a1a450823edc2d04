"""HTML fragments the app puts on the page: the graph, the legend, the page CSS."""

from __future__ import annotations

import html
import re

from viz import style

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def graph_html(svg: str) -> str:
    """The (sanitised) Graphviz SVG inline in a scrollable box, queryable in the DOM.

    The XML prologue is dropped and newlines removed so Markdown leaves it alone.
    """
    body = _PROLOGUE.sub("", svg, count=1).replace("\n", " ")
    return f'<div class="ag-graph" data-testid="ag-graph">{body}</div>'


def legend_html(lang: str) -> str:
    """Colour chips with the same fills and borders as the nodes (state shown twice)."""
    words = style.LEGEND.get(lang, style.LEGEND["en"])
    chips = []
    states = [(k, s, "4px") for k, s in style.FUNCTION_STATES.items()]
    states += [(k, s, "50%") for k, s in style.VARIABLE_STATES.items()]
    for key, spec, radius in states:
        border = "dashed" if "dashed" in spec["style"] else (
            "dotted" if "dotted" in spec["style"] else "solid")
        width = 4 if spec.get("peripheries", 1) > 1 else max(1, int(spec["penwidth"]))
        chips.append(
            f'<span class="ag-chip" style="background:{spec["fill"]};border:{width}px {border} '
            f'#333;border-radius:{radius}">{html.escape(words[key])}</span>')
    return f'<div class="ag-legend">{"".join(chips)}</div>'


def page_css(projector: bool) -> str:
    """Graph scaled to the page width; larger text in projector mode."""
    css = [
        ".ag-graph{overflow:auto;border:1px solid #ddd;border-radius:8px;padding:6px;"
        "background:#fff}",
        ".ag-graph svg{width:100%;height:auto;max-height:72vh}",
        ".ag-legend{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
        ".ag-chip{padding:2px 10px;font-size:0.85rem;color:#111}",
    ]
    if projector:
        css.append("html{font-size:22px} .stMarkdown p, .stMarkdown li{font-size:1.15rem}")
    return "<style>" + "".join(css) + "</style>"
