"""Rendering back-ends: a frame as DOT (``dot``, with ``style``'s one style table), as SVG
from the scene (``scene_svg``), as PNG (``raster``); ``svg_safety`` and ``escape`` keep
user text inert; ``render_errors`` says what to install when a renderer is missing."""
