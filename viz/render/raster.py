"""SVG to PNG with resvg (PyPI ``resvg-py``: no system libraries), and the fonts it uses.

resvg draws text only with fonts it is given, and scanning every system font
on each call cost ~300 ms, so we pass a few files explicitly, best first:

1. system fonts by file name (Debian/Fedora ``/usr/share/fonts``, macOS,
   Windows): DejaVu Sans Mono / Sans (their widths match the Courier /
   Helvetica metrics Graphviz lays labels out with), Liberation, Arial/Courier
   New; plus a Hangul face (Nanum, Noto CJK, Malgun, Apple SD Gothic) so
   Korean names render;
2. the DejaVu files matplotlib ships, when matplotlib is installed;
3. Aileron, the Latin font embedded in Pillow (a dependency already), so
   Latin text renders even on a machine with no fonts at all.

Unknown families in the SVG fall back to these (resvg drops text it cannot
resolve, so every generic family is pointed at a loaded face).
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from viz.render.render_errors import INSTALL_HINT, RenderError

# (file name, family), best first, per role.
MONO = (("DejaVuSansMono.ttf", "DejaVu Sans Mono"), ("LiberationMono-Regular.ttf",
        "Liberation Mono"), ("NotoSansMono-Regular.ttf", "Noto Sans Mono"),
        ("Courier New.ttf", "Courier New"), ("cour.ttf", "Courier New"))
SANS = (("DejaVuSans.ttf", "DejaVu Sans"), ("LiberationSans-Regular.ttf", "Liberation Sans"),
        ("NotoSans-Regular.ttf", "Noto Sans"), ("Arial.ttf", "Arial"), ("arial.ttf", "Arial"))
BOLD = ("DejaVuSans-Bold.ttf", "DejaVuSansMono-Bold.ttf", "LiberationSans-Bold.ttf",
        "LiberationMono-Bold.ttf")
HANGUL = ("NanumGothic.ttf", "NanumGothicCoding.ttf", "NotoSansCJK-Regular.ttc",
          "NotoSansKR-Regular.otf", "NotoSansKR-Regular.ttf", "malgun.ttf",
          "AppleSDGothicNeo.ttc")
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
                    "~/.fonts", "/Library/Fonts", "/System/Library/Fonts",
                    "C:/Windows/Fonts")

# A long chain laid out left to right can be 100,000 px wide: cap the bitmap so a
# PNG never needs gigabytes (resvg aborts the whole process when allocation fails).
MAX_PNG_SIDE = 8000
MAX_PNG_PIXELS = 30_000_000
CSS_DPI = 96.0  # 1 pt = 96/72 px: the size a browser shows the SVG at


@dataclass(frozen=True)
class FontSet:
    """The font files handed to resvg and the families generic names map to."""

    files: tuple[str, ...]
    sans: str
    mono: str
    hangul: str | None  # a file with Hangul glyphs, if any
    source: str  # "system", "matplotlib" or "pillow"


def _walk(dirs: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for root in dirs:
        root = os.path.expanduser(root)
        if not os.path.isdir(root):
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                found.setdefault(name, os.path.join(folder, name))
    return found


def _matplotlib_fonts() -> str | None:
    spec = importlib.util.find_spec("matplotlib")  # finds it without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"
    return str(folder) if (folder / "DejaVuSansMono.ttf").is_file() else None


@functools.lru_cache(maxsize=1)
def _pillow_font() -> str | None:
    """Pillow's embedded Aileron Regular (CC0) written to a private temp file."""
    try:
        from PIL import ImageFont

        data = ImageFont.load_default(size=12).font_bytes  # type: ignore[union-attr]
    except (ImportError, AttributeError, OSError):
        return None
    folder = tempfile.mkdtemp(prefix="autograd-viz-font-")
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "Aileron-Regular.ttf")
    with open(path, "wb") as out:
        out.write(data)
    return path


