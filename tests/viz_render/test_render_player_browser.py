"""The HTML player in a real headless Chromium: its script runs under its own CSP, keys and
buttons move between frames, and the page asks the network for nothing."""

from __future__ import annotations

import os
import shutil

import pytest
from render_dots import SMALL

from viz import engines
from viz.animate import frames_to_html

pytestmark = pytest.mark.browser


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: .ci/run should have installed chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium to run this test)")
    return found


def test_player_plays_in_chromium(tmp_path, monkeypatch):
    exe = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("HOME", str(tmp_path))
    svgs = [engines.render(SMALL.replace("0.5", str(k)), "svg").text for k in range(4)]
    page_file = tmp_path / "player.html"
    page_file.write_text(frames_to_html(
        svgs, titles=[f"step {k} <b>" for k in range(4)],
        captions=[f"caption {k} </script>" for k in range(4)], page_title="t", interval_ms=100),
        encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update"])
        try:
            page = browser.new_page()
            console, requests = [], []
            page.on("console", lambda m: console.append(m.text))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert page.inner_text("#counter") == "3 / 4"  # only the script can say so
            assert page.inner_text("#title") == "step 2 <b>"
            assert page.inner_text("#caption") == "caption 2 </script>"
            page.click("#last")
            assert page.inner_text("#counter") == "4 / 4"
            page.keyboard.press("Home")
            page.click("#play")
            # (no wait_for_function: it evals a string, which the page's CSP forbids)
            sync_api.expect(page.locator("#counter")).to_have_text("4 / 4", timeout=5000)
            page.fill("#slider", "1")
            assert page.inner_text("#counter") == "2 / 4"
            frames = page.locator(".frame")
            assert [frames.nth(k).is_visible() for k in range(4)] == [False, True, False, False]
            assert not [m for m in console if "Content Security Policy" in m]
            assert requests == [page_file.as_uri()]
        finally:
            browser.close()
