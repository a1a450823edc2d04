"""Helpers for driving app.py with Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def app() -> AppTest:
    at = new_app().run()
    assert not at.exception
    return at


def graph_svg(at: AppTest) -> str:
    for md in at.markdown:
        if 'data-testid="ag-graph"' in md.value:
            return md.value
    raise AssertionError("no graph on the page")


def node_fill(at: AppTest, node_id: str) -> str:
    svg = graph_svg(at)
    match = re.search(rf'<g id="{node_id}" class="node">.*?fill="([^"]+)"', svg)
    assert match, f"node {node_id} not in the SVG"
    return match.group(1)
