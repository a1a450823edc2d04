"""Fixtures for the app tests (helpers live in app_helpers.py)."""

from collections.abc import Iterator
from unittest import mock

import pytest
from app_helpers import app  # noqa: F401  (re-exported as a fixture)


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
