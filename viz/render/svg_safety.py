"""Making a Graphviz SVG inert: no links, no scripts, nothing loaded from elsewhere.

:func:`sanitize_svg` parses the SVG and writes it out again from an allow-list,
so what comes out is well-formed XML that is also safe to inline into a page:

* removed: ``<script>``, ``<foreignObject>``, ``<image>``, ``<style>``, any
  element outside Graphviz's SVG vocabulary, comments, processing
  instructions (``<?xml-stylesheet href=...?>``) and the DOCTYPE;
* unwrapped: ``<a>`` (Graphviz's ``URL``/``href``/``tooltip``) becomes ``<g>``
  keeping its drawing, without its attributes;
* dropped attributes: every ``href`` (``xlink:href`` too), ``xlink:*``,
  ``on*`` event handlers, ``src``, ``target``, ``style``, ``xml:base``, and any
  value holding ``javascript:`` or an external ``url(...)``.

An SVG that is not well-formed XML (Graphviz copies a ``fontname`` containing
``"`` into an attribute unescaped) is refused with :class:`RenderError`
rather than repaired: it cannot be proved inert. Text content is kept as
text (escaped on output), so a label reading ``javascript:alert(1)`` is shown,
never followed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from viz.render.render_errors import RenderError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'

# Everything Graphviz's SVG renderer draws with (both 2.43 and 16.x).
ALLOWED = frozenset({
    "svg", "g", "title", "desc", "polygon", "polyline", "path", "ellipse", "circle", "rect",
    "line", "text", "tspan", "defs", "linearGradient", "radialGradient", "stop",
})
_S = "{" + SVG_NS + "}"
_UNSAFE_VALUE = re.compile(r"javascript:|vbscript:|url\(\s*['\"]?\s*[^#\s'\")]", re.IGNORECASE)
# Characters XML 1.0 forbids (Graphviz copies e.g. "&#1;" from a label as a raw byte).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


_BAD_ATTRS = frozenset({"href", "src", "target", "style", "base"})


def _attr_ok(name: str, value: str) -> bool:
    if name.startswith("{"):
        if name.startswith("{" + XLINK_NS + "}"):
            return False
        name = name.rsplit("}", 1)[1]
    local = name.lower()
    if local in _BAD_ATTRS or local.startswith("on"):
        return False
    # a cheap test first: path data and coordinates never hold ':' or '('
    return not (("(" in value or ":" in value) and _UNSAFE_VALUE.search(value))


def _local(tag: object) -> str | None:
    """The SVG element name (namespace-less hand-written SVG counts as SVG), else None."""
    if not isinstance(tag, str):
        return None  # comments, processing instructions
    if tag.startswith(_S):
        return tag[len(_S):]
    return None if tag.startswith("{") else tag


def _clean(element: ET.Element) -> None:
    for child in list(element):
        local = _local(child.tag)
        if local == "a":  # keep what a link draws, drop the link
            child.tag = child.tag[:-1] + "g"
            child.attrib.clear()
        elif local not in ALLOWED:
            element.remove(child)
            continue
        attrib = child.attrib
        for name in [n for n, v in attrib.items() if not _attr_ok(n, v)]:
            del attrib[name]
        if len(child):
            _clean(child)


def sanitize_svg(svg: str) -> str:
    """The SVG rewritten from an allow-list: no links, scripts or external references.

    Returns UTF-8 SVG text with an XML declaration. Raises :class:`RenderError`
    when ``svg`` is not well-formed XML or its root is not ``<svg>``.
    """
    svg = _XML_INVALID.sub("\ufffd", svg)
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        if "unbound prefix" not in str(exc) or "xmlns:xlink" in svg or "<svg" not in svg:
            raise RenderError(
                f"refusing an SVG that is not well-formed XML ({exc}); a graph attribute such "
                "as fontname may contain a quote") from None
        # hand-written SVG using xlink: without declaring it
        return sanitize_svg(svg.replace("<svg", f'<svg xmlns:xlink="{XLINK_NS}"', 1))
    if _local(root.tag) != "svg":
        raise RenderError(f"refusing SVG: the root element is {root.tag!r}, not <svg>")
    for name in [n for n, v in root.attrib.items() if not _attr_ok(n, v)]:
        del root.attrib[name]
    _clean(root)
    return XML_DECL + ET.tostring(root, encoding="unicode") + "\n"
