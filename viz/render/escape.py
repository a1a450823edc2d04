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


# Bidirectional embedding/override/isolate controls: invisible, and they reorder
# the text around them (a name can pretend to be another).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def dot_quote(text: str, limit: int | None = None) -> str:
    """``text`` as one DOT double-quoted string that Graphviz shows literally.

    Backslashes, quotes and ``&`` (Graphviz decodes ``&lt;``, ``&#65;`` in plain
    labels) are escaped; line breaks become Graphviz's centred ``\\n``; tabs
    become spaces; NUL and other control characters, lone surrogates,
    U+FFFE/U+FFFF and bidirectional overrides become U+FFFD. Emoji, Hangul and
    joiners pass through. With ``limit``, the text is cut to that many
    characters (an ellipsis marks the cut). The result is safe anywhere DOT
    takes a quoted ID: a label, an ``id``, a node name.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "\u2026"
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "&":
            out.append("&amp;")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append(" ")
        elif ch in _BIDI or ch in "\ufffe\uffff" or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append("\ufffd")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot_lines(lines: list[str]) -> str:
    """A quoted DOT label of several lines (centred), each line escaped.

    Only quotes and backslashes are escaped here (callers pass lines already
    through :func:`clean_text` and handle ``&``); :func:`dot_quote` does all of
    it, ``dot_quote("\\n".join(lines))`` included.
    """
    return '"' + "\\n".join(_escape(line) for line in lines) + '"'
