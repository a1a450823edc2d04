"""End to end in a real headless Chromium: type, step, and watch a node recolour.

Skips with a reason when no Chromium is installed, except under CI=true,
where .ci/run installs Debian's chromium and a missing browser fails the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.browser import (
    NODE_BOXES_JS,
    NODE_FILL_JS,
    chromium_page,
    find_chromium,
    streamlit_server,
)

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: .ci/run should have installed chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium to run this test)")
    return found


def test_type_step_and_see_a_node_recolour(chromium, tmp_path):
    # README screenshots are refreshed with UPDATE_SCREENSHOTS=1; otherwise into tmp
    SHOTS = DOCS_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path  # noqa: N806
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, chromium_page(chromium) as page:
        page.goto(url)
        page.wait_for_selector('[data-testid="ag-graph"] svg g#f2', timeout=60_000)
        page.screenshot(path=str(SHOTS / "app_default.png"))
        # type an expression: the diamond of step 16
        box = page.get_by_label("Expression (several lines: a = ..., then y = ...)")
        box.fill("a = square(x)\ny = square(a) + square(a)")
        box.press("Control+Enter")
        page.wait_for_function("() => document.body.innerText.includes('y = square(a)')",
                               timeout=30_000)
        page.get_by_label("x", exact=True).fill("2.0")
        page.get_by_label("x", exact=True).press("Enter")
        page.wait_for_function(  # the graph for x = 2: y = 32
            """() => { const g = document.querySelector('[data-testid="ag-graph"] svg g#v4');
                       return g && g.textContent.includes('32'); }""", timeout=30_000)
        boxes_before = page.evaluate(NODE_BOXES_JS)
        before = page.evaluate(NODE_FILL_JS, "f3")  # the Add, queued
        page.get_by_role("button", name="Next step ▶").click()
        page.wait_for_function(f"() => ({NODE_FILL_JS})('f3') === '#e69f00'", timeout=30_000)
        after = page.evaluate(NODE_FILL_JS, "f3")
        assert before != after == "#e69f00"
        assert page.evaluate(NODE_BOXES_JS) == boxes_before  # nothing moved
        page.get_by_role("button", name="Next step ▶").click()
        page.wait_for_function(f"() => ({NODE_FILL_JS})('f1') === '#e69f00'", timeout=30_000)
        page.screenshot(path=str(SHOTS / "app_mid_step.png"))
        page.get_by_text("한국어").click()
        page.wait_for_function("() => document.body.innerText.includes('역전파를 한 단계씩')",
                               timeout=30_000)
        page.screenshot(path=str(SHOTS / "app_korean.png"))
    assert (SHOTS / "app_mid_step.png").stat().st_size > 10_000


def test_two_browser_sessions_do_not_share_state(chromium):
    frame = "() => { const m = document.body.innerText.match(/Frame (\\d+) of (\\d+)/); " \
            "return m ? m[1] + '/' + m[2] : null; }"
    with streamlit_server() as url, chromium_page(chromium) as first:
        second = first.context.browser.new_page()  # a new context: a separate session
        for page in (first, second):
            page.goto(url)
            page.wait_for_selector('[data-testid="ag-graph"] svg g#f2', timeout=60_000)
        # the second student switches to the diamond and steps once...
        box = second.get_by_label("Expression (several lines: a = ..., then y = ...)")
        box.fill("a = square(x)\ny = square(a) + square(a)")
        box.press("Control+Enter")
        second.wait_for_function("() => document.body.innerText.includes('y = square(a)')",
                                 timeout=30_000)
        second.get_by_role("button", name="Next step ▶").click()
        # ...while the first steps twice through the chain
        for _ in range(2):
            first.get_by_role("button", name="Next step ▶").click()
            first.wait_for_timeout(300)
        first.wait_for_function(f"() => ({frame})() === '2/3'", timeout=30_000)
        second.wait_for_function(f"() => ({frame})() === '1/3'", timeout=30_000)
        assert "y = square(a)" not in first.inner_text("body")
        assert first.evaluate(frame) == "2/3" and second.evaluate(frame) == "1/3"
