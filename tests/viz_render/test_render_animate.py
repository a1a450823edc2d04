"""Animated GIF, numbered frame files and the self-contained HTML player."""

from __future__ import annotations

import base64
import html.parser
import io
import json
import re

import pytest
from PIL import Image
from render_dots import SMALL

from viz import engines
from viz.animate import frame_name, frames_to_gif, frames_to_html, write_frames


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


def _player(no_dot_svgs: list[str], titles, captions, **kw) -> tuple[str, _Page]:
    page = frames_to_html(no_dot_svgs, titles=titles, captions=captions, **kw)
    parsed = _Page()
    parsed.feed(page)
    return page, parsed


def test_html_player_is_self_contained_and_escapes_user_text(no_dot):
    svgs = [engines.render(SMALL.replace("0.5", v), "svg").text for v in ("1", "2", "3")]
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    titles = [f"step {k} {evil}" for k in range(3)]
    captions = [f"grad of x {evil}", "두 번째 단계", "\u2028last"]
    page, parsed = _player(svgs, titles, captions, page_title=f"lesson {evil}", lang="ko")

    imgs = [a for tag, a in parsed.tags if tag == "img"]
    assert len(imgs) == 3
    assert [a["alt"] for a in imgs] == titles  # escaped in the source, intact once parsed
    for a, svg in zip(imgs, svgs, strict=True):
        prefix = "data:image/svg+xml;base64,"
        assert a["src"].startswith(prefix)
        assert base64.b64decode(a["src"][len(prefix):]).decode() == svg
    # nothing the user wrote became markup: one <script> block of ours plus one JSON block
    assert [tag for tag, _ in parsed.tags].count("script") == 2
    assert not any(tag == "script" and "src" in a for tag, a in parsed.tags)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert not any("onerror" in a for _, a in parsed.tags)
    data = json.loads(parsed.scripts[0])
    assert data["titles"] == titles and data["captions"] == captions
    # no network: no URL outside the data: images
    outside = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "", page)
    assert "http:" not in outside and "https:" not in outside and "//" not in outside
    assert "default-src 'none'" in outside and "img-src data:" in outside
    # controls, counter and Korean buttons
    ids = {a.get("id") for _, a in parsed.tags}
    assert {"first", "prev", "play", "next", "last", "slider", "counter", "caption"} <= ids
    slider = next(a for tag, a in parsed.tags if a.get("id") == "slider")
    assert (slider["min"], slider["max"], slider["type"]) == ("0", "2", "range")
    assert "재생" in page and '<html lang="ko">' in page
    assert "ArrowRight" in page and "ArrowLeft" in page


def test_html_player_csp_hashes_match_its_own_script_and_style():
    import hashlib

    page, parsed = _player(["<svg/>"], ["t"], None, page_title="p")
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    script = parsed.scripts[-1]
    for body in (style, script):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page
    assert '<html lang="en">' in frames_to_html(["<svg/>"], titles=["t"], lang='x"><b')


def test_html_player_checks_its_arguments():
    with pytest.raises(ValueError, match="no frames"):
        frames_to_html([], titles=[])
    with pytest.raises(ValueError, match="one title"):
        frames_to_html(["<svg/>"], titles=["a", "b"])
    with pytest.raises(ValueError, match="one title"):
        frames_to_html(["<svg/>"], titles=["a"], captions=[])
