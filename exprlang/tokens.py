"""The tokenizer: normalised ASCII text -> a flat list of tokens, in one linear pass.

It knows Python's punctuation well enough to name what the user wrote (``:=``,
``==``, ``//``, quotes) so the parser can explain it; it never decides what is
allowed in an expression, except for characters and literals no program may hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ExpressionError
from .limits import Limits

NUM, NAME, OP, NEWLINE, END, ERROR = "NUM", "NAME", "OP", "NEWLINE", "END", "ERROR"

# Longest first, so '**=' wins over '**' and '*'.
OPERATORS = sorted(
    ["+", "-", "*", "/", "**", "(", ")", ",", "=", ".", "[", "]", "{", "}", ":", ":=", ";",
     "==", "!=", "<", ">", "<=", ">=", "%", "//", "@", "&", "|", "^", "~", "<<", ">>", "->",
     "+=", "-=", "*=", "/=", "**=", "//=", "%=", "@=", "&=", "|=", "^=", "<<=", ">>=", "...",
     "\\", "!"],
    key=len, reverse=True)

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAIL = re.compile(r"[A-Za-z0-9_.]*")
_SPACE = re.compile(r"[ \t]+")
_STRING_PREFIXES = {"f", "rf", "fr", "b", "rb", "br", "r", "u"}


@dataclass(frozen=True)
class Token:
    """One token: its kind (NUM, NAME, OP, NEWLINE, END, ERROR), text and offset.

    An ERROR token carries the error for text the tokenizer cannot read (a quote, a
    malformed number...); the parser raises it when it gets there, so errors are
    reported in reading order.
    """

    kind: str
    text: str
    offset: int
    error: ExpressionError | None = None

    def is_op(self, *texts: str) -> bool:
        return self.kind == OP and self.text in texts


def tokenize(text: str, limits: Limits,
             position: Callable[[int], tuple[int, int]]) -> list[Token]:
    """Tokens of normalised ``text``; ``position`` maps an offset to the user's (line, col).

    Newlines inside parentheses continue the line (like Python); comments are skipped.
    Parenthesis nesting past ``limits.max_depth`` ends the list with an ERROR token, as
    does anything unreadable (tokenising stops there).
    """
    tokens: list[Token] = []
    try:
        _scan(text, limits, position, tokens)
    except _Unreadable as stop:
        tokens.append(Token(ERROR, "", stop.offset, stop.error))
    if tokens and tokens[-1].kind == NEWLINE:
        tokens.pop()
    tokens.append(Token(END, "", len(text)))
    return tokens


class _Unreadable(Exception):
    """Internal: the scan stopped at ``offset`` with ``error`` (becomes an ERROR token)."""

    def __init__(self, offset: int, error: ExpressionError):
        super().__init__(error.code)
        self.offset = offset
        self.error = error


def _scan(text: str, limits: Limits, position: Callable[[int], tuple[int, int]],
          tokens: list[Token]) -> None:
    def fail(code: str, offset: int, **params: object) -> _Unreadable:
        return _Unreadable(offset, ExpressionError(code, position(offset), **params))

    i, n, depth = 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch in " \t":
            i = _SPACE.match(text, i).end()
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch == "\n":
            if depth == 0 and tokens and tokens[-1].kind != NEWLINE:
                tokens.append(Token(NEWLINE, "\n", i))
            i += 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            m = _NUMBER.match(text, i)
            end = m.end()
            nxt = text[end] if end < n else ""
            after = text[end + 1] if end + 1 < n else ""
            malformed = (
                nxt in ("_", ".")                                         # 1_000, 1.2.3
                or (nxt in ("e", "E") and not (after.isalpha() or after == "_"))  # 1e, 1e+
                or (nxt in ("j", "J") and not (after.isalnum() or after == "_"))  # 1j
                or (m.group() == "0" and nxt in ("x", "X", "o", "O", "b", "B"))   # 0x10
            )
            if malformed:
                bad = text[i:_TAIL.match(text, end).end()]
                raise fail("bad_number", i, text=_clip(bad))
            tokens.append(Token(NUM, m.group(), i))
            i = end
        elif ch.isalpha() or ch == "_":
            m = _NAME.match(text, i)
            end = m.end()
            if end < n and text[end] in "'\"" and m.group().lower() in _STRING_PREFIXES:
                construct = "fstring" if "f" in m.group().lower() else "string"
                raise fail("not_allowed", i, construct=construct)
            tokens.append(Token(NAME, m.group(), i))
            i = end
        elif ch in "'\"":
            raise fail("not_allowed", i, construct="string")
        else:
            for op in OPERATORS:
                if text.startswith(op, i):
                    break
            else:
                raise fail("unexpected_character", i, char=ch)
            if op == "(":
                depth += 1
                if depth > limits.max_depth:
                    raise fail("too_deep", i, limit=limits.max_depth)
            elif op == ")" and depth > 0:
                depth -= 1
            tokens.append(Token(OP, op, i))
            i += len(op)


def _clip(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."
