"""HTML the page adds around Streamlit's widgets: the graph, its legend and some CSS."""

from __future__ import annotations

import html
import re

from viz import style

from .i18n import t

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_BLANKS = re.compile(r">\s+<")
_TITLE = re.compile(r"<title>[^<]*</title>")
_PRESERVE = re.compile(r' xml:space="preserve"')
_TEXT_FONT = re.compile(r'<text ([^>]*?) (font-family="[^"]*" font-size="[^"]*" fill="[^"]*")>')
_ROOT_GROUP = re.compile(r'(<g id="graph0" class="graph")')


def compact_svg(svg: str) -> str:
    """The same picture in fewer bytes, for the page (downloads keep Graphviz's SVG).

    Drops the tooltips (``<title>``) and ``xml:space`` and states the font of the
    labels once on the root group (SVG inherits it) instead of on every ``<text>``:
    about a third less markup for the browser to parse on every step.
    """
    svg = _PRESERVE.sub("", _TITLE.sub("", svg))
    fonts = _TEXT_FONT.findall(svg)
    if not fonts:
        return svg
    common = max({f for _, f in fonts}, key=lambda f: sum(1 for _, g in fonts if g == f))
    svg = svg.replace(f" {common}>", ">")
    return _ROOT_GROUP.sub(lambda m: f"{m[1]} {common}", svg, count=1)


# The graph fills the box's width, but its labels never shrink below MIN_SCALE of their
# size (a wide graph scrolls sideways instead) nor grow past MAX_SCALE (a tiny graph).
MIN_SCALE, MAX_SCALE = 0.8, 2.0
_ROOT_WIDTH = re.compile(r'<svg\b([^>]*?)\swidth="([\d.]+)pt"')


def graph_html(svg: str, step: int = 0) -> str:
    """The sanitised Graphviz SVG inline, so its nodes are in the page's DOM.

    ``<g id="f2">`` of the SVG stays queryable (browser tests, and a reader's dev
    tools). The XML prologue is dropped and the markup put on one line, so
    Markdown passes it through untouched. The SVG scales to the box's width
    within [MIN_SCALE, MAX_SCALE] of its natural size. ``data-step`` says which
    frame it is (browser tests wait on it).
    """
    body = _BLANKS.sub("><", _PROLOGUE.sub("", compact_svg(svg), count=1)).replace("\n", " ")
    found = _ROOT_WIDTH.search(body)
    if found:
        natural_px = float(found[2]) * 4 / 3
        limits = (f'style="min-width:{natural_px * MIN_SCALE:.0f}px;'
                  f'max-width:{natural_px * MAX_SCALE:.0f}px"')
        body = body[:found.end()] + " " + limits + body[found.end():]
    return f'<div class="ag-graph" data-testid="ag-graph" data-step="{int(step)}">{body}</div>'


def _chip(text: str, fill: str, border: str, radius: str, colour: str = "#333") -> str:
    return (f'<span class="ag-chip" style="background:{fill};border:{border} {colour};'
            f'border-radius:{radius}">{html.escape(text)}</span>')


def _border(spec: dict) -> str:
    kind = "dashed" if "dashed" in spec["style"] else (
        "dotted" if "dotted" in spec["style"] else "solid")
    width = max(1, min(5, round(float(spec.get("penwidth", 1)))))
    return f"{width}px {kind}"


def legend_html(lang: str, *, orders: bool = False, trouble: bool = False) -> str:
    """Colour chips with the same fills and borders as the nodes (each state shown by
    fill and by border), plus the derivative-order and trouble borders when in use."""
    words = style.LEGEND.get(lang, style.LEGEND["en"])
    chips = []
    for key, spec in style.FUNCTION_STATES.items():
        chips.append(_chip(words.get(key, key), spec["fill"], _border(spec), "4px"))
    for key, spec in style.VARIABLE_STATES.items():
        if key != "freed":  # the app keeps every grad (retain_grad=True)
            chips.append(_chip(words.get(key, key), spec["fill"], _border(spec), "999px"))
    extra = []
    if orders:
        items = " ".join(
            _chip(str(order), "#fff", "3px solid", "4px", colour)
            for order, colour in sorted(style.ORDER_BORDERS.items()) if order <= 2)
        extra.append(f'<span class="ag-legend-note">{html.escape(t("legend_orders", lang))}'
                     f": {items}</span>")
    if trouble:
        extra.append(_chip(t("legend_trouble", lang), "#fff", "3px solid", "999px",
                           style.VERMILLION))
    return f'<div class="ag-legend">{"".join(chips + extra)}</div>'


def page_css(projector: bool) -> str:
    """A compact header, a large graph box, and bigger text in projector mode."""
    css = [
        ".block-container{padding-top:2.2rem;padding-bottom:2rem;max-width:100%}",
        "h1{font-size:2rem !important;line-height:1.35 !important;"
        "padding:.2rem 0 .3rem 0 !important}",
        ".ag-graph{overflow:auto;border:1px solid #c9d3dd;border-radius:10px;padding:8px;"
        "background:#fff;text-align:center}",
        ".ag-graph svg{width:100%;height:auto;max-height:68vh}",
        ".ag-legend{display:flex;flex-wrap:wrap;gap:6px 8px;margin-top:8px;align-items:center}",
        ".ag-chip{padding:1px 10px;font-size:.85rem;color:#111;white-space:nowrap}",
        ".ag-legend-note{font-size:.85rem;display:inline-flex;gap:4px;align-items:center}",
        ".ag-frame{font-size:1.25rem;font-weight:600;margin:.2rem 0 .4rem 0}",
        ".ag-understood span{font-size:.8rem;color:#555}",
        ".ag-understood{margin-bottom:.6rem}",
        ".ag-understood span{display:block}",
        ".ag-understood code{display:block;margin:.1rem 0 0 0;padding:.35rem .6rem;"
        "background:#f2f6fa;border-radius:6px;font-size:.95rem;color:#111;"
        "white-space:pre-wrap;word-break:break-all}",
    ]
    if projector:
        css += [
            "html{font-size:20px}",
            ".stMarkdown p,.stMarkdown li{font-size:1.1rem}",
            ".ag-graph svg{max-height:80vh}",
            ".ag-frame{font-size:1.5rem}",
        ]
    return "<style>" + "".join(css) + "</style>"


def frame_html(k: int, n: int, caption: str) -> str:
    """What frame ``k`` of ``n`` shows, as one large line (``data-step`` for tests)."""
    return (f'<div class="ag-frame" data-testid="ag-frame" data-step="{int(k)}" '
            f'data-steps="{int(n)}">{html.escape(caption)}</div>')


def understood_html(label: str, canonical: str) -> str:
    """What the parser understood, compact: a small label over the program's lines."""
    lines = "<br>".join(html.escape(line) for line in canonical.splitlines())
    return (f'<div class="ag-understood" data-testid="ag-understood"><span>{html.escape(label)}'
            f"</span><code>{lines}</code></div>")
