"""Groups in a drawing: what a layer (or a user's ``viz.scope("name")``) computed.

Every function records the scope path it was called in (``Function.scope``); a
variable belongs to the group of the function that made it, a Parameter to the layer
that owns it, and a constant to the group of the function that consumes it. A group
is drawn as a labelled cluster and can be *collapsed* to one box that names its
inputs and outputs and counts its parameters. The player collapses a group by
covering its cluster with that box (no new layout), so expanding it again puts
everything back exactly where it was.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from autograd_core import Function, Parameter, variable_origin
from viz.i18n import t
from viz.layout import ClusterSpec, cluster_blocks
from viz.model.bigraph import Drawing
from viz.model.explain import shape_text
from viz.render.escape import clean_text


@dataclass(frozen=True)
class Group:
    """One scope path of a drawing: its node ids (nested groups' included), its parameters,
    and the nodes outside it that feed it or read it."""

    id: str                      # "g0", "g1"... in order of first appearance
    path: tuple[str, ...]        # ("net", "l0")
    members: tuple[str, ...]     # node ids inside (nested groups' too), drawing order
    own: tuple[str, ...]         # node ids directly inside (not in a nested group)
    parameters: int              # scalars in its Parameters
    inputs: tuple[str, ...]      # outside node ids with an edge into the group
    outputs: tuple[str, ...]     # inside node ids with an edge out of the group

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def label(self) -> str:
        """The cluster's label: the group's name (user text, cleaned)."""
        return clean_text(self.name, 40)


def node_paths(drawing: Drawing) -> dict[str, tuple[str, ...]]:
    """node id -> the scope path it is drawn in (only nodes inside some group)."""
    graph = drawing.graph
    var_ids, fn_ids = graph._var_ids, graph._fn_ids
    out: dict[str, tuple[str, ...]] = {}
    first_consumer: dict[int, Function] = {}
    for f in drawing.functions:
        if f.scope:
            out[fn_ids[f.index]] = f.scope
        for x in f.inputs:
            first_consumer.setdefault(x.index, f)
    for v in drawing.variables:
        path: tuple[str, ...] = ()
        if isinstance(v, Parameter):
            path = v.scope
        elif v.creator is not None:
            path = v.creator.scope if v.creator.index in fn_ids else ()
        elif variable_origin(v) == "constant" and v.index in first_consumer:
            path = first_consumer[v.index].scope
        if path:
            out[var_ids[v.index]] = path
    return out


def find_groups(drawing: Drawing, edges: Collection[tuple[str, str]]) -> list[Group]:
    """Every group of ``drawing`` (each prefix of every path), parents before children.

    ``edges`` are the drawing's (source, target) node-id pairs, for inputs and outputs.
    """
    paths = node_paths(drawing)
    order = [*(drawing.graph._var_ids[v.index] for v in drawing.variables),
             *(drawing.graph._fn_ids[f.index] for f in drawing.functions)]
    rank = {nid: i for i, nid in enumerate(order)}
    members: dict[tuple[str, ...], list[str]] = {}
    first_seen: dict[tuple[str, ...], int] = {}
    for nid in sorted(paths, key=rank.__getitem__):
        path = paths[nid]
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            members.setdefault(prefix, []).append(nid)
            first_seen.setdefault(prefix, rank[nid])
    params: dict[tuple[str, ...], int] = {}
    var_ids = drawing.graph._var_ids
    for v in drawing.variables:
        nid = var_ids[v.index]
        if isinstance(v, Parameter) and nid in paths and v.data is not None:
            for depth in range(1, len(paths[nid]) + 1):
                params[paths[nid][:depth]] = params.get(paths[nid][:depth], 0) + v.data.size
    ordered = sorted(members, key=lambda p: (first_seen[p], len(p)))
    groups = []
    for k, path in enumerate(ordered):
        inside = set(members[path])
        ins = list(dict.fromkeys(s for s, t in edges if t in inside and s not in inside))
        outs = list(dict.fromkeys(s for s, t in edges if s in inside and t not in inside))
        own = tuple(nid for nid in members[path] if paths[nid] == path)
        groups.append(Group(f"g{k}", path, tuple(members[path]), own, params.get(path, 0),
                            tuple(ins), tuple(outs)))
    return groups


def check_names(groups: list[Group], names: Collection[str]) -> None:
    """ValueError naming the groups there are, for any name that is not one of them."""
    known = {g.name for g in groups} | {"/".join(g.path) for g in groups}
    unknown = [n for n in names if n != "all" and n not in known]
    if unknown:
        there = ", ".join(dict.fromkeys(g.name for g in groups)) or "none (no layer or scope)"
        raise ValueError(f"no group named {', '.join(map(repr, unknown))}; groups in this "
                         f"graph: {there}")


def collapsed(groups: list[Group], collapse: Collection[str],
              expand: Collection[str] = ()) -> list[Group]:
    """The groups to draw collapsed: those named in ``collapse`` ("all": every group) except
    those named in ``expand`` and the groups around them (an expanded group must be seen);
    a group inside a collapsed one goes with it, so only the outermost are returned."""
    check_names(groups, [*collapse, *expand])

    def named(g: Group, names: Collection[str]) -> bool:
        return g.name in names or "/".join(g.path) in names

    opened = [g.path for g in groups if named(g, expand)]
    chosen = [g for g in groups
              if ("all" in collapse or named(g, collapse))
              and not any(o[:len(g.path)] == g.path for o in opened)]
    return [g for g in chosen
            if not any(len(o.path) < len(g.path) and g.path[:len(o.path)] == o.path
                       for o in chosen)]


def box_lines(group: Group, names: dict[str, str], lang: str = "en") -> list[str]:
    """A collapsed group's label: name, parameters, inputs -> outputs (by name when known)."""
    def side(ids: tuple[str, ...]) -> str:
        shown = [names.get(i, i) for i in ids[:3]]
        return ", ".join(shown) + (f" +{len(ids) - 3}" if len(ids) > 3 else "")

    lines = [f"[{group.label}]"]
    if group.parameters:
        lines.append(t("group_params", lang, n=group.parameters))
    lines.append(t("group_in", lang, names=side(group.inputs) or "-"))
    lines.append(t("group_out", lang, names=side(group.outputs) or "-"))
    return lines


def cluster_specs(groups: list[Group], collapse: Collection[Group] = ()) -> tuple[ClusterSpec, ...]:
    """The clusters to draw: every group not inside a collapsed one, with its own nodes (a
    collapsed group is a box, drawn as a node of its parent's cluster)."""
    boxes = {g.path for g in collapse}
    by_path = {g.path: g for g in groups}

    def under_a_box(path: tuple[str, ...]) -> bool:
        return any(path[:len(b)] == b for b in boxes)

    specs = []
    for g in groups:
        if under_a_box(g.path):
            continue
        kids = [k.id for k in groups if k.path[:-1] == g.path and k.path in boxes]
        parent = by_path.get(g.path[:-1])
        specs.append(ClusterSpec(g.id, g.label, parent.id if parent else None, g.own + tuple(kids)))
    return tuple(specs)


def cluster_lines(groups: list[Group], collapse: Collection[Group] = ()) -> list[str]:
    """The groups' DOT clusters: labelled, dashed, nested as the paths are."""
    from viz.render.dot import label_string
    from viz.render.style import GROUP_BORDER

    def attrs(c: ClusterSpec) -> str:
        return (f'id="{c.id}", label={label_string([c.label])}, style="rounded,dashed", '
                f'color="{GROUP_BORDER}", labeljust=l')

    return cluster_blocks(cluster_specs(groups, collapse), attrs)


def short_names(drawing: Drawing) -> dict[str, str]:
    """node id -> how a box label names a variable: its name, else its shape."""
    var_ids = drawing.graph._var_ids
    return {var_ids[v.index]: clean_text(v.name, 16) if v.name else shape_text(v.data)
            for v in drawing.variables if v.data is not None}
