"""DOT text for a computation graph: variables once each, values and grads on the nodes.

The same program gives byte-identical DOT in any process: nodes are numbered
by creation order within the drawn graph, attributes come from a fixed
allow-list in a fixed order, numbers are formatted deterministically, and all
user text (names, titles) goes through :mod:`viz.render.escape`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from math import isfinite
from typing import Any

import numpy as np

from autograd_core import Function, Parameter, Variable, variable_origin
from viz.i18n import t
from viz.model.bigraph import Drawing, plan
from viz.model.graph import Graph, collect
from viz.model.groups import Group, box_lines, cluster_lines, collapsed, find_groups, short_names
from viz.render import style
from viz.render.escape import clean_text, dot_lines
from viz.render.style import Look

RANKDIRS = ("LR", "TB", "RL", "BT")
_F64 = np.dtype(np.float64)
_CONSTANT_STYLE = "filled,dotted"

# The only node attributes ever written (user text reaches `label` only, escaped).
NODE_ATTRIBUTES = ("id", "label", "shape", "style", "fillcolor", "color", "penwidth",
                   "fontcolor", "width", "height", "fixedsize", "peripheries")
EDGE_ATTRIBUTES = ("label", "style", "color", "fontcolor", "constraint")
GRAPH_ATTRIBUTES = ("rankdir", "bgcolor", "fontname", "fontsize", "nodesep", "ranksep", "label",
                    "labelloc", "margin", "arrowsize", "style", "color", "id", "labeljust")


def function_lines(f: Function, lang: str = "en") -> list[str]:
    """Op label, its parameters, and the derivative order for grad-graph functions."""
    lines = [clean_text(type(f).label)]
    for key, value in f.params().items():
        lines.append(f"{clean_text(str(key), 16)}={style.fmt_param(value)}")
    order = f.order
    if order:
        lines.append(t("order", lang, order=order))
    return lines


NO_VALUE_TEXT = "(value not kept)"


def variable_lines(v: Variable, verbose: bool, lang: str = "en") -> list[str]:
    """Name (if any) and value lines of a variable."""
    lines = [clean_text(v.name)] if v.name else []
    if v.data is None and hasattr(v, "source"):  # another library kept no value here
        return lines + [NO_VALUE_TEXT]
    value = style.fmt_array(v.data, verbose, lang)
    if style.is_troubled(v.data):
        value[-1] = "\u26a0 " + value[-1]
    return lines + value


def grad_text(g: Any, lang: str = "en") -> str:
    """Short text for a grad (Variable, ndarray or number)."""
    data = g.data if isinstance(g, Variable) else np.asarray(g)
    return style.fmt_array(data, lang=lang)[-1]


EDGE_TEXT_CHARS = 14  # longer arrays are written on their node; a label this long covers it


def edge_text(value: Any) -> str:
    """What an edge says while a value or grad travels along it: a number, or a short array
    written out; a longer array only its shape, e.g. ``(4, 1)`` (its node shows it whole)."""
    data = value.data if isinstance(value, Variable) else np.asarray(value)
    text = style.fmt_array(data)[-1]
    return text if data.ndim == 0 or len(text) <= EDGE_TEXT_CHARS else str(tuple(data.shape))


def static_variable_look(v: Variable, verbose: bool, show_grads: bool, backward_ran: bool) -> Look:
    """A variable outside any replay: value, grad (or "grad freed"), origin by style."""
    origin = variable_origin(v)
    lines = variable_lines(v, verbose)
    fill, node_style, border = style.VARIABLE_FILL, "filled", style.INK
    if origin == "constant":
        fill, node_style = style.CONSTANT_FILL, _CONSTANT_STYLE
    elif origin == "no_grad":
        fill, node_style = style.NO_GRAD_FILL, "filled,dashed"
        lines.append("no_grad (not differentiable)")
    elif v.creator is not None and v.creator.order:
        fill = style.order_fill(v.creator.order)
    if show_grads and origin != "constant":
        if v.grad is not None:
            lines.append("grad " + grad_text(v.grad))
        elif backward_ran and v.creator is not None and not v.creator.order:
            lines.append("grad freed")
    penwidth = 1.0
    if style.is_troubled(v.data):
        border, penwidth = style.VERMILLION, 3.0
    # a Parameter (what an optimizer updates) has a double border, data inputs a single one
    return Look(tuple(lines), "ellipse", fill, border, node_style, penwidth,
                2 if isinstance(v, Parameter) else 1)


_FUNCTION_LOOKS: dict[tuple[type, int], Look] = {}


def static_function_look(f: Function) -> Look:
    """A function outside any replay: op label and params, derivative order by colour."""
    order = f.order
    plain = type(f).params is Function.params
    if plain:  # no parameters: the look depends on the class and order only
        look = _FUNCTION_LOOKS.get((type(f), order))
        if look is not None:
            return look
    look = Look(tuple(function_lines(f)), "box", style.order_fill(order),
                style.order_border(order),
                "filled,rounded" if order == 0 else "filled,rounded,bold",
                1.0 if order == 0 else 2.0)
    if plain:
        _FUNCTION_LOOKS[(type(f), order)] = look
    return look


def label_string(lines: Sequence[str]) -> str:
    """A quoted DOT label showing ``lines`` literally, one per line.

    Besides quotes and backslashes (:func:`viz.render.escape.dot_lines`), Graphviz reads
    character entities in plain labels (``&amp;`` would show as ``&``), so ``&``
    itself is written as ``&amp;``.
    """
    return dot_lines([line.replace("&", "&amp;") if "&" in line else line for line in lines])


def _body(look: Look, penscale: float, hidden: bool = False) -> str:
    """The attributes of a node after its id: label, shape, style, colours, pen width."""
    return (f"label={label_string(look.lines)}, {_tail(look, penscale, hidden)}")


_TAILS: dict[tuple, str] = {}


def _tail(look: Look, penscale: float, hidden: bool = False) -> str:
    key = (look.shape, "invis" if hidden else look.style, look.fill, look.border, look.penwidth,
           look.fontcolor, penscale, look.peripheries)
    tail = _TAILS.get(key)
    if tail is None:
        tail = _TAILS[key] = (
            f'shape={key[0]}, style="{key[1]}", fillcolor="{key[2]}", color="{key[3]}", '
            f'penwidth={key[4] * penscale:g}, fontcolor="{key[5]}"'
            + (f", peripheries={key[7]}" if key[7] != 1 else ""))  # a Parameter: two borders
    return tail


def _node(node_id: str, look: Look | str, penscale: float,
          size: tuple[float, float] | None, hidden: bool = False) -> str:
    body = look if isinstance(look, str) else _body(look, penscale, hidden)
    if size is None:
        return f'  {node_id} [id="{node_id}", {body}];'
    return (f'  {node_id} [id="{node_id}", {body}, width={size[0]:.2f}, '
            f'height={size[1]:.2f}, fixedsize=true];')


def _edge(source: str, target: str, attrs: str, visible: bool | None) -> str:
    """One edge; ``visible`` None means "no style attribute" (static drawings)."""
    if visible is not None:
        edge_style = "style=solid" if visible else "style=invis"
        attrs = f"{attrs}, {edge_style}" if attrs else edge_style
    return f"  {source} -> {target} [{attrs}];" if attrs else f"  {source} -> {target};"


def emit(
    drawing: Drawing,
    looks: Mapping[str, Look | str],
    *,
    rankdir: str = "LR",
    title: str | None = None,
    theme: str = "default",
    sizes: Mapping[str, tuple[float, float]] | None = None,
    legend: list[tuple[str, Look]] | None = None,
    grad_links: bool | Sequence[tuple[Variable, Variable]] = True,
    hidden: Collection[str] | None = None,
    groups: Sequence[Group] = (),
    collapse: Sequence[Group] = (),
) -> str:
    """Write the DOT text of ``drawing`` with one :class:`Look` per node id (or the
    node's attribute text after its id, already written).

    ``groups`` (:func:`viz.model.groups.find_groups`) are drawn as labelled clusters; each group
    of ``collapse`` is drawn as one box instead of its members (edges in and out of the
    group end at the box).

    ``grad_links`` True links each drawn variable's ``.grad`` (when that grad is
    drawn too) to it with a dashed "grad of" edge; a sequence of ``(grad,
    variable)`` pairs gives the links explicitly. ``hidden`` (frames of a replay)
    names nodes drawn invisible in this frame; when it is given, every edge
    carries an explicit style, so the DOT of every frame has the same structure.
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if theme not in style.THEMES:
        raise ValueError(f"theme must be one of {', '.join(style.THEMES)}, got {theme!r}")
    th = style.THEMES[theme]
    penscale = th["penscale"]
    graph = drawing.graph
    var_ids, fn_ids = graph._var_ids, graph._fn_ids
    sizes = sizes or {}
    invisible = frozenset(hidden or ())
    framed = hidden is not None

    def shown(*ids: str) -> bool | None:
        return None if not framed else not any(i in invisible for i in ids)

    out = ["digraph autograd {"]
    graph_attrs = [f"rankdir={rankdir}", 'bgcolor="#FFFFFF"', 'fontname="Helvetica,sans-serif"',
                   f"fontsize={th['fontsize'] + 2}", "nodesep=0.3", "ranksep=0.4"]
    if title:
        graph_attrs += [f"label={label_string([clean_text(title, 80)])}", "labelloc=t"]
    out.append(f"  graph [{', '.join(graph_attrs)}];")
    out.append(f'  node [fontname="{th["fontname"]}", fontsize={th["fontsize"]}, '
               'margin="0.12,0.06"];')
    out.append(f'  edge [color="#444444", arrowsize=0.8, fontname="Helvetica,sans-serif", '
               f"fontsize={max(th['fontsize'] - 2, 8)}];")
    append = out.append
    boxed = {nid: g.id for g in collapse for nid in g.members}  # member -> its group's box
    for table, nodes in ((var_ids, drawing.variables), (fn_ids, drawing.functions)):
        for node in nodes:
            nid = table[node.index]
            if nid in boxed:
                continue
            look = looks[nid]
            if sizes or invisible or not isinstance(look, str):
                append(_node(nid, look, penscale, sizes.get(nid), nid in invisible))
            else:  # the common case of a static drawing, inlined
                append(f'  {nid} [id="{nid}", {look}];')
    for chain in drawing.chains:
        look = Look(chain.label, "box3d", style.FUNCTION_FILL, style.INK, "filled")
        append(_node(chain.node_id, looks.get(chain.node_id, look), penscale,
                     sizes.get(chain.node_id)))
    if drawing.summary is not None:
        look = Look(drawing.summary.label, "note", "#FFFFFF", "#777777", "filled,dashed")
        append(_node(drawing.summary.node_id, looks.get(drawing.summary.node_id, look),
                     penscale, sizes.get(drawing.summary.node_id)))
    names = short_names(drawing) if collapse else {}
    for g in collapse:
        look = Look(tuple(box_lines(g, names)), "folder", style.GROUP_FILL, style.INK,
                    "filled")
        append(_node(g.id, looks.get(g.id, look), penscale, sizes.get(g.id)))
    drawn_vars = {v.index for v in drawing.variables}
    hubs = drawing.hubs
    edge = _boxed_edges(append, boxed) if boxed else _plain_edges(append)
    for f in drawing.functions:
        fid = fn_ids[f.index]
        operands = not type(f).commutative and len(f.inputs) > 1
        for i, x in enumerate(f.inputs):
            if x.index in drawn_vars and not (hubs and drawing.hidden_edge(x, f)):
                xid = var_ids[x.index]
                if framed or operands:
                    edge(xid, fid, _edge(xid, fid, f'label="x{i}"' if operands else "",
                                         shown(xid, fid)))
                else:
                    edge(xid, fid, f"  {xid} -> {fid};")
        for ref in f.outputs:
            y = ref()
            if y is not None and y.index in drawn_vars:
                yid = var_ids[y.index]
                edge(fid, yid, _edge(fid, yid, "", shown(fid, yid)) if framed
                     else f"  {fid} -> {yid};")
    for chain in drawing.chains:
        source, target = var_ids[chain.source.index], var_ids[chain.target.index]
        edge(source, chain.node_id, _edge(source, chain.node_id, "", shown(source)))
        edge(chain.node_id, target, _edge(chain.node_id, target, "", shown(target)))
    if drawing.summary is not None:
        for v in drawing.summary.targets:
            vid = var_ids[v.index]
            edge(drawing.summary.node_id, vid,
                 _edge(drawing.summary.node_id, vid, "style=dashed", None))
    for g, v in _grad_pairs(drawing, grad_links):
        gid, vid = var_ids[g.index], var_ids[v.index]
        if gid in boxed or vid in boxed:
            continue
        link = "invis" if gid in invisible or vid in invisible else "dashed"
        append(f'  {gid} -> {vid} [style={link}, color="{style.PURPLE}", '
               f'fontcolor="{style.PURPLE}", label="grad of", constraint=false];')
    if groups:
        out.extend(cluster_lines(groups, collapse))
    if legend:
        out.extend(_legend(legend, penscale))
    out.append("}")
    return "\n".join(out) + "\n"


