"""The "Train a network" page: settings, Step, Train/Pause, live charts, scrubbing back.

The session keeps the run as plain data (``train_run``: a
:class:`classroom.training.Trainer`'s record), rebuilt into a model wherever a page needs
one (:func:`run_of`); it and the settings change in callbacks. While
training, one fragment reruns every ``TICK_S`` seconds: it trains for a slice of
that time and redraws only the charts, so the page stays responsive to Pause.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from classroom import downloads, links, player, training
from classroom import state as ui
from classroom.i18n import LANGUAGES, t
from classroom.pages import copy_link
from classroom.pages.components import mount
from classroom.pages.shared import page_picker, tell_link_problems
from classroom.state import reported_step
from classroom.view import page_css
from viz.model.explain import SMALL, value_text

TICK_S = 0.07    # the live charts redraw every 70 ms: 10+ times a second with the browser's share
WORK_S = 0.03    # of which at most this long trains
PLAYER_KEY = "train_player"
HISTOGRAM_BINS = 16

DEFAULTS: dict[str, Any] = {
    "train_dataset": "sin", "train_hidden": "10", "train_activation": "sigmoid",
    "train_optimizer": "SGD", "train_lr": 0.2, "train_points": 100,
    "training": False,         # Train is running (the live fragment ticks)
    "train_error": None,       # why the settings could not start a run: (key, params)
    "train_look": None,        # the iteration scrubbed back to (None: the latest)
    "train_stepped": None,     # the iteration a detailed Step just took (its update is shown)
    "train_frame": None,       # the frame the iteration's player shows
}


def init(ss: Any) -> None:
    for key, value in DEFAULTS.items():
        ss.setdefault(key, value)
    if ss.pop("train_from_link", False):  # a link's settings (checked): the run they describe
        new_run(ss)
    if "train_run" not in ss:
        ss.train_run = training.Trainer(training.TrainSpec()).record


def run_of(ss: Any) -> training.Trainer:
    """The session's run, ready to train and to show."""
    return training.Trainer.resume(ss.train_run)


# --- callbacks: the only places the run changes ---------------------------------------------
def new_run(ss: Any) -> None:
    """A new run from the sidebar's settings (the old one stays when they are out of bounds)."""
    try:
        spec = training.TrainSpec(
            dataset=ss.train_dataset, hidden=training.parse_hidden(ss.train_hidden),
            activation=ss.train_activation, optimizer=ss.train_optimizer,
            lr=float(ss.train_lr), points=int(ss.train_points)).check()
    except training.TrainingError as error:
        ss.train_error = (error.key, error.params)
        return
    ss.train_run = training.Trainer(spec).record
    ss.train_error = ss.train_look = ss.train_stepped = ss.train_frame = None
    ss.training = False


def dataset_picked(ss: Any) -> None:
    """on_change of the dataset: its own starting optimizer and rate (the RNN's Adam), unless
    the student chose others."""
    starting = {(d.optimizer, d.lr) for d in map(training.defaults_for, training.DATASETS)}
    if (ss.train_optimizer, float(ss.train_lr)) in starting:
        start = training.defaults_for(ss.train_dataset)
        ss.train_optimizer, ss.train_lr = start.optimizer, start.lr


def step_once(ss: Any) -> None:
    """One iteration in detail: the graph that computed its grads, then the update."""
    ss.training = False
    trainer = run_of(ss)
    iteration = trainer.iteration
    ss.train_look = ss.train_frame = None
    if trainer.step() is not None:
        ss.train_stepped = iteration


def start(ss: Any) -> None:
    ss.training = run_of(ss).stopped is None
    ss.train_look = ss.train_stepped = ss.train_frame = None


def pause(ss: Any) -> None:
    ss.training = False


def player_stepped(ss: Any) -> None:
    """on_step_change of the iteration's player: the frame the student stepped to."""
    frame = reported_step(ss, PLAYER_KEY)  # [frame, sequence number]: the frame alone
    if frame is not None:
        ss.train_frame = frame
        player.browser_stepped(ss, PLAYER_KEY, frame)


