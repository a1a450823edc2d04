"""The "Train a network" page: settings, Step, Train/Pause, live charts, scrubbing back.

The run itself is :class:`classroom.training.Trainer` (the session's own, kept in
``st.session_state``); the settings are plain data changed in callbacks. While
training, one fragment reruns every ``TICK_S`` seconds: it trains for a slice of
that time and redraws only the charts, so the page stays responsive to Pause.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import altair as alt
import numpy as np
import streamlit as st

from viz.explain import value_text

from . import downloads, player, training
from .i18n import t

TICK_S = 0.1     # the live charts redraw 10 times a second
WORK_S = 0.05    # of which at most this long trains
PLAYER_KEY = "train_player"

DEFAULTS: dict[str, Any] = {
    "train_dataset": "sin", "train_hidden": "10", "train_activation": "sigmoid",
    "train_optimizer": "SGD", "train_lr": 0.2, "train_points": 100,
    "training": False,         # Train is running (the live fragment ticks)
    "train_error": None,       # why the settings could not start a run: (key, params)
    "train_look": None,        # the iteration scrubbed back to (None: the latest)
    "train_updates": None,     # the last detailed step: iteration and each parameter's update
    "train_frame": None,       # the frame the iteration's player shows
}


def init(ss: Any) -> None:
    for key, value in DEFAULTS.items():
        ss.setdefault(key, value)
    if "trainer" not in ss:
        ss.trainer = training.Trainer(training.TrainSpec())


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
    ss.trainer = training.Trainer(spec)
    ss.train_error = ss.train_look = ss.train_updates = ss.train_frame = None
    ss.training = False


def step_once(ss: Any) -> None:
    """One iteration in detail: the graph that computed its grads, then the update."""
    ss.training = False
    trainer = ss.trainer
    iteration = trainer.iteration
    updates = trainer.step()
    ss.train_look = None
    ss.train_frame = None
    if updates is not None:
        ss.train_updates = {"iteration": iteration, "updates": updates}


def start(ss: Any) -> None:
    ss.training = ss.trainer.stopped is None
    ss.train_look = ss.train_updates = ss.train_frame = None


def pause(ss: Any) -> None:
    ss.training = False


def player_stepped(ss: Any) -> None:
    ss.train_frame = (ss.get(PLAYER_KEY) or {}).get("step")


# --- charts (Altair, which Streamlit ships with) ---------------------------------------------
def loss_chart(trainer: training.Trainer, lang: str, look: int | None = None) -> alt.Chart:
    it, loss = training.loss_series(trainer.losses)
    data = {"iteration": it.tolist(), "loss": loss.tolist()}
    x_title, y_title = t("train_iteration", lang), t("train_loss_chart", lang)
    chart = alt.Chart(alt.Data(values=[dict(zip(data, v, strict=True))
                                       for v in zip(*data.values(), strict=True)]))
    line = chart.mark_line().encode(
        x=alt.X("iteration:Q", title=x_title),
        y=alt.Y("loss:Q", title=y_title, scale=alt.Scale(type="log")))
    if look is None or not trainer.losses:
        return line.properties(height=260)
    rule = alt.Chart(alt.Data(values=[{"iteration": look}])).mark_rule(color="#D33").encode(
        x="iteration:Q")
    return (line + rule).properties(height=260)


def fit_chart(view: training.Trainer, lang: str) -> alt.Chart:
    fit = view.fit()
    if not view.spec.classification:
        points = [{"x": float(a), "y": float(b)} for a, b in zip(view.x[:, 0], view.t[:, 0],
                                                                  strict=True)]
        curve = [{"x": float(a), "y": float(b)} for a, b in zip(fit["x"], fit["y"], strict=True)]
        dots = alt.Chart(alt.Data(values=points)).mark_circle(size=24, opacity=0.6).encode(
            x="x:Q", y="y:Q")
        line = alt.Chart(alt.Data(values=curve)).mark_line(color="#D33", strokeWidth=3).encode(
            x="x:Q", y="y:Q")
        return (dots + line).properties(height=300)
    cells = [{"x": float(a), "y": float(b), "p": float(c)}
             for a, b, c in zip(fit["x"], fit["y"], fit["p"], strict=True)]
    points = [{"x": float(a), "y": float(b), "class": int(c)}
              for (a, b), c in zip(view.x, view.t, strict=True)]
    grid = alt.Chart(alt.Data(values=cells)).mark_square(size=60, opacity=0.5).encode(
        x=alt.X("x:Q", scale=alt.Scale(zero=False)), y=alt.Y("y:Q", scale=alt.Scale(zero=False)),
        color=alt.Color("p:Q", scale=alt.Scale(domain=[0, 1], scheme="redblue"),
                        title="P(1)"))
    dots = alt.Chart(alt.Data(values=points)).mark_circle(size=30, stroke="black",
                                                          strokeWidth=0.5).encode(
        x="x:Q", y="y:Q",
        color=alt.Color("class:N", scale=alt.Scale(range=["#B2182B", "#2166AC"])))
    return (grid + dots).resolve_scale(color="independent").properties(height=300)


def layers_chart(view: training.Trainer, grads: dict[str, np.ndarray], lang: str) -> alt.Chart:
    rows = []
    for p in view.params:
        for kind, values in (("weight", p.data), ("grad", grads.get(p.name))):
            if values is None:
                continue
            centres, counts = training.histogram(values)
            label = t(f"train_kind_{kind}", lang)
            rows += [{"param": p.name, "kind": label, "value": float(c), "count": int(n)}
                     for c, n in zip(centres, counts, strict=True)]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("value:Q", title=t("train_value", lang)),
        y=alt.Y("count:Q", title=t("train_count", lang)),
        color=alt.Color("kind:N", title=None),
    ).properties(height=90, width=220).facet(
        row=alt.Row("param:N", title=None), column=alt.Column("kind:N", title=None),
    ).resolve_scale(x="independent", y="independent")


def status(trainer: training.Trainer, lang: str) -> str:
    loss = trainer.losses[-1] if trainer.losses else float(trainer.loss().data)
    text = t("train_status", lang, iteration=trainer.iteration, loss=f"{loss:.6g}")
    accuracy = trainer.accuracy()
    return text + (t("train_accuracy", lang, accuracy=accuracy) if accuracy is not None else "")


# --- the page ---------------------------------------------------------------------------------
def sidebar(ss: Any, lang: str) -> None:
    st.markdown(f"##### {t('train_settings', lang)}")
    st.selectbox(t("train_dataset", lang), training.DATASETS, key="train_dataset",
                 format_func=lambda d: t(f"dataset_{d}", lang))
    st.text_input(t("train_hidden", lang), key="train_hidden", max_chars=40,
                  help=t("train_hidden_help", lang, layers=training.MAX_LAYERS,
                         units=training.MAX_UNITS))
    st.selectbox(t("train_activation", lang), list(training.ACTIVATIONS), key="train_activation")
    st.selectbox(t("train_optimizer", lang), list(training.OPTIMIZERS), key="train_optimizer")
    low, high = training.LR_RANGE
    st.number_input(t("train_lr", lang), min_value=low, max_value=high, key="train_lr",
                    format="%.5g", step=0.01)
    st.slider(t("train_points", lang), training.MIN_POINTS, training.MAX_POINTS,
              key="train_points", step=10)
    st.button(t("train_new", lang), key="btn_train_new", type="primary", width="stretch",
              on_click=new_run, args=(ss,))
    if ss.train_error:
        key, params = ss.train_error
        st.error(t(f"train_error_{key}", lang, **params))


def live(ss: Any, lang: str) -> None:
    """Status and charts; while training, first a slice of training."""
    trainer = ss.trainer
    if ss.training:
        trainer.run(training.MAX_ITERATIONS, seconds=WORK_S)
        if trainer.stopped is not None:
            ss.training = False
            st.rerun()  # the whole page: buttons and the reason it stopped
    st.markdown(f"**{status(trainer, lang)}**")
    left, right = st.columns(2)
    left.altair_chart(loss_chart(trainer, lang), width="stretch")
    right.altair_chart(fit_chart(trainer, lang), width="stretch")
    st.markdown(f"##### {t('train_layers_chart', lang)}")
    last = ss.train_updates
    grads = ({u.name: u.grad for u in last["updates"]} if last else {})
    st.altair_chart(layers_chart(trainer, grads, lang))


def show(ss: Any, lang: str) -> None:
    """The whole training page (the sidebar's page and language pickers are drawn by app.py)."""
    init(ss)
    with st.sidebar:
        sidebar(ss, lang)
    st.title(t("train_title", lang), anchor=False)
    trainer: training.Trainer = ss.trainer
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
    if trainer.stopped is not None:
        st.error(t(f"train_stopped_{trainer.stopped.key}", lang, **trainer.stopped.params))
    if ss.training:
        st.fragment(partial(live, ss, lang), run_every=TICK_S)()
        return
    live(ss, lang)
    look_back(ss, trainer, lang)


def look_back(ss: Any, trainer: training.Trainer, lang: str) -> None:
    """Scrub back through the recorded iterations: that iteration's fit, grads, graph."""
    recorded = trainer.recorded()
    if ss.train_updates:
        look = ss.train_updates["iteration"]
    else:
        look = ss.train_look if ss.train_look in recorded else recorded[-1]
    if len(recorded) > 1:
        ss.train_look_slider = look if look in recorded else recorded[-1]
        st.select_slider(t("train_scrub", lang), recorded, key="train_look_slider",
                         help=t("train_scrub_help", lang, n=len(recorded)),
                         on_change=lambda: _scrubbed(ss))
    view = trainer.at(look)
    if look != trainer.iteration:
        st.markdown(f"**{status(view, lang)}**")
        left, right = st.columns(2)
        left.altair_chart(loss_chart(trainer, lang, look), width="stretch")
        right.altair_chart(fit_chart(view, lang), width="stretch")
    st.markdown(f"##### {t('train_show_graph', lang)}")
    lesson = view.lesson()
    opts = downloads.FrameOptions(lang=lang)
    scene = opts.scene(lesson)
    frame = ss.train_frame if ss.train_frame is not None else scene.start
    frame = max(0, min(int(frame), scene.n_frames - 1))
    player.mount(player.player_data(scene, frame, None, False), key=PLAYER_KEY,
                 on_step=partial(player_stepped, ss), on_selected=lambda: None)
    if ss.train_updates:
        update_table(ss.train_updates, trainer, lang)
    show_downloads(trainer, lesson, opts, lang)


def _scrubbed(ss: Any) -> None:
    ss.train_look = ss.train_look_slider
    ss.train_updates = ss.train_frame = None


def update_table(record: dict[str, Any], trainer: training.Trainer, lang: str) -> None:
    st.markdown(f"##### {t('train_update', lang, iteration=record['iteration'])}")
    st.caption(t(f"train_update_rule_{trainer.spec.optimizer}", lang, lr=trainer.spec.lr))
    rows = [t("train_update_cols", lang), "|---|---|---|---|---|"]
    for u in record["updates"]:
        cells = [u.name, str(u.old.shape)] + [value_text(v, lang) for v in (u.old, u.grad,
                                                                            u.new)]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    st.markdown("\n".join(rows))


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

    chart = loss_chart(trainer, lang).properties(width=640, height=320)
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)
