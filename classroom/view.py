"""HTML the page adds around Streamlit's widgets: some CSS and the parsed expression."""

from __future__ import annotations

import html
import re

from .player import MOVES_PREFIX


def _row_height(selector: str, prop: str) -> list[str]:
    """CSS giving ``selector`` the height of the expression's row of widgets (one row of
    value boxes), measured in Chromium at 360-1920 px: the row is taller where the main
    area is narrower (a container query: the sidebar takes 400 px above 768) and stacked
    below 641. The rules go inside an element with ``container-type:inline-size``."""
    def rule(px: float) -> str:
        return f"{selector}{{{prop}:{px}px}}"
    return [rule(116.4),
            f"@container (max-width:646px){{{rule(124.1)}}}",
            f"@container (max-width:346px){{{rule(147.9)}}}",
            f"@media (max-width:640px){{{rule(252.4)}"
            f"@container (max-width:386px){{{rule(274.5)}}}}}"]


def page_css(projector: bool) -> str:
    """A compact header, room for the player, and bigger text in projector mode."""
    css = [
        # the graph gets the width: Streamlit's 5rem side margins cost a 1280 px projector a
        # row. The top clears Streamlit's header (3.75rem, over the page): nothing under it
        # is hidden or unclickable
        ".block-container{padding:4rem 2rem 2rem 2rem;max-width:100%}",
        "h1{font-size:1.7rem !important;line-height:1.3 !important;"
        "padding:.1rem 0 .2rem 0 !important}",
        # a phone: a smaller title and tighter sides leave the first screen to the graph
        "@media (max-width:640px){.block-container{padding:4rem 1rem 2rem 1rem}"
        "h1{font-size:1.35rem !important}}",
        ".ag-understood{margin-bottom:.4rem}",
        # room for the examples' titles (the book's step numbers are at their end)
        "section[data-testid='stSidebar'][data-collapsed='false']{min-width:400px;max-width:400px;"
        "transition:none}",  # collapsed: Streamlit's own width, so it hides whole
        ".ag-understood span{display:block;font-size:.8rem;color:#555}",
        # whole tokens stay on one line; a long program scrolls instead of pushing the page
        ".ag-understood code{display:block;margin:.1rem 0 0 0;padding:.35rem .6rem;"
        "background:#f2f6fa;border-radius:6px;font-size:.95rem;color:#111;"
        "white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;"
        "max-height:6.6em;overflow-y:auto}",
        # the expression box's place while the controls load (expression_placeholder), and
        # the controls until all of them are drawn (the browser first fetches each widget's
        # code, and Streamlit draws a skeleton of another height meanwhile): the row keeps
        # its height, so the graph under it stays put
        "[data-testid=stLayoutWrapper]:has(>.st-key-ag_inputs){container-type:inline-size}",
        ".ag-placeholder{overflow:hidden}",
        *_row_height(".ag-placeholder", "height"),
        *_row_height(".st-key-ag_inputs:is(:not(:has(textarea)),:has([data-testid=stSkeleton]))",
                     "min-height"),
        ".ag-placeholder span{display:block;font-size:.875rem;margin-bottom:.25rem}",
        ".ag-placeholder div{height:70px;padding:.5rem .75rem;overflow:auto;color:#555;"
        "background:#f0f2f6;border-radius:.5rem;font-family:monospace;white-space:pre-wrap}",
        ".ag-placeholder small{color:#777}",
        # Korean words stay whole in narrow columns (CJK text may otherwise break anywhere:
        # "역전파 기/울기"); English is unaffected
        "th,td{word-break:keep-all}",
        # a wide table (the leaf grads on a phone) scrolls in its place, not the whole page
        "[data-testid='stMarkdownContainer']:has(> table){overflow-x:auto}",
        # the player's moves (classroom.player) draw nothing: no gap in the column either
        f"[class*='st-key-{MOVES_PREFIX}']{{display:none}}",
        ".st-key-agv_student{display:none}",  # the student id's component: no gap either
    ]
    if projector:
        css += [
            # a lower header (its menu button fits), so the class sees more graph
            "header[data-testid='stHeader']{height:2.6rem;min-height:2.6rem}",
            ".block-container{padding-top:2.8rem}",
            # the program in two lines at most (it scrolls): the graph stays above the fold
            ".ag-understood code{max-height:3.3em}",
            ".ag-understood span{display:none}",  # the class sees the expression itself
            "html{font-size:20px}",
            ".stMarkdown p,.stMarkdown li{font-size:1.1rem}",
        ]
    return "<style>" + "".join(css) + "</style>"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def literal(text: str) -> str:
    """``text`` for Streamlit's Markdown, shown exactly as written: a user's
    ``__import__`` stays ``__import__`` instead of turning bold."""
    return _MARKDOWN.sub(r"\\\1", text)


def expression_placeholder(label: str, text: str, note: str) -> str:
    """The expression as plain text where its box will be, while the page's controls load
    (a new session's first run draws the graph alone): the same height, so nothing moves."""
    return (f'<div class="ag-placeholder" data-testid="ag-placeholder">'
            f'<span>{html.escape(label)}</span><div>{html.escape(text)}</div>'
            f'<small>{html.escape(note)}</small></div>')


def understood_html(label: str, canonical: str) -> str:
    """What the parser understood, compact: a small label over the program's lines."""
    lines = "<br>".join(html.escape(line) for line in canonical.splitlines())
    return (f'<div class="ag-understood" data-testid="ag-understood"><span>{html.escape(label)}'
            f"</span><code>{lines}</code></div>")
