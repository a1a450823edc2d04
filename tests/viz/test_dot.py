"""DOT text: golden files, determinism, labels, the attribute allow-list, escaping."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from viz_helpers import chain, check_golden, diamond, goldstein, x_plus_x

import viz
from autograd_core import Variable, exp, no_grad, pow, square, sub, sum
from viz.render.escape import clean_text

SEEDS = {"chain": chain, "diamond": diamond, "x_plus_x": x_plus_x, "goldstein": goldstein}


def _seed_dots() -> dict[str, str]:
    """Every golden DOT text, each from a freshly built graph (the order matters not)."""
    out = {}
    for name, build in SEEDS.items():
        _, y = build()
        out[f"{name}.dot"] = viz.to_dot(y)
        y.backward()
        out[f"{name}_after_backward.dot"] = viz.to_dot(y)
    _, y = chain()
    out["chain_verbose.dot"] = viz.get_dot_graph(y, verbose=True)
    for name in ("chain", "diamond"):
        _, y = SEEDS[name]()
        for k, dot in enumerate(viz.BackwardReplay(y, retain_grad=False).dots()):
            out[f"{name}_frame_{k}.dot"] = dot
    x = Variable(np.array(2.0), name="x")
    y = x**3
    y.name = "y"
    for k, dot in enumerate(viz.BackwardReplay(y, create_graph=True).dots()):
        out[f"cube_grad_graph_frame_{k}.dot"] = dot
    return out


GOLDEN_NAMES = sorted(_seed_dots())


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden_files(name):
    check_golden(name, _seed_dots()[name])


def test_golden_files_cover_every_frame_of_the_chain():
    assert [n for n in GOLDEN_NAMES if n.startswith("chain_frame_")] == [
        f"chain_frame_{k}.dot" for k in range(4)]  # 3 steps: frames 0..3


def test_byte_identical_in_a_fresh_process_whatever_ran_before():
    code = textwrap.dedent("""
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import numpy as np
        from autograd_core import Variable, square
        for _ in range(777):  # shift the engine's global counters
            square(Variable(np.array(1.0)))
        from test_dot import _seed_dots
        print(json.dumps(_seed_dots()))
    """)
    import json
    from pathlib import Path

    here = str(Path(__file__).parent)
    done = subprocess.run([sys.executable, "-c", code, here], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == _seed_dots()


def test_variables_drawn_once_and_ids_follow_creation_order():
    _, y = diamond()
    dot = viz.to_dot(y)
    ids = re.findall(r"^  (\w+) \[id=", dot, flags=re.M)
    assert ids == ["v0", "v1", "v2", "v3", "v4", "f0", "f1", "f2", "f3"]
    assert dot.count("v1 -> ") == 2  # a feeds two Squares, drawn once
    g = viz.collect(y)
    assert [viz.node_id(v, g) for v in g.variables] == ["v0", "v1", "v2", "v3", "v4"]
    assert g.edges[:2] == (("v0", "f0", 0), ("f0", "v1", None))
    assert len(g.edges) == 9 and viz.graph_size(y) == 9
    x3 = x_plus_x()[0]
    dot = viz.to_dot(x_plus_x()[1])
    assert dot.count('[id="v') == 3 and x3.name == "x"  # x, x + x, y


def test_labels_show_values_grads_params_and_operands():
    x = Variable(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), name="x")
    y = sum(pow(sub(x, 1.0), 3), axis=0)
    y.backward()
    dot = viz.to_dot(y)
    # small arrays nested, shape first (one convention everywhere, #9.8)
    assert '"x\\n(2, 3) float64\\n[[1, 2, 3], [4, 5, 6]]\\ngrad [[0, 3, 12], [27, 48, 75]]"' in dot
    big = Variable(np.arange(12.0).reshape(3, 4), name="b")
    assert '"b\\n(3, 4) float64\\nmin 0 max 11 mean 5.5"' in viz.to_dot(big)
    assert '"Pow\\nc=3"' in dot and '"Sum\\naxis=0"' in dot
    assert '[label="x0"]' in dot and '[label="x1"]' in dot  # Sub is not commutative
    assert re.search(r'label="1", shape=ellipse, style="filled,dotted"', dot)  # the constant
    small = Variable(np.array([1.0, 2.0]), name="s")
    assert '"s\\n(2,) float64\\n[1, 2]"' in viz.to_dot(small)


def test_constants_scalars_and_verbose():
    x = Variable(np.array(0.123456), name="x")
    y = 2.0 * exp(x)
    dot = viz.to_dot(y)
    assert 'label="x\\n0.1235"' in dot  # 4 significant digits
    assert re.search(r'label="2", shape=ellipse, style="filled,dotted", fillcolor="#F2F2F2"',
                     dot)
    assert 'label="x\\n0.1235\\n() float64"' in viz.to_dot(y, verbose=True)
    y.backward()
    assert "\\ngrad " in viz.to_dot(y) and "\\ngrad " not in viz.to_dot(y, show_grads=False)


def test_no_grad_results_and_freed_grads_are_labelled():
    x = Variable(np.array(2.0), name="x")
    with no_grad():
        c = square(x)
    y = square(x) * c
    y.backward()
    dot = viz.to_dot(y)
    assert "no_grad (not differentiable)" in dot
    assert "grad freed" in dot


def test_grad_graph_colours_orders_and_links_grads():
    x = Variable(np.array(2.0), name="x")
    y = x**3
    y.backward(create_graph=True)
    for dot in (viz.to_dot(y, x.grad), viz.to_dot(y, grad_graphs=True)):
        assert "order 1" in dot and 'fillcolor="#F3D3E6"' in dot
        gid = viz.collect(y, x.grad).node_id(x.grad)
        assert re.search(rf'^  {gid} -> v0 \[style=dashed, .*label="grad of"', dot, re.M)
    assert "order 1" not in viz.to_dot(y)


def test_numerical_trouble_is_marked_on_the_node():
    from autograd_core import log

    x = Variable(np.array(-1.0), name="x")
    with np.errstate(invalid="ignore"):
        y = log(x)
    dot = viz.to_dot(y)
    assert "\u26a0 nan" in dot and 'color="#D55E00", penwidth=3' in dot


_ATTR_LIST = re.compile(r"\[(.*)\];$")
_ATTR_NAME = re.compile(r'(?:^|,\s*)(\w+)=(?:"(?:[^"\\]|\\.)*"|[^,\]]+)')


def _attribute_names(dot: str) -> set[str]:
    names = set()
    for line in dot.splitlines():
        m = _ATTR_LIST.search(line.strip())
        if m:
            names.update(_ATTR_NAME.findall(m[1]))
    return names


def test_only_allow_listed_attributes_are_emitted():
    from viz.render.dot import EDGE_ATTRIBUTES, GRAPH_ATTRIBUTES, NODE_ATTRIBUTES

    allowed = set(NODE_ATTRIBUTES) | set(EDGE_ATTRIBUTES) | set(GRAPH_ATTRIBUTES) | {
        "arrowsize"}
    _, y = goldstein()
    dots = [viz.to_dot(y, title='t" URL="x', theme="projector", verbose=True)]
    dots += viz.BackwardReplay(y).dots()
    x = Variable(np.array(2.0), name='URL="javascript:alert(1)"')
    dots += viz.BackwardReplay(x**3, create_graph=True).dots()
    names = set().union(*(_attribute_names(d) for d in dots))
    assert names and names <= allowed, names - allowed
    assert not {"URL", "href", "target", "tooltip"} & names


HOSTILE = [
    '"', '""', '\\', '\\"', '\\N', '\\G', '\\l', '\\\\n', "{", "}", "];", "[label=x]",
    "<b>bold</b>", "<<html>>", "a\nb", "a\r\nb", "\t", "javascript:alert(1)",
    'URL="javascript:alert(1)"', "href=x", "<a href='x'>", "x" * 5000, "\u202etxet",
    "\u200b", "\x00nul", "\x1b[31m", "한글 이름", "😀", "α β", "-> b", "}; digraph evil {",
    "/* c */", "// c", "# c", "&amp;", "&lt;", "&#60;", "'", "%s%s", "{{x}}", "\\x00",
    "<script>alert(1)</script>", "]]>", "<!--", "\\\\", "a\\", "\ud7a3",
]


def _svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed XML, or this raises
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("engine", ["wasm", "dot"])
def test_hostile_names_render_literally_with_no_links(engine):
    if engine not in viz.available_engines():
        pytest.skip(f"{engine} engine not installed (CI installs Graphviz)")
    assert len(HOSTILE) >= 30
    xs = [Variable(np.array(float(i)), name=name) for i, name in enumerate(HOSTILE)]
    y = xs[0]
    for x in xs[1:]:
        y = y + x
    y.name = HOSTILE[-1]
    dot = viz.to_dot(y, title=HOSTILE[20])
    svg = viz.render(dot, "svg", engine=engine).text
    assert "<a " not in svg and "<script" not in svg.lower()
    assert not re.search(r"<[^>]*\b(?:xlink:)?href\s*=", svg)  # no link attribute on any tag
    texts = {" ".join(t.split()) for t in _svg_texts(svg)}  # SVG may collapse spaces
    for name in HOSTILE:
        shown = " ".join(clean_text(name).split())
        if shown:
            assert shown in texts, (name, shown)  # literally, or truncated with an ellipsis
    assert "x" * 39 + "\u2026" in texts
    assert "javascript:alert(1)" in texts and "&amp;" in texts and "<b>bold</b>" in texts


def test_bad_options_are_clear():
    _, y = chain()
    with pytest.raises(ValueError, match="rankdir must be one of"):
        viz.to_dot(y, rankdir="XY")
    with pytest.raises(ValueError, match="theme must be one of"):
        viz.to_dot(y, theme="neon")
    with pytest.raises(ValueError, match="unknown big_graph policy"):
        viz.to_dot(y, big_graph="shrink")
    with pytest.raises(TypeError, match="viz cannot read an ndarray: it reads autograd_core"):
        viz.to_dot(np.array(1.0))


def test_rankdir_and_projector_theme():
    _, y = chain()
    assert "rankdir=TB" in viz.to_dot(y, rankdir="TB")
    big = viz.to_dot(y, theme="projector")
    assert "fontsize=20" in big and "penwidth=1.6" in big
