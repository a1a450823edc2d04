"""Fixtures for the app tests (helpers live in app_helpers.py)."""

from app_helpers import app  # noqa: F401  (re-exported as a fixture)
