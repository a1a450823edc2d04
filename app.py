"""Watch backpropagation, step by step — a classroom app.

    streamlit run app.py

Type an expression (or pick an example from the book), see its graph, then
step the backward pass one generation at a time. All logic lives in the
`classroom`, `viz`, `exprlang` and `autograd_core` packages; this file only
describes the page. State is plain data in st.session_state, changed by
callbacks.
"""

from __future__ import annotations

import streamlit as st

from classroom import state as ui
from classroom.i18n import t
from classroom.lesson import Lesson, input_names
from classroom.presets import PRESETS
from classroom.view import graph_html, legend_html, page_css
from exprlang import ExpressionError

st.set_page_config(page_title="autograd-viz", page_icon="∂", layout="wide")
ss = st.session_state
ui.init(ss)
lang = ss.lang
st.markdown(page_css(projector=ss.projector), unsafe_allow_html=True)

# --- sidebar: language, examples, options ---------------------------------------------
with st.sidebar:
    st.radio(t("language", lang), ["en", "ko"], key="lang", horizontal=True,
             format_func=lambda code: {"en": "English", "ko": "한국어"}[code])
    st.selectbox(t("preset", lang), [p.key for p in PRESETS], key="preset",
                 format_func=lambda key: next(p.title(lang) for p in PRESETS if p.key == key),
                 on_change=ui.load_preset, args=(ss,))
    st.toggle(t("higher", lang), key="higher_order", help=t("higher_help", lang),
              on_change=ui.restart, args=(ss,))
    st.toggle(t("projector", lang), key="projector")
    st.radio(t("rankdir", lang), ["LR", "TB"], key="rankdir", horizontal=True)
    with st.expander(t("walkthrough", lang)):
        st.markdown(t("walkthrough_text", lang))

st.title(t("title", lang))

# --- the expression and its values ------------------------------------------------------
left, right = st.columns([3, 2])
with left:
    st.text_area(t("expression", lang), key="expr", height=110, max_chars=2000,
                 on_change=ui.restart, args=(ss,))
names = input_names(ss.expr)
with right:
    st.markdown(f"**{t('values', lang)}**")
    for name in names:
        st.text_input(name, key=ui.value_key(name), value=None if ui.value_key(name) in ss
                      else "1.0", help=t("value_help", lang), on_change=ui.restart, args=(ss,))
    if ss.higher_order and names:
        st.selectbox(t("wrt", lang), names, key="wrt", on_change=ui.restart, args=(ss,))

# --- build (cached per session) ------------------------------------------------------------
bench = st.query_params.get("bench")  # ?bench=200 / ?bench=1000: a generated graph for timing
bench_nodes = int(bench) if bench in ("200", "1000") else None
key = (ss.expr, tuple(sorted(ui.values(ss, names).items())), ss.higher_order, ss.get("wrt"),
       bench_nodes)
if ss.get("_lesson_key") != key:
    try:
        if bench_nodes:
            ss._lesson = Lesson.synthetic(bench_nodes)
        else:
            ss._lesson = Lesson(ss.expr, ui.values(ss, names), higher_order=ss.higher_order,
                                wrt=ss.get("wrt"))
        ss._error = None
    except ExpressionError as exc:
        ss._lesson, ss._error = None, exc
    ss._lesson_key = key
lesson: Lesson | None = ss._lesson

if ss._error is not None:
    st.error(ss._error.message(lang))
    st.stop()
assert lesson is not None
st.caption(f"{t('understood', lang)}:")
st.code(lesson.canonical, language="python")
for trouble in lesson.troubles:
    line, col = trouble.position or (1, 1)
    st.warning(t("trouble", lang, op=trouble.op, kind=trouble.kind, line=line, col=col))
if lesson.notice():
    st.info(t("big_graph", lang, notice=lesson.notice()))
if lesson.n_steps == 0:
    st.info(t("nothing_upstream", lang))

# --- step controls ----------------------------------------------------------------------------
ss.n_steps = lesson.n_steps
ss.step = min(ss.step, lesson.n_steps)
buttons = st.columns(4)
buttons[0].button(t("reset", lang), key="btn_reset", on_click=ui.reset_steps, args=(ss,),
                  width="stretch")
