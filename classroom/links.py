"""A lesson as a link: the whole session (expression, values, options, step) in the URL.

The URL is written after every run, so "Copy link" gives exactly the view on screen
and the browser's back button walks back through it (Streamlit pushes a history entry
when the query string changes, and reruns with the old one on "back"). Everything read
from a URL is user text: it goes through the same parser and limits as typed text,
never carries code, and anything oversized or malformed gets a notice and the default
lesson instead.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import asdict, dataclass
from typing import Any

from exprlang import DEFAULT_LIMITS, ExpressionError, parse_value

from .lesson import parse
from .presets import BY_KEY, CUSTOM
from .state import DEFAULTS, MAX_NODES_CHOICES, value_key
from .training import TrainingError, TrainSpec, defaults_for, parse_hidden

MAX_VALUE_TEXT = 2000  # a value longer than this is not put in a link (or read from one)
MAX_PARAMS = 40
OPTIONS = {"lang": ("en", "ko"), "open_at": ("backward", "forward"),
           "rankdir": ("auto", "LR", "TB"), "page": ("lesson", "train")}
FLAGS = ("higher_order", "projector", "quiz", "torch_side")
# URL key -> session key (short, readable keys in the link)
KEYS = {"expr": "expr", "step": "step", "lang": "lang", "higher": "higher_order",
        "wrt": "wrt", "open": "open_at", "dir": "rankdir", "max": "max_nodes",
        "what_if": "pitfall", "quiz": "quiz", "projector": "projector", "example": "preset",
        "page": "page", "torch": "torch_side"}
# On the "Train a network" page the link is the run on screen: URL key -> TrainSpec field
TRAIN_KEYS = {"data": "dataset", "hidden": "hidden", "act": "activation", "opt": "optimizer",
              "lr": "lr", "points": "points"}
_TRAIN_PROBLEM = {"dataset": "data", "hidden_text": "hidden", "layers": "hidden",
                  "units": "hidden", "activation": "act", "optimizer": "opt", "lr": "lr",
                  "points": "points"}  # TrainingError key -> the URL key to name
VALUE_PREFIX = "v_"
OPENING = "opening"
KEPT = ("bench", "room", "teacher")  # not part of the view: left in the URL as they are


@dataclass(frozen=True)
class Restored:
    """What a link set, and what it could not (problem codes with the offending key)."""

    problems: tuple[tuple[str, str], ...] = ()


def _baseline(example: str | None) -> dict[str, Any]:
    """What a new session's options are once ``example`` is opened: the example's own
    (Newton's opens with the gradient graph) over the session's defaults."""
    preset = BY_KEY.get(example) if example is not None else None
    return DEFAULTS if preset is None else {**DEFAULTS, "higher_order": preset.higher_order}


def encode(state: Mapping[str, Any], names: list[str],
           opening: int | None = None) -> dict[str, str]:
    """The query parameters describing this session's view, only what differs from a new
    session (an unchanged example is named, not spelled out, and its own options left out;
    the input a second derivative is taken with respect to only when it is not the first;
    the step only when it is not ``opening``, where the lesson opens), so links stay short
    and the link a page was opened with is the one it keeps (no second history entry).
    On the training page: the page, the language and the settings of the run on screen."""
    if state.get("page") == "train":
        out = {"page": "train"}
        if state.get("lang") != DEFAULTS["lang"]:
            out["lang"] = str(state.get("lang"))
        run = state.get("train_run")
        return out | (_encode_training(run["spec"]) if isinstance(run, Mapping) else {})
    values = state.get("values", {})
    out: dict[str, str] = {}
    preset = BY_KEY.get(state.get("preset"))
    exact_example = (preset is not None and state.get("expr") == preset.text
                     and all(values.get(n) == preset.values.get(n) for n in names))
    if exact_example:
        if preset.key != DEFAULTS["preset"]:
            out["example"] = preset.key
    else:
        out["expr"] = str(state.get("expr", ""))
        out.update({VALUE_PREFIX + n: str(values.get(n, "")) for n in names
                    if len(str(values.get(n, ""))) <= MAX_VALUE_TEXT})
    baseline = _baseline(preset.key if exact_example else None)
    for url_key, key in KEYS.items():
        if key in ("expr", "preset"):
            continue
        value = state.get(key)
        if key == "step" and value == opening:
            continue
        if key == "wrt" and names and value == names[0]:
            continue  # the one chosen by itself (classroom.state.choose_wrt)
        if value is not None and value != baseline.get(key):
            out[url_key] = _text(value)
    return out


def _train_text(field: str, value: Any) -> str:
    return ", ".join(str(n) for n in value) if field == "hidden" else str(value)


def _encode_training(spec: Mapping[str, Any]) -> dict[str, str]:
    """A run's settings, each left out when it is what its dataset starts from."""
    default = {**asdict(defaults_for(spec["dataset"])), "dataset": TrainSpec().dataset}
    return {url_key: _train_text(field, spec[field]) for url_key, field in TRAIN_KEYS.items()
            if _train_text(field, spec[field]) != _train_text(field, default[field])}


def _restore_training(state: MutableMapping[str, Any], params: Mapping[str, str],
                      problems: list[tuple[str, str]], complete: bool) -> None:
    """A link's run settings: checked together (as the page's "New run" checks them); if
    they hold, the page starts a run with them (``train_from_link``). ``complete``: an
    address the page wrote, where a setting left out is at its default."""
    given = {key: params[key] for key in TRAIN_KEYS if key in params}
    if not given and not (complete and params.get("page") == "train"):
        return
    if any(len(text) > 64 for text in given.values()):
        problems += [("bad_option", key) for key, text in given.items() if len(text) > 64]
        return
    fields = asdict(defaults_for(given.get("data", TrainSpec().dataset)))
    for url_key, text in given.items():
        field = TRAIN_KEYS[url_key]
        try:
            fields[field] = (parse_hidden(text) if field == "hidden" else float(text)
                             if field == "lr" else int(text) if field == "points" else text)
        except ValueError:  # TrainingError is one
            problems.append(("bad_option", url_key))
            return
    try:
        spec = TrainSpec(**fields).check()
    except TrainingError as error:
        problems.append(("bad_option", _TRAIN_PROBLEM.get(error.key, ", ".join(given))))
        return
    run = state.get("train_run")
    if isinstance(run, Mapping) and _encode_training(run["spec"]) == _encode_training(asdict(spec)):
        return  # the run on screen already has these settings
    state.update(train_dataset=spec.dataset, train_hidden=_train_text("hidden", spec.hidden),
                 train_activation=spec.activation, train_optimizer=spec.optimizer,
                 train_lr=spec.lr, train_points=spec.points, train_from_link=True)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def restore(state: MutableMapping[str, Any], params: Mapping[str, str],
            complete: bool = False) -> Restored:
    """Set the session from a link's ``params`` (what :func:`encode` wrote, or anything a
    user typed into the address bar). Whatever is wrong is skipped and reported; a
    lesson that cannot be read leaves the default one. ``complete``: the address is one
    this session's page wrote ("back"/"forward"), so an option it leaves out is at its
    default (a link opened in a new tab keeps its example's own options instead)."""
    from .state import load_preset

    if len(params) > MAX_PARAMS:
        return Restored((("too_many", str(len(params))),))
    problems: list[tuple[str, str]] = []
    _restore_training(state, params, problems, complete)
    example = params.get("example")
    if example is not None:
        if example in BY_KEY:
            state["preset"] = example
            load_preset(state)
        else:
            problems.append(("bad_option", "example"))
    expr = params.get("expr")
    if expr is not None:
        if len(expr) > DEFAULT_LIMITS.max_length:
            problems.append(("too_long", "expr"))
        else:
            try:
                parse(expr)
            except ExpressionError:
                problems.append(("bad_expression", "expr"))
            else:
                state["expr"] = expr
                state["preset"] = CUSTOM
    values = dict(state.get("values", {}))
    for key, text in params.items():
        if not key.startswith(VALUE_PREFIX):
            continue
        name = key[len(VALUE_PREFIX):]
        if (not name.isidentifier() or name.startswith("_") or not name.isascii()
                or len(name) > DEFAULT_LIMITS.max_name_length):  # as the parser's names
            problems.append(("bad_name", key[:40]))
        elif len(text) > MAX_VALUE_TEXT:
            problems.append(("too_long", key[:40]))
        else:
            try:
                parse_value(text)
            except ExpressionError:
                problems.append(("bad_value", key[:40]))
                continue
            values[name] = text
            state[value_key(name)] = text
    state["values"] = values
    if "step" not in params:
        state["link_step"] = OPENING  # no step in a link: where the lesson opens
    # what encode writes for that page, each left out when at its default
    written = ("lang", "page") if params.get("page") == "train" else tuple(KEYS)
    baseline = _baseline(example if expr is None else None)
    for url_key, key in KEYS.items():
        if key in ("expr", "preset"):
            continue
        if url_key not in params:
            if complete and key != "step" and url_key in written:
                state[key] = baseline[key]
            continue
        value = _read(key, params[url_key])
        if value is _BAD:
            problems.append(("bad_option", url_key[:40]))
        elif key == "step":
            state["link_step"] = value  # applied once the lesson is known (see the app)
        else:
            state[key] = value
    return Restored(tuple(problems))


def sync_from_url(state: MutableMapping[str, Any], params: Mapping[str, str],
                  navigation: bool) -> Restored:
    """At the start of a run: take the view from the URL when a link was opened (the
    session's first run) or "back"/"forward" was pressed (``navigation``) and it is not
    the view on screen. Any other run keeps the session's own view: a widget's rerun can
    carry the address from before this session's last update of it."""
    params = {k: v for k, v in dict(params).items() if k not in KEPT}
    first = state.get("url_written") is None
    if not (first or navigation) or params == {
            k: v for k, v in (state.get("url_written") or {}).items() if k not in KEPT}:
        return Restored()
    state["url_written"] = params
    if not params and not first:  # "back" to the bare address: a new session's view
        return restore(state, {"example": str(DEFAULTS["preset"])}, complete=True)
    return restore(state, params, complete=not first) if params else Restored()


def write_url(state: MutableMapping[str, Any], names: list[str], query: Any,
              opening: int | None = None) -> None:
    """At the end of a run: put this view in the URL (a history entry when it changed)."""
    wanted = encode(state, names, opening)
    wanted.update({k: str(query[k]) for k in KEPT if k in query})
    if wanted != dict(query):
        query.from_dict(wanted)
    state["url_written"] = wanted


_BAD = object()


def _read(key: str, text: str) -> Any:
    if len(text) > 64:
        return _BAD
    if key in FLAGS:
        return {"1": True, "0": False}.get(text, _BAD)
    if key in OPTIONS:
        return text if text in OPTIONS[key] else _BAD
    if key == "step":
        return int(text) if text.isdigit() and int(text) < 100_000 else _BAD
    if key == "max_nodes":
        return int(text) if text.isdigit() and int(text) in MAX_NODES_CHOICES else _BAD
    if key == "pitfall":
        from viz.model.pitfalls import PITFALLS

        return text if text in PITFALLS or text == "none" else _BAD
    if key == "wrt":
        return text if text.isidentifier() and len(text) <= 32 else _BAD
    return _BAD
