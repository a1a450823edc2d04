"""The "Copy link" button: copies the page's address (which holds the whole view).

A components-v2 element with constant code; the address is read in the browser
(``window.location.href``), so Python never needs to know the server's public URL.
Where the clipboard API is unavailable (a plain-http server), the link is shown selected
in a box to copy by hand.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from classroom.pages.components import unscanned

_JS = """
export default function (component) {
  var data = (component.data || [])[0] || {}, parent = component.parentElement;
  var box = parent.querySelector('.agv-link');
  if (!box) {
    box = document.createElement('div'); box.className = 'agv-link'; parent.appendChild(box);
    var button = document.createElement('button'); button.type = 'button';
    button.setAttribute('data-testid', 'copy-link'); box.appendChild(button);
    // a drawn link icon: an emoji is a box on machines without an emoji font
    var svg = 'http://www.w3.org/2000/svg', icon = document.createElementNS(svg, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24'); icon.setAttribute('aria-hidden', 'true');
    ['M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1.2 1.2',
     'M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2'].forEach(function (d) {
      var path = document.createElementNS(svg, 'path'); path.setAttribute('d', d);
      icon.appendChild(path);
    });
    button.appendChild(icon); button.appendChild(document.createElement('span'));
    var field = document.createElement('input'); field.readOnly = true;
    field.setAttribute('data-testid', 'copy-link-url'); box.appendChild(field);
    button.addEventListener('click', function () {
      var url = window.location.href, params = box.__params;
      if (box.__drop.length) {  // a secret stays out of a link meant for others
        var address = new URL(url);
        box.__drop.forEach(function (k) { address.searchParams.delete(k); });
        url = address.toString();
      }
      if (params) {  // a link of its own (a room's): this page's address with these params
        var query = new URLSearchParams();
        Object.keys(params).forEach(function (k) { query.set(k, String(params[k])); });
        url = window.location.origin + window.location.pathname + '?' + query.toString();
      }
      field.value = url; field.style.display = 'block';
      var done = function () { button.lastChild.textContent = box.__words.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { field.select(); });
      } else { field.select(); try { document.execCommand('copy'); done(); } catch (e) {} }
    });
  }
  box.__words = { label: String(data.label || 'Copy link'),
                  copied: String(data.copied || 'Copied') };
  box.__params = data.params && typeof data.params === 'object' ? data.params : null;
  box.__drop = Array.isArray(data.drop) ? data.drop.map(String) : [];
  box.querySelector('button span').textContent = box.__words.label;
}
"""

_CSS = """
.agv-link button{font:inherit;font-weight:600;padding:.35em .9em;border-radius:7px;
  border:2px solid #0072B2;background:#fff;color:#0072B2;cursor:pointer;width:100%;
  display:flex;align-items:center;justify-content:center;gap:.45em}
.agv-link svg{width:1.1em;height:1.1em;flex:none;fill:none;stroke:currentColor;
  stroke-width:2.2;stroke-linecap:round;stroke-linejoin:round}
.agv-link input{display:none;width:100%;margin-top:4px;font-size:12px}
"""


@cache
def _component() -> Any:
    import streamlit as st

    return st.components.v2.component("autograd_viz_copy_link", js=_JS, css=_CSS,
                                      isolate_styles=True)


# Query parameters no copied link carries unless it is the teacher's own (see mount)
SECRET_PARAMS = ("teacher",)


def mount(label: str, copied: str, params: dict[str, str] | None = None, *,
          secret: bool = False, key: str | None = None) -> None:
    """Show the button (inside a Streamlit script run). ``params``: copy this page's
    address with these query parameters instead of the address as it is. The teacher's
    token is left out of every copied link except ``secret=True`` (the teacher's own link,
    labelled as private)."""
    drop = [] if secret else list(SECRET_PARAMS)
    if params is not None:
        params = {k: v for k, v in params.items() if k not in drop}
    _component()(key=key or ("copy_link" if params is None else "copy_room_link"),
                 data=unscanned({"label": label, "copied": copied, "params": params,
                                 "drop": drop}))
