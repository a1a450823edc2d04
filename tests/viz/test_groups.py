"""Layers and viz.scope blocks are groups in the drawing (issue #12.2): labelled clusters,
collapsible to one box (inputs, outputs, parameter count), expandable again with nothing
moved; in the DOT, the scene/player, the frames drawn on the server and the CLI."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import autograd_core as ag
import viz
from viz.export.cli import main
from viz.layout import LayoutRequest, lay_out
from viz.model.groups import collapsed, find_groups


def _mlp_loss(name: str | None = "net"):
    model = ag.MLP((3, 1), rng=np.random.default_rng(0), name=name)
    x = ag.Variable(np.ones((2, 1)), name="x")
    loss = ag.mean_squared_error(model(x), np.zeros((2, 1)))
    loss.name = "loss"
    return loss


def _clusters(dot: str) -> list[tuple[str, str]]:
    return re.findall(r'subgraph cluster_(g\d+) \{\n\s+graph \[id="g\d+", label="([^"]+)"', dot)


def test_each_layer_is_a_nested_labelled_cluster_and_the_dot_is_the_same_every_run():
    dot = viz.to_dot(_mlp_loss())
    assert _clusters(dot) == [("g0", "net"), ("g1", "l0"), ("g2", "l1")]
    body = dot.split("subgraph cluster_g0 {", 1)[1]
    assert body.index("cluster_g1") < body.index("cluster_g2")  # nested inside net
    # l0 holds its W, b, the Linear and its output; the data input x stays outside
    l0 = body.split("subgraph cluster_g1 {", 1)[1].split("}", 1)[0]
    assert l0.strip().splitlines()[-1].strip() == "v0; v1; v5; f0;"
    assert "v4" not in l0  # x
    assert viz.to_dot(_mlp_loss()) == dot


def test_parameters_are_drawn_apart_from_data_inputs():
    dot = viz.to_dot(_mlp_loss())
    lines = {m.group(1): m.group(0) for m in re.finditer(r"  (v\d+) \[.*\];", dot)}
    assert "peripheries=2" in lines["v0"] and lines["v0"].startswith('  v0 [id="v0", label="W')
    assert "peripheries" not in lines["v4"]  # x, the data


def test_collapse_draws_a_group_as_one_box_with_its_inputs_outputs_and_parameters():
    dot = viz.to_dot(_mlp_loss(), collapse=["l0"])
    assert 'g1 [id="g1", label="[l0]\\n6 params\\nin: x\\nout: (2, 3)", shape=folder' in dot
    for member in ("v0", "v1", "v5", "f0"):
        assert f"  {member} [" not in dot and f" {member} ->" not in dot
    assert "  v4 -> g1;" in dot and "  g1 -> f1;" in dot  # x in, the hidden layer out
    assert dot.count("-> g1;") == 1  # x feeds one function inside: one edge
    assert [c for c, _ in _clusters(dot)] == ["g0", "g2"]  # l0 is a box inside net now
    assert "v6; f1; g1;" in dot
    whole = viz.to_dot(_mlp_loss(), collapse=["all"])
    assert _clusters(whole) == [] and '[net]\\n10 params' in whole
    opened = viz.to_dot(_mlp_loss(), collapse=["all"], expand=["l1"])
    assert "[l0]" in opened and "[l1]" not in opened and "[net]" not in opened
    assert viz.to_dot(_mlp_loss(), collapse=["net/l0"]) == dot  # a path names it too


def test_an_unknown_group_name_lists_the_groups_there_are():
    with pytest.raises(ValueError, match="no group named 'l7'; groups in this graph: net, l0, l1"):
        viz.to_dot(_mlp_loss(), collapse=["l7"])
    x = ag.Variable(np.array(2.0))
    with pytest.raises(ValueError, match=r"none \(no layer or scope\)"):
        viz.to_dot(ag.square(x), collapse=["l0"])


def test_a_users_scope_groups_what_it_computed_and_its_constants():
    x = ag.Variable(np.array(0.5), name="x")
    with viz.scope("inner"):
        a = ag.square(x) * 3.0
    y = ag.exp(a)
    dot = viz.to_dot(y)
    assert _clusters(dot) == [("g0", "inner")]
    inner = dot.split("subgraph cluster_g0 {", 1)[1].split("}", 1)[0]
    members = inner.strip().splitlines()[-1]
    # square, mul, their outputs and the constant 3 are inside; x and exp are not
    graph = viz.collect(y)
    ids = {v.index: graph.node_id(v) for v in graph.variables}
    assert graph.node_id(x) not in members and graph.node_id(a) in members
    constant = next(v for v in graph.variables if ag.variable_origin(v) == "constant")
    assert ids[constant.index] in members
    assert graph.node_id(y.creator) not in members


def test_groups_know_their_edges_across_the_border():
    loss = _mlp_loss()
    replay = viz.BackwardReplay(loss)
    scene = viz.Scene(replay, engine="layered")
    g = {g.name: g for g in scene.groups}
    assert g["l0"].parameters == 6 and g["l1"].parameters == 4 and g["net"].parameters == 10
    assert g["l0"].inputs == ("v4",) and g["l0"].outputs == ("v5",)
    assert collapsed(scene.groups, ["all"], ["l0"]) == [g["l1"]]
    assert find_groups(scene.drawing, []) == [
        group.__class__(group.id, group.path, group.members, group.own, group.parameters, (), ())
        for group in scene.groups]


@pytest.mark.parametrize("engine", ["auto", "layered"])
def test_the_layout_places_every_cluster_around_its_members(engine):
    scene = viz.Scene(viz.BackwardReplay(_mlp_loss()), engine=engine)
    lay = scene.layout
    assert set(lay.clusters) == {"g0", "g1", "g2"}
    for group in scene.groups:
        x, y, w, h = lay.clusters[group.id]
        for nid in group.members:
            box = lay.nodes[nid]
            assert x - 0.5 <= box.x - box.w / 2 and box.x + box.w / 2 <= x + w + 0.5, nid
            assert y - 0.5 <= box.y - box.h / 2 and box.y + box.h / 2 <= y + h + 0.5, nid
    outer, inner = lay.clusters["g0"], lay.clusters["g1"]
    assert outer[0] <= inner[0] and inner[0] + inner[2] <= outer[0] + outer[2]


def test_the_layout_request_writes_nested_clusters():
    scene = viz.Scene(viz.BackwardReplay(_mlp_loss()), engine="layered")
    request: LayoutRequest = scene.layout_request()
    text = request.dot()
    assert text.count("subgraph cluster_") == 3
    assert text.index("cluster_g0") < text.index("cluster_g1") < text.index("cluster_g2")
    assert lay_out(request, engine="layered").clusters.keys() == {"g0", "g1", "g2"}


def test_the_players_scene_carries_groups_and_what_opens_collapsed():
    scene = viz.Scene(viz.BackwardReplay(_mlp_loss()), engine="layered", collapse=["l1"])
    data = json.loads(scene.to_json())
    rows = {row[0]: row for row in data["groups"]}
    assert rows["g1"][1] == "l0" and rows["g1"][6] == "[l0]\n6 params\nin: x\nout: (2, 3)"
    assert rows["g2"][7] == ["v2", "v3", "v7", "f2"] and rows["g2"][8] == 2
    assert data["collapsed"] == ["g2"]
    kinds = {row[0]: row[6] for row in data["nodes"]}
    assert kinds["v0"] == "var param" and kinds["v4"] == "var"
    plain = viz.Scene(viz.BackwardReplay(ag.square(ag.Variable(np.array(1.0)))))
    assert "groups" not in plain.payload() and "collapsed" not in plain.payload()


def test_frames_drawn_on_the_server_show_outlines_and_collapsed_boxes():
    opened = viz.Scene(viz.BackwardReplay(_mlp_loss()), engine="layered").svg(0)
    assert opened.count('stroke-dasharray="6,3"') >= 3 and ">l0<" in opened
    shut = viz.Scene(viz.BackwardReplay(_mlp_loss()), engine="layered", collapse=["l0"]).svg(0)
    assert ">[l0]<" in shut and ">6 params<" in shut
    assert 'id="v0"' not in shut and 'id="f0"' not in shut and 'id="v4"' in shut


def test_export_steps_passes_collapse_to_the_player_page(tmp_path):
    viz.export_steps(_mlp_loss(), None, html=tmp_path / "p.html", collapse=["l0"])
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    scene = json.loads(page.split('id="agv-scene">', 1)[1].split("</script>", 1)[0])
    assert scene["collapsed"] == ["g1"]


def test_the_command_line_draws_an_mlp_and_collapses_layers(tmp_path, capsys):
    assert main(["--mlp", "1,10,1", "--collapse", "l0"]) == 0
    dot = capsys.readouterr().out
    assert "[l0]\\n20 params\\nin: x\\nout: (4, 10)" in dot and _clusters(dot)[0][1] == "mlp"
    assert main(["--mlp", "2,16,16,2", "--collapse", "all", "--expand", "l1",
                 "-o", str(tmp_path / "m.svg")]) == 0
    svg = (tmp_path / "m.svg").read_text()
    assert "[l0]" in svg and "[l2]" in svg and "[l1]" not in svg
    assert main(["--mlp", "1,10,1", "--collapse", "l1", "--html", str(tmp_path / "m.html")]) == 0


@pytest.mark.parametrize("args, message", [
    (["--mlp", "1,10,1", "--collapse", "l7"], "no group named 'l7'; groups in this graph: mlp"),
    (["--mlp", "1,x"], "--mlp needs whole numbers"),
    (["--mlp", "1"], "--mlp takes 2 to 7 sizes"),
    (["--mlp", "1,1000,1"], "--mlp takes 2 to 7 sizes of 1 to 256"),
    (["--mlp", "1,10,1", "--batch", "0"], "--batch must be 1 to 256"),
    (["square(x)", "--var", "x=1", "--mlp", "1,2"], "not both"),
])
def test_bad_group_and_mlp_options_exit_2_with_one_line(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
