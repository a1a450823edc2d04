"""Session isolation: many students at once get exactly what each gets alone.

Streamlit runs every browser session's script in its own thread. Here several
AppTest sessions run their whole lesson at the same time in threads (released
together by a barrier, with the shared caches emptied first so every session
builds, lays out and checks its own graphs concurrently) and must produce the same
pages, byte for byte, as when each ran alone.
"""

from __future__ import annotations

from collections.abc import Callable

from app_helpers import (
    backward_step,
    concurrent_apptests,
    has_leaf_table,
    leaf_table,
    new_app,
    page_text,
    player_payload,
    report,
    run_in_threads,
    to_end,
)

from classroom import state as ui
from classroom.lesson import clear_cache


def _page(at) -> tuple:
    assert not at.exception, at.exception
    table = leaf_table(at) if has_leaf_table(at) else {}
    # (the player's epoch names its session: different in every session by design)
    payload = {k: v for k, v in player_payload(at).items() if k != "epoch"} \
        if not at.error else None
    return (payload, page_text(at), table, {key: at.session_state[key] for key in ui.DEFAULTS})


def chain(at):
    backward_step(at, 1)
    backward_step(at, 2)
    return _page(at)


def diamond(at):
    at.selectbox(key="preset__en").set_value("diamond").run()
    backward_step(at, 1)
    report(at, step=0, selected="v0")
    return _page(at)


def goldstein_in_korean(at):
    at.radio(key="lang").set_value("ko").run()
    at.selectbox(key="preset__ko").set_value("goldstein").run()
    to_end(at)
    return _page(at)


def newton(at):
    at.selectbox(key="preset__en").set_value("newton").run()
    for _ in range(2):
        to_end(at)
        at.button(key="btn_newton").click().run()
    to_end(at)
    return _page(at)


def trouble(at):
    at.text_area(key="expr").set_value("log(x) / x").run()
    at.text_input(key="val_x").set_value("[-1, 0, 2]").run()
    backward_step(at, 1)
    return _page(at)


def hostile(at):
    at.text_area(key="expr").set_value("9**9**9").run()
    return _page(at)


def typed_with_options(at):
    at.toggle(key="projector").set_value(True).run()
    at.text_area(key="expr").set_value("a = x*y\nb = a + z\nc = tanh(b) * a").run()
    for name, value in (("x", "0.5"), ("y", "[1, 2, 3]"), ("z", "-1")):
        at.text_input(key=f"val_{name}").set_value(value).run()
    to_end(at)
    return _page(at)


SCENARIOS: list[Callable] = [chain, diamond, goldstein_in_korean, newton, trouble, hostile,
                             typed_with_options]


def _session(scenario: Callable) -> Callable[[], tuple]:
    return lambda: scenario(new_app().run())


def test_concurrent_sessions_give_what_each_gives_alone():
    alone = [_session(s)() for s in SCENARIOS]
    with concurrent_apptests():
        for repeat in range(2):
            clear_cache()
            jobs = [_session(s) for s in SCENARIOS] * 2  # two students per scenario
            together = run_in_threads(jobs)
            for i, result in enumerate(together):
                name = SCENARIOS[i % len(SCENARIOS)].__name__
                assert result == alone[i % len(SCENARIOS)], (repeat, name)


def test_the_server_runs_on_the_fast_event_loop_and_http_parser():
    """The declared ``streamlit[performance]`` extra is installed, so ``streamlit run``
    serves on uvloop and httptools (uvicorn's "auto" picks them when importable): a
    first visit fetches ~100 script files, and the pure-Python parser made that slower."""
    import importlib.metadata
    import importlib.util

    declared = importlib.metadata.requires("autograd-viz") or []
    assert any(r.replace(" ", "").startswith("streamlit[performance]") for r in declared)
    import sys

    wanted = ("httptools",) if sys.platform == "win32" else ("httptools", "uvloop")  # the
    for module in wanted:  # extra's own markers: no uvloop on Windows
        assert importlib.util.find_spec(module) is not None, module
    from uvicorn.config import Config

    config = Config(app=None)
    config.load()
    assert config.http_protocol_class.__module__.endswith("httptools_impl")
