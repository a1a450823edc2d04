"""Unicode look-alikes: normalised on purpose, anything else non-ASCII rejected."""

from __future__ import annotations

import unicodedata

from .errors import ExpressionError

# Math signs students paste from documents, mapped before NFKC (which would turn
# x² into x2, a different variable).
LOOKALIKES = {
    "\u2212": "-",   # minus sign
    "\u2013": "-",   # en dash
    "\u00d7": "*",   # multiplication sign
    "\u00b7": "*",   # middle dot
    "\u22c5": "*",   # dot operator
    "\u00f7": "/",   # division sign
    "\u00b2": "**2",
    "\u00b3": "**3",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
}


def normalize(text: str) -> str:
    """Map look-alikes, apply NFKC (fullwidth ＋ becomes +), then demand ASCII."""
    mapped = "".join(LOOKALIKES.get(ch, ch) for ch in text)
    mapped = unicodedata.normalize("NFKC", mapped)
    for offset, ch in enumerate(mapped):
        if ord(ch) > 127 or (ord(ch) < 32 and ch not in "\n\t\r"):
            line = mapped.count("\n", 0, offset) + 1
            col = offset - (mapped.rfind("\n", 0, offset) + 1) + 1
            raise ExpressionError("non_ascii", (line, col), char=ch,
                                  codepoint=f"U+{ord(ch):04X}")
    return mapped.replace("\t", " ").replace("\r", "")
