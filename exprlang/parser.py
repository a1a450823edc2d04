"""Parsing user text into a validated :class:`Program`, never executing it.

Order of work, each step bounded by the one before:

1. type and length check (``Limits.max_length``) on the raw text;
2. normalisation of look-alikes, rejection of other non-ASCII (:mod:`.normalize`);
3. tokenising in one linear pass (parenthesis depth checked here);
4. statement count on the tokens (``max_statements``);
5. recursive descent whose depth is bounded explicitly by ``Limits.max_depth``; nodes
   are counted as they are made (``max_nodes``), literals and constant exponents
   checked as they are read (in float64: no Python big ints are ever computed);
6. names: inputs vs assigned names, the variable limit.

This module is the grammar; what to say when a token does not fit it (Python syntax the
language lacks, a missing operator, an unclosed parenthesis) is :mod:`.diagnose`.

Grammar (one statement a line; newlines inside parentheses continue a line)::

    program   := statement (NEWLINE statement)*
    statement := NAME '=' expr | expr            (a bare expr only as the last line)
    expr      := term (('+' | '-') term)*
    term      := unary (('*' | '/' | '@') unary)*   ('a @ b' is 'matmul(a, b)', as in Python)
    unary     := ('-' | '+') unary | power
    power     := atom ['**' unary]               (right-associative, like Python)
    atom      := NUMBER | NAME | ['F' '.'] NAME '(' arguments ')' | '(' expr ')'
                                                 ('F.sin(x)': the book's dezero.functions)
    arguments := [argument (',' argument)* [',']]
    argument  := expr | constant | NAME '=' constant
    constant  := ['-' | '+'] NUMBER | '(' [int (',' int)* [',']] ')' | True | False | None
"""

from __future__ import annotations

import difflib
import keyword
import math
from collections.abc import Mapping

from .diagnose import AUG_ASSIGN, BOOK_PREFIX, CONSTANT_NAMES, Diagnosis, clip
from .errors import ExpressionError, only_expression_errors
from .limits import DEFAULT_LIMITS, Limits
from .normalize import Normalized, normalize_text
from .syntax import (
    MATMUL,
    MATMUL_FUNCTION,
    Binary,
    Call,
    FunctionSpec,
    Name,
    Node,
    Num,
    Param,
    Position,
    Program,
    Statement,
    Unary,
    format_param,
    postorder,
)
from .tokens import END, ERROR, NAME, NEWLINE, NUM, OP, Token, tokenize

_ENDS_OPERAND = {")", ",", "="}