# --- charts: Vega-Lite specs as plain dicts, their data as named datasets -------------------
# Plain dicts: Altair's per-call schema validation cost 120-150 ms a chart, more than a tick.
# Named datasets (sent as Arrow): while the spec stays the same, the browser swaps the data
# into the chart it has instead of embedding a new one, which is what keeps 10 updates a second.
def _frame(**columns: Any) -> pd.DataFrame:
    return pd.DataFrame({name: np.asarray(values) for name, values in columns.items()})


def loss_chart(trainer: training.Trainer, lang: str, look: int | None = None) -> dict:
    it, loss = training.loss_series(trainer.losses)
    layers: list[dict[str, Any]] = [{
        "data": {"name": "loss"},
        "mark": {"type": "line"},
        "encoding": {
            "x": {"field": "iteration", "type": "quantitative",
                  "title": t("train_iteration", lang),
                  "axis": {"format": ",d", "tickMinStep": 1}},
            "y": {"field": "loss", "type": "quantitative", "scale": {"type": "log"},
                  "title": t("train_loss_chart", lang)}}}]
    datasets = {"loss": _frame(iteration=it, loss=loss)}
    if look is not None and trainer.losses:
        datasets["look"] = _frame(iteration=[look])
        layers.append({"data": {"name": "look"}, "mark": {"type": "rule", "color": "#D33"},
                       "encoding": {"x": {"field": "iteration", "type": "quantitative"}}})
    return {"height": 260, "layer": layers, "datasets": datasets}


# The decision boundary's legends go under it: on the right, a half-width column cut them off
_BELOW = {"orient": "bottom", "direction": "horizontal"}


def fit_chart(view: training.Trainer, lang: str) -> dict:
    fit = view.fit()
    xy = {"x": {"field": "x", "type": "quantitative", "scale": {"zero": False}},
          "y": {"field": "y", "type": "quantitative", "scale": {"zero": False}}}
    if not view.spec.classification:  # a series: each next value over its index
        along = np.arange(len(view.x)) if view.spec.recurrent else view.x[:, 0]
        return {"height": 300, "datasets": {
                    "data": _frame(x=along, y=view.t[:, 0]),
                    "fit": _frame(x=fit["x"], y=fit["y"])},
                "layer": [
                    {"data": {"name": "data"}, "encoding": xy,
                     "mark": {"type": "circle", "size": 24, "opacity": 0.6}},
                    {"data": {"name": "fit"}, "encoding": xy,
                     "mark": {"type": "line", "color": "#D33", "strokeWidth": 3}}]}
    return {"height": 300, "resolve": {"scale": {"color": "independent"}}, "datasets": {
                "fit": _frame(x=fit["x"], y=fit["y"], p=fit["p"]),
                "data": _frame(x=view.x[:, 0], y=view.x[:, 1], label=view.t)},
            "layer": [
                {"data": {"name": "fit"}, "mark": {"type": "square", "size": 90, "opacity": 0.5},
                 "encoding": {**xy, "color": {
                     "field": "p", "type": "quantitative", "title": "P(1)",
                     "scale": {"domain": [0, 1], "scheme": "redblue"}, "legend": _BELOW}}},
                {"data": {"name": "data"},
                 "mark": {"type": "circle", "size": 30, "stroke": "black", "strokeWidth": 0.5,
                          "opacity": 1},
                 "encoding": {**xy, "color": {"field": "label", "type": "nominal", "title": None,
                                              "scale": {"range": ["#B2182B", "#2166AC"]},
                                              "legend": _BELOW}}}]}


