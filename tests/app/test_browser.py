"""End to end in a real headless Chromium: type, step, and watch a node recolour.

Starts `streamlit run app.py` headless on a free local port and drives it with
Playwright. Skips with a reason when no Chromium is installed, except under
CI=true, where .ci/run installs Debian's chromium and a missing browser fails.
Screenshots go to a temporary folder; UPDATE_SCREENSHOTS=1 writes the README's
into docs/screenshots/.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from app_helpers import BIG_SUM

from bench.browser import (
    NODE_BOXES_JS,
    chromium_page,
    streamlit_server,
)

pytestmark = pytest.mark.browser

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DIAMOND = "a = square(x)\ny = square(a) + square(a)"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = DOCS_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


PLAYER = "[data-testid=agv-player]"


def wait_for_step(page, t: int) -> None:
    """The player shows timeline frame ``t`` (Playwright's locators reach into its shadow
    root; page.inner_text does not)."""
    page.wait_for_selector(f"{PLAYER}[data-step='{t}']", timeout=30_000)


def state(page, node_id: str) -> str:
    classes = page.locator(f"[data-testid=node-{node_id}]").get_attribute("class").split()
    return next(c for c in classes if c.startswith("s-"))


def boxes(page) -> list:
    return page.locator(".ag-node").evaluate_all(NODE_BOXES_JS)


def wait_until_idle(page) -> None:
    """The rerun is complete (last element drawn, nothing stale); the page scrolled up."""
    page.wait_for_function("""() => !!document.querySelector('.st-key-dl_html button')
        && !!document.querySelector('[data-testid="stMarkdownContainer"] table')
        && !document.querySelector('[data-stale="true"]')""", timeout=30_000)
    page.evaluate("""() => document.querySelectorAll('[data-testid="stMain"], section.main, '
        + '[data-testid="stAppViewContainer"]').forEach(e => e.scrollTo(0, 0))""")
    page.wait_for_timeout(300)


def test_type_step_and_see_a_node_recolour(chromium, server, shots):
    with chromium_page(chromium, width=1440, height=1180) as page:
        page.goto(server)
        wait_for_step(page, 4)  # the seed chain opens before its backward pass
        page.wait_for_function("""() => { const v = document.querySelector('.st-key-val_x input');
                                          return v && v.value === '0.5'; }""", timeout=30_000)
        wait_until_idle(page)
        assert "1.649" in page.locator("[data-testid=node-v3]").text_content()  # y on its node
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
        page.locator("[data-testid=node-v4]").filter(has_text="32").wait_for(timeout=30_000)
        wait_until_idle(page)
        start = int(page.locator(PLAYER).get_attribute("data-step"))
        before = boxes(page)
        assert state(page, "f3") == "s-pending"  # the Add, queued

        page.locator("[data-testid=agv-next]").click()  # a click in the player...
        wait_for_step(page, start + 1)
        assert state(page, "f3") == "s-current"  # ...recolours at once, in the browser
        assert boxes(page) == before  # and nothing moved
        page.locator(PLAYER).press("ArrowRight")  # the keyboard steps too
        wait_for_step(page, start + 2)
        assert state(page, "f1") == "s-current" and boxes(page) == before
        # the panels under the graph follow the step the player reported
        page.wait_for_function(
            "() => document.body.innerText.includes('8 (from Square #1) + 8 (from Square #2)')",
            timeout=30_000)
        page.locator("[data-testid=node-v0]").click()  # a click selects x for the panel
        page.wait_for_function("() => document.body.innerText.includes('x.grad')",
                               timeout=30_000)
        wait_until_idle(page)
        page.screenshot(path=str(shots / "app_mid_step.png"))

        page.get_by_text("한국어").click()
        page.wait_for_function("() => document.body.innerText.includes('역전파를 한 단계씩')",
                               timeout=30_000)
        page.locator("[data-testid=agv-caption]").filter(has_text="단계").wait_for()
        wait_until_idle(page)
        assert "기울기" in page.locator("[data-testid=node-v1]").text_content()
        assert page.locator(PLAYER).get_attribute("data-step") == str(start + 2)  # kept
        page.screenshot(path=str(shots / "app_korean.png"))
    assert (shots / "app_mid_step.png").stat().st_size > 20_000


def test_projector_mode_makes_the_graph_the_hero(chromium, server, shots):
    with chromium_page(chromium, width=1280, height=720) as page:
        page.goto(server)
        wait_for_step(page, 4)
        bar = page.locator(".agv-bar").bounding_box()
        assert bar["height"] < 45, bar  # the player's controls in one row, sidebar open
        page.get_by_text("Projector mode").click()
        page.locator(f"{PLAYER}.agv-projector").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        stage = page.locator(".agv-stage").bounding_box()
        text = page.locator("[data-testid=node-f2] tspan").first.bounding_box()
        assert text["height"] >= 18  # node text of at least 18 px
        bar = page.locator(".agv-bar").bounding_box()
        assert bar["height"] < 50, bar  # bigger buttons, still one row with the sidebar open
        # the hero of the page: high on it, as tall as the graph needs (a 3-row chain: the
        # 240 px floor), with the legend above the fold
        assert stage["y"] < 360 and stage["height"] >= 240, stage
        legend = page.locator(".agv-legend").bounding_box()
        assert legend["y"] + legend["height"] <= 720, legend
        page.screenshot(path=str(shots / "app_projector.png"))
        page.set_viewport_size({"width": 1024, "height": 768})  # an older projector
        page.wait_for_timeout(500)
        assert page.locator(".agv-bar").bounding_box()["height"] < 90  # two rows at most


def test_two_students_on_one_server_keep_their_own_state(chromium, server):
    with chromium_page(chromium) as first:
        second = first.context.browser.new_page()  # a new context: a separate session
        for page in (first, second):
            page.goto(server)
            wait_for_step(page, 4)
        box = second.locator(".st-key-expr textarea")
        box.fill(DIAMOND)
        box.press("Control+Enter")
        second.wait_for_function("() => document.body.innerText.includes('y = square(a)')",
                                 timeout=30_000)
        second.locator("[data-testid=node-f3]").wait_for(timeout=30_000)
        start = int(second.locator(PLAYER).get_attribute("data-step"))
        second.locator("[data-testid=agv-next]").click()
        wait_for_step(second, start + 1)
        for _ in range(2):  # two quick clicks: the app sends no frame back to pull it
            first.locator("[data-testid=agv-next]").click()
        wait_for_step(first, 6)
        # the first student's steps reached their server session and changed its panels...
        first.wait_for_function(
            "() => document.body.innerText.includes('Square (generation 0)')", timeout=30_000)
        assert first.locator(PLAYER).get_attribute("data-step") == "6"
        second.wait_for_timeout(1000)
        # ...and nothing of the second's
        assert second.locator(PLAYER).get_attribute("data-step") == str(start + 1)
        assert "y = square(a)" in second.inner_text("body")
        assert "y = square(a)" not in first.inner_text("body")
        assert first.locator(PLAYER).get_attribute("data-step") == "6"


COUNT_WS_BYTES_JS = """(() => {
  window.agvWsBytes = 0;
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (e) => {
      window.agvWsBytes += e.data.size || e.data.byteLength || e.data.length || 0; });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();"""


def test_a_step_sends_the_panel_not_the_scene_again(chromium, server):
    """Every step sent the whole scene back with its frame (52 KB here, 463 KB for the
    80-term sum): the player's data no longer changes when the student steps."""
    with chromium_page(chromium) as page:
        page.add_init_script(COUNT_WS_BYTES_JS)
        page.goto(server)
        wait_for_step(page, 4)
        wait_until_idle(page)
        sent = []
        for t in (5, 6, 7):
            page.evaluate("window.agvWsBytes = 0")
            page.locator(PLAYER).press("ArrowRight")
            wait_for_step(page, t)
            page.wait_for_function("() => window.agvWsBytes > 0", timeout=30_000)
            wait_until_idle(page)
            page.wait_for_timeout(700)
            sent.append(page.evaluate("window.agvWsBytes"))
        assert all(0 < n < 20_000 for n in sent), sent  # the panel's few KB, not the scene


def test_the_server_deflates_its_messages(server):
    """A class shares one wifi: the server accepts permessage-deflate (config.toml), which
    browsers (and this client) offer."""
    from websockets.sync.client import connect

    stream = server.replace("http", "ws", 1) + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"]) as socket:
        offered = socket.response.headers.get("Sec-WebSocket-Extensions", "")
    assert "permessage-deflate" in offered


def test_a_clicked_node_does_not_send_the_scene_again(chromium, server):
    """A click sends the player nothing back: the panels under the graph follow (a few
    KB), the player's element is not sent again (the 80-term sum's scene is ~320 KB and
    went with every click once; then the player's ~42 KB of code did)."""
    with chromium_page(chromium) as page:
        page.add_init_script(COUNT_WS_BYTES_JS)
        page.goto(f"{server}/?bench=sum80")
        page.locator(f"{PLAYER}[data-ready='1']").wait_for(timeout=60_000)
        page.wait_for_selector(".st-key-expr textarea", timeout=60_000)
        page.wait_for_timeout(1500)
        page.evaluate("window.agvWsBytes = 0")
        node_id = page.locator(PLAYER).evaluate("""box => {  // a variable in sight, not x
          const root = box.getRootNode(), stage = box.querySelector('.agv-stage')
            .getBoundingClientRect();
          for (const g of box.querySelectorAll('.ag-node.var:not(.agv-selected)')) {
            const r = g.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
            const hit = x > stage.left && x < stage.right && y > stage.top && y < stage.bottom
              && root.elementFromPoint(x, y);
            if (hit && hit.closest('.ag-node') === g) { return g.getAttribute('data-id'); }
          }
          return null; }""")
        node = page.locator(f"[data-testid=node-{node_id}]")
        node.click()
        assert "agv-selected" in node.get_attribute("class")
        page.wait_for_function("() => window.agvWsBytes > 0", timeout=30_000)
        page.wait_for_function("() => window.agvWsBytes > 0", timeout=30_000)
        page.wait_for_timeout(1500)
        sent = page.evaluate("window.agvWsBytes")
        assert 2_000 < sent < 25_000, sent


def test_a_variable_picked_under_the_graph_is_selected_in_the_graph(chromium, server):
    """The grad-sum panel's picker selects its variable in the graph too, through the
    moves' element alone (a few KB: the player's element is not sent again)."""
    with chromium_page(chromium) as page:
        page.add_init_script(COUNT_WS_BYTES_JS)
        page.goto(server)
        box = page.locator(f"{PLAYER}[data-ready='1']")
        box.wait_for(timeout=60_000)
        picker = page.locator("[class*='st-key-inspect__']")
        picker.locator("[role=combobox]").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        before = box.get_attribute("data-selected")
        assert before and "agv-selected" in \
            page.locator(f"[data-testid=node-{before}]").get_attribute("class")
        shown = picker.locator("[role=combobox]").input_value()
        page.evaluate("window.agvWsBytes = 0")
        picker.locator("button[aria-haspopup=listbox]").click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        other = next(o for o in options.all() if o.text_content().strip() != shown)
        other.click()
        for _ in range(100):  # the graph's selection follows the picker
            if box.get_attribute("data-selected") != before:
                break
            page.wait_for_timeout(100)
        now = box.get_attribute("data-selected")
        assert now and "agv-selected" in \
            page.locator(f"[data-testid=node-{now}]").get_attribute("class")
        assert "agv-selected" not in \
            page.locator(f"[data-testid=node-{before}]").get_attribute("class")
        page.wait_for_timeout(1500)
        sent = page.evaluate("window.agvWsBytes")
        assert 500 < sent < 25_000, sent


def test_a_page_that_lost_its_scene_gets_it_again(chromium, server):
    """The app sends a scene's text once; a player that no longer holds it when it is next
    given the scene's id asks for it (the trigger "need"), again if no answer comes, and
    is drawn again."""
    with chromium_page(chromium) as page:
        page.goto(server)
        wait_for_step(page, 4)
        wait_until_idle(page)
        page.evaluate("""() => {
          const host = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
            .map(iso => iso.shadowRoot.querySelector('.agv-host')).find(h => h);
          host.__agv.destroy(); host.__agv = null; host.__agvScene = null;
          // and its first question is lost on the way: it asks again
          let component = host.__agvComponent;
          window.agvNeedsAsked = 0;
          Object.defineProperty(host, '__agvComponent', {configurable: true,
            set(value) { component = value; },
            get() { return {setStateValue: (k, v) => component.setStateValue(k, v),
                            setTriggerValue: (k, v) => {
                              if (k === 'need' && window.agvNeedsAsked++ === 0) { return; }
                              component.setTriggerValue(k, v); }}; }}); }""")
        assert page.locator(PLAYER).count() == 0
        page.get_by_text("Projector mode").click()  # the next data: the scene's id alone
        page.locator(f"{PLAYER}.agv-projector[data-ready='1']").wait_for(timeout=30_000)
        assert page.locator(".agv-nodes .ag-node").count() == 7
        assert page.evaluate("window.agvNeedsAsked") == 2


def test_a_typo_keeps_the_values_and_the_last_graph(chromium, server):
    """Issue #9.1 and #9.6: the x box was wiped after a typo (the browser reported the
    re-created empty box as a change), and any error blanked the graph."""
    with chromium_page(chromium) as page:
        page.goto(server)
        wait_for_step(page, 4)
        box = page.locator(".st-key-expr textarea")
        box.fill("sqaure(x)")
        box.press("Control+Enter")
        page.wait_for_function("() => document.body.innerText.includes('Unknown function')",
                               timeout=30_000)
        page.locator(f"{PLAYER}.agv-stale").wait_for(timeout=30_000)  # dimmed, not gone
        assert "last one that worked" in page.inner_text("body")
        page.locator("[data-testid=agv-prev]").click(timeout=5_000)  # its controls still work,
        wait_for_step(page, 3)  # as its keys do (they were inert to the mouse alone)
        page.locator("[data-testid=agv-next]").click(timeout=5_000)
        wait_for_step(page, 4)
        box.fill("square(x)")
        box.press("Control+Enter")
        page.locator("[data-testid=node-v1]").filter(has_text="0.25").wait_for(timeout=30_000)
        wait_until_idle(page)
        assert page.locator(".st-key-val_x input").input_value() == "0.5"
        assert page.locator(f"{PLAYER}.agv-stale").count() == 0
        page.locator("[data-testid=agv-next]").click()  # and stepping works
        page.wait_for_function("() => document.body.innerText.includes('Square (generation 0)')"
                               " || document.body.innerText.includes('empty')", timeout=30_000)
        assert "No value" not in page.inner_text("body")


# The sidebar's right edge on screen and where the page's main part starts (px).
SIDEBAR_AND_MAIN_X_JS = """() => {
  const side = document.querySelector('[data-testid=stSidebar]').getBoundingClientRect();
  const main = document.querySelector('[data-testid=stMain]').getBoundingClientRect();
  return [Math.max(0, Math.round(side.right)), Math.round(main.x)]; }"""


def test_a_phone_gets_the_graph_top_to_bottom(chromium, server):
    with chromium_page(chromium, width=400, height=800) as page:
        page.goto(server)  # drawn left to right at once, then top to bottom (it asks)
        page.locator(f"{PLAYER}[data-rankdir='TB'][data-ready='1']").wait_for(timeout=60_000)
        text = page.locator("[data-testid=node-f2] tspan").first.bounding_box()
        assert text["height"] >= 10  # legible, not shrunk to 5 px
        title_top, header_bottom = page.evaluate("""() => {  // the wrapped title's first
          const words = document.createRange();  // line is not under Streamlit's header
          words.selectNodeContents(document.querySelector('h1'));
          return [Math.min(...[...words.getClientRects()].map(r => r.top)),
                  document.querySelector('[data-testid=stHeader]').getBoundingClientRect()
                    .bottom]; }""")
        assert title_top >= header_bottom - 3, (title_top, header_bottom)
        wait_until_idle(page)  # the folded sidebar is wholly out of sight, the page not pushed
        assert page.evaluate(SIDEBAR_AND_MAIN_X_JS) == [0, 0]
        page.locator("table").first.wait_for(timeout=30_000)  # the leaf grads, 5 columns:
        wide = page.evaluate("""() => [document.querySelector('table').scrollWidth,
          document.querySelector('[data-testid=stMain]').scrollWidth]""")
        assert wide[0] > 400 >= wide[1], wide  # wider than the phone, scrolled in its place
        page.set_viewport_size({"width": 1400, "height": 900})  # turned into a wide window
        page.locator(f"{PLAYER}[data-rankdir='LR']").wait_for(timeout=10_000)
        assert page.locator(PLAYER).get_attribute("data-step") == "4"  # same frame


PHONE_USER_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")


def test_a_phone_browser_gets_the_top_to_bottom_layout_from_its_first_graph(chromium, server):
    """A phone says so in its user agent: its first graph is top to bottom even when the
    graph is big (a narrow desktop window's big graph shows left to right until its player
    has asked, below)."""
    with chromium_page(chromium, width=400, height=800) as page:
        phone = page.context.browser.new_context(viewport={"width": 400, "height": 800},
                                                 user_agent=PHONE_USER_AGENT)
        try:
            tab = phone.new_page()
            tab.add_init_script(FIRST_GRAPH_DIRECTION_JS)
            tab.goto(f"{server}/?expr={quote(BIG_SUM)}")
            tab.wait_for_function("() => !!window.agvFirstGraph", timeout=60_000)
            assert tab.evaluate("window.agvFirstGraph.rankdir") == "TB"
        finally:
            phone.close()


def test_a_narrow_window_draws_a_small_graph_top_to_bottom_from_the_first(chromium, server):
    """The book's examples carry both layouts: no first graph left to right, no asking."""
    with chromium_page(chromium, width=400, height=800) as page:
        page.add_init_script(FIRST_GRAPH_DIRECTION_JS)
        page.goto(server)
        page.wait_for_function("() => !!window.agvFirstGraph", timeout=60_000)
        assert page.evaluate("window.agvFirstGraph.rankdir") == "TB"


@pytest.mark.parametrize("query", ["", f"?expr={quote(BIG_SUM)}"], ids=["small", "big"])
def test_a_window_made_narrow_gets_the_graph_top_to_bottom(chromium, server, query):
    """On the frame it was at: a small graph's scene has the top-to-bottom layout already;
    a big one's has not (a second Graphviz run, ~40% of the scene): its player asks for it
    once the window is narrow."""
    with chromium_page(chromium) as page:
        page.goto(f"{server}/{query}")
        page.locator(f"{PLAYER}[data-ready='1']").wait_for(timeout=60_000)
        wait_until_idle(page)
        start = int(page.locator(PLAYER).get_attribute("data-step"))
        page.locator(PLAYER).press("ArrowRight")
        wait_for_step(page, start + 1)
        assert page.locator(PLAYER).get_attribute("data-rankdir") == "LR"
        page.set_viewport_size({"width": 400, "height": 800})
        page.locator(f"{PLAYER}[data-rankdir='TB'][data-ready='1']").wait_for(timeout=30_000)
        assert page.locator(PLAYER).get_attribute("data-step") == str(start + 1)


DEEP_FOCUS = """() => { let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  return e ? (e.getAttribute('data-testid') || e.tagName) : ''; }"""


# Watches a new page from its first frame with the graph and everything above it drawn:
# the page's style applied, no widget above still waiting for its code (a skeleton)
# except the expression's row, which keeps its height while it loads. A first visit on a
# busy machine can paint a frame or two before that (unstyled, a title twice as tall).
# agvFirstGraph: the player's box on that frame (alone: no expression box drawn yet; the
# player is marked, so a rebuilt one is told apart);
# agvGraphY: the lowest and highest top it had on any frame since (what a reader would see
# jump); agvPlaceholderSeen: the expression's placeholder was in the page at some point.
WATCH_FIRST_GRAPH_JS = """(() => {
  const player = () => {
    for (const iso of document.querySelectorAll('[data-testid=stBidiComponentIsolated]')) {
      const box = iso.shadowRoot && iso.shadowRoot.querySelector('.agv-host [data-ready]');
      if (box) { return box; }
    }
    return null;
  };
  const settledAbove = (top) => {
    const styled = [...document.querySelectorAll('style')].some(
      s => s.textContent.includes('.ag-placeholder'));
    const waiting = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stSkeleton]')]
      .some(k => !k.closest('.st-key-ag_inputs') && k.getBoundingClientRect().y < top);
    return styled && !waiting;
  };
  new MutationObserver(() => {
    if (document.querySelector('[data-testid=ag-placeholder]')) {
      window.agvPlaceholderSeen = true;
    }
  }).observe(document, {subtree: true, childList: true});
  const watch = () => {
    const host = player();
    const r = host && host.getBoundingClientRect();
    if (host && (window.agvFirstGraph || settledAbove(r.y))) {
      if (!window.agvFirstGraph) {
        host.closest('.agv-host').agvFirstSeen = true;
        window.agvFirstGraph = {x: r.x, y: r.y, w: r.width, t: performance.now(),
          alone: !document.querySelector('textarea')};
        window.agvGraphY = {min: r.y, max: r.y};
      }
      window.agvGraphY.min = Math.min(window.agvGraphY.min, r.y);
      window.agvGraphY.max = Math.max(window.agvGraphY.max, r.y);
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();"""
FIRST_GRAPH_DIRECTION_JS = WATCH_FIRST_GRAPH_JS.replace(
    "window.agvFirstGraph = {", "window.agvFirstGraph = {rankdir: "
    "host.getAttribute('data-rankdir'), ")


def test_the_graph_comes_first_and_the_page_fills_in_around_it(chromium, server):
    """A new visit draws the graph alone, then the rest of the page: the player is not
    rebuilt and does not move (the placeholder and the sidebar keep their places)."""
    with chromium_page(chromium) as page:
        page.context.add_init_script(WATCH_FIRST_GRAPH_JS)
        page.goto(server)
        wait_for_step(page, 4)
        wait_until_idle(page)
        first = page.evaluate("window.agvFirstGraph")
        assert first["alone"], first  # the graph was on screen before the widgets
        assert page.evaluate("window.agvPlaceholderSeen") is True
        ys = page.evaluate("window.agvGraphY")  # no frame showed it elsewhere as they came
        assert ys["max"] - ys["min"] <= 2, (first, ys)
        host = page.locator(".agv-host")
        assert host.evaluate("h => h.agvFirstSeen === true")  # the same player, not rebuilt
        now = host.locator("[data-ready]").evaluate(
            "b => { const r = b.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width}; }")
        assert abs(now["y"] - first["y"]) <= 2 and now["w"] == first["w"], (first, now)
        assert page.locator("[data-testid=ag-placeholder]").count() == 0
        page.locator("[data-testid=agv-next]").click()  # and it steps as before
        wait_for_step(page, 5)
        assert page.evaluate(SIDEBAR_AND_MAIN_X_JS) == [400, 400]  # the examples' titles fit
        page.mouse.move(200, 100)  # fold the sidebar: the graph gets the whole width
        page.locator("[data-testid=stSidebarCollapseButton] button").click(force=True)
        page.wait_for_function(f"() => ({SIDEBAR_AND_MAIN_X_JS})()[1] === 0", timeout=10_000)
        assert page.evaluate(SIDEBAR_AND_MAIN_X_JS) == [0, 0]


def test_the_graph_stays_put_at_the_widths_a_class_meets(chromium, server):
    """The placeholder stands for the expression's row of widgets at every width: beside
    the sidebar (wide, laptop, small), without it (tablet) and stacked (phone); the row
    keeps that height while its widgets load (Streamlit's skeletons are shorter): no frame
    shows the graph higher up."""
    moved = {}
    with chromium_page(chromium) as page:
        for width in (1280, 1000, 780, 700, 400):
            context = page.context.browser.new_context(viewport={"width": width, "height": 900})
            try:
                fresh = context.new_page()  # a new session: its first run draws the graph alone
                fresh.add_init_script(WATCH_FIRST_GRAPH_JS)
                fresh.goto(server)
                fresh.wait_for_selector(".st-key-expr textarea", timeout=60_000)
                wait_until_idle(fresh)
                first = fresh.evaluate("window.agvFirstGraph")
                assert first["alone"], (width, first)
                assert fresh.evaluate("window.agvPlaceholderSeen") is True, width
                ys = fresh.evaluate("window.agvGraphY")  # on every frame, not only the last
                moved[width] = round(ys["max"] - ys["min"], 1)
            finally:
                context.close()
    assert all(abs(dy) <= 2 for dy in moved.values()), moved


def test_the_controls_come_even_when_the_player_cannot_start(chromium, server):
    """A browser that refuses the component's code (a strict proxy, say): the graph never
    reports itself painted, and the whole page comes anyway after GRAPH_WAIT_S."""
    with chromium_page(chromium) as page:
        page.context.add_init_script("URL.createObjectURL = () => 'blob:null/refused';")
        page.goto(server)
        page.wait_for_selector("[data-testid=ag-placeholder]", timeout=30_000)
        page.wait_for_selector(".st-key-expr textarea", timeout=30_000)
        assert page.locator("[data-testid=ag-placeholder]").count() == 0
        # A box the app gives its value (Streamlit's Session State API) is drawn empty and
        # filled on the next frame (~50 ms later, measured): read it once that has passed;
        # a box that stays empty still fails.
        box = page.locator(".st-key-val_x input")
        for _ in range(50):
            if box.input_value():
                break
            page.wait_for_timeout(100)
        assert box.input_value() == "0.5"


def test_the_keyboard_reaches_the_player_early(chromium, server):
    """Issue #9.10: 15 Tab presses reached Next; the player (arrow keys step it) now
    comes right after the expression and its values."""
    with chromium_page(chromium) as page:
        page.goto(server)
        wait_for_step(page, 4)
        wait_until_idle(page)
        page.mouse.click(700, 5)
        presses = 0
        while page.evaluate(DEEP_FOCUS) != "agv-player" and presses < 15:
            page.keyboard.press("Tab")
            presses += 1
        assert page.evaluate(DEEP_FOCUS) == "agv-player" and presses <= 8, presses
        page.keyboard.press("ArrowRight")
        wait_for_step(page, 5)


def test_a_link_back_button_and_copy_link(chromium, server):
    with chromium_page(chromium) as page:
        page.goto(f"{server}/?example=diamond&step=6&lang=ko")
        wait_for_step(page, 6)  # the link's exact moment, in Korean
        page.locator("[data-testid=agv-caption]").filter(has_text="단계").wait_for()
        wait_until_idle(page)
        page.locator(PLAYER).press("ArrowLeft")
        wait_for_step(page, 5)
        page.wait_for_function("() => location.search.includes('step=5')", timeout=30_000)
        wait_until_idle(page)
        page.go_back()  # the browser's back button: the previous view
        wait_for_step(page, 6)
        page.wait_for_function("() => location.search.includes('step=6')", timeout=30_000)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        button = page.locator("[data-testid=copy-link]")
        assert button.inner_text().strip() == "이 화면의 링크 복사"  # no emoji: a box without
        assert button.locator("svg path").count() == 2  # an emoji font; the icon is drawn
        button.click()
        field = page.locator("[data-testid=copy-link-url]")
        field.wait_for(timeout=10_000)
        assert "example=diamond" in field.input_value() and "step=6" in field.input_value()
        assert button.inner_text().strip() == "✔ 링크를 복사했습니다"


def test_the_quiz_by_keyboard_alone(chromium, server):
    with chromium_page(chromium) as page:
        page.goto(f"{server}/?example=diamond&quiz=1")
        wait_for_step(page, 4)
        wait_until_idle(page)
        page.locator(PLAYER).evaluate("box => { box.agvKept = true; }")
        assert page.locator("[data-testid=agv-slider]").get_attribute("max") == "4"
        box = page.get_by_label("Predict the grad of the highlighted variable after step 1")
        box.fill("1")
        box.press("Enter")  # Enter submits the form: no mouse needed
        wait_for_step(page, 5)
        page.get_by_label("Predict a.grad after step 2").wait_for(timeout=30_000)
        assert "Score: 1 of 1" in page.inner_text("body")
        assert page.locator(PLAYER).get_attribute("data-step") == "5"
        assert page.locator("[data-testid=agv-next]").is_disabled()  # no peeking ahead
        # the revealed frame was added to the player on the page, not a new player built
        assert page.locator(PLAYER).evaluate("box => box.agvKept === true")
        assert page.locator("[data-testid=agv-slider]").get_attribute("max") == "5"
        page.locator(PLAYER).press("Home")
        wait_for_step(page, 0)
        page.locator(PLAYER).press("End")
        wait_for_step(page, 5)
        assert "grad 1" in page.locator("[data-testid=node-v2]").text_content()
        page.get_by_text("before forward").click()  # the quiz starts again: back to 0..4
        wait_for_step(page, 0)
        assert page.locator("[data-testid=agv-slider]").get_attribute("max") == "4"
        assert page.locator(PLAYER).evaluate("box => box.agvKept === true")


def start_a_class(teacher, url: str) -> str:
    """The teacher opens the diamond example at `url`, starts a class; the room's code."""
    teacher.goto(f"{url}/?example=diamond")
    wait_for_step(teacher, 4)
    wait_until_idle(teacher)
    teacher.get_by_role("button", name="Start a class").click()
    teacher.wait_for_function("() => location.search.includes('teacher=')", timeout=30_000)
    return teacher.evaluate("new URLSearchParams(location.search).get('room')")


def test_a_room_the_teacher_steps_and_the_class_follows(chromium, server):
    with chromium_page(chromium) as teacher:
        code = start_a_class(teacher, server)
        student = teacher.context.browser.new_page()  # a new context: another session
        student.goto(f"{server}/?room={code}")
        wait_for_step(student, 4)
        assert student.locator("[data-testid=agv-next]").is_disabled()  # only the teacher drives
        wait_until_idle(teacher)
        teacher.locator(PLAYER).press("ArrowRight")
        teacher.locator(PLAYER).press("ArrowRight")
        wait_for_step(teacher, 6)
        wait_for_step(student, 6)  # the student's page follows (it asks every second)...
        student.wait_for_function(  # ...and so does the panel under its graph
            "() => document.body.innerText.includes('Square (generation 0)')", timeout=30_000)
        student.locator(PLAYER).press("ArrowLeft")  # a student's key changes nothing
        student.wait_for_timeout(1500)
        assert student.locator(PLAYER).get_attribute("data-step") == "6"
        assert student.locator(".agv-keys").inner_text().startswith("The teacher steps.")
        # every link the teacher's page copies leaves the token out, but the private one
        teacher.context.grant_permissions(["clipboard-read", "clipboard-write"])
        assert "teacher=" in teacher.url
        copied = {}
        private = teacher.locator(".st-key-copy_teacher_link [data-testid=copy-link]")
        assert private.inner_text().strip() == "Copy my teacher's link (private)"
        for key in ("copy_link", "copy_room_link", "copy_teacher_link"):
            holder = teacher.locator(f".st-key-{key}")
            holder.locator("[data-testid=copy-link]").click()
            field = holder.locator("[data-testid=copy-link-url]")
            field.wait_for(timeout=10_000)
            copied[key] = field.input_value()
        assert f"room={code}" in copied["copy_link"] and "teacher=" not in copied["copy_link"]
        assert copied["copy_room_link"].endswith(f"?room={code}")
        assert "teacher=" in copied["copy_teacher_link"]
        assert "keep it to yourself" in teacher.inner_text("body")
        box = teacher.locator(".st-key-expr textarea")  # a new lesson: the whole page follows
        box.fill("y = exp(x) * 3")
        box.press("Control+Enter")
        student.wait_for_function("() => document.body.innerText.includes('exp(x) * 3')",
                                  timeout=30_000)
        student.close()


def test_an_idle_student_asks_nothing_and_a_step_is_pushed_to_it(chromium, server):
    """#29.3: a student's page does not poll the room: sitting idle its tab sends the
    server no rerun at all, and the teacher's step still reaches it (the server pushes)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    with chromium_page(chromium) as teacher:
        code = start_a_class(teacher, server)
        student = teacher.context.browser.new_page()
        reruns: list[float] = []

        def sent(payload) -> None:
            msg = BackMsg()
            with contextlib.suppress(Exception):
                msg.ParseFromString(payload if isinstance(payload, bytes) else b"")
                if msg.WhichOneof("type") == "rerun_script":
                    reruns.append(time.monotonic())

        console: list[str] = []
        student.on("console", lambda message: console.append(message.text))
        student.on("websocket", lambda ws: ws.on("framesent", sent))
        student.goto(f"{server}/?room={code}")
        wait_for_step(student, 4)
        wait_until_idle(student)
        wait_until_idle(teacher)
        student.wait_for_timeout(1000)
        idle_from = time.monotonic()
        student.wait_for_timeout(5000)  # five POLL_S: a polling page would have asked 5 times
        assert [t for t in reruns if t >= idle_from] == []
        teacher.locator(PLAYER).press("ArrowRight")
        wait_for_step(student, 5)
        assert [t for t in reruns if t >= idle_from] == []  # it was told, it did not ask
        # a push names what the browser's cache holds (the player's element goes as a
        # reference): step by step and across a page of the student's own, never a miss
        student.get_by_text("한국어").click()
        for step in (6, 5, 6, 7, 6):
            teacher.locator(PLAYER).press("ArrowRight" if step > int(
                teacher.locator(PLAYER).get_attribute("data-step")) else "ArrowLeft")
            wait_for_step(student, step)
        student.wait_for_function(
            "() => document.body.innerText.includes('선생님')", timeout=30_000)
        assert not [line for line in console if "MISS" in line], console
        student.close()


def test_two_replicas_share_a_room_through_redis(chromium, redis_url):
    """The README's "two replicas behind one address": each replica is its own process;
    the teacher is on one, a student on the other, and the room lives in Redis."""
    shared = {"AUTOGRAD_VIZ_ROOMS": redis_url}
    with streamlit_server(env=shared) as first, streamlit_server(env=shared) as second, \
            chromium_page(chromium) as teacher:
        code = start_a_class(teacher, first)
        student = teacher.context.browser.new_page()
        student.goto(f"{second}/?room={code}")
        wait_for_step(student, 4)
        wait_until_idle(teacher)
        teacher.locator(PLAYER).press("ArrowRight")
        wait_for_step(student, 5)
        student.close()


def test_a_network_learns_live_and_pauses(chromium, server, shots):
    """Issue #12.3: Train updates the status and the charts while the page keeps running,
    Pause stops it, and the iteration's graph is then in the player."""
    from bench.bench_train import STATUS_JS

    frame = """() => [document.querySelector('[data-testid=stMainBlockContainer]')
        .getBoundingClientRect().x, document.querySelector('h1').getBoundingClientRect().y]"""
    with chromium_page(chromium) as page:
        page.goto(server)
        page.locator(".st-key-expr textarea").wait_for(timeout=60_000)
        lesson = page.evaluate(frame)
        page.get_by_text("Train a network").click()
        page.wait_for_selector("text=The graph of this iteration", timeout=60_000)
        assert page.evaluate(frame) == lesson  # the same margins and sidebar: nothing jumps
        # the loss, the fit and the weights/grads charts (Vega loads after the page's text)
        page.wait_for_function(
            "document.querySelectorAll('[data-testid=stVegaLiteChart]').length >= 3",
            timeout=60_000)
        page.evaluate(STATUS_JS)
        page.get_by_role("button", name="Train", exact=True).click()
        page.wait_for_function("window.__updates.length >= 6", timeout=30_000)
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Train", exact=True).wait_for(timeout=30_000)
        page.wait_for_selector("text=The graph of this iteration", timeout=30_000)
        status = page.evaluate("window.__updates.map(u => u[1])")
        iterations = [int(s.split()[1].replace(",", "")) for s in status]
        assert iterations == sorted(iterations) and iterations[-1] > iterations[0] + 20
        paused = page.locator("strong", has_text="Iteration").first.text_content()
        page.wait_for_timeout(1500)
        assert page.locator("strong", has_text="Iteration").first.text_content() == paused
        page.locator(PLAYER).wait_for(timeout=30_000)
        assert "loss" in page.locator(PLAYER).inner_text()
        page.screenshot(path=str(shots / "train.png"))


def test_a_layer_collapses_to_a_box_and_expands_with_nothing_moved(chromium, tmp_path):
    """Issue #12.2 in the player (the exported page; the app mounts the same player): a
    click on a group's label covers it with its box, a click on the box opens it again,
    the keyboard does the same, and no node moves."""
    import numpy as np

    import autograd_core as ag
    import viz

    model = ag.MLP((3, 1), rng=np.random.default_rng(0), name="net")
    loss = ag.mean_squared_error(model(ag.Variable(np.ones((2, 1)), name="x")), np.zeros((2, 1)))
    viz.export_steps(loss, None, html=tmp_path / "net.html")
    with chromium_page(chromium) as page:
        page.goto((tmp_path / "net.html").as_uri())
        page.wait_for_selector(".agv-group")
        page.locator(".agv-fit").click()  # the whole graph in view
        before = page.eval_on_selector_all(".ag-node", NODE_BOXES_JS)
        player = page.locator(".agv")
        assert player.get_attribute("data-collapsed") == ""
        page.locator('.agv-group-toggle[data-group="g1"]').click()
        assert player.get_attribute("data-collapsed") == "g1"
        assert page.locator('.agv-cover[data-group="g1"]').is_visible()
        assert "6 params" in page.locator('.agv-cover[data-group="g1"]').text_content()
        assert not page.locator('[data-testid="node-v0"]').is_visible()  # l0's W
        assert page.locator('[data-testid="node-v4"]').is_visible()  # x, outside
        page.locator('.agv-cover[data-group="g1"]').click()
        assert player.get_attribute("data-collapsed") == ""
        assert page.locator('[data-testid="node-v0"]').is_visible()
        page.locator('.agv-group-toggle[data-group="g0"]').focus()
        page.keyboard.press("Enter")  # the whole net, by keyboard
        assert player.get_attribute("data-collapsed") == "g0"
        assert not page.locator('.agv-cover[data-group="g1"]').is_visible()
        page.locator('.agv-cover[data-group="g0"]').focus()
        page.keyboard.press("Enter")
        assert player.get_attribute("data-collapsed") == ""
        assert page.eval_on_selector_all(".ag-node", NODE_BOXES_JS) == before


def test_an_uncaught_javascript_error_fails_the_page(chromium):
    """Every browser test's page fails on an uncaught error: a player that throws half-way
    (a quiz's frames taken back once did) can still leave what a test waits for."""
    with pytest.raises(AssertionError, match=r"uncaught JavaScript errors.*\['boom'\]"), \
            chromium_page(chromium) as page:
        other = page.context.browser.new_page()  # another session's page counts as well
        other.set_content("<script>setTimeout(() => { throw new Error('boom'); })</script>")
        other.wait_for_timeout(300)


WALK_EXPRESSIONS = ("x**2 + y", "sin(x)*y + exp(y)", "x +", "a = square(x)\ny = exp(a) + a",
                    BIG_SUM, "sqaure(x)")


def _walk_step(page, rng) -> str:
    """One thing a student does to the page (what a real mouse and keyboard do)."""
    stage = f"{PLAYER} .agv-stage"
    action = rng.choice(("key", "key", "key", "button", "node", "wheel", "drag", "width",
                         "type"))
    if action == "key":
        key = rng.choice(("ArrowRight", "ArrowLeft", "Home", "End", " ", "+", "-", "0", "f",
                          "Escape"))
        page.locator(PLAYER).focus()
        page.keyboard.press(key)
        return f"key {key!r}"
    if action == "button":
        button = page.locator(f"[data-testid=agv-{rng.choice(('first', 'prev', 'next', 'last'))}]")
        if button.is_enabled():
            button.click(timeout=5_000)
            return "button"
    if action == "node":  # a node may be panned out of view: click it as the page would
        nodes = page.locator(".agv-nodes .ag-node")
        if count := nodes.count():
            nodes.nth(rng.randrange(count)).dispatch_event("click")
            return "node"
    if action in ("wheel", "drag") and (box := page.locator(stage).bounding_box()):
        x, y = box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 200)
        page.mouse.move(x, y)
        if action == "wheel":
            page.mouse.wheel(0, rng.choice((-300, 300)))
        else:
            page.mouse.down()
            page.mouse.move(x + 60, y + 30, steps=3)
            page.mouse.up()
        return action
    if action == "width":
        width = rng.choice((400, 900, 1500))
        page.set_viewport_size({"width": width, "height": 900})
        return f"width {width}"
    if action == "type" and (box := page.locator(".st-key-expr textarea")).is_visible():
        page.keyboard.press("Escape")  # out of full screen, if it was
        box.fill(rng.choice(WALK_EXPRESSIONS))
        box.press("Control+Enter")
        return "type"
    return ""


@pytest.mark.parametrize("seed", (1, 2))
def test_a_random_walk_in_the_browser(chromium, server, seed):
    """Keys, buttons, clicks on nodes, zoom, pan, full screen, window widths and typed
    expressions (typos too) in a seeded order: no JavaScript error (chromium_page fails on
    one), no Streamlit exception, and the player ends ready on a frame it has."""
    rng = random.Random(seed)
    with chromium_page(chromium, width=1500, height=900) as page:
        page.goto(server)
        page.locator(f"{PLAYER}[data-ready='1']").wait_for(timeout=60_000)
        done = [_walk_step(page, rng) for _ in range(40)]
        page.keyboard.press("Escape")
        page.wait_for_timeout(1500)
        player = page.locator(f"{PLAYER}[data-ready='1']")
        player.wait_for(timeout=30_000)
        assert page.locator("[data-testid=stException]").count() == 0, done
        last = int(page.locator(f"{PLAYER} .agv-slider").get_attribute("max"))
        assert 0 <= int(player.get_attribute("data-step")) <= last, done
        assert sum(bool(d) for d in done) >= 30, done
