"""One self-contained HTML file that plays SVG frames: no server, no network, no Graphviz.

Why frames are ``<img src="data:image/svg+xml;base64,...">`` and not inline SVG:

* an SVG shown through ``<img>`` never runs script and never loads anything,
  whatever a label says (a second wall behind :func:`viz.sanitize_svg`);
* every frame has the same node ids and gradient ids; inlined, they would
  collide in one document (``url(#l_1)`` would paint from the wrong frame);
* the page's CSS cannot restyle a frame by accident.
The cost is ~33 % more bytes and no text selection inside the graph.

The page carries a Content-Security-Policy that allows only this page's own
script and style (by hash) and ``data:`` images: nothing else can load or run.
Titles and captions are user text: they go into the page through
``html.escape`` and a JSON block with ``<``, ``>`` and ``&`` escaped, and are
shown with ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence

_TEXT = {
    "en": {"first": "First", "prev": "Previous", "play": "Play", "pause": "Pause",
           "next": "Next", "last": "Last", "step": "Step", "keys": "Keys: ← → Home End Space"},
    "ko": {"first": "처음", "prev": "이전", "play": "재생", "pause": "일시정지",
           "next": "다음", "last": "끝", "step": "단계", "keys": "키: ← → Home End 스페이스"},
}

# Large type and strong contrast: it is read from the back of a classroom.
_STYLE = """
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:22px;margin:1.2rem 2rem;
background:#fff;color:#000;line-height:1.35}
h1{font-size:2rem;margin:0 0 .4rem}
#title{font-size:1.6rem;margin:.4rem 0 .2rem}
.controls{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin:.6rem 0}
button{font:inherit;font-weight:bold;padding:.35rem 1.1rem;color:#000;background:#ffd84d;
border:3px solid #000;border-radius:.4rem;cursor:pointer}
button:focus-visible,input:focus-visible{outline:4px solid #0050b3;outline-offset:2px}
input[type=range]{flex:1;min-width:12rem;height:2rem;accent-color:#0050b3}
#counter{font-size:1.4rem;font-weight:bold;min-width:5.5rem;text-align:right}
#caption{font-size:1.4rem;min-height:2.2rem;margin:.2rem 0 .8rem;padding:.3rem .6rem;
border-left:.4rem solid #0050b3;background:#eef4ff}
.stage{display:grid}
.frame{grid-area:1/1;visibility:hidden;margin:0}
.frame[aria-current]{visibility:visible}
.frame img{max-width:100%;height:auto;border:2px solid #000;background:#fff}
.keys{font-size:1rem;color:#333}
"""

# Written for this player. Shows frame i: the image, title, caption, counter, slider.
_SCRIPT = """
(function(){
var d=document,f=d.querySelectorAll('.frame'),s=d.getElementById('slider'),
c=d.getElementById('counter'),t=d.getElementById('title'),p=d.getElementById('caption'),
b=d.getElementById('play'),x=JSON.parse(d.getElementById('text').textContent),i=0,k=null,
n=f.length;
function show(j){i=Math.max(0,Math.min(n-1,j));
for(var m=0;m<n;m++){if(m===i){f[m].setAttribute('aria-current','step');}
else{f[m].removeAttribute('aria-current');}}
s.value=i;c.textContent=(i+1)+' / '+n;t.textContent=x.titles[i];p.textContent=x.captions[i];}
function stop(){if(k){clearInterval(k);k=null;b.textContent=x.play;}}
function play(){if(k){stop();return;}if(i>=n-1){show(0);}b.textContent=x.pause;
k=setInterval(function(){if(i>=n-1){stop();}else{show(i+1);}},x.interval);}
function go(j){stop();show(j);}
d.getElementById('first').onclick=function(){go(0);};
d.getElementById('prev').onclick=function(){go(i-1);};
d.getElementById('next').onclick=function(){go(i+1);};
d.getElementById('last').onclick=function(){go(n-1);};
b.onclick=play;
s.oninput=function(){go(parseInt(s.value,10));};
d.addEventListener('keydown',function(e){var g=e.target,tag=g&&g.tagName;
if(tag==='INPUT'||e.altKey||e.ctrlKey||e.metaKey){return;}
if(e.key==='ArrowRight'){go(i+1);}else if(e.key==='ArrowLeft'){go(i-1);}
else if(e.key==='Home'){go(0);}else if(e.key==='End'){go(n-1);}
else if(e.key===' '&&tag!=='BUTTON'){play();}else{return;}e.preventDefault();});
show(0);
})();
"""


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() \
        + "'"


_CSP = (f"default-src 'none'; img-src data:; style-src {_sha256(_STYLE)}; "
        f"script-src {_sha256(_SCRIPT)}; base-uri 'none'; form-action 'none'")


def _json_for_html(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def frames_to_html(svg_frames: Sequence[str], *, titles: Sequence[str],
                   captions: Sequence[str] | None = None, page_title: str = "Backward pass",
                   lang: str = "en", interval_ms: int = 1200) -> str:
    """A self-contained HTML player of ``svg_frames`` (one title, and caption, per frame).

    Buttons first / previous / play-pause / next / last, a slider, keys ← → Home
    End Space, a frame counter, the frame's title and caption. ``lang`` picks
    the button words ("en", "ko"). Pass sanitised SVG (what :func:`viz.render`
    returns). All text is escaped.
    """
    if not svg_frames:
        raise ValueError("no frames to play")
    if len(titles) != len(svg_frames) or (captions is not None and
                                          len(captions) != len(svg_frames)):
        raise ValueError("need exactly one title (and one caption) per frame")
    words = _TEXT.get(lang, _TEXT["en"])
    lang = lang if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang) else "en"
    titles = [str(t) for t in titles]
    captions = [str(c) for c in captions] if captions is not None else [""] * len(titles)
    esc = html.escape
    frames = []
    for k, (svg, title) in enumerate(zip(svg_frames, titles, strict=True)):
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        current = ' aria-current="step"' if k == 0 else ""
        frames.append(f'<div class="frame" data-step="{k}"{current}>'
                      f'<img alt="{esc(title)}" src="data:image/svg+xml;base64,{data}"></div>')
    text = {"titles": titles, "captions": captions, "play": words["play"],
            "pause": words["pause"], "interval": max(int(interval_ms), 100)}
    buttons = "".join(f'<button id="{key}" type="button">{esc(words[key])}</button>'
                      for key in ("first", "prev", "play", "next", "last"))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(page_title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{esc(page_title)}</h1>"
        f'<div class="controls">{buttons}'
        f'<input id="slider" type="range" min="0" max="{len(svg_frames) - 1}" value="0" '
        f'aria-label="{esc(words["step"])}"><span id="counter">1 / {len(svg_frames)}</span>'
        "</div>"
        f'<h2 id="title" aria-live="polite">{esc(titles[0])}</h2>'
        f'<p id="caption">{esc(captions[0])}</p>'
        f'<div class="stage">{"".join(frames)}</div>'
        f'<p class="keys">{esc(words["keys"])}</p>'
        f'<script id="text" type="application/json">{_json_for_html(text)}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