def layers_chart(view: training.Trainer, grads: dict[str, np.ndarray], lang: str) -> dict:
    """Each parameter's weights and grads as one histogram row each (16 bins between the row's
    min and max, the share of elements as colour): one view, so it redraws in a few ms where
    a facet of bar charts took most of a tick."""
    columns: dict[str, list[Any]] = {"row": [], "bin": [], "share": [], "range": []}
    rows = []
    for p in view.params:
        for kind, values in (("weight", p.data), ("grad", grads.get(p.name))):
            # every row from the start, data or not: the spec (and the chart's height) stays
            # the same when the first grads arrive, so the browser only swaps the data
            row = f"{p.name} {t(f'train_kind_{kind}', lang)}"
            rows.append(row)
            if values is None:
                continue
            centres, counts = training.histogram(values, bins=HISTOGRAM_BINS)
            if not len(counts):
                continue
            half = (centres[1] - centres[0]) / 2 if len(centres) > 1 else 0.0
            columns["row"] += [row] * len(counts)
            columns["bin"] += list(range(len(counts)))
            columns["share"] += (counts / counts.sum()).round(4).tolist()
            columns["range"] += [f"{c - half:.3g} … {c + half:.3g}" for c in centres]
    return {"height": 40 + 24 * max(1, len(rows)), "data": {"name": "bins"},
            "datasets": {"bins": pd.DataFrame(columns)},
            "mark": {"type": "rect"},
            "encoding": {
                "x": {"field": "bin", "type": "ordinal", "title": t("train_value", lang),
                      "axis": {"labels": False, "ticks": False}},
                "y": {"field": "row", "type": "nominal", "title": None, "sort": rows,
                      "scale": {"domain": rows}, "axis": {"labelOverlap": False}},
                "color": {"field": "share", "type": "quantitative", "title": None,
                          "scale": {"scheme": "blues", "domain": [0, 1]}},
                "tooltip": [{"field": "row", "type": "nominal"},
                            {"field": "range", "type": "nominal"},
                            {"field": "share", "type": "quantitative", "format": ".0%"}]}}


def status(trainer: training.Trainer, lang: str) -> str:
    loss, accuracy = trainer.scores()  # one forward pass for both, every tick
    text = t("train_status", lang, iteration=trainer.iteration, loss=f"{loss:.6g}")
    return text + (t("train_accuracy", lang, accuracy=accuracy) if accuracy is not None else "")


# --- the page ---------------------------------------------------------------------------------
def sidebar(ss: Any, lang: str) -> None:
    st.markdown(f"##### {t('train_settings', lang)}")
    st.selectbox(t("train_dataset", lang), training.DATASETS, key="train_dataset",
                 format_func=lambda d: t(f"dataset_{d}", lang), on_change=dataset_picked,
                 args=(ss,))
    st.text_input(t("train_hidden", lang), key="train_hidden", max_chars=40,
                  help=t("train_hidden_help", lang, layers=training.MAX_LAYERS,
                         units=training.MAX_UNITS))
    recurrent = ss.train_dataset == training.RECURRENT  # the RNN's own tanh
    st.selectbox(t("train_activation", lang), list(training.ACTIVATIONS), key="train_activation",
                 disabled=recurrent, help=t("train_activation_rnn", lang) if recurrent else None)
    st.selectbox(t("train_optimizer", lang), list(training.OPTIMIZERS), key="train_optimizer")
    low, high = training.LR_RANGE
    # no min/max here: the browser would silently refuse 100 and "New run" use the old rate;
    # the run's own check names the range instead
    st.number_input(t("train_lr", lang), key="train_lr", format="%.5g", step=0.01,
                    help=t("train_lr_help", lang, low=low, high=high))
    st.slider(t("train_points", lang), training.MIN_POINTS, training.MAX_POINTS,
              key="train_points", step=10)
    st.button(t("train_new", lang), key="btn_train_new", type="primary", width="stretch",
              on_click=new_run, args=(ss,))
    if ss.train_error:
        key, params = ss.train_error
        st.error(t(f"train_error_{key}", lang, **params))
    copy_link.mount(t("copy_link", lang), t("copied", lang))  # this page and the run's settings


