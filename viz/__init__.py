"""viz: see the computation graph, and the backward pass step by step.

>>> import viz
>>> viz.to_dot(y)                        # DOT text, byte-identical on every run
>>> viz.render(y, "graph.png")           # SVG/PNG without a system Graphviz
>>> viz.show(y)                          # inline in a notebook
>>> replay = viz.BackwardReplay(y)       # frames of the backward pass
>>> replay.to_dot(2)                     # the graph after 2 steps
>>> viz.export_steps(y, "steps/", gif="pass.gif", html="pass.html")
>>> viz.show(y, steps=True)              # the step-by-step player: a two-way notebook widget
>>> with viz.scope("encoder"): ...       # a group: a cluster, collapsible to one box
>>> viz.to_dot(y, collapse=["l0"])       # layer l0 (or a scope) drawn as one box

The book's names work too: ``viz.get_dot_graph(y)``, ``viz.plot_dot_graph(y)``.

Every entry point also reads graphs viz did not build (:mod:`viz.sources`): your own
DeZero classes at any step of the book, the ``dezero`` package, micrograd's ``Value``
and PyTorch tensors:

>>> replay = viz.record(y)               # your backward runs once, every call recorded
>>> viz.show(y, steps=True)              # recorded if not backpropagated yet, else replayed
>>> viz.to_dot(loss, names=dict(model.named_parameters()))   # PyTorch leaves named
"""

from autograd_core import scope
from viz.export import export_steps, plot_dot_graph
from viz.export import render_graph as render
from viz.export.animate import frames_to_gif
from viz.layout import Layout, lay_out
from viz.layout.engines import (
    RenderError,
    RenderResult,
    available_engines,
    describe_engines,
    render_to_file,
    sanitize_svg,
    warm_up,
)
from viz.model.bigraph import POLICIES as BIG_GRAPH_POLICIES
from viz.model.bigraph import BigGraphError
from viz.model.frames import BackwardReplay
from viz.model.graph import Graph, collect, graph_size
from viz.player import PlayerView, html_page
from viz.player.compare import Comparison, compare
from viz.player.notebook import GraphView, show
from viz.player.scene import Scene
from viz.render.dot import get_dot_graph, node_id, to_dot
from viz.sources import KINDS as SOURCE_KINDS
from viz.sources import SourceError, record, replay, watch

__all__ = [
    "BIG_GRAPH_POLICIES", "BackwardReplay", "BigGraphError", "Graph", "GraphView",
    "RenderError", "RenderResult", "available_engines", "collect", "describe_engines",
    "Layout", "PlayerView", "Scene", "export_steps", "frames_to_gif", "get_dot_graph",
    "graph_size", "html_page", "lay_out", "node_id", "plot_dot_graph", "render",
    "render_to_file", "sanitize_svg", "scope", "show", "to_dot", "warm_up",
    "Comparison", "SOURCE_KINDS", "SourceError", "compare", "record", "replay", "watch",
]