@only_expression_errors
def parse_program(text: str, functions: Mapping[str, FunctionSpec],
                  limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse and validate ``text`` against the allowed ``functions``.

    Raises :class:`ExpressionError` and nothing else; every limit in ``limits`` is
    checked before the work it guards (the length before anything at all).
    """
    if not isinstance(text, str):
        raise ExpressionError("not_text", None, type=type(text).__name__)
    if len(text) > limits.max_length:
        raise ExpressionError("too_long", None, length=len(text), limit=limits.max_length)
    try:
        normalized = normalize_text(text)
        return _Parser(normalized, functions, limits).program()
    except ExpressionError:
        raise
    except (RecursionError, MemoryError):  # not expected: depth and size are bounded
        raise ExpressionError("too_deep", None, limit=limits.max_depth) from None


def _fold(root: Node) -> float | None:
    """The float64 value of a constant sub-expression; None if it is not constant or not
    finite. Python floats cannot take long (a too-large power raises OverflowError)."""
    values: dict[int, float] = {}
    for node in postorder(root):
        if isinstance(node, Num):
            values[id(node)] = node.value
        elif isinstance(node, Unary):
            v = values.pop(id(node.operand))
            values[id(node)] = -v if node.op == "-" else v
        elif isinstance(node, Binary):
            a, b = values.pop(id(node.left)), values.pop(id(node.right))
            try:
                if node.op == "+":
                    r = a + b
                elif node.op == "-":
                    r = a - b
                elif node.op == "*":
                    r = a * b
                elif node.op == "/":
                    r = a / b
                elif node.op == "**":
                    r = a ** b
                else:  # '@' of two numbers is no number
                    return None
            except (OverflowError, ZeroDivisionError, ValueError):
                return None
            if isinstance(r, complex) or not math.isfinite(r):
                return None
            values[id(node)] = r
        else:
            return None
    return values[id(root)]


class _Parser(Diagnosis):
    def __init__(self, normalized: Normalized, functions: Mapping[str, FunctionSpec],
                 limits: Limits):
        self.norm = normalized
        self.functions = functions
        self.limits = limits
        self.tokens = tokenize(normalized.text, limits, normalized.position)
        self.i = 0
        self.n_nodes = 0
        # name -> (line, position) of its first use before any assignment
        self.first_use: dict[str, tuple[int, Position]] = {}
        self.assigned: dict[str, int] = {}  # name -> line of its assignment
        self.open_parens = 0  # '(' read and not yet closed
        self.operand_start = self.tokens[0]  # first token of the operand being read

    # --- tokens -------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        """The current token; reaching an unreadable spot raises its error."""
        tok = self.tokens[self.i]
        if tok.kind == ERROR:
            raise tok.error
        return tok

    def peek(self, k: int = 1) -> Token:
        """The token ``k`` ahead; an unreadable spot raises its error here too."""
        tok = self.tokens[min(self.i + k, len(self.tokens) - 1)]
        if tok.kind == ERROR:
            raise tok.error
        return tok

    def advance(self) -> Token:
        tok = self.tok
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def pos(self, tok: Token) -> Position:
        return self.norm.position(tok.offset)

    def source(self, start: Token, end: Token) -> str:
        """The normalised text from ``start`` up to (excluding) ``end``, clipped."""
        text = " ".join(self.norm.text[start.offset:end.offset].split())
        return text if len(text) <= 30 else text[:27] + "..."

    def new(self, node: Node) -> Node:
        self.n_nodes += 1
        if self.n_nodes > self.limits.max_nodes:
            raise ExpressionError("too_many_nodes", node.position, limit=self.limits.max_nodes)
        return node

    def enter(self, depth: int, tok: Token) -> int:
        if depth > self.limits.max_depth:
            raise ExpressionError("too_deep", self.pos(tok), limit=self.limits.max_depth)
        return depth + 1

    # --- program ------------------------------------------------------------------------
    def program(self) -> Program:
        while self.tok.kind == NEWLINE:
            self.advance()
        if self.tok.kind == END:
            raise ExpressionError("empty")
        self._count_statements()
        statements: list[Statement] = []
        while self.tok.kind != END:
            statements.append(self.statement())
            if self.tok.kind == NEWLINE:
                self.advance()
        for st in statements[:-1]:
            if st.target is None:
                raise ExpressionError("bare_expression_not_last", st.position)
        inputs = list(self.first_use)
        if len(inputs) > self.limits.max_variables:
            extra = inputs[self.limits.max_variables]
            raise ExpressionError("too_many_variables", self.first_use[extra][1],
                                  count=len(inputs), limit=self.limits.max_variables)
        return Program(self.norm.text, tuple(statements), tuple(inputs),
                       tuple(self.assigned), self.functions, self.norm.original, self.limits,
                       self.n_nodes, {name: use[1] for name, use in self.first_use.items()})

    def _count_statements(self) -> None:
        starts = [self.tokens[0]] + [self.tokens[k + 1] for k, t in enumerate(self.tokens)
                                     if t.kind == NEWLINE]
        if len(starts) > self.limits.max_statements:
            extra = starts[self.limits.max_statements]
            raise ExpressionError("too_many_statements", self.pos(extra), count=len(starts),
                                  limit=self.limits.max_statements)

    def statement(self) -> Statement:
        start = self.tok
        line = self.pos(start)[0]
        if start.kind == NAME and self.peek().is_op("="):
            self.advance()
            self.advance()
            expr = self.expr(1)
            self.end_of_statement(assignment=True)
            self.check_target(start, line)
            self.assigned[start.text] = line
            return Statement(start.text, expr, line, self.pos(start))
        if start.kind == NAME and self.peek().kind == OP and self.peek().text in AUG_ASSIGN:
            raise ExpressionError("not_allowed", self.pos(self.peek()), construct="aug_assign",
                                  text=self.peek().text)
        expr = self.expr(1)
        self.end_of_statement(assignment=False, start=start)
        return Statement(None, expr, line, self.pos(start))

    # --- expressions ----------------------------------------------------------------------
    def expr(self, depth: int) -> Node:
        left = self.term(depth)
        while self.tok.is_op("+", "-"):
            op = self.advance()
            right = self.term(depth)
            left = self.new(Binary(self.pos(op), op.text, left, right))
        return left

    def term(self, depth: int) -> Node:
        left = self.unary(depth)
        while self.tok.is_op("*", "/", MATMUL):
            if self.tok.is_op(MATMUL) and MATMUL_FUNCTION not in self.functions:
                self.explain_op(self.tok, "operator")  # no matmul to call: refused, like '//'
            op = self.advance()
            right = self.unary(depth)
            left = self.new(Binary(self.pos(op), op.text, left, right))
        return left

    def unary(self, depth: int) -> Node:
        tok = self.tok
        if tok.is_op("-", "+"):
            inner = self.enter(depth, tok)
            self.advance()
            operand = self.unary(inner)
            return self.new(Unary(self.pos(tok), tok.text, operand))
        return self.power(depth)

    def power(self, depth: int) -> Node:
        first = self.tok
        base = self.atom(depth)
        if not self.tok.is_op("**"):
            return base
        op = self.advance()
        inner = self.enter(depth, op)
        start = self.tok
        exponent = self.unary(inner)
        value = _fold(exponent)
        constant = all(isinstance(n, (Num, Unary)) or (isinstance(n, Binary) and n.op != MATMUL)
                       for n in postorder(exponent))
        if constant and (value is None or abs(value) > self.limits.max_abs_exponent):
            raise ExpressionError("exponent_too_large", self.pos(start),
                                  text=self.source(start, self.tok),
                                  whole=self.source(first, self.tok),
                                  limit=_number_text(self.limits.max_abs_exponent))
        return self.new(Binary(self.pos(op), "**", base, exponent,
                               value if constant else None))

    def atom(self, depth: int) -> Node:
        tok = self.tok
        self.operand_start = tok
        if (tok.text == BOOK_PREFIX and self.peek().is_op(".")  # the book's F.sin(x)
                and self.peek(2).kind == NAME and self.peek(3).is_op("(")):
            self.advance()
            self.advance()
            tok = self.tok
        if tok.kind == NUM:
            self.advance()
            node = self.number(tok)
        elif tok.kind == NAME and self.peek().is_op("("):
            node = self.call(depth)
        elif tok.kind == NAME:
            self.check_name(tok)
            self.advance()
            if tok.text not in self.assigned and tok.text not in self.first_use:
                self.first_use[tok.text] = (self.pos(tok)[0], self.pos(tok))
            node = self.new(Name(self.pos(tok), tok.text))
        elif tok.is_op("("):
            inner = self.enter(depth, tok)
            self.advance()
            self.open_parens += 1
            if self.tok.kind == END:
                raise ExpressionError("unclosed_paren", self.pos(tok))
            node = self.expr(inner)
            if self.tok.is_op(","):
                raise ExpressionError("not_allowed", self.pos(tok), construct="tuple")
            if not self.tok.is_op(")"):
                self.after_operand(expected="close_paren", opening=tok)
            self.advance()
            self.open_parens -= 1
        else:
            self.missing_operand(tok)
        if self.tok.is_op(".", "["):
            self.operand_start = tok
            self.explain_op(self.tok, "operator")
        return node

    def number(self, tok: Token) -> Num:
        value = float(tok.text)  # the text is a decimal literal: never a Python big int
        if not math.isfinite(value) or abs(value) > self.limits.max_abs_constant:
            raise ExpressionError("constant_too_large", self.pos(tok), text=clip(tok.text),
                                  limit=_number_text(self.limits.max_abs_constant))
        is_int = not any(c in tok.text for c in ".eE")
        return self.new(Num(self.pos(tok), value, tok.text, is_int))

    # --- calls ---------------------------------------------------------------------------
    def call(self, depth: int) -> Call:
        name_tok = self.advance()
        name = name_tok.text
        where = self.pos(name_tok)
        if keyword.iskeyword(name) or name.startswith("_"):
            self.check_name(name_tok)
        spec = self.functions.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(self.functions), n=1, cutoff=0.6)
            raise ExpressionError("unknown_function", where, name=clip(name),
                                  available=", ".join(sorted(self.functions)),
                                  suggestion=close[0] if close else "")
        opening = self.advance()
        inner = self.enter(depth, opening)
        self.open_parens += 1
        args: list[Node] = []
        params: list[Param] = []
        keywords: dict[str, Param] = {}
        while not self.tok.is_op(")"):
            tok = self.tok
            if tok.kind == END:
                raise ExpressionError("unclosed_paren", self.pos(opening))
            if tok.kind == NAME and self.peek().is_op("="):
                self.advance()
                self.advance()
                if tok.text not in spec.params:
                    raise ExpressionError("unknown_keyword", self.pos(tok), name=name,
                                          keyword=clip(tok.text),
                                          allowed=", ".join(spec.params))
                given = spec.params[: len(params)]
                if tok.text in keywords or tok.text in given:
                    raise ExpressionError("duplicate_argument", self.pos(tok), name=name,
                                          keyword=tok.text)
                keywords[tok.text] = self.param(inner, spec, tok.text, opening)
            elif keywords:
                raise ExpressionError("positional_after_keyword", self.pos(tok), name=name)
            elif len(args) < spec.n_inputs:
                args.append(self.expr(inner))
            elif len(params) < len(spec.params):
                params.append(self.param(inner, spec, spec.params[len(params)], opening))
            else:
                raise ExpressionError("wrong_arguments", where, name=name,
                                      given=self.count_arguments(opening),
                                      usage=spec.usage())
            if self.tok.is_op(","):
                self.advance()
            elif not self.tok.is_op(")"):
                self.after_operand(expected="comma_or_close", opening=opening)
        self.advance()
        self.open_parens -= 1
        missing = [p for p in spec.required
                   if p not in keywords and p not in spec.params[: len(params)]]
        if len(args) < spec.n_inputs or missing:
            raise ExpressionError("wrong_arguments", where, name=name,
                                  given=len(args) + len(params) + len(keywords),
                                  usage=spec.usage())
        return self.new(Call(where, name, tuple(args), tuple(params), tuple(keywords.items())))

    def param(self, depth: int, spec: FunctionSpec, param: str, opening: Token) -> Param:
        """A constant parameter value; anything else is bad_parameter."""
        start = self.tok
        where = self.pos(start)
        self.enter(depth, start)
        value: object
        try:
            if start.kind == NAME and start.text in CONSTANT_NAMES:
                self.advance()
                value = CONSTANT_NAMES[start.text]
            elif start.is_op("("):
                self.advance()
                items = []
                comma = False
                while not self.tok.is_op(")"):
                    items.append(self.param_number(spec, param, integer=True))
                    if len(items) > self.limits.max_param_items:
                        raise ExpressionError("parameter_too_large", where, name=spec.name,
                                              param=param, text="(...)",
                                              limit=f"{self.limits.max_param_items} items")
                    if self.tok.is_op(","):
                        comma = True
                        self.advance()
                    elif not self.tok.is_op(")"):
                        raise _NotConstant
                self.advance()
                value = items[0] if len(items) == 1 and not comma else tuple(items)
                size = math.prod(abs(v) for v in items)
                if size > self.limits.max_result_elements:
                    raise ExpressionError("parameter_too_large", where, name=spec.name,
                                          param=param, text=format_param(value),
                                          limit=self.limits.max_result_elements)
            else:
                value = self.param_number(spec, param, integer=False)
            if self.tok.kind == END:
                raise ExpressionError("unclosed_paren", self.pos(opening))
            if not self.tok.is_op(",", ")"):
                raise _NotConstant
        except _NotConstant:
            suggest = "x ** y" if spec.name == "pow" else ""
            raise ExpressionError("bad_parameter", where, name=spec.name, param=param,
                                  suggest=suggest) from None
        return self.new(Param(where, value, format_param(value)))

    def param_number(self, spec: FunctionSpec, param: str, *, integer: bool) -> int | float:
        sign = 1
        if self.tok.is_op("-", "+"):
            sign = -1 if self.advance().text == "-" else 1
        tok = self.tok
        if tok.kind != NUM:
            raise _NotConstant
        self.advance()
        is_int = not any(c in tok.text for c in ".eE")
        if integer and not is_int:
            raise _NotConstant
        value = float(tok.text)
        limit = self.limits.max_param_int if is_int else self.limits.max_abs_constant
        if not math.isfinite(value) or abs(value) > limit:
            raise ExpressionError("parameter_too_large", self.pos(tok), name=spec.name,
                                  param=param, text=clip(tok.text), limit=_number_text(limit))
        return sign * int(value) if is_int else sign * value


class _NotConstant(Exception):
    """Internal: a parameter value is not a constant (becomes bad_parameter)."""


def _number_text(value: float) -> str:
    return f"{int(value)}" if float(value).is_integer() and abs(value) < 1e6 else f"{value:g}"