def live(ss: Any, lang: str) -> None:
    """Status and charts; while training, first a slice of training."""
    trainer = run_of(ss)
    if ss.training:
        trainer.run(training.MAX_ITERATIONS, seconds=WORK_S)
        if trainer.stopped is not None:
            ss.training = False
            st.rerun()  # the whole page: buttons and the reason it stopped
    st.markdown(f"**{status(trainer, lang)}**")
    left, right = st.columns(2)
    left.vega_lite_chart(loss_chart(trainer, lang), width="stretch")
    right.vega_lite_chart(fit_chart(trainer, lang), width="stretch")
    st.markdown(f"##### {t('train_layers_chart', lang)}")
    grads = {u.name: u.grad for u in trainer.last_updates}
    st.vega_lite_chart(layers_chart(trainer, grads, lang))


def ticking(ss: Any, lang: str) -> None:
    """The live status and charts while training (a fragment rerun every TICK_S)."""
    live(ss, lang)


def still(ss: Any, lang: str) -> None:
    """The status and charts of a paused run (a fragment that does not tick)."""
    live(ss, lang)


def show(ss: Any) -> None:
    """The whole training page (app.py has set the page up and read the link)."""
    lang = ss.lang
    ui.graph_first(ss, drawable=False)  # drawn whole: a later lesson's graph has no wait
    # the lesson page's margins and sidebar width: switching pages moves nothing
    st.html(page_css(projector=ss.projector))
    init(ss)
    with st.sidebar:
        page_picker(ss)
        st.radio(t("language", lang), list(LANGUAGES), key="lang", horizontal=True,
                 format_func=LANGUAGES.get)
        sidebar(ss, lang)
    tell_link_problems(ss)
    show_run(ss, lang)
    links.write_url(ss, [], st.query_params)  # the run on screen: "Copy link" gives it


def show_run(ss: Any, lang: str) -> None:
    """The buttons, the live status and charts, and (paused) the look back."""
    st.title(t("train_title", lang), anchor=False)
    trainer = run_of(ss)
    buttons = st.columns(3)
    buttons[0].button(t("train_step", lang), key="btn_train_step", width="stretch",
                      on_click=step_once, args=(ss,), disabled=trainer.stopped is not None)
    if ss.training:
        buttons[1].button(t("train_pause", lang), key="btn_train_pause", type="primary",
                          width="stretch", on_click=pause, args=(ss,))
    else:
        buttons[1].button(t("train_start", lang), key="btn_train_start", type="primary",
                          width="stretch", on_click=start, args=(ss,),
                          disabled=trainer.stopped is not None)
    # Why a run stopped has a place of its own, there whether or not it stopped, and the
    # status and charts a fragment in the same place whether they tick or not: a tick still
    # on its way when a run stops (or is paused) then redraws that place, the same charts,
    # never the message's (it did: the message gone and the charts twice, 1 of 5 stops
    # under load). Two fragments, not one: the paused one has no timer left to run.
    why_stopped = st.container()
    if trainer.stopped is not None:
        why_stopped.error(t(f"train_stopped_{trainer.stopped.key}", lang,
                            **trainer.stopped.params))
    if ss.training:
        st.fragment(ticking, run_every=TICK_S)(ss, lang)
        return
    st.fragment(still)(ss, lang)
    look_back(ss, trainer, lang)


