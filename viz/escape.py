"""Making user text (variable names, values) safe inside DOT and SVG.

Names are shown literally: quotes, braces, ``<...>``, backslashes and Graphviz
escape sequences (``\\N``, ``\\l``...) can never change the graph; control and
bidirectional-override characters are replaced, and long names are truncated.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 40


def clean_text(text: str, limit: int = MAX_NAME) -> str:
    """Printable, single-line, at most ``limit`` characters (an ellipsis marks a cut)."""
    out = []
    for ch in str(text):
        if ch in "\r\n\t":
            out.append(" ")
        elif unicodedata.category(ch)[0] == "C":  # controls, format chars (RTL override)
            out.append("\ufffd")
        else:
            out.append(ch)
    cleaned = "".join(out)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "\u2026"


def dot_quote(text: str) -> str:
    """A DOT double-quoted string showing ``text`` literally (one line per list item
    is the caller's job: join already-quoted-safe lines with :func:`dot_lines`)."""
    return '"' + _escape(text) + '"'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot_lines(lines: list[str]) -> str:
    """A quoted DOT label of several lines (centred), each line escaped."""
    return '"' + "\\n".join(_escape(line) for line in lines) + '"'
