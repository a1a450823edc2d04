"""The app's "The same in PyTorch": the typed expression built with PyTorch, its backward
stepped beside ours (following our steps), the grads compared; without PyTorch, how to add
it; hidden during a quiz."""

from __future__ import annotations

import json
import os
from unittest import mock

import pytest
from app_helpers import _data, _elements, new_app, report

from classroom import torch_side
from classroom.lesson import clear_cache


def _torch_players(at):
    return [e for e in _elements(at, "autograd_viz_player")
            if _data(e)["key"] == torch_side.PLAYER_KEY]


def _torch_moves(at):
    return [_data(e) for e in _elements(at, "autograd_viz_moves")
            if _data(e)["key"] == torch_side.PLAYER_KEY]


def _need_torch():
    if not torch_side.available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but torch is missing: .ci/run installs it")
        pytest.skip("PyTorch is not installed")


def test_the_same_in_pytorch_follows_our_steps():
    _need_torch()
    at = new_app().run()
    at.toggle(key="torch_side").set_value(True).run()
    assert not at.exception
    players = _torch_players(at)
    assert len(players) == 1
    data = _data(players[0])
    assert data["locked"] is True and data["lockedBy"] is None  # it follows ours
    scene = json.loads(data["scene"])
    labels = {text.split("\n")[0] for _, text in scene["frames"][0]["n"].values()}
    assert {"PowBackward0", "ExpBackward0", "AccumulateGrad"} <= labels
    assert scene["title"] == "Backward pass of exp(x ** 2) ** 2"  # torch.square is a pow
    # the default lesson opens before backward: PyTorch's player before its pass
    assert _torch_moves(at)[0]["step"] == 0
    success = [s.value for s in at.success if "same grads" in s.value]
    assert success == [r"Both engines give the same grads: x\.grad 3\.297\."]  # (markdown)
    # our last step: PyTorch's last frame too (3 of ours, 4 of its calls)
    n = at.session_state["n_frames"] - 1
    at = report(at, step=n)
    assert not at.exception
    assert _torch_moves(at)[0]["step"] == len(scene["frames"]) - 1
    assert at.session_state["torch_side"] is True


def test_without_pytorch_the_toggle_says_how_to_add_it():
    clear_cache()  # lessons are shared: one built with PyTorch's side would keep it
    torch_side.available.cache_clear()
    try:
        with mock.patch("importlib.util.find_spec", return_value=None):
            at = new_app().run()
            at.toggle(key="torch_side").set_value(True).run()
    finally:
        torch_side.available.cache_clear()
        clear_cache()
    assert not at.exception
    assert not _torch_players(at)
    assert any('pip install "autograd-viz[torch]"' in i.value for i in at.info)


def test_hidden_during_the_quiz():
    _need_torch()
    at = new_app().run()
    at.toggle(key="torch_side").set_value(True).run()
    at.toggle(key="quiz").set_value(True).run()
    assert not at.exception
    assert not _torch_players(at)
    assert any("Hidden during the quiz" in i.value for i in at.info)