def look_back(ss: Any, trainer: training.Trainer, lang: str) -> None:
    """Scrub back through the recorded iterations: that iteration's fit, grads, graph."""
    recorded = trainer.recorded()
    if ss.train_stepped is not None:
        look = ss.train_stepped
    else:
        look = ss.train_look if ss.train_look in recorded else recorded[-1]
    if len(recorded) > 1:
        ss.train_look_slider = look if look in recorded else recorded[-1]
        st.select_slider(t("train_scrub", lang), recorded, key="train_look_slider",
                         help=t("train_scrub_help", lang, n=len(recorded)),
                         on_change=_scrubbed, args=(ss,))
    view = trainer.at(look)
    if look != trainer.iteration and ss.train_stepped is None:  # scrubbed back: that iteration
        st.markdown(f"**{status(view, lang)}**")
        left, right = st.columns(2)
        left.vega_lite_chart(loss_chart(trainer, lang, look), width="stretch")
        right.vega_lite_chart(fit_chart(view, lang), width="stretch")
        st.vega_lite_chart(layers_chart(view, view.grads(), lang))
    st.markdown(f"##### {t('train_show_graph', lang)}")
    if trainer.spec.recurrent:  # where truncated BPTT cut the graph
        st.caption(t("train_rnn_cut", lang, length=training.BPTT_LENGTH))
    lesson = training.iteration_lesson(trainer, look)
    opts = downloads.FrameOptions(lang=lang)
    scene = opts.scene(lesson)
    frame = ss.train_frame if ss.train_frame is not None else scene.start
    frame = max(0, min(int(frame), scene.n_frames - 1))
    mount(player.player_data(scene, frame, None, False, state=ss, key=PLAYER_KEY),
                 key=PLAYER_KEY, state=ss,
                 on_step=partial(player_stepped, ss), on_selected=lambda: None)
    if ss.train_stepped is not None:
        update_table(ss.train_stepped, trainer, lang)
    show_downloads(trainer, lesson, opts, lang)


def _scrubbed(ss: Any) -> None:
    ss.train_look = ss.train_look_slider
    ss.train_stepped = ss.train_frame = None


def update_table(iteration: int, trainer: training.Trainer, lang: str) -> None:
    """What the optimizer did to each parameter in the step just taken: a small array
    whole; a bigger one as its range, then its element with the largest grad in full
    precision, so that the rule in the caption can be checked on one weight."""
    st.markdown(f"##### {t('train_update', lang, iteration=iteration)}")
    st.caption(t(f"train_update_rule_{trainer.spec.optimizer}", lang, lr=trainer.spec.lr))
    rows = [t("train_update_cols", lang), "|---|---|---|---|---|"]
    for u in trainer.last_updates:
        rows.append(_row([u.name, str(u.old.shape)]
                         + [value_text(v, lang) for v in (u.old, u.grad, u.new)]))
        if u.old.size > SMALL:  # value_text gave its range, not its values
            at = np.unravel_index(int(np.argmax(np.abs(u.grad))), u.old.shape)
            rows.append(_row([f"{u.name}[{', '.join(str(int(i)) for i in at)}]",
                              t("train_update_element", lang)]
                             + [f"{float(v[at]):.8g}" for v in (u.old, u.grad, u.new)]))
    st.markdown("\n".join(rows))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def show_downloads(trainer: training.Trainer, lesson: Any, opts: Any, lang: str) -> None:
    st.markdown(f"##### {t('downloads', lang)}")
    cols = st.columns(3)
    stem = f"train_{trainer.spec.dataset}_{trainer.spec.key}"
    cols[0].download_button(t("train_dl_loss", lang), partial(loss_png, trainer, lang),
                            file_name=f"{stem}_loss.png", mime="image/png", key="dl_train_loss",
                            on_click="ignore", width="stretch",
                            disabled=not trainer.losses)
    cols[1].download_button(t("train_dl_html", lang), partial(downloads.pass_html, lesson, opts),
                            file_name=f"{stem}_iteration.html", mime="text/html",
                            key="dl_train_html", on_click="ignore", width="stretch")
    cols[2].download_button(t("train_dl_gif", lang), partial(downloads.pass_gif, lesson, opts),
                            file_name=f"{stem}_iteration.gif", mime="image/gif",
                            key="dl_train_gif", on_click="ignore", width="stretch")


def loss_png(trainer: training.Trainer, lang: str) -> bytes:
    """The loss curve as a PNG (Vega-Lite rendered by vl-convert, no browser needed)."""
    import vl_convert

    spec = loss_chart(trainer, lang)
    datasets = {name: frame.to_dict(orient="records")
                for name, frame in spec.pop("datasets").items()}
    spec.update(width=640, height=320, datasets=datasets,
                **{"$schema": "https://vega.github.io/schema/vega-lite/v5.json"})
    return vl_convert.vegalite_to_png(spec, scale=2)
