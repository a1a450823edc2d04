"""A tab that closes gives back what its session held, through a real Streamlit server.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` seconds, then
forgets it without shutting it down, and a download button's deferred data stays
registered for good (streamlit/streamlit#12506): every lesson page ever closed kept its
lesson. The script below installs ``classroom.pages.closed_sessions`` as ``app.py`` does,
and offers a download whose data function holds an object that tells a file when it is
freed. Without the install, the object outlives its session for as long as the server
runs (checked by the second test).
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from bench.browser import chromium_page, streamlit_server

pytestmark = pytest.mark.browser

SCRIPT = """
import os
import weakref

import streamlit as st

from classroom.pages import closed_sessions

if os.environ["INSTALL"] == "1":
    closed_sessions.install()


class Lesson:  # (stands for what a lesson page's download buttons hold)
    pass


def held_by_a_download() -> None:  # (not in the namespace: Streamlit keeps its last run's)
    lesson = Lesson()
    weakref.finalize(lesson, open(os.environ["FREED"], "a").write, "freed\\n")
    st.download_button("Download", data=lambda: lesson and b"x", on_click="ignore")


held_by_a_download()
st.write("ready")
"""


def _a_tab_opens_and_closes(chromium: str, tmp_path: Path, install: bool) -> str:
    """What the file says 8 s after the tab closed (read while the server runs: at its exit
    everything is freed)."""
    script = tmp_path / "page.py"
    script.write_text(textwrap.dedent(SCRIPT))
    freed = tmp_path / "freed.txt"
    freed.write_text("")
    env = {"INSTALL": "1" if install else "0", "FREED": str(freed)}
    options = ("--server.disconnectedSessionTTL", "1")
    with streamlit_server(script=script, env=env, options=options) as url, \
            chromium_page(chromium) as page:
        page.goto(url)
        page.get_by_text("ready").wait_for(timeout=30_000)
        assert freed.read_text() == ""  # (the page's run is over: the button holds it)
        page.close()
        deadline = time.monotonic() + 8  # (1 s to live, looked for every second)
        while time.monotonic() < deadline and not freed.read_text():
            time.sleep(0.2)
        return freed.read_text()


def test_a_closed_tab_s_session_is_shut_down_and_its_downloads_freed(chromium, tmp_path):
    assert _a_tab_opens_and_closes(chromium, tmp_path, install=True) == "freed\n"


def test_without_it_streamlit_keeps_a_closed_tab_s_downloads(chromium, tmp_path):
    """(What the module is for: if Streamlit frees them itself one day, this fails, and
    closed_sessions can go.)"""
    assert _a_tab_opens_and_closes(chromium, tmp_path, install=False) == ""
