"""The vocabulary of frame states: one declaration each, with its look and its legend text.

A frame of a replay (forward or backward) gives every drawn node one *state*
and every edge one *edge state*. Each state is declared here once, with

* its key (a CSS class in the player, a Graphviz style in DOT frames),
* its look: fill, border dash and width (state is always encoded by border as
  well as by colour, Okabe-Ito palette, so it reads on a washed-out projector
  and for colour-blind viewers),
* its legend text in every language,
* the word drawn on the node itself (functions), so the state is also text.

Everything that draws a state (viz.model.frames' DOT, viz.player.scene's SVG, the player's
CSS, the app's legend) reads this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
)
INK = "#333333"
CONSTANT_FILL = "#F2F2F2"
NO_GRAD_FILL = "#E4E4E4"

DASHES = {"solid": None, "dashed": "6,3", "dotted": "1.5,3"}


@dataclass(frozen=True)
class State:
    """One state of a node or edge in a frame."""

    key: str
    kind: str  # "function", "variable" or "edge"
    fill: str
    dash: str  # "solid", "dashed" or "dotted"
    penwidth: float
    legend: dict[str, str] = field(compare=False)
    word: dict[str, str] = field(default_factory=dict, compare=False)
    stroke: str = INK

    @property
    def css_class(self) -> str:
        """The class the player gives an element in this state."""
        return f"s-{self.key}"

    def legend_text(self, lang: str) -> str:
        return self.legend.get(lang, self.legend["en"])

    def word_text(self, lang: str) -> str:
        return self.word.get(lang, self.word.get("en", ""))


def _s(key, kind, fill, dash, pen, en, ko, word_en="", word_ko="", stroke=INK) -> State:
    word = {"en": word_en, "ko": word_ko} if word_en else {}
    return State(key, kind, fill, dash, pen, {"en": en, "ko": ko}, word, stroke)


# --- functions ------------------------------------------------------------------------------
# forward pass
WAITING = _s("waiting", "function", "#FFFFFF", "dotted", 1.0,
             "function: not run yet", "함수: 아직 실행 전", "waiting", "실행 전")
# backward pass
NOT_REACHED = _s("not_reached", "function", "#FFFFFF", "dotted", 1.0,
                 "function: not reached", "함수: 아직 실행 전", "not reached", "실행 전")
QUEUED = _s("pending", "function", "#FFF6CC", "dashed", 2.0,
            "function: queued", "함수: 대기 중", "queued", "대기 중")
RUNNING = _s("current", "function", ORANGE, "solid", 5.0,
             "function: running now", "함수: 실행 중", "RUNNING", "실행 중")
DONE = _s("done", "function", SKY, "solid", 1.5,
          "function: done", "함수: 완료", "done", "완료")
# either pass: functions of a recorded grad graph before/after their creation
# (their look is their derivative order, see ORDER_FILLS)

# --- variables ------------------------------------------------------------------------------
NO_VALUE = _s("no_value", "variable", "#FFFFFF", "dotted", 1.0,
              "variable: value not computed yet", "변수: 아직 값 없음")
VALUE = _s("value", "variable", "#FCE8C8", "solid", 1.0,
           "variable: value computed", "변수: 값 계산됨")
NO_GRAD = _s("no_grad_yet", "variable", "#FFFFFF", "solid", 1.0,
             "variable: no grad yet", "변수: 아직 기울기 없음")
PARTIAL = _s("partial", "variable", YELLOW, "dashed", 3.0,
             "variable: grad partial", "변수: 기울기 일부 도착")
FINAL = _s("final", "variable", "#8FD9BE", "solid", 4.0,
           "variable: grad final", "변수: 기울기 확정")
FREED = _s("freed", "variable", NO_GRAD_FILL, "dotted", 2.0,
           "variable: grad freed", "변수: 기울기 해제됨")
CONSTANT = _s("constant", "variable", CONSTANT_FILL, "dotted", 1.0,
              "constant (no grad)", "상수 (기울기 없음)")

# --- edges ----------------------------------------------------------------------------------
EDGE_IDLE = _s("idle", "edge", "none", "solid", 1.0, "edge", "간선", stroke="#444444")
EDGE_GRAD = _s("grad_flow", "edge", "none", "solid", 3.5,
               "grad sent along this edge now", "지금 이 간선으로 기울기 전달",
               stroke=VERMILLION)
EDGE_VALUE = _s("value_flow", "edge", "none", "solid", 3.5,
                "value passed along this edge now", "지금 이 간선으로 값 전달",
                stroke=BLUE)

FUNCTION_STATES: tuple[State, ...] = (WAITING, NOT_REACHED, QUEUED, RUNNING, DONE)
VARIABLE_STATES: tuple[State, ...] = (NO_VALUE, VALUE, NO_GRAD, PARTIAL, FINAL, FREED)
EDGE_STATES: tuple[State, ...] = (EDGE_IDLE, EDGE_GRAD, EDGE_VALUE)
ALL: tuple[State, ...] = FUNCTION_STATES + VARIABLE_STATES + (CONSTANT,) + EDGE_STATES
BY_KEY: dict[str, State] = {s.key: s for s in ALL}

# The backward pass's own states, in the order the legend lists them.
BACKWARD_FUNCTION_STATES = (NOT_REACHED, QUEUED, RUNNING, DONE)
BACKWARD_VARIABLE_STATES = (NO_GRAD, PARTIAL, FINAL, FREED)

# Node flags: drawn on top of a state (a border colour), independent of it.
TROUBLE_BORDER = VERMILLION  # the value or grad holds NaN or infinity
TROUBLE_LEGEND = {"en": "NaN or infinity here", "ko": "NaN 또는 무한대"}
SELECTED_BORDER = BLUE

# Derivative orders (functions recorded by backward(create_graph=True)): apart by
# colour and, from order 1 on, by a bold border.
ORDER_FILLS = {0: "#D4EAF7", 1: "#F3D3E6", 2: "#F9D9BF", 3: "#E3F1D0"}
ORDER_BORDERS = {0: INK, 1: PURPLE, 2: VERMILLION, 3: GREEN}
ORDER_LEGEND = {"en": "recorded by this pass: order {order}",
                "ko": "이 역전파가 기록함: {order}차"}


def order_fill(order: int) -> str:
    """Fill of a node made by a backward pass of derivative ``order`` (0: the forward)."""
    return ORDER_FILLS.get(order, ORDER_FILLS[3])


def order_border(order: int) -> str:
    """Border colour for derivative ``order``."""
    return ORDER_BORDERS.get(order, ORDER_BORDERS[3])


# --- the one painter ------------------------------------------------------------------------
# A node's look in a frame follows from its class tokens (the closed vocabulary the scene
# gives it: its state's class, and flags). paint() is the only place that works the look
# out: the DOT frames, the server's SVG and the player's CSS (generated below from it)
# all draw what it says.

FOLLOW = (RUNNING, QUEUED)  # the player keeps these in view, the running ones first
SUMMARY_FILL, SUMMARY_STROKE = "#FFFFFF", "#777777"


@dataclass(frozen=True)
class Paint:
    """How a node is drawn: fill, border colour, border width (px) and dash."""

    fill: str
    stroke: str
    width: float
    dash: str  # "solid", "dashed" or "dotted"

    @property
    def dasharray(self) -> str | None:
        return DASHES[self.dash]


def paint(tokens: Iterable[str]) -> Paint:
    """The look of a node with these class tokens.

    ``s-<state>``: the state's look; ``b<k>``: a stepped function of derivative order k
    (its border in the order's colour); ``o<k>``: a node of a recorded grad graph, drawn
    in its order's colours; ``summary``: the node standing for what is not drawn;
    ``trouble``: NaN or infinity in its value or grad (a vermillion border, at least 3 px).
    """
    tokens = tuple(tokens)
    fill, stroke, width, dash = ORDER_FILLS[0], INK, 1.0, "solid"
    for token in tokens:
        state = BY_KEY.get(token[2:]) if token.startswith("s-") else None
        if state is not None and state.kind != "edge":
            fill, stroke, width, dash = state.fill, state.stroke, state.penwidth, state.dash
    for token in tokens:
        if len(token) == 2 and token[1].isdigit() and token[0] == "b":
            stroke = order_border(int(token[1]))
        elif len(token) == 2 and token[1].isdigit() and token[0] == "o":
            order = int(token[1])
            fill, stroke, dash = order_fill(order), order_border(order), "solid"
            width = 1.0 if order == 0 else 2.0
    if "summary" in tokens:
        fill, stroke, dash = SUMMARY_FILL, SUMMARY_STROKE, "dashed"
    if "trouble" in tokens:
        stroke, width = TROUBLE_BORDER, max(width, 3.0)
    return Paint(fill, stroke, width, dash)


def node_token_sets() -> list[tuple[str, ...]]:
    """Every combination of paint tokens a frame can give a node (the CSS covers each)."""
    out: list[tuple[str, ...]] = []
    for flags in ((), ("trouble",)):
        for s in FUNCTION_STATES:
            for order in (None, 1, 2, 3):
                out.append((s.css_class, *((f"b{order}",) if order else ()), *flags))
        for s in (*VARIABLE_STATES, CONSTANT):
            out.append((s.css_class, *flags))
        for order in ORDER_FILLS:
            out.append((f"o{order}", *flags))
    out.append(("summary",))
    return out


def css() -> str:
    """The player's CSS for every state: a rule per combination of tokens, each the whole
    look paint() gives it (more classes, higher specificity: the right rule wins)."""
    base = paint(())
    rules = [f".ag-node>.shape{{fill:{base.fill};stroke:{base.stroke};"
             f"stroke-width:{base.width:g}px}}"]  # a node with no state (a chain of ops)
    for tokens in node_token_sets():
        p = paint(tokens)
        selector = ".ag-node." + ".".join(tokens) + ">.shape"
        rules.append(f"{selector}{{fill:{p.fill};stroke:{p.stroke};stroke-width:{p.width:g}px;"
                     f"stroke-dasharray:{p.dasharray or 'none'}}}")
    for s in EDGE_STATES:
        rules.append(f".ag-edge.{s.css_class}>path{{stroke:{s.stroke};"
                     f"stroke-width:{s.penwidth:g}px}}"
                     f".ag-edge.{s.css_class}>polygon{{fill:{s.stroke};stroke:{s.stroke}}}")
        if s is not EDGE_IDLE:  # the value or grad written on the edge, in its colour
            rules.append(f".agv-flow.{s.css_class}>rect{{stroke:{s.stroke}}}"
                         f".agv-flow.{s.css_class}>text{{fill:{s.stroke}}}")
    return "\n".join(rules)