EdgeWriter = Callable[[str, str, str], None]  # (source id, target id, its DOT line)


def _plain_edges(append: Callable[[str], None]) -> EdgeWriter:
    """Write each edge's line as it is."""
    return lambda source, target, line: append(line)


def _boxed_edges(append: Callable[[str], None], boxed: Mapping[str, str]) -> EdgeWriter:
    """Write edges so that those at a collapsed group's members go to the group's box
    instead, those inside one box are dropped, and each box edge is written once."""
    seen: set[tuple[str, str]] = set()

    def add(source: str, target: str, line: str) -> None:
        box_source, box_target = boxed.get(source, source), boxed.get(target, target)
        if box_source == source and box_target == target:
            append(line)
        elif box_source != box_target and (box_source, box_target) not in seen:
            seen.add((box_source, box_target))
            append(f"  {box_source} -> {box_target};")

    return add


def _grad_pairs(drawing: Drawing,
                grad_links: bool | Sequence[tuple[Variable, Variable]]
                ) -> Iterable[tuple[Variable, Variable]]:
    drawn = {v.index for v in drawing.variables}
    if grad_links is True:
        pairs = [(v.grad, v) for v in drawing.variables if isinstance(v.grad, Variable)]
    elif grad_links is False:
        pairs = []
    else:
        pairs = list(grad_links)
    return [(g, v) for g, v in pairs
            if g is not v and g.index in drawn and v.index in drawn]


