"""The player in a real headless Chromium, in the exported HTML page and in a notebook's
output: keys, buttons, slider, click-to-select, zoom, full screen, hostile names, a
broken scene, nodes that never move, and not one request but the page itself."""

from __future__ import annotations

import html
import json
import os
import shutil

import numpy as np
import pytest

import viz
from autograd_core import Variable, square
from viz.player import html_page
from viz.player.scene import Scene

pytestmark = pytest.mark.browser
EVIL = '</script><img src=x onerror=alert(1)>"&'
BOXES = """els => els.map(g => { const s = g.querySelector('.shape');
  return g.getAttribute('data-id') + ':' + (s.getAttribute('cx') || s.getAttribute('x')) + ','
    + (s.getAttribute('cy') || s.getAttribute('y')); })"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: .ci/run should have installed chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium to run this test)")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("HOME", str(tmp_path_factory.mktemp("home")))
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield b
        finally:
            b.close()


def _diamond(name: str = "x") -> viz.BackwardReplay:
    x = Variable(np.array(2.0), name=name)
    a = square(x)
    a.name = "a"
    y = square(a) + square(a)
    y.name = "y"
    return viz.BackwardReplay(y)


def _open(browser, path, width=1280, height=720):
    page = browser.new_page(viewport={"width": width, "height": height})
    log = {"console": [], "requests": []}
    page.on("console", lambda m: log["console"].append(m.text))
    page.on("pageerror", lambda e: log["console"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("[data-testid=agv-player][data-ready='1']", timeout=15_000)
    return page, log


def test_exported_page_steps_zooms_selects_and_asks_for_nothing(browser, tmp_path):
    from playwright.sync_api import expect

    scene = Scene(_diamond(EVIL), forward=True)
    path = tmp_path / "pass.html"
    path.write_text(html_page(scene.to_json(), title=EVIL), encoding="utf-8")
    page, log = _open(browser, path)
    player = page.locator("[data-testid=agv-player]")
    start = scene.start
    assert player.get_attribute("data-step") == str(start)  # opens before backward
    boxes = page.locator(".ag-node").evaluate_all(BOXES)
    # the hostile name is text on its node, and nothing it says became an element
    assert EVIL in page.locator("[data-testid=node-v0] text").text_content()
    assert page.locator("img").count() == 0 and EVIL in page.locator("h1").inner_text()

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(player).to_have_attribute("data-step", str(start + 2))
    assert "s-current" in page.locator("[data-testid=node-f1]").get_attribute("class")
    caption = page.locator("[data-testid=agv-caption]").inner_text()
    assert caption == "Step 2 of 3: generation 1 runs Square, Square"
    # one counter (the caption's); beside the slider only the pass and its direction
    assert page.locator("[data-testid=agv-counter]").inner_text() == "← backward"
    flows = page.locator(".agv-flow.s-grad_flow text").all_text_contents()
    assert sorted(flows) == ["8", "8"]  # the grads travelling along the edges
    page.keyboard.press("Home")
    expect(player).to_have_attribute("data-step", "0")
    assert "s-no_value" in page.locator("[data-testid=node-v1]").get_attribute("class")
    page.keyboard.press("End")
    expect(player).to_have_attribute("data-step", str(scene.n_frames - 1))
    assert page.locator("[data-testid=agv-next]").is_disabled()
    page.locator("[data-testid=agv-slider]").fill(str(start + 1))
    expect(player).to_have_attribute("data-step", str(start + 1))
    page.locator("[data-testid=agv-next]").click()
    expect(player).to_have_attribute("data-step", str(start + 2))
    page.locator("[data-testid=agv-next]").click()  # now at the end: Next is disabled...
    expect(player).to_have_attribute("data-step", str(start + 3))
    assert page.evaluate("document.activeElement.getAttribute('data-testid')") == "agv-player"
    assert page.locator(".ag-node").evaluate_all(BOXES) == boxes  # nothing ever moved

    page.locator("[data-testid=node-v1]").click()
    expect(player).to_have_attribute("data-selected", "v1")
    assert "agv-selected" in page.locator("[data-testid=node-v1]").get_attribute("class")

    view = page.locator(".agv-view")
    before = view.get_attribute("transform")
    page.locator("[data-testid=agv-zoom-in]").click()
    zoomed = view.get_attribute("transform")
    assert _scale(zoomed) == pytest.approx(_scale(before) * 1.25, rel=1e-3)
    box = page.locator(".agv-svg").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(100)
    assert _scale(view.get_attribute("transform")) < _scale(zoomed)
    page.keyboard.press("0")  # fit: the whole graph, however small its text
    fitted = _scale(view.get_attribute("transform"))
    assert fitted <= _scale(before) + 1e-3  # the first view: 12 px text at least
    assert page.evaluate("""() => { const s = document.querySelector('.agv-stage')
        .getBoundingClientRect(); return [...document.querySelectorAll('.agv-nodes .ag-node')]
        .every(g => { const b = g.getBoundingClientRect(); return b.left >= s.left - 1
          && b.right <= s.right + 1 && b.top >= s.top - 1 && b.bottom <= s.bottom + 1; }); }""")
    page.mouse.move(cx, cy)  # drag to pan
    page.mouse.down()
    page.mouse.move(cx - 100, cy - 20, steps=4)
    page.mouse.up()
    assert view.get_attribute("transform") != before

    full = page.locator("[data-testid=agv-fullscreen]")
    assert full.text_content() == "Full screen"
    full.click()
    expect(player).to_have_class("agv agv-full", timeout=5_000)
    expect(full).to_have_text("Exit full screen")  # the button says what it does now
    assert full.get_attribute("aria-label") == "Exit full screen"
    assert page.locator(".agv-stage").bounding_box()["height"] > 500
    page.keyboard.press("Space")  # play
    expect(player).to_have_attribute("data-step", str(scene.n_frames - 1), timeout=10_000)

    assert not [m for m in log["console"] if "Content Security Policy" in m or "rror" in m]
    assert log["requests"] == [path.as_uri()]


def _scale(transform: str) -> float:
    return float(transform.split("scale(", 1)[1].rstrip(")"))


def test_a_scene_it_cannot_draw_gets_a_message(browser, tmp_path):
    path = tmp_path / "broken.html"
    path.write_text(html_page(json.dumps({"v": 99, "words": {}})), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    message = page.locator(".agv-broken")
    message.wait_for(timeout=10_000)
    assert "cannot be shown: unknown scene version 99" in message.inner_text()


def test_korean_player_and_projector_text_size(browser, tmp_path):
    scene = Scene(_diamond(), lang="ko")
    path = tmp_path / "ko.html"
    path.write_text(html_page(scene.to_json(), lang="ko", projector=True), encoding="utf-8")
    page, _ = _open(browser, path)
    assert page.locator("[data-testid=agv-caption]").inner_text() == (
        "역전파 전 (0/3): 출력의 기울기를 1로 둡니다")
    assert page.locator("[data-testid=agv-next]").inner_text().startswith("다음")
    # projector mode: node text at least 18 px on a 1280x720 screen
    height = page.locator("[data-testid=node-f0] tspan").first.bounding_box()["height"]
    assert height >= 18


def test_the_notebook_output_plays_in_a_page(browser, tmp_path):
    view = viz.show(_diamond().output, steps=True, widget=False)  # the HTML player
    path = tmp_path / "notebook.html"
    path.write_text("<!DOCTYPE html><html><body><div class='output'>"
                    f"{view._repr_html_()}</div></body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    frame = page.frame_locator("iframe")
    player = frame.locator("[data-testid=agv-player][data-ready='1']")
    player.wait_for(timeout=15_000)
    player.focus()
    page.keyboard.press("ArrowRight")
    from playwright.sync_api import expect

    expect(player).to_have_attribute("data-step", "1")
    assert "s-current" in frame.locator("[data-testid=node-f3]").get_attribute("class")
    assert all(u.startswith(("file:", "about:")) for u in requests), requests
    assert html.escape("<") not in frame.locator("h1").inner_text()


def test_a_single_step_is_reported_at_once_and_a_burst_once_more_at_its_end(browser, tmp_path):
    # the app reruns its panel on each report: a student's single key must not wait, and a
    # held key must not ask for a rerun per frame
    scene = Scene(_diamond(), forward=True)
    path = tmp_path / "pass.html"
    path.write_text(html_page(scene.to_json(), title="reports"), encoding="utf-8")
    page, _ = _open(browser, path)
    page.evaluate("""() => {
      const root = document.createElement('div');
      document.body.appendChild(root);
      window.agvReports = [];
      const scene = JSON.parse(document.getElementById('agv-scene').textContent);
      agvizPlayer(root, scene, {step: 0, onStep: (k) => window.agvReports.push(k)});
    }""")
    mine = page.locator("[data-testid=agv-player]").nth(1)
    mine.focus()
    page.wait_for_timeout(300)
    mine.press("ArrowRight")
    assert page.evaluate("window.agvReports") == [1]  # in the key's own handler
    page.wait_for_timeout(300)
    reported = page.evaluate("""() => {  // a burst of four keys in one task: the first
      const box = document.querySelectorAll('[data-testid=agv-player]')[1];
      for (let i = 0; i < 4; i++) {
        box.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
      }
      return window.agvReports.slice();  // read in the same task: the 25 ms timer waits
    }""")
    assert reported == [1, 2]  # at once, and the last when the burst has ended
    page.wait_for_timeout(200)
    assert page.evaluate("window.agvReports") == [1, 2, 5]
    assert mine.get_attribute("data-step") == "5"


def _long_sum(terms: int) -> viz.BackwardReplay:
    """What a student types: 1*x + 2*x + ... (every term shares x)."""
    x = Variable(np.array(2.0), name="x")
    y = 1 * x
    for k in range(2, terms + 1):
        y = y + k * x
    y.name = "y"
    return viz.BackwardReplay(y)


def test_a_graph_wider_than_the_stage_fills_it_and_keeps_the_running_node_in_view(
        browser, tmp_path):
    """Legible text makes a long sum wider than the stage: the player keeps the running
    functions in view without leaving blank stage beyond the graph's end."""
    scene = Scene(_long_sum(30))
    path = tmp_path / "sum30.html"
    path.write_text(html_page(scene.to_json()), encoding="utf-8")
    page, log = _open(browser, path)
    on_screen = """() => {
      const st = document.querySelector('.agv-stage').getBoundingClientRect();
      const r = [...document.querySelectorAll('.ag-node:not(.hidden)')].map(
        g => g.getBoundingClientRect());
      const busy = [...document.querySelectorAll('.ag-node.s-current')]
        .map(g => g.getBoundingClientRect());
      const spread = busy.length ? Math.max(...busy.map(b => b.right))
        - Math.min(...busy.map(b => b.left)) : 0;
      return {left: Math.min(...r.map(b => b.left)) - st.left,
              right: st.right - Math.max(...r.map(b => b.right)), width: st.width,
              fits: spread < st.width, busy: busy.map(b => [b.left - st.left, st.right - b.right])};
    }"""
    view = page.evaluate(on_screen)  # before backward: the output's end of the graph
    assert view["left"] < 0 and view["right"] < 40, view
    followed = 0
    for step in range(scene.start + 1, scene.n_frames):
        page.keyboard.press("ArrowRight")
        page.wait_for_selector(f"[data-testid=agv-player][data-step='{step}']")
        view = page.evaluate(on_screen)
        assert view["left"] < 40 and view["right"] < 40, (step, view)  # no blank stage
        if view["fits"]:  # the step's functions can all be on screen: they are
            assert all(a >= 0 and b >= 0 for a, b in view["busy"]), (step, view)
            followed += 1
    assert followed >= scene.n_frames - scene.start - 2
    assert log["console"] == []
