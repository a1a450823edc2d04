"""Every entry point of viz takes every source: to_dot, get_dot_graph, plot_dot_graph, render,
show (with and without steps), export_steps (frames, GIF, HTML) and Scene."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from notes import step09, step17
from source_helpers import need

import viz
from autograd_core import Variable, exp, square
from viz.player import PlayerView
from viz.player.scene import Scene


def _chain09():
    x = step09.Variable(np.array(0.5))
    y = step09.square(step09.exp(step09.square(x)))
    y.grad = np.array(1.0)
    return x, y


def _micrograd():
    Value = need("micrograd.engine").Value
    a, b = Value(2.0), Value(-3.0)
    return a, b, (a * b + b ** 2).relu()


def _torch():
    torch = need("torch")
    x = torch.tensor(0.5, requires_grad=True)
    return x, torch.square(torch.exp(torch.square(x)))


def test_render_and_plot_dot_graph(tmp_path):
    x, y = _chain09()
    svg = viz.render(y, "svg", names={"x": x}).text
    assert "<svg" in svg and ">x<" in svg
    image = viz.plot_dot_graph(y, to_file=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert image is not None
    tx, ty = _torch()
    assert "ExpBackward0" in viz.render(ty, "svg").text
    assert x.grad is None and tx.grad is None  # drawing backpropagates nothing


def test_show_without_steps_draws_any_source():
    _, y = _chain09()
    a, b, out = _micrograd()
    for obj in (y, out, _torch()[1]):
        view = viz.show(obj)
        assert "<svg" in view._repr_svg_()
    assert a.grad == 0 and b.grad == 0


def test_export_steps_of_micrograd_frames_gif_html(tmp_path):
    a, b, out = _micrograd()
    replay = viz.export_steps(out, tmp_path / "frames", formats=("svg", "dot"),
                              gif=tmp_path / "pass.gif", html=tmp_path / "pass.html",
                              names={"a": a, "b": b})
    assert (a.grad, b.grad) == (-3.0, -4.0)  # their backward, once: a.grad = b, b.grad = a + 2b
    assert replay.mode == "recorded" and replay.n_steps == 4
    frames = sorted(p.name for p in (tmp_path / "frames").iterdir())
    assert frames == [f"step_{k:03d}.{ext}" for k in range(5) for ext in ("dot", "svg")]
    assert (tmp_path / "pass.gif").read_bytes()[:6] == b"GIF89a"
    page = (tmp_path / "pass.html").read_text()
    scene = json.loads(re.search(r'id="agv-scene">(.*?)</script>', page).group(1)
                       .replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
    assert len(scene["frames"]) == 5 and scene["title"].startswith("Backward pass of ")
    # exporting again replays: nothing backpropagated twice
    viz.export_steps(out, html=tmp_path / "again.html")
    assert (a.grad, b.grad) == (-3.0, -4.0)


def test_show_steps_titles_name_the_expression():
    x = Variable(np.array(0.5), name="x")
    y = square(exp(square(x)))
    view = viz.show(y, steps=True)
    assert json.loads(view.scene)["title"] == "Backward pass of square(exp(square(x)))"
    assert float(x.grad.data) == 3.297442541400256  # recorded once
    page = viz.show(y, steps=True, widget=False).page  # the HTML player: the same title
    assert "<title>Backward pass of square(exp(square(x)))</title>" in page
    assert float(x.grad.data) == 3.297442541400256  # then replayed: not 6.59
    ko = viz.show(y, steps=True, lang="ko")
    assert json.loads(ko.scene)["title"] == "square(exp(square(x)))의 역전파"


def test_scene_takes_any_source():
    x = step17.Variable(np.array(2.0), name="x")
    y = step17.add(step17.square(x), step17.square(x))
    scene = Scene(y, engine="layered")
    assert scene.n_frames == 4 and scene.replay.kind == "dezero"
    assert float(x.grad) == 8.0
    with pytest.raises(ValueError, match="PyTorch keeps only its backward graph"):
        Scene(_torch()[1], forward=True)


def test_player_view_of_a_recording():
    x, y = _chain09()
    replay = viz.record(y, names={"x": x})
    view = viz.show(replay, steps=True, widget=False)
    assert isinstance(view, PlayerView) and "Call 1 of 3" in view.page
    widget = viz.show(replay, steps=True)
    widget.step = 1
    assert widget.caption == "Call 1 of 3: your backward runs Square"
