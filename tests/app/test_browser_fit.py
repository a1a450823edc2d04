"""The graph fits the room it is shown in (issue #27.13-18, .22), in a real headless Chromium.

Nothing sits under Streamlit's header; the first view shows the whole graph when its text
is readable at that size (18 px on a projector, 12 px elsewhere), else the running node at
a readable size with the legend above the fold; a collapsed sidebar refits it; a phone gets
a compact bar; the arrow keys step the player from anywhere but a text field; a quiz's
answer box takes the focus once per question; the training charts come once after Pause.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from app_helpers import BIG_SUM
from test_browser import PLAYER, wait_for_step, wait_until_idle

from bench.browser import chromium_page

pytestmark = pytest.mark.browser

# Where the main player's graph is: its visible nodes inside the stage, the text size on
# screen, the running node (the states the view follows), the legend and the window.
GRAPH_JS = """() => {
  let p = null;
  for (const e of document.querySelectorAll('*')) {
    const q = e.shadowRoot && e.shadowRoot.querySelector('[data-testid=agv-player]');
    if (q) { p = q; break; } }
  const stage = p.querySelector('.agv-stage').getBoundingClientRect();
  const nodes = [...p.querySelectorAll('.agv-nodes .ag-node')]
    .filter(g => getComputedStyle(g).display !== 'none');
  const inside = b => b.left >= stage.left - 1 && b.right <= stage.right + 1
    && b.top >= stage.top - 1 && b.bottom <= stage.bottom + 1;
  const scale = parseFloat(p.querySelector('.agv-view').getAttribute('transform')
    .split('scale(')[1]);
  const font = parseFloat(nodes[0].querySelector('text').getAttribute('font-size'));
  const follow = [...p.querySelectorAll(
    '.agv-nodes .ag-node.s-current, .agv-nodes .ag-node.s-pending')];
  const box = e => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; };
  return {nodes: nodes.length,
          inside: nodes.filter(g => inside(g.getBoundingClientRect())).length,
          text_px: font * scale, running: follow.map(g => inside(g.getBoundingClientRect())
            && g.getBoundingClientRect().bottom <= innerHeight),
          legend: box(p.querySelector('.agv-legend')), bar: box(p.querySelector('.agv-bar')),
          stage: [stage.top, stage.bottom], window: innerHeight};
}"""

HEADER_JS = """() => document.querySelector('[data-testid=stHeader]')
  .getBoundingClientRect().bottom"""


def open_page(chromium_, url: str, width: int, height: int):
    """A fresh session at ``url`` in a window of that size, its player ready and idle."""
    context = chromium_.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    page.locator(f"{PLAYER}[data-ready='1']").first.wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')",
                           timeout=30_000)
    page.wait_for_timeout(800)  # the page's last elements, a refit if the stage changed
    return context, page


@pytest.mark.parametrize(("query", "width", "height"), [
    ("", 1280, 720), ("", 1400, 1000), ("?page=train", 1280, 720),
    ("?projector=1", 1280, 720), ("?projector=1", 1920, 1080)])
def test_nothing_sits_under_the_header(chromium, server, query, width, height):
    """#27.13-14: the title (or, in projector mode, the expression's expander) is below
    Streamlit's header, and a click on the expander opens it."""
    with chromium_page(chromium) as browser_page:
        context, page = open_page(browser_page.context.browser, f"{server}/{query}",
                                  width, height)
        try:
            header = page.evaluate(HEADER_JS)
            if "projector" in query:
                summary = page.locator(
                    "[data-testid=stMain] [data-testid=stExpander] summary").first
                top = summary.bounding_box()["y"]
                assert top >= header, (top, header)
                summary.click()  # not caught by the header: the expander opens
                page.locator(".st-key-expr textarea").wait_for(timeout=10_000)
            else:
                top = page.locator("h1").first.bounding_box()["y"]
                assert top >= header, (top, header)
        finally:
            context.close()


@pytest.mark.parametrize(("query", "width", "height", "legible"), [
    ("", 1280, 720, 12), ("", 1400, 1000, 12), ("?example=newton", 1280, 720, 12),
    (f"?expr={quote('x*y + y*z + z*x')}&v_x=1&v_y=2&v_z=3", 1280, 720, 12),
    ("?projector=1", 1280, 720, 18), ("?projector=1", 1920, 1080, 18),
    (f"?projector=1&expr={quote(BIG_SUM)}", 1280, 720, 18)],
    ids=["default", "laptop", "newton", "three-inputs", "projector", "projector-hd",
         "projector-big-sum"])
