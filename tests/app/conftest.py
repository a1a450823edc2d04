"""Fixtures for the app tests (helpers live in app_helpers.py)."""

import os
from collections.abc import Iterator
from unittest import mock

import pytest
from app_helpers import app, remember_scenes  # noqa: F401  (app: re-exported as a fixture)

from bench.browser import find_chromium, streamlit_server


@pytest.fixture(autouse=True)
def _apptest_keeps_unpicklable_testing_data() -> Iterator[None]:
    """Run AppTest without runner.enforceSerializableSessionState.

    .streamlit/config.toml turns it on, so a real server refuses anything but plain
    data in a session (the browser tests run that way). AppTest itself keeps widget
    metadata with their format_func lambdas under an internal session key, which no
    pickle can take; the app's own keys are checked with classroom.state.is_plain
    and pickle in test_app.py instead.
    """
    from streamlit import config

    original = config.get_option

    def get_option(name: str):
        if name == "runner.enforceSerializableSessionState":
            return False
        return original(name)

    with mock.patch.object(config, "get_option", get_option):
        yield


@pytest.fixture(autouse=True)
def _a_fresh_room_store() -> Iterator[None]:
    """Each test starts with no rooms and no join history (AppTest runs the app in this
    process, and every AppTest session is the same client, "unknown")."""
    from classroom import rooms

    rooms._STORE.clear()
    yield
    rooms._STORE.clear()


@pytest.fixture(autouse=True)
def _the_page_keeps_its_scenes() -> Iterator[None]:
    """After every AppTest run, what the browser's page would keep: the scene each player
    was sent (the app sends a scene's text once; see classroom.player._scene_due)."""
    from streamlit.testing.v1 import AppTest

    original = AppTest._run

    def run(self, widget_state=None, timeout=None):
        result = original(self, widget_state, timeout)
        remember_scenes(self)
        return result

    with mock.patch.object(AppTest, "_run", run):
        yield


# --- the real-browser tests (test_browser*.py): Chromium and the app's server ---------
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
