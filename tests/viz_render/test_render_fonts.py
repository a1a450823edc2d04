"""PNG text needs a font: system or pip-only ones; Latin always, Hangul when a font has it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from render_dots import big_label, dark_pixels

from viz.layout import engines
from viz.render import raster


@pytest.fixture
def fresh_fonts():
    raster.fonts.cache_clear()
    yield
    raster.fonts.cache_clear()


def test_latin_text_renders_with_the_fonts_found(no_dot):
    fs = raster.fonts()
    assert fs.files and fs.source in ("system", "matplotlib", "pillow")
    assert dark_pixels(engines.render(big_label("Wxyz 0.25"), "png").data) > 2000


def test_a_machine_without_any_font_still_draws_latin_text(no_dot, fresh_fonts, monkeypatch,
                                                          tmp_path):
    monkeypatch.setattr(raster, "SYSTEM_FONT_DIRS", (str(tmp_path),))
    monkeypatch.setattr(raster, "_matplotlib_fonts", lambda: None)
    fs = raster.fonts()
    assert fs.source == "pillow" and fs.sans == fs.mono == "Aileron" and fs.hangul is None
    text = engines.render(big_label("HELLO 123"), "png").data
    assert dark_pixels(engines.render(big_label(" "), "png").data) == 0
    assert dark_pixels(text) > 2000
    assert "Aileron" in engines.describe_engines() and "fonts-nanum" in engines.describe_engines()


def test_matplotlib_dejavu_is_used_when_there_are_no_system_fonts(no_dot, fresh_fonts,
                                                                 monkeypatch, tmp_path):
    bundled = raster._matplotlib_fonts()
    if bundled is None:
        # stand in for matplotlib's folder with the system DejaVu, if there is one
        dejavu = raster._walk(raster.SYSTEM_FONT_DIRS).get("DejaVuSansMono.ttf")
        if dejavu is None:
            pytest.skip("neither matplotlib nor a DejaVu font is installed")
        shutil.copy(dejavu, tmp_path / "DejaVuSansMono.ttf")
        bundled = str(tmp_path)
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setattr(raster, "SYSTEM_FONT_DIRS", (str(empty),))
    monkeypatch.setattr(raster, "_matplotlib_fonts", lambda: bundled)
    fs = raster.fonts()
    assert fs.source == "matplotlib" and fs.mono == "DejaVu Sans Mono"
    assert dark_pixels(engines.render(big_label("HELLO 123"), "png").data) > 2000


def _hangul_differs_from_tofu(png_of) -> int:
    """Pixels that differ between Hangul and two characters no font has (drawn as boxes)."""
    import io

    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png_of("한글"))).convert("L"), dtype=int)
    b = np.asarray(Image.open(io.BytesIO(png_of("\ue000\ue001"))).convert("L"), dtype=int)
    if a.shape != b.shape:
        return 10**9
    return int((np.abs(a - b) > 64).sum())


def test_korean_renders_through_resvg_when_a_hangul_font_is_present(no_dot):
    if raster.fonts().hangul is None:
        pytest.skip("no font with Hangul glyphs here (apt-get install fonts-nanum)")
    assert dark_pixels(engines.render(big_label("한글"), "png").data) > 1000
    assert _hangul_differs_from_tofu(lambda t: engines.render(big_label(t), "png").data) > 500


def test_korean_renders_through_system_dot_when_fontconfig_has_hangul(needs_dot):
    listed = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True,
                            check=False).stdout if shutil.which("fc-list") else ""
    if not listed.strip():
        pytest.skip("fontconfig knows no Korean font (apt-get install fonts-nanum)")
    assert _hangul_differs_from_tofu(
        lambda t: engines.render(big_label(t), "png", engine="dot").data) > 500