buttons[1].button(t("prev", lang), key="btn_prev", on_click=ui.previous_step, args=(ss,),
                  disabled=ss.step == 0, width="stretch")
buttons[2].button(t("next", lang), key="btn_next", on_click=ui.next_step, args=(ss,),
                  disabled=ss.step >= lesson.n_steps, type="primary", width="stretch")
buttons[3].button(t("end", lang), key="btn_end", on_click=ui.run_to_end, args=(ss,),
                  disabled=ss.step >= lesson.n_steps, width="stretch")
if lesson.n_steps > 0:
    st.slider(t("slider", lang), 0, lesson.n_steps, key="step")
st.markdown(f"**{t('step_caption', lang, k=ss.step, n=lesson.n_steps)}** — "
            f"{lesson.replay.caption(ss.step, lang)}")

# --- the graph and the side panel -------------------------------------------------------------
theme = "projector" if ss.projector else "default"
graph_col, side_col = st.columns([4, 1])
svg = None
with graph_col:
    try:
        svg = lesson.frame_svg(ss.step, lang=lang, theme=theme, rankdir=ss.rankdir)
        st.markdown(graph_html(svg), unsafe_allow_html=True)
    except Exception as exc:  # a rendering failure must not take the page down
        st.error(t("render_failed", lang, detail=str(exc).splitlines()[0][:300]))
    st.markdown(legend_html(lang), unsafe_allow_html=True)
with side_col:
    st.markdown(f"**{t('queue', lang)}**")
    queue = lesson.queue(ss.step)
    st.markdown("\n".join(f"- `{name}` ({t('generation', lang)} {gen})" for name, gen in queue)
                or t("queue_empty", lang))
    choices = lesson.variable_choices()
    if ss.get("inspect") not in choices:
        ss.inspect = choices[0] if choices else None
    if choices:
        st.selectbox(t("selected", lang), choices, key="inspect",
                     format_func=lesson.variable_label)
        terms, total = lesson.contributions(ss.step, ss.inspect)
        st.markdown(f"**{t('grad_sum', lang)}**")
        if terms:
            st.markdown("\n".join(f"- `{fn}` → {text}" for fn, text in terms))
            st.markdown(f"= **{total}**")
        else:
            st.markdown(t("no_contrib", lang) if total is None else f"= **{total}**")

# --- leaf grads vs numerical differentiation -------------------------------------------------
st.subheader(t("leaf_table", lang))
final = ss.step >= lesson.n_steps
rows = [{t("col_var", lang): r.name, t("col_value", lang): r.value,
         t("col_grad", lang): r.grad_text if final else t("not_final", lang),
         t("col_num", lang): r.numerical_text,
         t("col_check", lang): t("skipped", lang) if r.ok is None
         else t("pass", lang) if r.ok else t("fail", lang)}
        for r in lesson.leaf_rows()]
st.dataframe(rows, hide_index=True, width="stretch")

# --- downloads ----------------------------------------------------------------------------------
st.subheader(t("downloads", lang))
step, opts = ss.step, {"lang": lang, "theme": theme, "rankdir": ss.rankdir}
d = st.columns(5)
d[0].download_button(t("dl_dot", lang), lesson.frame_dot(step, **opts),
                     file_name=f"step_{step:03d}.dot", mime="text/vnd.graphviz", key="dl_dot")
d[1].download_button(t("dl_svg", lang), svg or "",
                     file_name=f"step_{step:03d}.svg", mime="image/svg+xml", key="dl_svg")
d[2].download_button(t("dl_png", lang), lambda: lesson.frame_png(step, **opts),
                     file_name=f"step_{step:03d}.png", mime="image/png", key="dl_png")
d[3].download_button(t("dl_gif", lang), lambda: lesson.gif(**opts), file_name="backward.gif",
                     mime="image/gif", key="dl_gif")
d[4].download_button(t("dl_html", lang), lambda: lesson.html(**opts),
                     file_name="backward.html", mime="text/html", key="dl_html")
