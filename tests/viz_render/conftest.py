"""Fixtures for the rendering-layer tests: engine selection, hiding the system dot."""

from __future__ import annotations

import shutil

import pytest

from viz.layout import engines

NO_DOT = "Graphviz 'dot' is not on PATH here (CI installs it: apt-get install graphviz)"


@pytest.fixture(scope="session", autouse=True)
def _compiled_wasm():
    """Compile the WebAssembly Graphviz once per test session (1.5-3 s, or cached)."""
    engines.warm_up()


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH without Graphviz on it: "auto" must fall back to the pip-only engine."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None
    assert "dot" not in engines.available_engines()


@pytest.fixture
def needs_dot():
    if shutil.which("dot") is None:
        pytest.skip(NO_DOT)


@pytest.fixture(params=["wasm", "dot"])
def engine(request):
    """Each test using it runs on both engines (dot skipped cleanly when absent)."""
    if request.param == "dot" and shutil.which("dot") is None:
        pytest.skip(NO_DOT)
    return request.param
