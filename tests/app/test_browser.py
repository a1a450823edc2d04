"""End to end in a real headless Chromium: type, step, and watch a node recolour.

Starts `streamlit run app.py` headless on a free local port and drives it with
Playwright. Skips with a reason when no Chromium is installed, except under
CI=true, where .ci/run installs Debian's chromium and a missing browser fails.
Screenshots go to a temporary folder; UPDATE_SCREENSHOTS=1 writes the README's
into docs/screenshots/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import (
    NODE_BOXES_JS,
    NODE_FILL_JS,
    chromium_page,
    find_chromium,
    streamlit_server,
)

pytestmark = pytest.mark.browser

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
GRAPH = '[data-testid="ag-graph"]'
RUNNING, QUEUED = "#e69f00", "#fff6cc"
DIAMOND = "a = square(x)\ny = square(a) + square(a)"


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium was found (looked for PLAYWRIGHT_CHROMIUM_"
                        "EXECUTABLE, chromium, chromium-browser): .ci/run installs it")
        pytest.skip("no Chromium on this machine (apt-get install chromium, or set "
                    "PLAYWRIGHT_CHROMIUM_EXECUTABLE) - the real-browser test needs one")
    return found


@pytest.fixture(scope="module")
def server(chromium: str) -> Iterator[str]:
    with streamlit_server() as url:
        yield url


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = DOCS_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for_step(page, k: int) -> None:
    page.wait_for_selector(f'{GRAPH}[data-step="{k}"] svg g.node', timeout=30_000)


def fill(page, node_id: str) -> str:
    return page.evaluate(NODE_FILL_JS, node_id)


def wait_until_idle(page) -> None:
    """The rerun is complete (last element drawn, nothing stale); the page scrolled up."""
    page.wait_for_function("""() => !!document.querySelector('.st-key-dl_html button')
        && !!document.querySelector('[data-testid="stDataFrame"] canvas')
        && !document.querySelector('[data-stale="true"]')""", timeout=30_000)
    page.evaluate("""() => document.querySelectorAll('[data-testid="stMain"], section.main, '
        + '[data-testid="stAppViewContainer"]').forEach(e => e.scrollTo(0, 0))""")
    page.wait_for_timeout(300)


def test_type_step_and_see_a_node_recolour(chromium, server, shots):
    with chromium_page(chromium, width=1440, height=1180) as page:
        page.goto(server)
        wait_for_step(page, 0)
        page.wait_for_function("""() => { const v = document.querySelector('.st-key-val_x input');
                                          return v && v.value === '0.5'; }""", timeout=30_000)
        wait_until_idle(page)
        assert "1.649" in page.text_content(f"{GRAPH} svg g#v3")  # y on its node
        page.screenshot(path=str(shots / "app_default.png"))

        # type an expression (the diamond of step 16) and a value
        box = page.locator(".st-key-expr textarea")
        box.fill(DIAMOND)
        box.press("Control+Enter")
        page.wait_for_function("() => document.body.innerText.includes('y = square(a)')",
                               timeout=30_000)
        value = page.locator(".st-key-val_x input")
        value.fill("2.0")
        value.press("Enter")
        page.wait_for_function(f"""() => {{
            const g = document.querySelector('{GRAPH} svg g#v4');
            return g && g.textContent.includes('32'); }}""", timeout=30_000)  # y = 32
        wait_until_idle(page)
        boxes = page.evaluate(NODE_BOXES_JS)
        assert fill(page, "f3") == QUEUED  # the Add, queued

        page.get_by_role("button", name="Next step ▶").click()
        wait_for_step(page, 1)
        page.wait_for_function(f"() => ({NODE_FILL_JS})('f3') === '{RUNNING}'", timeout=30_000)
        assert fill(page, "f3") == RUNNING  # recoloured: the Add runs in step 1
        assert page.evaluate(NODE_BOXES_JS) == boxes  # and nothing moved

        page.get_by_role("button", name="Next step ▶").click()
        wait_for_step(page, 2)
        page.wait_for_function(f"() => ({NODE_FILL_JS})('f1') === '{RUNNING}'", timeout=30_000)
        assert page.evaluate(NODE_BOXES_JS) == boxes
        wait_until_idle(page)
        assert "a.grad" in page.inner_text("body")  # the grad-sum panel
        page.screenshot(path=str(shots / "app_mid_step.png"))

        page.get_by_text("한국어").click()
        page.wait_for_function("() => document.body.innerText.includes('역전파를 한 단계씩')",
                               timeout=30_000)
        wait_until_idle(page)
        assert "기울기" in page.text_content(f"{GRAPH} svg")
        page.screenshot(path=str(shots / "app_korean.png"))
    assert (shots / "app_mid_step.png").stat().st_size > 20_000


def test_two_students_on_one_server_keep_their_own_state(chromium, server):
    with chromium_page(chromium) as first:
        second = first.context.browser.new_page()  # a new context: a separate session
        for page in (first, second):
            page.goto(server)
            wait_for_step(page, 0)
        box = second.locator(".st-key-expr textarea")
        box.fill(DIAMOND)
        box.press("Control+Enter")
        second.wait_for_function("() => document.body.innerText.includes('y = square(a)')",
                                 timeout=30_000)
        second.get_by_role("button", name="Next step ▶").click()
        wait_for_step(second, 1)
        for k in (1, 2):
            first.get_by_role("button", name="Next step ▶").click()
            wait_for_step(first, k)
        assert "y = square(a)" not in first.inner_text("body")
        assert second.get_attribute(GRAPH, "data-step") == "1"
        assert first.get_attribute(GRAPH, "data-step") == "2"