def _legend(legend: list[tuple[str, Look]], penscale: float) -> list[str]:
    out = ['  subgraph cluster_legend {',
           '    graph [label="", style="rounded,dashed", color="#999999"];']
    for key, look in legend:
        out.append("  " + _node(f"legend_{key}", look, penscale, None))
    # one column per kind of node (functions, variables...), each a rank of its own
    prefixes: list[str] = []
    for key, _ in legend:
        prefix = key.split("_", 1)[0]
        if prefix not in prefixes:
            prefixes.append(prefix)
    columns = [[f"legend_{k}" for k, _ in legend if k.split("_", 1)[0] == p] for p in prefixes]
    for column in columns:
        out.append(f"    {{rank=same; {'; '.join(column)};}}")
    for left, right in zip(columns, columns[1:], strict=False):
        out.append(f"    {left[0]} -> {right[0]} [style=invis];")
    out.append("  }")
    return out


def grad_roots(graph: Graph) -> list[Variable]:
    """The grads of ``graph``'s variables that were recorded (backward(create_graph=True))."""
    return [v.grad for v in graph.variables
            if isinstance(v.grad, Variable) and v.grad.creator is not None]


def collect_with_grads(*outputs: Variable) -> Graph:
    """The graph behind ``outputs`` plus the recorded graphs of its variables' grads."""
    graph = collect(*outputs)
    roots = list(outputs)
    while True:
        known = {v.index for v in roots}
        extra = [g for g in grad_roots(graph) if g.index not in known]
        if not extra:
            return graph
        roots += extra
        graph = collect(*roots)


