"""A backward pass as a lesson: an animated GIF and a self-contained HTML player."""

from __future__ import annotations

import base64
import html
import io
import json


def frames_to_gif(png_frames: list[bytes], *, duration_ms: int = 900, loop: int = 0) -> bytes:
    """Animated GIF from PNG frames; frames are padded onto one white canvas (top-left)."""
    from PIL import Image

    if not png_frames:
        raise ValueError("no frames to animate")
    images = [Image.open(io.BytesIO(data)).convert("RGB") for data in png_frames]
    width = max(im.width for im in images)
    height = max(im.height for im in images)
    canvases = []
    for im in images:
        canvas = Image.new("RGB", (width, height), "white")
        canvas.paste(im, (0, 0))
        canvases.append(canvas.quantize(colors=255, dither=Image.Dither.NONE))
    out = io.BytesIO()
    canvases[0].save(out, format="GIF", save_all=True, append_images=canvases[1:],
                     duration=duration_ms, loop=loop, disposal=2)
    return out.getvalue()


_TEXT = {
    "en": {"first": "First", "prev": "Previous", "play": "Play", "pause": "Pause",
           "next": "Next", "last": "Last", "step": "Step"},
    "ko": {"first": "처음", "prev": "이전", "play": "재생", "pause": "정지",
           "next": "다음", "last": "끝", "step": "단계"},
}

_STYLE = """
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:1.5rem;background:#fff;color:#111}
h1{font-size:1.8rem;margin:0 0 .5rem}
.controls{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin:.8rem 0;font-size:1.3rem}
button{font-size:1.3rem;padding:.4rem 1rem;border:2px solid #222;border-radius:.4rem;
background:#f4f4f4;cursor:pointer}
button:focus{outline:3px solid #0072B2}
input[type=range]{flex:1;min-width:12rem}
.caption{font-size:1.4rem;min-height:2rem;margin:.4rem 0 1rem}
.frame img{max-width:100%;height:auto;border:1px solid #ccc}
"""

# Written for this player; no external resources. Frames are <img> data URIs,
# so nothing inside an SVG can run script.
_SCRIPT = """
(function(){
  var frames=document.querySelectorAll('.frame'),slider=document.getElementById('slider'),
      counter=document.getElementById('counter'),caption=document.getElementById('caption'),
      play=document.getElementById('play'),captions=JSON.parse(
        document.getElementById('captions').textContent),i=0,timer=null;
  function show(k){i=Math.max(0,Math.min(frames.length-1,k));
    frames.forEach(function(f,j){f.hidden=(j!==i);});
    slider.value=i;counter.textContent=(i+1)+' / '+frames.length;caption.textContent=captions[i];}
  function stop(){if(timer){clearInterval(timer);timer=null;play.textContent=play.dataset.play;}}
  document.getElementById('first').onclick=function(){stop();show(0);};
  document.getElementById('prev').onclick=function(){stop();show(i-1);};
  document.getElementById('next').onclick=function(){stop();show(i+1);};
  document.getElementById('last').onclick=function(){stop();show(frames.length-1);};
  play.onclick=function(){if(timer){stop();return;}play.textContent=play.dataset.pause;
    timer=setInterval(function(){if(i>=frames.length-1){stop();}else{show(i+1);}},1000);};
  slider.oninput=function(){stop();show(parseInt(slider.value,10));};
  document.addEventListener('keydown',function(e){
    if(e.key==='ArrowRight'){stop();show(i+1);}if(e.key==='ArrowLeft'){stop();show(i-1);}});
  show(0);
})();
"""


def frames_to_html(svg_frames: list[str], *, titles: list[str], captions: list[str] | None = None,
                   page_title: str = "Backward pass", lang: str = "en") -> str:
    """One self-contained HTML file that plays the frames: no server, no network, no Graphviz."""
    if not svg_frames:
        raise ValueError("no frames to play")
    if len(titles) != len(svg_frames) or (captions is not None and len(captions) != len(titles)):
        raise ValueError("need exactly one title (and caption) per frame")
    text = _TEXT.get(lang, _TEXT["en"])
    captions = captions if captions is not None else titles
    frames = []
    for k, (svg, title) in enumerate(zip(svg_frames, titles, strict=True)):
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        frames.append(
            f'<div class="frame" data-step="{k}"{" hidden" if k else ""}>'
            f'<img alt="{html.escape(title, quote=True)}" '
            f'src="data:image/svg+xml;base64,{data}"></div>'
        )
    # JSON inside <script type="application/json">: escape "<" so no tag can close it.
    captions_json = json.dumps(captions, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang, quote=True)}">'
        '<head><meta charset="utf-8">'
        f"<title>{html.escape(page_title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(page_title)}</h1>"
        '<div class="controls">'
        f'<button id="first">{text["first"]}</button><button id="prev">{text["prev"]}</button>'
        f'<button id="play" data-play="{text["play"]}" data-pause="{text["pause"]}">'
        f'{text["play"]}</button>'
        f'<button id="next">{text["next"]}</button><button id="last">{text["last"]}</button>'
        f'<input id="slider" type="range" min="0" max="{len(svg_frames) - 1}" value="0" '
        f'aria-label="{text["step"]}"><span id="counter"></span></div>'
        '<div id="caption" class="caption"></div>'
        + "".join(frames)
        + f'<script id="captions" type="application/json">{captions_json}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