def test_the_first_view_is_readable_and_shows_the_running_node(chromium, server, query,
                                                                width, height, legible):
    """#27.15-16: the text is at least the readable size, and the node the pass is at is
    inside the stage and on the first screen, the legend too when the player starts on it."""
    with chromium_page(chromium) as browser_page:
        context, page = open_page(browser_page.context.browser, f"{server}/{query}",
                                  width, height)
        try:
            graph = page.evaluate(GRAPH_JS)
            assert graph["text_px"] >= legible - 0.01, graph
            assert graph["running"] and all(graph["running"]), graph
            if graph["inside"] < graph["nodes"]:  # not whole: shown at the readable size
                assert graph["text_px"] <= legible + 0.01, graph
            if graph["stage"][0] < height / 2:  # a player high on the page: legend in view
                assert graph["legend"][1] <= height, graph
        finally:
            context.close()


def test_a_graph_that_fits_is_shown_whole_and_refit_when_the_sidebar_folds(chromium, server):
    """#27.15: with the sidebar open at 1400 px the default example is too wide for 12 px
    text; folded away, the same player (no new page run) shows all of it."""
    with chromium_page(chromium) as browser_page:
        context, page = open_page(browser_page.context.browser, server, 1400, 1000)
        try:
            before = page.evaluate(GRAPH_JS)
            assert before["inside"] < before["nodes"], before
            page.locator("[data-testid=stSidebar]").hover()  # its button shows on hover
            page.locator("[data-testid=stSidebarCollapseButton] button").click()
            page.wait_for_function("""() => { for (const e of document.querySelectorAll('*')) {
                const q = e.shadowRoot && e.shadowRoot.querySelector('.agv-stage');
                if (q) return q.getBoundingClientRect().width > 1100; } return false; }""",
                                   timeout=10_000)
            page.wait_for_timeout(400)
            after = page.evaluate(GRAPH_JS)
            assert after["inside"] == after["nodes"] == before["nodes"], after
            assert after["text_px"] >= 12, after
        finally:
            context.close()


def test_a_phone_gets_a_compact_player(chromium, server):
    """#27.17: two rows of controls at most, 12 px text, and the stage, once scrolled to,
    uses most of the screen."""
    with chromium_page(chromium) as browser_page:
        context, page = open_page(browser_page.context.browser, server, 400, 800)
        try:
            page.locator(f"{PLAYER}[data-rankdir='TB']").wait_for(timeout=30_000)
            graph = page.evaluate(GRAPH_JS)
            assert graph["text_px"] >= 12, graph
            assert graph["bar"][1] - graph["bar"][0] <= 80, graph  # two rows at most
            assert graph["stage"][1] - graph["stage"][0] >= 400, graph
            assert graph["stage"][0] <= 680, graph  # some of the graph on the first screen
        finally:
            context.close()


def test_the_arrow_keys_step_the_player_from_anywhere_but_a_text_field(chromium, server):
    """#27.18: a fresh page, nothing clicked: → steps; typing in the expression does not."""
    with chromium_page(chromium) as page:
        page.goto(server)
        wait_for_step(page, 4)
        wait_until_idle(page)
        page.keyboard.press("ArrowRight")
        wait_for_step(page, 5)
        page.keyboard.press("ArrowLeft")
        wait_for_step(page, 4)
        page.get_by_text("Projector mode").click()  # a toggle has focus: its arrows are ours
        page.locator(f"{PLAYER}.agv-projector").wait_for(timeout=30_000)
        page.keyboard.press("ArrowRight")
        wait_for_step(page, 5)
        box = page.locator(".st-key-expr textarea")
        page.get_by_text("Projector mode").click()
        box.wait_for(timeout=30_000)
        box.click()
        page.keyboard.press("ArrowLeft")  # the caret moves, the player stays
        page.wait_for_timeout(500)
        assert page.locator(PLAYER).get_attribute("data-step") == "5"


def test_the_quiz_answer_box_has_the_focus_for_each_question(chromium, server):
    """#27.18: a keyboard user types an answer and Enter, then the next answer."""
    with chromium_page(chromium) as page:
        page.goto(f"{server}/?quiz=1")
        box = page.locator(".st-key-quiz_guess input")
        box.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => document.activeElement === document.querySelector('.st-key-quiz_guess input')",
            timeout=10_000)
        page.keyboard.type("1")
        page.keyboard.press("Enter")
        page.locator("[data-testid=stAlertContainer]").first.wait_for(timeout=30_000)
        page.wait_for_function(
            "() => document.activeElement === document.querySelector('.st-key-quiz_guess input')"
            " && !document.querySelector('.st-key-quiz_guess input').value", timeout=10_000)
        page.keyboard.type("2")
        page.keyboard.press("Enter")
        page.get_by_text("Score: 0 of 2").or_(page.get_by_text("Score: 1 of 2")).wait_for(
            timeout=30_000)