def to_dot(
    *outputs: Any,
    verbose: bool = False,
    rankdir: str = "LR",
    title: str | None = None,
    show_grads: bool = True,
    theme: str = "default",
    max_nodes: int = 1500,
    big_graph: str = "auto",
    last_generations: int | None = None,
    grad_graphs: bool = False,
    collapse: Sequence[str] = (),
    expand: Sequence[str] = (),
    names: Mapping[str, Any] | None = None,
) -> str:
    """DOT text of the graph behind ``outputs`` with values (and grads) on the nodes.

    ``outputs`` are autograd_core Variables or the outputs of any graph viz reads (your
    own DeZero classes, ``dezero``, micrograd, PyTorch: see :mod:`viz.sources`);
    ``names`` names the variables of sources that carry no names (``{"x": x}``).

    ``verbose`` adds shape and dtype to scalars; ``rankdir`` is "LR", "TB", "RL"
    or "BT"; ``title`` is drawn above the graph; ``show_grads`` puts each
    variable's grad on it; ``theme`` is "default" or "projector" (bigger text,
    thicker borders). ``grad_graphs`` also draws the recorded graphs of the
    grads (after ``backward(create_graph=True)``), each linked to its variable.

    Graphs over ``max_nodes`` are not drawn whole: ``big_graph`` chooses
    "collapse_chains", "summary", "last_generations" (``last_generations=N``
    draws only the last N generations, whatever the size), "error" (raises
    :class:`viz.BigGraphError`), or "auto" (collapse, then summarise).

    What layers (and ``viz.scope("name")`` blocks) computed is drawn as a labelled
    cluster per group; ``collapse`` names groups drawn as one box each (their inputs,
    outputs and parameter count), "all" every outermost group; ``expand`` names groups
    kept open anyway. An unknown name is a ValueError listing the graph's groups.
    """
    from viz.sources import drawable

    outputs = tuple(drawable(y, names=names) for y in outputs)
    graph = collect_with_grads(*outputs) if grad_graphs else collect(*outputs)
    drawing = plan(graph, max_nodes=max_nodes, policy=big_graph, last_generations=last_generations)
    penscale = style.THEMES[theme]["penscale"] if theme in style.THEMES else 1.0
    groups = find_groups(drawing, drawing_edges(drawing))
    boxes = collapsed(groups, collapse, expand) if (collapse or expand) else []
    return emit(drawing, static_looks(drawing, verbose, show_grads, penscale), rankdir=rankdir,
                title=title, theme=theme, groups=groups, collapse=boxes)


