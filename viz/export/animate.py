"""A backward pass as a lesson: an animated GIF and numbered frame files."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["GIF_BUDGET", "GIF_MAX_SIDE", "GifTooBigError", "check_gif_size", "frame_name",
           "frames_to_gif", "write_frames"]

ALIGNS = ("top-left", "center")
# The one bound on animated GIFs, for the app, the command line and export_steps alike:
# every frame is rasterised, so nodes x frames is the work (the 80-term sum's 399 nodes x
# 82 frames took 3 min and 32 MB); and a frame is drawn at most this many pixels on its long
# side (a GIF is for a slide or a page, and a bigger one is megabytes per frame).
GIF_BUDGET = 20_000
GIF_MAX_SIDE = 2400


class GifTooBigError(ValueError):
    """A GIF of this lesson would be too much work (see :data:`GIF_BUDGET`)."""


def check_gif_size(nodes: int, frames: int) -> None:
    """Raise :class:`GifTooBigError`, naming the limit, when nodes x frames is over it."""
    if nodes * frames > GIF_BUDGET:
        raise GifTooBigError(
            f"an animated GIF of {nodes:,} nodes x {frames:,} frames is more than the "
            f"{GIF_BUDGET:,} it draws (each frame is a picture): write the HTML player "
            "(--html) instead, or fewer frames (a smaller graph)")


def frames_to_gif(png_frames: Sequence[bytes], *, duration_ms: int | Sequence[int] = 900,
                  loop: int = 0, align: str = "top-left") -> bytes:
    """An animated GIF of PNG frames (Pillow).

    Frames may differ slightly in size: each is pasted onto one white canvas as
    large as the largest frame, at its top-left corner (Graphviz grows drawings
    right and down, so nodes stay put) or centred (``align="center"``).
    ``loop=0`` repeats forever; ``duration_ms`` is one duration for every frame, or
    one per frame (hold the last frame longer so a looping GIF can be followed).
    """
    from PIL import Image

    if not png_frames:
        raise ValueError("no frames to animate")
    if align not in ALIGNS:
        raise ValueError(f"align must be one of {ALIGNS}, not {align!r}")
    durations = ([int(duration_ms)] * len(png_frames) if isinstance(duration_ms, (int, float))
                 else [int(d) for d in duration_ms])
    if len(durations) != len(png_frames):
        raise ValueError(f"need one duration per frame: {len(durations)} for "
                         f"{len(png_frames)} frames")
    if min(durations) <= 0:
        raise ValueError("duration_ms must be positive")
    images = []
    for k, data in enumerate(png_frames):
        try:
            with Image.open(io.BytesIO(data)) as im:
                images.append(im.convert("RGB"))
        except OSError as exc:
            raise ValueError(f"frame {k} is not an image Pillow can read: {exc}") from None
    width = max(im.width for im in images)
    height = max(im.height for im in images)
    canvases = []
    for im in images:
        canvas = Image.new("RGB", (width, height), "white")
        at = (0, 0) if align == "top-left" else ((width - im.width) // 2,
                                                 (height - im.height) // 2)
        canvas.paste(im, at)
        canvases.append(canvas.quantize(colors=255, dither=Image.Dither.NONE))
    out = io.BytesIO()
    canvases[0].save(out, format="GIF", save_all=True, append_images=canvases[1:],
                     duration=durations, loop=loop, disposal=2, optimize=False)
    return out.getvalue()


def frame_name(k: int, ext: str, *, total: int = 0, prefix: str = "step_") -> str:
    """``step_000.svg`` ...: at least 3 digits, more when ``total`` needs them (sorts right)."""
    digits = max(3, len(str(max(total - 1, 0))))
    return f"{prefix}{k:0{digits}d}.{ext.lstrip('.')}"


def write_frames(frames: Sequence[bytes | str], directory: str | os.PathLike[str], ext: str,
                 *, prefix: str = "step_") -> list[Path]:
    """Write frames as ``directory/step_000.<ext>``, ... (created if missing); their paths.

    ``str`` frames (SVG, DOT) are written as UTF-8 text, ``bytes`` as they are.
    """
    if not ext.lstrip(".").isalnum():
        raise ValueError(f"bad file extension {ext!r}")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, frame in enumerate(frames):
        path = folder / frame_name(k, ext, total=len(frames), prefix=prefix)
        path.write_bytes(frame.encode("utf-8") if isinstance(frame, str) else frame)
        paths.append(path)
    return paths