def _pick(found: dict[str, str], table: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    return next(((found[name], family) for name, family in table if name in found), None)


@functools.lru_cache(maxsize=1)
def fonts() -> FontSet:
    """The fonts PNG text is drawn with (looked up once per process)."""
    found = _walk(SYSTEM_FONT_DIRS)
    hangul = next((found[name] for name in HANGUL if name in found), None)
    mono, sans, source = _pick(found, MONO), _pick(found, SANS), "system"
    if mono is None and sans is None:
        bundled = _matplotlib_fonts()
        if bundled:
            found.update(_walk((bundled,)))
            mono, sans, source = _pick(found, MONO), _pick(found, SANS), "matplotlib"
    files = [pair[0] for pair in (mono, sans) if pair]
    files += [found[name] for name in BOLD if name in found]
    if not files:
        aileron = _pillow_font()
        if aileron:
            files, mono, sans, source = [aileron], (aileron, "Aileron"), (aileron, "Aileron"), \
                "pillow"
    sans = sans or mono
    mono = mono or sans
    return FontSet(files=tuple(dict.fromkeys(files + ([hangul] if hangul else []))),
                   sans=sans[1] if sans else "sans-serif", mono=mono[1] if mono else "monospace",
                   hangul=hangul, source=source if files else "none")


def describe_fonts() -> str:
    """One line: which fonts PNG text uses."""
    fs = fonts()
    if not fs.files:
        return "PNG text: no font found (text will be missing)"
    korean = f"Hangul: {Path(fs.hangul).name}" if fs.hangul else (
        "no Hangul font (apt-get install fonts-nanum)")
    return f"PNG text: {fs.mono} / {fs.sans} ({fs.source} fonts); {korean}"


_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?\b(?:width|height)=")([\d.]+)pt(")')
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)px"[^>]*?\bheight="([\d.]+)px"')


def svg_points_to_pixels(svg: str) -> str:
    """Graphviz sizes the root in pt, which resvg rejects; convert to px (1 pt = 4/3 px)."""
    for _ in range(2):
        svg = _ROOT_SIZE.sub(lambda m: f"{m[1]}{float(m[2]) * 4 / 3:.2f}px{m[3]}", svg, count=1)
    return svg


def png_zoom(svg_px: str, scale: float, max_side: float = MAX_PNG_SIDE) -> float:
    """The zoom for ``scale``, reduced so the bitmap stays within the caps."""
    found = _SIZE.search(svg_px)
    if not found:
        return scale
    width, height = float(found[1]) * scale, float(found[2]) * scale
    shrink = min(1.0, min(max_side, MAX_PNG_SIDE) / max(width, height, 1.0),
                 (MAX_PNG_PIXELS / max(width * height, 1.0)) ** 0.5)
    return scale * shrink


def svg_to_png(svg: str, scale: float = 1.0, dpi: float = CSS_DPI,
               max_side: float = MAX_PNG_SIDE) -> bytes:
    """Rasterise an SVG (ours, from Graphviz) with resvg, within the size caps.

    At ``scale=1`` and ``dpi=96`` one SVG pt is 4/3 pixels, the size a browser
    shows; ``scale`` and ``dpi`` multiply; ``max_side`` lowers the cap on the long side
    (a GIF's frames).
    """
    if scale <= 0 or dpi <= 0:
        raise ValueError("scale and dpi must be positive")
    try:
        import resvg_py
    except ImportError:
        raise RenderError(f"PNG export needs resvg-py: {INSTALL_HINT}") from None
    svg_px = svg_points_to_pixels(svg)
    fs = fonts()
    try:
        return bytes(resvg_py.svg_to_bytes(
            svg_string=svg_px, background="#ffffff",
            zoom=png_zoom(svg_px, scale * dpi / CSS_DPI, max_side),
            font_files=list(fs.files) or None, skip_system_fonts=bool(fs.files),
            font_family=fs.sans, sans_serif_family=fs.sans, serif_family=fs.sans,
            cursive_family=fs.sans, fantasy_family=fs.sans, monospace_family=fs.mono,
        ))
    except ValueError as exc:
        raise RenderError(f"could not rasterise the SVG: {exc}") from None