def drawing_edges(drawing: Drawing) -> list[tuple[str, str]]:
    """(source, target) node ids of the drawing's data edges (inputs and outputs)."""
    var_ids, fn_ids = drawing.graph._var_ids, drawing.graph._fn_ids
    drawn = {v.index for v in drawing.variables}
    out = []
    for f in drawing.functions:
        fid = fn_ids[f.index]
        out += [(var_ids[x.index], fid) for x in f.inputs if x.index in drawn]
        out += [(fid, var_ids[y.index]) for y in (r() for r in f.outputs)
                if y is not None and y.index in drawn]
    return out


def static_looks(drawing: Drawing, verbose: bool, show_grads: bool,
                 penscale: float = 1.0) -> dict[str, Look | str]:
    """Every node's attribute text outside a replay (see :func:`emit`)."""
    graph = drawing.graph
    var_ids, fn_ids = graph._var_ids, graph._fn_ids
    backward_ran = any(v.creator is None and v.grad is not None for v in drawing.variables)
    hubs = drawing.hubs
    looks: dict[str, Look | str] = {}
    plain_tail = _tail(Look((), "ellipse", style.VARIABLE_FILL), penscale)
    constant_tail = _tail(Look((), "ellipse", style.CONSTANT_FILL, style=_CONSTANT_STYLE),
                          penscale)
    freed = "\\ngrad freed" if show_grads and backward_ran else ""
    fast = not verbose and not hubs
    for v in drawing.variables:
        data, creator = v.data, v.creator
        if (fast and not v.name and type(data) is np.ndarray and data.dtype == _F64
                and data.ndim == 0):
            # the common cases: an unnamed scalar intermediate, or a constant
            number = float(data)
            if creator is not None and not creator.order and v.grad is None and isfinite(number):
                looks[var_ids[v.index]] = f'label="{number:.4g}{freed}", {plain_tail}'
                continue
            if creator is None and isfinite(number):
                origin = variable_origin(v)
                if origin == "constant":
                    looks[var_ids[v.index]] = f'label="{number:.4g}", {constant_tail}'
                    continue
                if origin == "leaf" and (v.grad is None or not show_grads):
                    looks[var_ids[v.index]] = f'label="{number:.4g}", {plain_tail}'
                    continue
        look = static_variable_look(v, verbose, show_grads, backward_ran)
        if hubs:
            look = _with_lines(look, drawing.variable_notes(v))
        looks[var_ids[v.index]] = _body(look, penscale)
    bodies: dict[tuple[type, int], str] = {}
    for f in drawing.functions:
        if hubs and drawing.hub_lines(f):
            look = _with_lines(static_function_look(f), drawing.hub_lines(f))
            looks[fn_ids[f.index]] = _body(look, penscale)
            continue
        key = (type(f), f.order)
        body = bodies.get(key)
        if body is None:
            body = _body(static_function_look(f), penscale)
            if type(f).params is Function.params:  # the same text for every such function
                bodies[key] = body
        looks[fn_ids[f.index]] = body
    return looks


def _with_lines(look: Look, extra: list[str]) -> Look:
    if not extra:
        return look
    return Look(look.lines + tuple(extra), look.shape, look.fill, look.border, look.style,
                look.penwidth, look.peripheries, look.fontcolor)


def get_dot_graph(output: Any, verbose: bool = True) -> str:
    """The book's name: DOT text of ``output``'s graph (``verbose`` adds shapes and dtypes).

    ``output`` is a Variable of autograd_core or of any source viz reads."""
    return to_dot(output, verbose=verbose)


def node_id(obj: Variable | Function, graph: Graph) -> str:
    """The DOT/SVG node id of ``obj`` in ``graph`` (see :func:`viz.collect`)."""
    return graph.node_id(obj)