CHARTS = "document.querySelectorAll('[data-testid=stVegaLiteChart]').length"


@pytest.mark.parametrize("trains_ms", [900, 1700, 2600])
def test_the_training_charts_come_once_after_pause(chromium, server, trains_ms):
    """#27.22: XOR, tanh, Adam, 8 hidden units; Train, then Pause: three charts, not six
    (the charts drawn while training stayed beside the paused page's, 4 of 6 tries)."""
    with chromium_page(chromium, width=1400, height=1000) as page:
        page.goto(f"{server}/?page=train")
        page.wait_for_function(f"{CHARTS} >= 3", timeout=60_000)

        def pick(label: str, option: str) -> None:
            page.locator(f"[data-testid=stSelectbox]:has(label:has-text('{label}'))").click()
            page.get_by_role("option", name=option).first.click()

        pick("Dataset", "XOR")
        pick("Activation", "tanh")
        pick("Optimizer", "Adam")
        hidden = page.locator(".st-key-train_hidden input")
        hidden.fill("8")
        hidden.press("Enter")
        page.get_by_role("button", name="New run").click()
        page.wait_for_timeout(800)
        page.get_by_role("button", name="Train", exact=True).click()
        page.wait_for_timeout(trains_ms)
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Train", exact=True).wait_for(timeout=30_000)
        page.wait_for_selector("text=The graph of this iteration", timeout=30_000)
        page.wait_for_timeout(2000)
        assert page.evaluate(CHARTS) == 3
        assert page.locator("strong", has_text="Iteration").count() == 1
        # #27.25: the decision boundary's two legends (P(1), the classes) are whole
        legends = page.evaluate("""() => {
          const chart = document.querySelectorAll('[data-testid=stVegaLiteChart]')[1];
          const b = chart.getBoundingClientRect();
          return [...chart.querySelectorAll('.role-legend')].map(l => {
            const r = l.getBoundingClientRect();
            return r.left >= b.left - 1 && r.right <= b.right + 1 && r.bottom <= b.bottom + 1;
          }); }""")
        assert legends == [True, True], legends


@pytest.mark.parametrize("attempt", range(3))
def test_a_run_that_stops_by_itself_shows_its_charts_once(chromium, server, attempt):
    """The book's RNN with SGD at 0.2 explodes within 30 windows: the run stops, says why,
    and its status and charts are there once (a tick on its way drew them twice)."""
    with chromium_page(chromium, width=1400, height=1000) as page:
        page.goto(f"{server}/?page=train&data=sine_wave&opt=SGD&lr=0.2")
        page.wait_for_function(f"{CHARTS} >= 3", timeout=60_000)
        page.get_by_role("button", name="Train", exact=True).click()
        page.locator("[data-testid=stAlert]").first.wait_for(timeout=30_000)  # why it stopped
        page.wait_for_timeout(2500)
        assert page.evaluate(CHARTS) == 3
        assert page.locator("strong", has_text="Iteration").count() == 1
        assert page.locator("[data-testid=stAlert]").count() == 1


def test_a_student_who_reloads_the_page_is_counted_once(chromium, server):
    """#29.6: the student's id is kept by the browser, so an answer sent again after a
    reload replaces the first in the teacher's tally instead of adding a student."""
    from test_browser import start_a_class

    with chromium_page(chromium) as teacher:
        teacher.goto(f"{server}/?example=diamond&quiz=1")
        code = start_a_class_with_quiz(teacher, server, start_a_class)
        student = teacher.context.browser.new_page()  # another browser profile's session
        for guess in ("1", "2"):
            student.goto(f"{server}/?room={code}")
            box = student.locator(".st-key-quiz_guess input")
            box.wait_for(timeout=60_000)
            student.wait_for_timeout(1000)  # the browser's id has been reported
            box.fill(guess)
            box.press("Enter")
            student.get_by_text("Your answer is in").wait_for(timeout=30_000)
        teacher.wait_for_timeout(3000)  # the tally asks the room every second
        body = teacher.inner_text("body")
        assert "1 answered" in body and "2 answered" not in body, body[-600:]
        student.close()


def start_a_class_with_quiz(teacher, server, start_a_class) -> str:
    code = start_a_class(teacher, server)
    toggle = teacher.get_by_text("Predict, then reveal (quiz)")
    if teacher.locator(".st-key-quiz input").is_checked():
        return code
    toggle.click()
    teacher.locator(".st-key-quiz_guess input").or_(
        teacher.get_by_text("answered")).first.wait_for(timeout=30_000)
    return code
