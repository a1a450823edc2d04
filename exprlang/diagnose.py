"""Why a program does not parse: the messages for the syntax the language lacks.

The parser (:mod:`.parser`) is the grammar; when it meets a token that the grammar does
not allow, these methods say what the student most likely meant (an attribute, a
comparison, a missing operator, an unclosed parenthesis...). :class:`Diagnosis` is mixed
into the parser and reads its cursor (``tok``, ``tokens``, ``i``, ``pos``...).
"""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING

from .errors import ExpressionError
from .tokens import END, NAME, NEWLINE, NUM, OP, Token

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .limits import Limits
    from .syntax import FunctionSpec, Position

CONSTANT_NAMES = {"True": True, "False": False, "None": None}
AUG_ASSIGN = {"+=", "-=", "*=", "/=", "**=", "//=", "%=", "@=", "&=", "|=", "^=", "<<=", ">>="}
_COMPARISONS = {"==", "!=", "<", ">", "<=", ">="}
_OPERATOR_SUGGEST = {"//": "a / b", "^": "a ** b"}  # "@" is refused only without matmul
# The book imports ``dezero.functions as F``: ``F.sin(x)`` is ``sin(x)`` here (the parser
# drops the prefix). Other libraries' prefixes get a pointed message instead.
BOOK_PREFIX = "F"
_LIBRARIES = {"np", "numpy", "math", "torch", "dezero", "functions", "jnp", "tf"}
_LIBRARY_CONSTANTS = {"pi": 3.141592653589793, "e": 2.718281828459045}  # np.pi, math.e


def clip(text: str, size: int = 30) -> str:
    """``text`` cut to ``size`` characters (with "...") for a message."""
    return text if len(text) <= size else text[: size - 3] + "..."


