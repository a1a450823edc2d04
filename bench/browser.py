"""Run app.py under `streamlit run` and drive it with headless Chromium (Playwright).

Shared by the end-to-end test and the browser benchmark. Playwright's own
browser download is not used: we launch the Chromium found on the machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """A Chromium binary on this machine, or None."""
    env = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout: float = 60.0, script: Path | None = None,
                     env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `streamlit run app.py` (or ``script``) headless on a free local port; yield
    its URL. ``env``: extra environment (e.g. ``AUTOGRAD_VIZ_ROOMS`` for a replica)."""
    port = free_port()
    scratch = tempfile.mkdtemp(prefix="st-home-")
    env = dict(os.environ, **(env or {}), HOME=scratch)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "app.py"),
         "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"streamlit did not start: {output[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def chromium_page(executable: str, width: int = 1500, height: int = 1100) -> Iterator[object]:
    """A Playwright page in headless Chromium with a scratch HOME/TMPDIR. An uncaught
    JavaScript error in it (or in a page it opens) fails the block: a player that throws
    half-way can still leave the attribute a test waits for."""
    from playwright.sync_api import sync_playwright

    scratch = tempfile.mkdtemp(prefix="chromium-")
    old = {k: os.environ.get(k) for k in ("HOME", "TMPDIR")}
    os.environ.update(HOME=scratch, TMPDIR=scratch)
    thrown: list[str] = []

    def watch(page: Any) -> Any:
        page.on("pageerror", lambda error: thrown.append(str(error)))
        return page

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            # pages a test opens later (other sessions, a phone) are watched as well
            new_page, new_context = browser.new_page, browser.new_context
            browser.new_page = lambda *a, **k: watch(new_page(*a, **k))
            browser.new_context = lambda *a, **k: _watched(new_context(*a, **k), watch)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.context.on("page", watch)
                yield page
            finally:
                browser.close()
        if thrown:
            raise AssertionError(f"uncaught JavaScript errors in the page: {thrown}")
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(scratch, ignore_errors=True)


def _watched(context: Any, watch: Any) -> Any:
    context.on("page", watch)
    return context


# Where every node of the player's scene is drawn (nothing may move between frames).
NODE_BOXES_JS = """els => els.map(g => { const s = g.querySelector('.shape');
  return g.getAttribute('data-id') + ':' + (s.getAttribute('cx') || s.getAttribute('x')) + ','
    + (s.getAttribute('cy') || s.getAttribute('y')); })"""
