"""viz.show(y, steps=True) as a two-way notebook widget (its Python side; the browser side
runs in a real JupyterLab in test_in_jupyter.py)."""

from __future__ import annotations

import json
import re
import sys
import warnings

import numpy as np
import pytest

import viz
from autograd_core import Variable, add, exp, square
from viz.player import PlayerView
from viz.player.widget import StepWidget  # anywidget comes with the test extra


def chain():
    x = Variable(np.array(0.5), name="x")
    return x, square(exp(square(x)))


def test_show_steps_is_a_widget_with_the_player_inside():
    x, y = chain()
    w = viz.show(y, steps=True)
    assert isinstance(w, StepWidget)
    assert "function agvizPlayer(" in w._esm and "export default" in w._esm
    # offline: no address but the SVG namespace's (no CDN, no import from anywhere)
    assert set(re.findall(r"https?://[^'\" ]+", w._esm)) == {"http://www.w3.org/2000/svg"}
    scene = json.loads(w.scene)
    assert scene["title"] == "Backward pass of square(exp(square(x)))"
    assert (w.step, w.n_frames) == (0, 4)
    assert w.caption == "Before backward (0/3): the output's grad is seeded with 1"
    assert float(x.grad.data) == 3.297442541400256  # recorded once, as y.backward()


def test_step_and_selection_are_two_way():
    x, y = chain()
    w = viz.show(y, steps=True)
    seen = []
    w.observe(lambda change: seen.append(change["new"]), names="step")
    w.step = 2
    assert seen == [2] and w.caption == "Step 2 of 3: generation 1 runs Exp"
    w.selected = "v0"
    assert w.variable is x  # the user's own object back
    assert w.details == "x.grad: none yet (no function has sent it a grad)"
    w.step = 3
    assert w.details == "x.grad = 3.297 (from Square) = 3.297"
    w.selected = "f0"  # a function: no variable
    assert w.variable is None and w.details == ""


def test_out_of_range_steps_are_clamped_and_said():
    _, y = chain()
    w = viz.show(y, steps=True)
    with pytest.warns(UserWarning, match=r"step 9 is out of range: frames are 0\.\.3; showing 3"):
        w.step = 9
    assert w.step == 3
    with pytest.warns(UserWarning, match="showing 0"):
        w.step = -4
    assert w.step == 0


def test_language_switch_keeps_the_layout():
    _, y = chain()
    w = viz.show(y, steps=True)
    english = json.loads(w.scene)
    w.step = 1
    w.lang = "ko"
    korean = json.loads(w.scene)
    assert korean["nodes"] == english["nodes"] and korean["edges"] == english["edges"]
    assert w.caption.startswith("1/3단계") and w.step == 1
    with pytest.raises(Exception, match="lang must be one of en, ko"):
        w.lang = "fr"


def test_the_users_own_classes_and_other_libraries():
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[1] / "sources"))
    from notes import step17

    x = step17.Variable(np.array(2.0), name="x")
    a = step17.square(x)
    y = step17.add(step17.square(a), step17.square(a))
    w = viz.show(y, steps=True)
    node = next(i for i, v in enumerate(w.replay.graph.variables) if v.source is a)
    w.selected = f"v{node}"
    w.step = w.n_frames - 1
    assert w.variable is a
    assert w.details == ("Square #1's output.grad = 8 (from Square #1) + 8 (from Square #2) "
                         "= 16 (then freed: retain_grad=False)")  # their loop set it to None
    assert float(x.grad) == 64.0


def test_a_saved_notebook_carries_a_picture_of_the_frame():
    _, y = chain()
    w = viz.show(y, steps=True)
    w.step = 2
    data, _ = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    svg = data["image/svg+xml"]
    assert "<svg" in svg and "Step 2 of 3" in svg
    assert data["text/plain"] == "<viz.StepWidget: Step 2 of 3: generation 1 runs Exp>"


def test_a_graph_too_big_for_the_widget_gets_the_policy_and_its_notice():
    x = Variable(np.array(0.5), name="x")
    y = x
    for i in range(900):
        y = add(y, x) if i % 3 else square(y) * 0.001
    w = viz.show(y, steps=True, max_nodes=300)
    scene = json.loads(w.scene)
    assert "summarised in one node" in scene["notice"] or "chain" in scene["notice"]
    assert len(scene["nodes"]) <= 300


def test_without_anywidget_the_html_player_and_one_notice(monkeypatch):
    import viz.player.notebook as notebook

    monkeypatch.setitem(sys.modules, "anywidget", None)
    monkeypatch.delitem(sys.modules, "viz.player.widget", raising=False)
    monkeypatch.setattr(notebook, "_SAID", [])
    _, y = chain()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = viz.show(y, steps=True)
        second = viz.show(y, steps=True)
    assert isinstance(first, PlayerView) and isinstance(second, PlayerView)
    said = [str(w.message) for w in caught
            if issubclass(w.category, notebook.WidgetUnavailableWarning)]
    assert said == ['viz.show(y, steps=True) is the HTML player here: for the two-way widget '
                    '(w.step, w.selected), pip install "autograd-viz[notebook]"']
    assert "Backward pass of square(exp(square(x)))" in first.page
