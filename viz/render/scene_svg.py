"""A frame of a :class:`~viz.player.scene.Scene` drawn on the server as SVG (and PNG/GIF from it).

The same layout and the same states as the player, written with presentation
attributes (no CSS, so resvg draws it as a browser does): the exported picture
is the picture on screen. A caption says which step it is, and a compact legend
lists only the states that occur in the scene.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from viz.model import states
from viz.model.frames import _width
from viz.model.groups import box_lines, short_names
from viz.render.style import GROUP_BORDER, GROUP_FILL
from viz.render.svg_safety import sanitize_svg

if TYPE_CHECKING:
    from viz.player.scene import Scene

MONO = "DejaVu Sans Mono, Courier New, monospace"
SANS = "DejaVu Sans, Helvetica, Arial, sans-serif"
PAD = 8.0
CAPTION_PT = 13.0
LEGEND_PT = 10.0
RULE_PT = 10.0
RULE_LINES = 6  # chain-rule lines drawn under the caption of a frame


def _state_of(classes: list[str]) -> states.State | None:
    for token in classes:
        if token.startswith("s-") and token[2:] in states.BY_KEY:
            return states.BY_KEY[token[2:]]
    return None


def node_paint(classes: list[str]) -> dict[str, str]:
    """fill / stroke / stroke-width / stroke-dasharray of a node with these classes (the
    look viz.model.states.paint gives them, as SVG attributes)."""
    p = states.paint(classes)
    out = {"fill": p.fill, "stroke": p.stroke, "stroke-width": f"{p.width:g}"}
    if p.dasharray:
        out["stroke-dasharray"] = p.dasharray
    return out


def _attrs(paint: dict[str, str]) -> str:
    return " ".join(f'{k}="{v}"' for k, v in paint.items())


def _shape(shape: str, x: float, y: float, w: float, h: float, paint: str) -> str:
    if shape == "ellipse":
        return f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}" {paint}/>'
    left, top = x - w / 2, y - h / 2
    rect = (f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'rx="{3 if shape == "box" else 0}" {paint}/>')
    if shape == "box3d":  # a second outline behind: "many functions"
        back = (f'<rect x="{left + 4:.1f}" y="{top - 4:.1f}" width="{w:.1f}" '
                f'height="{h:.1f}" {paint}/>')
        return back + rect
    return rect


def _text(lines: list[str], x: float, y: float, size: float, family: str,
          colour: str = "#111111") -> str:
    if not lines:
        return ""
    line_h = size * 1.3
    top = y - line_h * (len(lines) - 1) / 2 + size * 0.35
    spans = "".join(f'<tspan x="{x:.1f}" y="{top + i * line_h:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text text-anchor="middle" font-family="{family}" font-size="{size:g}" '
            f'fill="{colour}">{spans}</text>')


def frame_svg(scene: Scene, t: int, *, legend: bool = True, caption: bool = True) -> str:
    """Timeline frame ``t`` of ``scene`` as a sanitised standalone SVG (sizes in pt)."""
    lay = scene.layout
    nodes, edges = scene.frame_state(t)
    title = scene.title
    top = PAD
    head: list[str] = []
    text_w = 0.0
    if title:
        head.append(_text([title], 0, top + CAPTION_PT * 0.6, CAPTION_PT + 2, SANS))
        text_w = max(text_w, _width(title) * (CAPTION_PT + 2) * 0.6)
        top += CAPTION_PT * 1.6
    if caption:
        cap = scene.caption(t)
        head.append(_text([cap], 0, top + CAPTION_PT * 0.6, CAPTION_PT, SANS, "#0B3D66"))
        text_w = max(text_w, _width(cap) * CAPTION_PT * 0.6)
        top += CAPTION_PT * 1.8
        for line in scene.explanation(t)[:RULE_LINES]:  # the chain rule of this step
            head.append(_text([line], 0, top + RULE_PT * 0.6, RULE_PT, MONO, "#7A2E00"))
            text_w = max(text_w, _width(line) * RULE_PT * 0.62)
            top += RULE_PT * 1.5
    body: list[str] = []
    flows: list[str] = []  # drawn last, over the nodes
    # collapsed groups: a box over the group's area; members and inner edges are not drawn
    boxed = {nid for g in scene.collapsed for nid in g.members}
    covered = {k.id for g in scene.collapsed for k in scene.groups
               if k.path[:len(g.path)] == g.path}
    covers = []
    for g in scene.collapsed:
        if g.id in lay.clusters:
            x, y, w, h = lay.clusters[g.id]
            lines = box_lines(g, short_names(scene.drawing), scene.lang)
            covers.append(f'<g id="{g.id}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                          f'height="{h:.1f}" rx="6" fill="{GROUP_FILL}" stroke="#333333"/>'
                          f'{_text(lines, x + w / 2, y + h / 2, 12, MONO)}</g>')
    for g in scene.groups:  # layers and viz.scope blocks: dashed outlines, under everything
        if g.id in lay.clusters and g.id not in covered:
            x, y, w, h = lay.clusters[g.id]
            body.append(f'<g id="{g.id}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                        f'height="{h:.1f}" rx="6" fill="#F7F9FC" stroke="{GROUP_BORDER}" '
                        f'stroke-dasharray="6,3"/>'
                        f'{_text([g.label], x + 6 + _width(g.label) * 3.6, y + 14, 12, SANS)}'
                        "</g>")
    kinds = {nid: classes for nid, (_, classes) in scene.node_kinds.items()}
    for e in lay.edges:
        cls, label = edges.get(e.id, (states.EDGE_IDLE.css_class, ""))
        tokens = cls.split()
        if "hidden" in tokens or (e.source in boxed and e.target in boxed):
            continue
        if e.source in boxed or e.target in boxed:
            label = ""  # what travels along it is inside the box
        state = _state_of(tokens) or states.EDGE_IDLE
        grad_link = e.label == "grad of"
        colour = states.PURPLE if grad_link and state is states.EDGE_IDLE else state.stroke
        dash = ' stroke-dasharray="5,3"' if grad_link else ""
        parts = [f'<path d="{e.d}" fill="none" stroke="{colour}" '
                 f'stroke-width="{state.penwidth:g}"{dash}/>']
        if e.arrow:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in e.arrow)
            parts.append(f'<polygon points="{points}" fill="{colour}" stroke="{colour}"/>')
        if e.label and e.label_at:
            parts.append(_text([e.label], e.label_at[0], e.label_at[1], 10, SANS,
                                states.PURPLE if grad_link else "#333333"))
        if label:  # the grad (or value) travelling along the edge, above its middle
            x, y = e.mid[0], e.mid[1] - 9
            w = _width(label) * 10 * 0.62 + 6
            flows.append(f'<rect x="{x - w / 2:.1f}" y="{y - 8:.1f}" width="{w:.1f}" '
                         f'height="14.5" rx="3" fill="#FFFFFF" stroke="{state.stroke}"/>'
                         + _text([label], x, y - 1, 10, MONO, state.stroke))
        body.append(f'<g id="{e.id}">{"".join(parts)}</g>')
    for nid, box in lay.nodes.items():
        cls, text = nodes.get(nid, ("", ""))
        tokens = cls.split() + kinds.get(nid, "").split()
        if "hidden" in tokens or nid in boxed:
            continue
        paint = _attrs(node_paint(tokens))
        body.append(f'<g id="{nid}">{_shape(box.shape, box.x, box.y, box.w, box.h, paint)}'
                    f'{_text(text.split(chr(10)), box.x, box.y, 12, MONO)}</g>')
    body.extend(flows)
    body.extend(covers)
    graph_w = lay.width
    width = max(graph_w, text_w) + 2 * PAD
    legend_svg, legend_h = _legend(scene, t, width - 2 * PAD) if legend else ("", 0.0)
    height = top + lay.height + (legend_h + PAD if legend_h else 0) + PAD
    head_svg = "".join(h.replace('text-anchor="middle"', 'text-anchor="start"')
                       .replace('x="0.0"', f'x="{PAD:.1f}"') for h in head)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}pt" '
           f'height="{height:.1f}pt" viewBox="0 0 {width:.1f} {height:.1f}">'
           f'<rect x="0" y="0" width="{width:.1f}" height="{height:.1f}" fill="#FFFFFF"/>'
           f"{head_svg}"
           f'<g id="graph" transform="translate({PAD:.1f},{top:.1f})">{"".join(body)}</g>'
           f'<g id="legend" transform="translate({PAD:.1f},{top + lay.height + PAD:.1f})">'
           f"{legend_svg}</g></svg>")
    return sanitize_svg(svg)


def _legend(scene: Scene, t: int, max_width: float) -> tuple[str, float]:
    """A compact legend (states that occur in this frame's pass), in rows; its height."""
    phase = scene.timeline[t].phase[0]
    items = [item for item in scene.legend() if item[3] in ("", phase)]
    if not items:
        return "", 0.0
    out = []
    x = y = 0.0
    row_h = LEGEND_PT * 2.0
    chip_w, chip_h = 22.0, LEGEND_PT * 1.3
    for kind, cls, text, _ in items:
        w = chip_w + 6 + _width(text) * LEGEND_PT * 0.6 + 14
        if x > 0 and x + w > max(max_width, 300):
            x, y = 0.0, y + row_h
        if kind == "edge":
            state = _state_of(cls.split()) or states.EDGE_IDLE
            chip = (f'<path d="M{x:.1f},{y + chip_h / 2:.1f}h{chip_w:.1f}" '
                    f'stroke="{state.stroke}" stroke-width="{state.penwidth:g}"/>')
        else:
            tokens = cls.split() + (["fn"] if kind == "fn" else ["var"])
            if "trouble" in tokens:
                tokens.append(states.VALUE.css_class)
            shape = "box" if kind == "fn" else "ellipse"
            chip = _shape(shape, x + chip_w / 2, y + chip_h / 2, chip_w, chip_h,
                          _attrs(node_paint(tokens)))
        label = (f'<text x="{x + chip_w + 6:.1f}" y="{y + chip_h / 2 + LEGEND_PT * 0.35:.1f}" '
                 f'font-family="{SANS}" font-size="{LEGEND_PT:g}" fill="#111111">'
                 f"{escape(text)}</text>")
        out.append(chip + label)
        x += w
    return "".join(out), y + row_h
