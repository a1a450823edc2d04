"""DOT text for a computation graph: variables once each, values and grads on the nodes.

The same program gives byte-identical DOT in any process: nodes are numbered
by creation order within the drawn graph, attributes come from a fixed
allow-list in a fixed order, numbers are formatted deterministically.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd_core import Function, Variable, variable_origin

from . import style
from .bigraph import Drawing, plan
from .escape import clean_text, dot_lines, dot_quote
from .graph import Graph, collect
from .style import Look

RANKDIRS = ("LR", "TB", "RL", "BT")


def function_lines(f: Function) -> list[str]:
    """Op label, its parameters, and the derivative order for grad-graph functions."""
    lines = [clean_text(type(f).label)]
    for key, value in f.params().items():
        lines.append(f"{key}={style.fmt_param(value)}")
    order = getattr(f, "order", 0)
    if order:
        lines.append(f"order {order}")
    return lines


def variable_lines(v: Variable, verbose: bool) -> list[str]:
    """Name (if any) and value lines of a variable."""
    lines = [clean_text(v.name)] if v.name else []
    value = style.fmt_array(v.data, verbose)
    if style.is_troubled(v.data):
        value[-1] = "\u26a0 " + value[-1]
    return lines + value


def grad_text(g: Any) -> str:
    """Short text for a grad (Variable, ndarray or number)."""
    data = g.data if isinstance(g, Variable) else np.asarray(g)
    return style.fmt_array(data)[-1]


def static_variable_look(v: Variable, verbose: bool, show_grads: bool, backward_ran: bool) -> Look:
    origin = variable_origin(v)
    lines = variable_lines(v, verbose)
    fill, node_style, border = style.VARIABLE_FILL, "filled", "#333333"
    if origin == "constant":
        fill, node_style = style.CONSTANT_FILL, "filled,dotted"
    elif origin == "no_grad":
        fill, node_style = style.NO_GRAD_FILL, "filled,dashed"
        lines.append("no_grad (not differentiable)")
    elif v.creator is not None and v.creator.order:
        fill = style.ORDER_FILLS.get(v.creator.order, style.ORDER_FILLS[3])
    if show_grads and origin != "constant":
        if isinstance(v.grad, Variable) or v.grad is not None:
            lines.append("grad " + grad_text(v.grad))
        elif backward_ran and v.creator is not None and not v.creator.order:
            lines.append("grad freed")
    penwidth = 1.0
    if style.is_troubled(v.data):
        border, penwidth = style.VERMILLION, 3.0
    return Look(tuple(lines), "ellipse", fill, border, node_style, penwidth)


def static_function_look(f: Function) -> Look:
    order = getattr(f, "order", 0)
    return Look(tuple(function_lines(f)), "box",
                style.ORDER_FILLS.get(order, style.ORDER_FILLS[3]),
                style.ORDER_BORDERS.get(order, style.ORDER_BORDERS[3]),
                "filled,rounded" if order == 0 else "filled,rounded,bold",
                1.0 if order == 0 else 2.0)


def _node(node_id: str, look: Look, theme: Mapping[str, Any],
          size: tuple[float, float] | None) -> str:
    scale = theme["penscale"]
    attrs = [
        f'id="{node_id}"',
        f"label={dot_lines(list(look.lines))}",
        f"shape={look.shape}",
        f'style="{look.style}"',
        f'fillcolor="{look.fill}"',
        f'color="{look.border}"',
        f"penwidth={look.penwidth * scale:g}",
        f'fontcolor="{look.fontcolor}"',
    ]
    if look.peripheries != 1:
        attrs.append(f"peripheries={look.peripheries}")
    if size is not None:
        attrs.append(f"width={size[0]:.2f}, height={size[1]:.2f}, fixedsize=true")
    return f"  {node_id} [{', '.join(attrs)}];"


def emit(
    drawing: Drawing,
    looks: Mapping[str, Look],
    *,
    rankdir: str = "LR",
    title: str | None = None,
    theme: str = "default",
    sizes: Mapping[str, tuple[float, float]] | None = None,
    legend: list[tuple[str, Look]] | None = None,
    grad_links: bool = True,
) -> str:
    """Write the DOT text of ``drawing`` with one :class:`Look` per node id."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if theme not in style.THEMES:
        raise ValueError(f"theme must be one of {', '.join(style.THEMES)}, got {theme!r}")
    th = style.THEMES[theme]
    graph = drawing.graph
    sizes = sizes or {}
    out = ["digraph autograd {"]
    graph_attrs = [f"rankdir={rankdir}", 'bgcolor="#FFFFFF"', 'fontname="Helvetica"',
                   f"fontsize={th['fontsize'] + 2}", "nodesep=0.3", "ranksep=0.4"]
    if title:
        graph_attrs += [f"label={dot_quote(clean_text(title, 80))}", "labelloc=t"]
    out.append(f"  graph [{', '.join(graph_attrs)}];")
    out.append(f'  node [fontname="{th["fontname"]}", fontsize={th["fontsize"]}, '
               'margin="0.12,0.06"];')
    out.append(f'  edge [color="#444444", arrowsize=0.8, fontname="Helvetica", '
               f"fontsize={max(th['fontsize'] - 2, 8)}];")
    drawn_vars = {v.index for v in drawing.variables}
    for v in drawing.variables:
        nid = graph.node_id(v)
        out.append(_node(nid, looks[nid], th, sizes.get(nid)))
    for f in drawing.functions:
        nid = graph.node_id(f)
        out.append(_node(nid, looks[nid], th, sizes.get(nid)))
    neutral = Look((), "box", "#FFFFFF", "#777777", "filled,dashed")
    for chain in drawing.chains:
        look = Look(chain.label, "box3d", style.FUNCTION_FILL, "#333333", "filled")
        out.append(_node(chain.node_id, looks.get(chain.node_id, look), th, None))
    if drawing.summary is not None:
        look = Look(drawing.summary.label, "note", "#FFFFFF", "#777777", "filled,dashed")
        out.append(_node(drawing.summary.node_id, looks.get("s0", look or neutral), th, None))
    for f in drawing.functions:
        fid = graph.node_id(f)
        show_operand = not type(f).commutative and len(f.inputs) > 1
        for i, x in enumerate(f.inputs):
            if x.index in drawn_vars and not drawing.hidden_edge(x, f):
                label = f' [label="x{i}"]' if show_operand else ""
                out.append(f"  {graph.node_id(x)} -> {fid}{label};")
        for ref in f.outputs:
            y = ref()
            if y is not None and y.index in drawn_vars:
                out.append(f"  {fid} -> {graph.node_id(y)};")
    for chain in drawing.chains:
        out.append(f"  {graph.node_id(chain.source)} -> {chain.node_id};")
        out.append(f"  {chain.node_id} -> {graph.node_id(chain.target)};")
    if drawing.summary is not None:
        for v in drawing.summary.targets:
            out.append(f'  {drawing.summary.node_id} -> {graph.node_id(v)} [style=dashed];')
    if grad_links:
        for v in drawing.variables:
            g = v.grad
            if isinstance(g, Variable) and g is not v and g.index in drawn_vars:
                out.append(f'  {graph.node_id(g)} -> {graph.node_id(v)} [style=dashed, '
                           f'color="{style.PURPLE}", fontcolor="{style.PURPLE}", '
                           'label="grad of", constraint=false];')
    if legend:
        out.append('  subgraph cluster_legend {')
        out.append('    graph [label="", style="rounded,dashed", color="#999999"];')
        for key, look in legend:
            out.append("  " + _node(f"legend_{key}", look, th, None))
        # two columns (functions, variables), each a rank of its own
        columns = [[f"legend_{k}" for k, _ in legend if k.startswith(p)] for p in ("f_", "v_")]
        for column in columns:
            if column:
                out.append(f"    {{rank=same; {'; '.join(column)};}}")
        if all(columns):
            out.append(f"    {columns[0][0]} -> {columns[1][0]} [style=invis];")
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def to_dot(
    *outputs: Variable,
    verbose: bool = False,
    rankdir: str = "LR",
    title: str | None = None,
    show_grads: bool = True,
    theme: str = "default",
    max_nodes: int = 1500,
    big_graph: str = "auto",
    last_generations: int | None = None,
) -> str:
    """DOT text of the graph behind ``outputs`` with values (and grads) on the nodes.

    Graphs over ``max_nodes`` are not drawn whole: ``big_graph`` chooses
    "collapse_chains", "summary", "last_generations", "error", or "auto"
    (collapse, then summarise).
    """
    graph = collect(*outputs)
    drawing = plan(graph, max_nodes=max_nodes, policy=big_graph, last_generations=last_generations)
    return emit(drawing, static_looks(drawing, verbose, show_grads), rankdir=rankdir,
                title=title, theme=theme)


def static_looks(drawing: Drawing, verbose: bool, show_grads: bool) -> dict[str, Look]:
    graph = drawing.graph
    backward_ran = any(v.creator is None and v.grad is not None for v in drawing.variables)
    looks = {}
    for v in drawing.variables:
        look = static_variable_look(v, verbose, show_grads, backward_ran)
        looks[graph.node_id(v)] = _with_lines(look, drawing.variable_notes(v))
    for f in drawing.functions:
        looks[graph.node_id(f)] = _with_lines(static_function_look(f), drawing.hub_lines(f))
    return looks


def _with_lines(look: Look, extra: list[str]) -> Look:
    if not extra:
        return look
    return Look(look.lines + tuple(extra), look.shape, look.fill, look.border, look.style,
                look.penwidth, look.peripheries, look.fontcolor)


def get_dot_graph(output: Variable, verbose: bool = True) -> str:
    """The book's name: DOT text of ``output``'s graph (``verbose`` adds shapes and dtypes)."""
    return to_dot(output, verbose=verbose)


def node_id(obj: Variable | Function, graph: Graph) -> str:
    """The DOT/SVG node id of ``obj`` in ``graph`` (see :func:`viz.collect`)."""
    return graph.node_id(obj)
