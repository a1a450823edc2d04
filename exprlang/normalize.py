"""Unicode look-alikes: the common ones are normalised on purpose, anything else non-ASCII
is rejected with its name, code point and position.

Order matters: superscript exponents are rewritten before NFKC, which would turn
``x²`` into ``x2`` (a different variable). Each normalised character remembers the
offset of the character it came from, so errors found later (by the tokenizer or the
parser) point at what the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import ExpressionError

# Math signs students paste from documents and word processors.
LOOKALIKES: dict[str, str] = {
    "\u2212": "-",   # MINUS SIGN
    "\u2010": "-",   # HYPHEN
    "\u2011": "-",   # NON-BREAKING HYPHEN
    "\u2012": "-",   # FIGURE DASH
    "\u2013": "-",   # EN DASH
    "\u00d7": "*",   # MULTIPLICATION SIGN
    "\u00b7": "*",   # MIDDLE DOT
    "\u22c5": "*",   # DOT OPERATOR
    "\u2219": "*",   # BULLET OPERATOR
    "\u2217": "*",   # ASTERISK OPERATOR
    "\u00f7": "/",   # DIVISION SIGN
    "\u2215": "/",   # DIVISION SLASH
    "\u2044": "/",   # FRACTION SLASH
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',  # curly quotes
}

SUPERSCRIPT_DIGITS = {
    "\u2070": "0", "\u00b9": "1", "\u00b2": "2", "\u00b3": "3", "\u2074": "4",
    "\u2075": "5", "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9",
}
SUPERSCRIPT_SIGNS = {"\u207b": "-", "\u207a": "+"}

# Letters from other scripts that look exactly like Latin ones (named in the message).
CONFUSABLE_LETTERS: dict[str, str] = dict(zip(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb"
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406"
    "\u03bf\u03bd\u03b1\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1"
    "\u03a4\u03a5\u03a7",
    "aeopcyxijsdhABEKMHOPCTXIovaABEZHIKMNOPTYX", strict=True))

_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_NAMES = {"\x00": "NULL", "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB",
                  "\x0c": "FORM FEED", "\x1b": "ESCAPE", "\x7f": "DELETE"}
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})


@dataclass(frozen=True)
class Normalized:
    """Normalised ASCII text and, for each of its characters, the original offset."""

    text: str
    original: str
    origin: tuple[int, ...] | None  # None: identical to the original

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, in the original text of normalised ``offset``."""
        if self.origin is not None:
            offset = self.origin[offset] if offset < len(self.origin) else len(self.original)
        return line_col(self.original, offset)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text`` (\\n, \\r\\n and \\r end lines)."""
    offset = max(0, min(offset, len(text)))
    head = text[:offset]
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    start = max(head.rfind("\n"), head.rfind("\r")) + 1
    return line, offset - start + 1


def _reject(ch: str, original: str, offset: int) -> ExpressionError:
    position = line_col(original, offset)
    codepoint = f"U+{ord(ch):04X}"
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "CONTROL CHARACTER")
    category = unicodedata.category(ch)
    if ord(ch) < 128 or category in _INVISIBLE or category == "Zs":
        return ExpressionError("invisible_character", position, codepoint=codepoint, name=name)
    if category.startswith("L"):
        return ExpressionError("non_ascii_identifier", position, char=ch, codepoint=codepoint,
                               name=name, lookalike=CONFUSABLE_LETTERS.get(ch, ""))
    return ExpressionError("non_ascii_character", position, char=ch, codepoint=codepoint,
                           name=name)


def normalize_text(text: str, *, comments: bool = True) -> Normalized:
    """Normalise ``text`` (look-alikes, superscripts, NFKC) and demand printable ASCII.

    With ``comments``, everything from a ``#`` to the end of its line is kept as typed
    and not checked (Korean comments are fine). Raises ExpressionError with the code
    ``invisible_character``, ``non_ascii_identifier`` or ``non_ascii_character``.
    """
    if text.isascii() and "\r" not in text:
        bad = _ASCII_CONTROL.search(text)
        if bad:
            raise _reject(bad.group(), text, bad.start())
        return Normalized(text, text, None)
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    in_comment = False
    while i < n:
        ch = text[i]
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
                continue
            ch = "\n"
        if ch == "\n":
            in_comment = False
            out.append("\n")
            origin.append(i)
            i += 1
            continue
        if in_comment:  # kept as typed, but no invisible characters (Trojan-source bidi tricks)
            if _ASCII_CONTROL.match(ch) or unicodedata.category(ch) in _INVISIBLE:
                raise _reject(ch, text, i)
            out.append(ch)
            origin.append(i)
            i += 1
            continue
        if ch in SUPERSCRIPT_DIGITS or (ch in SUPERSCRIPT_SIGNS and i + 1 < n
                                        and text[i + 1] in SUPERSCRIPT_DIGITS):
            start = i
            piece = "**" + SUPERSCRIPT_SIGNS.get(ch, "")
            if ch in SUPERSCRIPT_SIGNS:
                i += 1
            while i < n and text[i] in SUPERSCRIPT_DIGITS:
                piece += SUPERSCRIPT_DIGITS[text[i]]
                i += 1
            out.append(piece)
            origin.extend([start] * len(piece))
            continue
        mapped = ch if ch.isascii() else LOOKALIKES.get(ch) or unicodedata.normalize("NFKC", ch)
        if not mapped.isascii() or _ASCII_CONTROL.search(mapped):
            raise _reject(ch, text, i)
        if comments and "#" in mapped:
            in_comment = True
        out.append(mapped)
        origin.extend([i] * len(mapped))
        i += 1
    return Normalized("".join(out), text, tuple(origin))


def normalize(text: str) -> str:
    """The normalised text of ``text`` (see :func:`normalize_text`); raises ExpressionError."""
    return normalize_text(text).text
