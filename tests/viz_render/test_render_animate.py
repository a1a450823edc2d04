"""Animated GIF, numbered frame files and the self-contained HTML player page."""

from __future__ import annotations

import base64
import html
import html.parser
import io
import json
import re

import numpy as np
import pytest
from PIL import Image
from render_dots import SMALL

import viz
from autograd_core import Variable, cos, exp, sin, square
from viz.export.animate import frame_name, frames_to_gif, write_frames
from viz.layout import engines
from viz.player import PlayerView, html_page
from viz.player.scene import Scene


def _png(width: int, height: int, color: str = "black") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def test_gif_has_every_frame_on_one_canvas(no_dot):
    frames = [engines.render(SMALL.replace("0.5", v), "png").data
              for v in ("0.5", "0.75", "1000000.5")]  # the last frame is wider
    sizes = {Image.open(io.BytesIO(f)).size for f in frames}
    assert len(sizes) > 1
    gif = Image.open(io.BytesIO(frames_to_gif(frames, duration_ms=700)))
    assert gif.format == "GIF" and gif.n_frames == 3
    assert gif.size == (max(w for w, _ in sizes), max(h for _, h in sizes))
    seen = set()
    for k in range(gif.n_frames):
        gif.seek(k)
        seen.add(gif.size)
        assert gif.info["duration"] == 700
    assert len(seen) == 1 and gif.info.get("loop") == 0


@pytest.mark.parametrize(("align", "at"), [("top-left", (0, 0)), ("center", (20, 10))])
def test_gif_pads_smaller_frames_white_where_asked(align, at):
    gif = Image.open(io.BytesIO(frames_to_gif([_png(100, 50), _png(60, 30)], align=align)))
    gif.seek(1)
    frame = gif.convert("RGB")
    assert frame.size == (100, 50)
    assert frame.getpixel(at) == (0, 0, 0)  # the small frame's corner
    assert frame.getpixel((99, 49)) == (255, 255, 255)  # padding is white


def test_gif_rejects_nonsense():
    with pytest.raises(ValueError, match="no frames"):
        frames_to_gif([])
    with pytest.raises(ValueError, match="frame 1"):
        frames_to_gif([_png(4, 4), b"not a png"])
    with pytest.raises(ValueError, match="align"):
        frames_to_gif([_png(4, 4)], align="middle")
    with pytest.raises(ValueError, match="one duration per frame"):
        frames_to_gif([_png(4, 4)], duration_ms=[100, 200])


def test_numbered_frame_files(tmp_path):
    paths = write_frames(["<svg/>", "<svg/>"], tmp_path / "steps", "svg")
    assert [p.name for p in paths] == ["step_000.svg", "step_001.svg"]
    assert paths[1].read_text() == "<svg/>"
    assert write_frames([b"\x89PNG"], tmp_path, ".png")[0].name == "step_000.png"
    assert frame_name(5, "svg", total=1500) == "step_0005.svg"
    with pytest.raises(ValueError):
        write_frames(["x"], tmp_path, "../x")


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _scene_json(name: str = "x") -> str:
    x = Variable(np.array(2.0), name=name)
    y = square(x) + x
    y.name = "y"
    return Scene(viz.BackwardReplay(y), engine="layered", forward=True).to_json()


def _page(scene_json: str, **kw) -> tuple[str, _Page]:
    page = html_page(scene_json, **kw)
    parsed = _Page()
    parsed.feed(page)
    return page, parsed


def test_html_page_is_self_contained_and_escapes_user_text():
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    scene_json = _scene_json(evil[:40])
    page, parsed = _page(scene_json, title=f"lesson {evil}", lang="ko")
    # nothing the user wrote became markup: our script plus one JSON block, no images
    assert [tag for tag, _ in parsed.tags].count("script") == 2
    assert not any(tag in ("img", "iframe", "link") for tag, _ in parsed.tags)
    assert not any(tag == "script" and "src" in a for tag, a in parsed.tags)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert json.loads(parsed.scripts[0]) == json.loads(scene_json)  # the data, intact
    # no network: no URL anywhere but the SVG namespace the script creates elements in
    assert re.findall(r"https?://[^\s'\"]+", page) == ["http://www.w3.org/2000/svg"]
    assert "default-src 'none'" in page and "connect-src" not in page
    assert '<html lang="ko">' in page and "lesson &lt;/script&gt;" in page


def test_html_page_csp_hashes_match_its_own_script_and_style():
    import hashlib

    page, parsed = _page(_scene_json(), title="p")
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    script = parsed.scripts[-1]
    for body in (style, script):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page
    assert '<html lang="en">' in html_page(_scene_json(), lang='x"><b')


def test_the_page_is_a_fraction_of_the_image_per_frame_page():
    x = Variable(np.array(0.5), name="x")
    y = x
    for i in range(50):
        y = sin(y) if i % 2 else cos(y)
    scene = Scene(viz.BackwardReplay(y), engine="layered")
    assert scene.n_frames == 51
    # the image-per-frame page this replaced was 5,016,315 bytes for this pass (commit 98c082e)
    assert len(html_page(scene.to_json()).encode()) < 5_016_315 / 5


def test_notebook_view_is_the_page_in_a_sandboxed_iframe():
    x = Variable(np.array(0.5), name="x")
    view = viz.show(exp(x), steps=True, lang="ko", widget=False)
    assert isinstance(view, PlayerView)
    frame = view._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in frame
    assert html.unescape(frame.split('srcdoc="', 1)[1].split('" style=', 1)[0]) == view.page
    with pytest.raises(TypeError, match="needs a graph.s output, not DOT text"):
        viz.show("digraph {}", steps=True)
    with pytest.raises(TypeError, match="unknown option"):
        viz.show(exp(x), steps=True, theme="projector")
