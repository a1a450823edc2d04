"""classroom/pages/reconnect.js in Chromium: a page whose server went away asks its health check
again every 250 ms, inside the request Streamlit's page made, instead of Streamlit's waits of
up to 4 s between tries; nothing else changes. The server is played by Playwright's routes
(refused connections, a proxy's 503, then answers)."""

from __future__ import annotations

import re
import time

import pytest

from classroom.pages.components import reconnect_js

ORIGIN = "http://agv.test"
HEALTH = re.compile(r".*/_stcore/health(\?.*)?$")


@pytest.fixture
def page(chromium):
    from bench.browser import chromium_page

    with chromium_page(chromium) as page:
        page.route(f"{ORIGIN}/", lambda route: route.fulfill(
            content_type="text/html",
            body=f"<!DOCTYPE html><script>{reconnect_js()}</script>"))
        page.goto(f"{ORIGIN}/")
        yield page


def server_down_for(page, seconds: float, status: int | None = None) -> list[float]:
    """Health checks refused (or answered ``status``, a proxy with no server behind it)
    for ``seconds`` from now, then answered: the times they came."""
    tries: list[float] = []
    back = time.monotonic() + seconds

    def answer(route) -> None:
        tries.append(time.monotonic())
        if time.monotonic() < back:
            if status is None:
                route.abort("connectionrefused")
            else:
                route.fulfill(status=status, body="no server")
        else:
            route.fulfill(status=200, body="ok")

    page.route(HEALTH, answer)
    return tries


FETCH = """async ([url, abortAfter]) => {
  const t0 = performance.now(), signal = abortAfter ? AbortSignal.timeout(abortAfter) : undefined;
  try {
    const answer = await fetch(url, { signal });
    return { status: answer.status, text: await answer.text(), ms: performance.now() - t0 };
  } catch (error) {
    return { error: error.name, ms: performance.now() - t0 };
  }
}"""


@pytest.mark.browser
def test_a_health_check_waits_for_the_server_and_answers_as_soon_as_it_is_back(page):
    tries = server_down_for(page, 1.2)
    got = page.evaluate(FETCH, ["/_stcore/health?x=1", 0])
    assert got["status"] == 200 and got["text"] == "ok"
    assert 1100 <= got["ms"] <= 1800  # back at 1.2 s: found within a try (250 ms)
    gaps = [b - a for a, b in zip(tries, tries[1:], strict=False)]
    assert len(tries) >= 4 and all(0.2 <= gap <= 0.6 for gap in gaps), gaps


@pytest.mark.browser
def test_a_proxy_with_no_server_behind_it_is_asked_again(page):
    server_down_for(page, 0.6, status=502)
    got = page.evaluate(FETCH, ["/_stcore/health", 0])
    assert got["status"] == 200 and 500 <= got["ms"] <= 1300


@pytest.mark.browser
def test_streamlit_s_own_time_limit_still_ends_the_request(page):
    server_down_for(page, 60)
    got = page.evaluate(FETCH, ["/_stcore/health", 700])
    assert got["error"] in ("TimeoutError", "AbortError") and 650 <= got["ms"] <= 1200


@pytest.mark.browser
def test_other_requests_and_answers_pass_untouched(page):
    tries = []

    def refuse(route) -> None:
        tries.append(1)
        route.abort("connectionrefused")

    page.route("**/other", refuse)
    got = page.evaluate(FETCH, ["/other", 0])
    assert got["error"] == "TypeError" and tries == [1]  # refused once, told at once
    page.route(HEALTH, lambda route: route.fulfill(status=404, body="no"))
    got = page.evaluate(FETCH, ["/_stcore/health", 0])
    assert got["status"] == 404  # a server that answers is not asked again
