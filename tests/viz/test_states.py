"""One vocabulary of frame states, one painter: every state is declared once (its look, its
legend in every language, its CSS), and the DOT frames, the server's SVG and the player's
CSS all draw what viz.model.states.paint says."""

from __future__ import annotations

import re
from importlib.resources import files

import numpy as np
import pytest

import viz
from autograd_core import Variable, add, exp, log, mul, square
from viz.model import states
from viz.player import player_css
from viz.player.scene import Scene
from viz.render.scene_svg import node_paint

NODE_KINDS = ("var", "fn", "var param")  # the classes a node has besides its tokens


def test_every_state_has_its_look_legend_and_css():
    css = player_css()
    for state in states.ALL:
        for lang in ("en", "ko"):
            assert state.legend_text(lang), (state.key, lang)
        assert state.legend["ko"] != state.legend["en"]
        if state.kind == "function":
            assert state.word_text("en") and state.word_text("ko")
        if state.kind == "edge":
            assert f".ag-edge.{state.css_class}>path{{stroke:{state.stroke}" in css
        else:
            look = states.paint((state.css_class,))
            assert (look.fill, look.width, look.dash) == (state.fill, state.penwidth, state.dash)
            assert f".ag-node.{state.css_class}>.shape{{fill:{state.fill};" in css


def _rules(css: str) -> list[tuple[frozenset[str], dict[str, str], int]]:
    """(classes, declarations, position) of every `.ag-node... >.shape` rule."""
    out = []
    for position, (selector, body) in enumerate(re.findall(r"([^{}]+)\{([^{}]*)\}", css)):
        for one in selector.split(","):
            one = one.strip()
            if one.startswith(".ag-node") and one.endswith(">.shape"):
                classes = frozenset(one[:-len(">.shape")].strip(".").split("."))
                decls = dict(d.split(":", 1) for d in body.split(";") if ":" in d)
                out.append((classes, decls, position))
    return out


def _cascade(rules, classes: set[str]) -> dict[str, str]:
    """What the browser applies to a node with ``classes`` (specificity, then order;
    !important last)."""
    matching = sorted((r for r in rules if r[0] <= classes), key=lambda r: (len(r[0]), r[2]))
    out: dict[str, str] = {}
    for _, decls, _ in matching:
        for key, value in decls.items():
            if not out.get(key, "").endswith("!important") or value.endswith("!important"):
                out[key] = value
    return out


@pytest.mark.parametrize("kind", NODE_KINDS)
def test_the_players_css_draws_what_the_painter_says(kind):
    rules = _rules(player_css())
    for tokens in states.node_token_sets():
        applied = _cascade(rules, {"ag-node", *kind.split(), *tokens})
        look = states.paint(tokens)
        assert applied["fill"] == look.fill, tokens
        assert applied["stroke"] == look.stroke, tokens
        assert applied["stroke-width"] == f"{look.width:g}px", tokens
        assert applied["stroke-dasharray"] == (look.dasharray or "none"), tokens
    selected = _cascade(rules, {"ag-node", "fn", "s-current", "trouble", "agv-selected"})
    assert selected["stroke"] == f"{states.SELECTED_BORDER}!important"


def _scenes():
    x = Variable(np.array(2.0), name="x")
    a = square(x)
    diamond = add(square(a), square(a))
    z = Variable(np.array(0.0), name="z")
    with np.errstate(all="ignore"):
        trouble = mul(log(z), exp(x))  # -inf: a troubled value
    y = Variable(np.array(2.0), name="y")
    cube = y ** 3
    cube.backward(create_graph=True)
    gy = y.grad
    y.cleargrad()
    with np.errstate(all="ignore"):
        return [Scene(viz.BackwardReplay(diamond), forward=True, engine="layered"),
                Scene(viz.BackwardReplay(trouble, retain_grad=False), engine="layered"),
                Scene(viz.BackwardReplay(gy, create_graph=True), engine="layered")]


def test_every_frame_uses_a_painted_combination_and_the_svg_draws_it():
    known = {frozenset(t) for t in states.node_token_sets()}
    ignore = {"var", "fn", "param", "hidden", "chain"}
    for scene in _scenes():
        for t in range(scene.n_frames):
            nodes, _ = scene.frame_state(t)
            for cls, _ in nodes.values():
                tokens = [c for c in cls.split() if c not in ignore]
                assert frozenset(tokens) in known or not tokens, tokens
                look = states.paint(tokens)
                svg = node_paint(tokens)
                assert (svg["fill"], svg["stroke"], svg["stroke-width"]) == \
                    (look.fill, look.stroke, f"{look.width:g}")


def test_the_player_names_no_state_and_no_state_colour():
    js = files("viz.player").joinpath("player.js").read_text()
    css = files("viz.player").joinpath("player.css").read_text()
    for state in states.ALL:
        assert f"'{state.css_class}'" not in js and f'"{state.css_class}"' not in js
        assert f".{state.css_class}" not in css
    fills = {s.fill.lower() for s in (*states.FUNCTION_STATES, *states.VARIABLE_STATES)}
    fills -= {"#ffffff"}
    node_rules = " ".join(b for sel, b in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
                          if ".ag-node" in sel or ".ag-edge" in sel or ".agv-flow" in sel)
    assert not [f for f in fills if f in node_rules.lower()]
