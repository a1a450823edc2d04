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


def streamlit_command(port: int, script: Path | None = None,
                      options: tuple[str, ...] = ()) -> list[str]:
    """`streamlit run app.py` (or ``script``) headless on ``port`` of 127.0.0.1."""
    return [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "app.py"),
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *options]


def answering(url: str, proc: subprocess.Popen, seconds: float) -> bool:
    """True once Streamlit's health check at ``url`` says ok (a server, or a proxy in front
    of one); False if ``proc`` ended first or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.read().strip() == b"ok":
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.1)


@contextlib.contextmanager
def streamlit_server(timeout: float = 60.0, script: Path | None = None,
                     env: dict[str, str] | None = None,
                     options: tuple[str, ...] = ()) -> Iterator[str]:
    """Start `streamlit run app.py` (or ``script``) headless on a free local port; yield
    its URL. ``env``: extra environment (e.g. ``AUTOGRAD_VIZ_ROOMS`` for a replica);
    ``options``: more of Streamlit's command-line options."""
    port = free_port()
    scratch = tempfile.mkdtemp(prefix="st-home-")
    env = dict(os.environ, **(env or {}), HOME=scratch)
    proc = subprocess.Popen(streamlit_command(port, script, options), cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not answering(url, proc, timeout):
            if proc.poll() is None:
                proc.kill()  # (its output ends only when it does)
            output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"streamlit did not start: {output[-2000:]}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def _server(command: list[str], health: str, *, cwd: Path, timeout: float,
            name: str) -> Iterator[None]:
    """Run ``command`` (a local web server) with a scratch HOME until ``health`` answers."""
    scratch = tempfile.mkdtemp(prefix=f"{name}-home-")
    env = dict(os.environ, HOME=scratch, JUPYTER_CONFIG_DIR=f"{scratch}/config",
               JUPYTER_DATA_DIR=f"{scratch}/data", JUPYTER_RUNTIME_DIR=f"{scratch}/runtime",
               JUPYTER_PLATFORM_DIRS="1")
    log = open(os.path.join(scratch, "server.log"), "w+b")  # noqa: SIM115 (read on failure)
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(health, timeout=2):
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"{name} did not start: "
                                   f"{log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


TOKEN = "autograd-viz-test"  # the local notebook server's token (loopback only)


@contextlib.contextmanager
def jupyter_server(root: Path, app: str = "lab", timeout: float = 90.0) -> Iterator[str]:
    """Start JupyterLab (``app="lab"``) or Notebook 7 (``"notebook"``) on a free loopback
    port serving ``root``; yield the base URL (add ``?token=`` + TOKEN to open pages)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "jupyter", app, "--no-browser", "--allow-root",
               f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
               f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
               "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False"]
    if app == "lab":
        command.append("--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    with _server(command, f"{url}/api/status?token={TOKEN}", cwd=root, timeout=timeout,
                 name=app):
        yield url


@contextlib.contextmanager
def marimo_server(script: Path, timeout: float = 60.0) -> Iterator[str]:
    """``marimo run script`` headless on a free loopback port; yield its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "marimo", "run", str(script), "--headless",
               "--host", "127.0.0.1", "--port", str(port), "--no-token"]
    with _server(command, f"{url}/health", cwd=script.parent, timeout=timeout, name="marimo"):
        yield url


@contextlib.contextmanager
def chromium_page(executable: str, width: int = 1500, height: int = 1100,
                  foreign_errors: tuple[tuple[str, str], ...] = ()) -> Iterator[object]:
    """A Playwright page in headless Chromium with a scratch HOME/TMPDIR. An uncaught
    JavaScript error in it (or in a page it opens) fails the block: a player that throws
    half-way can still leave the attribute a test waits for. ``foreign_errors``: (message,
    script) pairs of another program's own known errors, let through only when thrown
    from a script whose address contains ``script``."""
    from playwright.sync_api import sync_playwright

    scratch = tempfile.mkdtemp(prefix="chromium-")
    old = {k: os.environ.get(k) for k in ("HOME", "TMPDIR")}
    os.environ.update(HOME=scratch, TMPDIR=scratch)
    thrown: list[str] = []

    def record(error: Any) -> None:
        stack = error.stack or ""
        first = next((line for line in stack.splitlines() if "://" in line), "")
        if not any(message in str(error) and script in first
                   for message, script in foreign_errors):
            thrown.append(str(error))

    def watch(page: Any) -> Any:
        page.on("pageerror", record)
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
