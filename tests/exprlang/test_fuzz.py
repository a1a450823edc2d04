"""Fuzzing, on every run with fixed seeds: random and mutated texts raise nothing but
ExpressionError and never hang; grammar-generated programs parse, print back and evaluate
to the value computed alongside their generation."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from exprlang_testkit import FUNCTIONS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exprlang import ExpressionError, evaluate, parse_program, parse_value

SEED = 20261124
GRAMMAR_CHARS = "xyzab0123456789.e+-*/()=, \n#" + "**" * 4 + "  " * 4
OTHER_CHARS = ("_[]{}'\":;@%^&|~`<>!?\\$\t\x00\r"
               "\u00b2\u00b3\u2212\u00d7\u00f7\u00b7\uff58\uff0b\u0445\ud55c\u202e\u200b\u221a")
WORDS = ["square", "exp", "log", "sin", "cos", "tanh", "sigmoid", "sum", "reshape", "pow",
         "matmul", "transpose", "axis=", "keepdims=True", "(2, 3)", "lambda", "__class__",
         "import", "if", "for", "9**9**9", "1e309", "True", "None", "sqr", "((((", "))))"]
SEEDS = [
    "square(exp(square(x)))",
    "a = x * y\nb = a + z\nb / 2",
    "y = sin(x) / cos(x) ** 2 - -x",
    "sum(x * y, axis=0, keepdims=True) + 2 ** x",
    "reshape(x, (3, 1)) - transpose(y)",
    "a = tanh(x)  # 주석\ny = pow(a, 3) + sigmoid(-a)",
    "y = x\u00b2 \u2212 2\u00d7x",
    "matmul(x, y) + 1e-3",
]
VALUES = {"x": np.array([0.5, -1.0, 2.0]), "y": np.array([1.5, 0.25, -0.5]),
          "z": np.array(-0.3), "a": np.array(0.7), "b": np.array(1.1)}


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 25)):
        roll = rng.random()
        if roll < 0.65:
            parts.append(rng.choice(GRAMMAR_CHARS))
        elif roll < 0.85:
            parts.append(rng.choice(WORDS))
        else:
            parts.append(rng.choice(OTHER_CHARS))
    return "".join(parts)


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        roll, pos = rng.random(), rng.randrange(len(chars) + 1)
        if roll < 0.3 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif roll < 0.6:
            chars.insert(pos, rng.choice(GRAMMAR_CHARS + OTHER_CHARS))
        elif roll < 0.8 and chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(GRAMMAR_CHARS)
        else:  # duplicate a slice (grows nesting and repetition)
            a = rng.randrange(len(chars) + 1)
            b = min(len(chars), a + rng.randint(1, 12))
            chars[pos:pos] = chars[a:b]
    return "".join(chars)


def _parse_and_evaluate(text: str) -> None:
    program = parse_program(text, FUNCTIONS)
    values = {name: VALUES.get(name, np.array(1.0)) for name in program.input_names}
    evaluate(program, values)


def test_ten_thousand_random_and_mutated_texts_raise_only_expression_errors():
    rng = random.Random(SEED)
    slowest, accepted, codes = 0.0, 0, set()
    for i in range(10_000):
        text = _random_text(rng) if i % 2 else _mutate(rng, rng.choice(SEEDS))
        start = time.perf_counter()
        try:
            _parse_and_evaluate(text)
            accepted += 1
        except ExpressionError as err:
            codes.add(err.code)
            assert str(err) and err.message("ko")
            assert err.code != "internal_error", (text, err.__cause__)
        slowest = max(slowest, time.perf_counter() - start)
    assert slowest < 1.0
    # the fuzz reaches both sides and many different errors
    assert 500 < accepted < 9_500
    assert len(codes) >= 20, codes


def test_random_value_texts_raise_only_expression_errors():
    rng = random.Random(SEED + 1)
    alphabet = "0123456789.,[] -+eE\n" + "nanif" + "x'(\u2212\uff11"
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        try:
            value = parse_value(text)
        except ExpressionError as err:
            assert err.code != "internal_error", (text, err.__cause__)
            continue
        assert value.dtype == np.float64 and np.isfinite(value).all()


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list(GRAMMAR_CHARS + OTHER_CHARS)), max_size=60)
       | st.text(max_size=40))
def test_hypothesis_texts_raise_only_expression_errors(text):
    try:
        _parse_and_evaluate(text)
    except ExpressionError as err:
        assert err.code != "internal_error", (text, err.__cause__)


# --- grammar-generated programs ------------------------------------------------------------
ATOM, POWER, UNARY, PRODUCT, SUM = 5, 4, 3, 2, 1
UNARY_FUNCTIONS = {"square": np.square, "exp": np.exp, "sin": np.sin, "cos": np.cos,
                   "tanh": np.tanh, "log": np.log,
                   "sigmoid": lambda a: 1 / (1 + np.exp(-a))}
BINARY = {"+": (SUM, np.add), "-": (SUM, np.subtract), "*": (PRODUCT, np.multiply),
          "/": (PRODUCT, np.divide)}


class Generator:
    """Random expressions with the value they must have, built side by side, with only
    the parentheses the precedence needs (plus a few extra ones)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def wrap(self, item, needs_parens):
        text, _prec, value = item
        if needs_parens or self.rng.random() < 0.1:
            return f"({text})", value
        return text, value

    def expr(self, depth: int):
        """(text, precedence, value) of a random expression."""
        rng = self.rng
        roll = rng.random() if depth < 5 else 0.0
        if roll < 0.3:
            if rng.random() < 0.5:
                name = rng.choice("xyzab")
                return name, ATOM, VALUES[name]
            text = rng.choice(["2", "3", "0.5", "1.5", "1e-3", "2.", ".25", "10"])
            return text, ATOM, np.array(float(text))
        if roll < 0.6:
            op = rng.choice(list(BINARY))
            prec, fn = BINARY[op]
            left_item, right_item = self.expr(depth + 1), self.expr(depth + 1)
            left, lv = self.wrap(left_item, left_item[1] < prec)
            right, rv = self.wrap(right_item, right_item[1] <= prec)
            return f"{left} {op} {right}", prec, fn(lv, rv)
        if roll < 0.7:
            base_item = self.expr(depth + 1)
            base, bv = self.wrap(base_item, base_item[1] <= POWER)
            if rng.random() < 0.7:
                c = rng.choice([0, 1, 2, 3, -1, 0.5, -2])
                return f"{base} ** {c}", POWER, np.power(bv, float(c))
            exp_item = self.expr(depth + 1)
            exponent, ev = self.wrap(exp_item, exp_item[1] < UNARY)
            return f"{base} ** {exponent}", POWER, np.power(bv, ev)
        if roll < 0.8:
            operand_item = self.expr(depth + 1)
            operand, ov = self.wrap(operand_item, operand_item[1] <= UNARY)
            return f"-{operand}", UNARY, np.negative(ov)
        if roll < 0.93:
            name = rng.choice(list(UNARY_FUNCTIONS))
            text, _, value = self.expr(depth + 1)
            return f"{name}({text})", ATOM, UNARY_FUNCTIONS[name](value)
        text, _, value = self.expr(depth + 1)
        if rng.random() < 0.5:
            return f"sum({text})", ATOM, np.sum(value)
        return f"pow({text}, 2)", ATOM, np.power(value, 2)


def test_grammar_generated_programs_parse_print_back_and_evaluate_exactly():
    rng = random.Random(SEED + 2)
    gen = Generator(rng)
    checked = 0
    with np.errstate(all="ignore"):
        while checked < 500:
            text, _, expected = gen.expr(0)
            if rng.random() < 0.3:  # sometimes as a two-line program
                text = f"t = {text}\nout = t * 1"
            start = time.perf_counter()
            try:
                program = parse_program(text, FUNCTIONS)
            except ExpressionError as err:  # only a size limit may refuse a valid program
                assert err.code in {"too_many_nodes", "too_deep", "exponent_too_large"}, text
                continue
            result = evaluate(program, {n: VALUES[n] for n in program.input_names})
            assert time.perf_counter() - start < 1.0
            np.testing.assert_allclose(np.asarray(result.output, dtype=float), expected,
                                       rtol=1e-9, atol=0, equal_nan=True, err_msg=text)
            again = parse_program(program.canonical(), FUNCTIONS)
            assert again.canonical() == program.canonical(), text
            checked += 1
    assert checked == 500


@pytest.mark.parametrize("seed_text", SEEDS)
def test_seed_programs_are_valid(seed_text):
    _parse_and_evaluate(seed_text)
