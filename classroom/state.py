"""Session state as plain data, and the callbacks that change it.

Every function takes the session's mapping (``st.session_state`` in the app, a
dict in tests); nothing is kept at module level.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from .presets import BY_KEY, DEFAULT

State = MutableMapping[str, Any]


def value_key(name: str) -> str:
    """Widget key of an input variable's value box."""
    return f"val_{name}"


def init(state: State) -> None:
    """Fill in defaults: the app opens on the seeds' square/exp chain at x = 0.5."""
    defaults = {"lang": "en", "preset": DEFAULT.key, "expr": DEFAULT.text, "step": 0,
                "n_steps": 0, "higher_order": False, "wrt": None, "projector": False,
                "rankdir": "LR", "inspect": None}
    for key, value in defaults.items():
        state.setdefault(key, value)
    if not state.get("_initialised"):
        for name, value in DEFAULT.values.items():
            state.setdefault(value_key(name), value)
        state["_initialised"] = True


def values(state: State, names: list[str]) -> dict[str, str]:
    """The value text of each input (a new variable starts at 1.0)."""
    return {name: str(state.get(value_key(name), "1.0")) for name in names}


def load_preset(state: State) -> None:
    """on_change of the example selector: put its text and values in place."""
    preset = BY_KEY.get(state.get("preset"), DEFAULT)
    state["expr"] = preset.text
    for name, value in preset.values.items():
        state[value_key(name)] = value
    state["wrt"] = None
    state["inspect"] = None
    state["step"] = 0


def restart(state: State) -> None:
    """on_change of the expression, a value or an option: back to frame 0."""
    state["step"] = 0
    state["inspect"] = None


def _clamp(state: State, k: int) -> None:
    state["step"] = max(0, min(int(state.get("n_steps", 0)), k))


def next_step(state: State) -> None:
    _clamp(state, int(state.get("step", 0)) + 1)


def previous_step(state: State) -> None:
    _clamp(state, int(state.get("step", 0)) - 1)


def run_to_end(state: State) -> None:
    _clamp(state, int(state.get("n_steps", 0)))


def reset_steps(state: State) -> None:
    state["step"] = 0