class Diagnosis:
    """The parser's explanations of what went wrong (see the module docstring)."""

    tok: Token
    tokens: list[Token]
    i: int
    operand_start: Token
    open_parens: int
    assigned: dict[str, int]
    first_use: dict[str, tuple[int, Position]]
    functions: Mapping[str, FunctionSpec]
    limits: Limits

    def pos(self, tok: Token) -> Position:
        raise NotImplementedError

    def peek(self, k: int = 1) -> Token:
        raise NotImplementedError

    def source(self, start: Token, end: Token) -> str:
        raise NotImplementedError

    @staticmethod
    def found(tok: Token) -> str:
        """How a message names the token found: itself, or the end of a line or the text."""
        if tok.kind == END:
            return "end_of_text"
        if tok.kind == NEWLINE:
            return "end_of_line"
        return tok.text

    def end_of_statement(self, *, assignment: bool, start: Token | None = None) -> None:
        tok = self.tok
        if tok.kind in (NEWLINE, END):
            return
        if tok.is_op("="):
            if assignment:
                raise ExpressionError("not_allowed", self.pos(tok), construct="multiple_assignment")
            raise ExpressionError("not_allowed", self.pos(tok), construct="assign_target",
                                  text=self.source(start, tok))
        if tok.is_op(","):
            raise ExpressionError("not_allowed", self.pos(tok), construct="tuple")
        self.after_operand(expected="operator")

    def check_target(self, tok: Token, line: int) -> None:
        name = tok.text
        self.check_name(tok)
        if name in self.assigned:
            raise ExpressionError("reassigned", self.pos(tok), name=name,
                                  first_line=self.assigned[name])
        if name in self.first_use:
            raise ExpressionError("assigned_input", self.pos(tok), name=name,
                                  first_line=self.first_use[name][0])

    def check_name(self, tok: Token) -> None:
        name = tok.text
        if keyword.iskeyword(name):
            construct = "lambda" if name == "lambda" else (
                "constant_value" if name in CONSTANT_NAMES else "keyword")
            raise ExpressionError("not_allowed", self.pos(tok), construct=construct, text=name)
        if name.startswith("_"):
            raise ExpressionError("bad_name", self.pos(tok), name=clip(name))
        if name in self.functions:
            raise ExpressionError("function_as_variable", self.pos(tok), name=name)
        if len(name) > self.limits.max_name_length:
            raise ExpressionError("name_too_long", self.pos(tok), name=clip(name),
                                  length=len(name), limit=self.limits.max_name_length)

    def after_operand(self, *, expected: str, opening: Token | None = None) -> None:
        """Explain the token where an operator, ',' / ')' or the end of a line belongs."""
        tok = self.tok
        prev = self.tokens[self.i - 1]
        if opening is not None and (tok.kind == END or self.pos(tok)[0] > self.pos(opening)[0]):
            raise ExpressionError("unclosed_paren", self.pos(opening))
        if tok.kind in (NUM, NAME) and not keyword.iskeyword(tok.text) or tok.is_op("("):
            raise ExpressionError("missing_operator", self.pos(tok), left=clip(prev.text, 12),
                                  right=clip(tok.text, 12))
        if tok.kind == NAME:  # a keyword: if/else/for/and/or/not/in/is/lambda ...
            raise ExpressionError("not_allowed", self.pos(tok), construct="keyword", text=tok.text)
        if tok.kind == OP:
            self.explain_op(tok, expected)
        if expected == "operator" and tok.is_op(")"):
            raise ExpressionError("unmatched_paren", self.pos(tok))
        raise ExpressionError("bad_syntax", self.pos(tok), expected=expected,
                              found=self.found(tok))

    def explain_op(self, tok: Token, expected: str) -> None:
        """Raise not_allowed for Python syntax the language lacks; return otherwise."""
        text, where = tok.text, self.pos(tok)
        if text == ".":
            nxt = self.peek()
            owner = self.source(self.operand_start, tok)
            attribute = nxt.text if nxt.kind == NAME else ""
            raise ExpressionError("not_allowed", where, construct="attribute",
                                  text=clip(f"{owner}.{attribute}"),
                                  suggest=self.instead_of_attribute(owner, attribute))
        if text == "[":
            shown = self.source(self.operand_start, tok) + "[...]"
            raise ExpressionError("not_allowed", where, construct="subscript", text=clip(shown))
        if text in _COMPARISONS:
            raise ExpressionError("not_allowed", where, construct="comparison", text=text)
        if text in AUG_ASSIGN:
            raise ExpressionError("not_allowed", where, construct="aug_assign", text=text)
        simple = {":=": "walrus", ";": "semicolon", ":": "colon", "\\": "backslash",
                  "{": "braces", "}": "braces"}
        if text in simple:
            raise ExpressionError("not_allowed", where, construct=simple[text])
        if text in ("%", "//", "@", "&", "|", "^", "~", "<<", ">>", "->", "...", "!"):
            raise ExpressionError("not_allowed", where, construct="operator", text=text,
                                  suggest=_OPERATOR_SUGGEST.get(text, ""))
        if text == "=" and expected not in ("operator", "operand"):
            raise ExpressionError("not_allowed", where, construct="keyword_outside_call",
                                  text=self.tokens[self.i - 1].text)

    def instead_of_attribute(self, owner: str, attribute: str) -> str:
        """What to write for ``owner.attribute``: ``np.exp`` -> ``exp(...)``, ``np.pi`` ->
        its number, a DeZero Variable's ``x.T`` -> ``transpose(x)``, ``x.sum`` ->
        ``sum(x)``, ``x.reshape`` -> ``reshape(x, ...)``; else nothing."""
        if owner in _LIBRARIES:
            if attribute in _LIBRARY_CONSTANTS:
                return repr(_LIBRARY_CONSTANTS[attribute])
            return f"{attribute}(...)" if attribute in self.functions else ""
        if owner.startswith("(") and owner.endswith(")"):
            owner = owner[1:-1]  # (x + 1).sum -> sum(x + 1)
        owner = clip(owner, 20)
        if attribute == "T":
            attribute = "transpose"
        spec = self.functions.get(attribute)
        if spec is None:
            return ""
        return f"{attribute}({owner}, ...)" if spec.required else f"{attribute}({owner})"

    def missing_operand(self, tok: Token) -> None:
        prev = self.tokens[self.i - 1] if self.i > 0 else None
        if tok.is_op("*", "**"):
            raise ExpressionError("not_allowed", self.pos(tok), construct="unpacking",
                                  text=tok.text)
        if tok.is_op("["):
            raise ExpressionError("not_allowed", self.pos(tok), construct="list")
        if tok.is_op(")") and self.open_parens == 0:
            raise ExpressionError("unmatched_paren", self.pos(tok))
        if tok.kind == OP and not tok.is_op(")", ","):
            self.explain_op(tok, "operand")
        if prev is not None and prev.kind == OP and prev.text in ("+", "-", "*", "/", "**", "@"):
            raise ExpressionError("missing_operand", self.pos(tok), operator=prev.text,
                                  found=self.found(tok))
        raise ExpressionError("bad_syntax", self.pos(tok), expected="operand",
                              found=self.found(tok))

    def count_arguments(self, opening: Token) -> int:
        """Top-level arguments of the call opened at ``opening`` (for the message)."""
        k = self.tokens.index(opening) + 1
        depth, count, empty = 0, 0, True
        while self.tokens[k].kind != END:
            t = self.tokens[k]
            if t.is_op("("):
                depth += 1
            elif t.is_op(")"):
                if depth == 0:
                    break
                depth -= 1
            elif t.is_op(",") and depth == 0:
                count += 1
                empty = True
                k += 1
                continue
            empty = False
            k += 1
        return count + (0 if empty else 1)
