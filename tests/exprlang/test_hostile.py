"""The committed corpus of hostile inputs: each is an ExpressionError, quickly, both ways."""

from __future__ import annotations

import time

import pytest
from exprlang_testkit import FUNCTIONS, hostile_inputs

from exprlang import ExpressionError, evaluate, parse_program
from exprlang.engine import build_graph

CORPUS = hostile_inputs()
VALUES = {"x": "1.0", "y": "2.0"}


def test_corpus_is_large_and_decoded():
    assert len(CORPUS) >= 60
    assert len(set(CORPUS)) == len(CORPUS)
    assert "__import__('os').system('id')" in CORPUS
    assert "x\u202e + 1" in CORPUS and "x\x00 + 1" in CORPUS
    assert "try: x\nexcept: y" in CORPUS and "x\\\n+ 1" in CORPUS


def _numpy_run(text):
    program = parse_program(text, FUNCTIONS)
    return evaluate(program, {name: 1.0 for name in program.input_names})


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_input_is_an_expression_error(text):
    for run in (_numpy_run, lambda t: build_graph(t, VALUES)):
        start = time.perf_counter()
        try:
            run(text)
        except ExpressionError as err:
            assert err.code != "internal_error", err.__cause__
            assert err.message("en") and err.message("ko")
            assert err.code and isinstance(err.params, dict)
        else:
            pytest.fail(f"accepted: {text!r}")
        assert time.perf_counter() - start < 1.0


def test_the_package_never_hands_text_to_an_evaluator():
    import re
    from pathlib import Path

    import exprlang

    forbidden = re.compile(r"\b(eval|exec|literal_eval|sympify|numexpr|__import__)\s*\(|"
                           r"(?<!re\.)\bcompile\s*\(|^\s*import ast|^\s*from ast ", re.M)
    sources = sorted(Path(exprlang.__file__).parent.glob("*.py"))
    assert len(sources) >= 10
    for path in sources:
        assert not forbidden.search(path.read_text(encoding="utf-8")), path.name
