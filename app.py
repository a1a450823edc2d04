"""Watch backpropagation, step by step: the classroom app.

    python -m streamlit run app.py

Two pages: a lesson (type an expression or pick one of the book's examples, see its graph,
step its backward pass alone, in a quiz or as a class) in ``classroom/pages/lesson.py``,
and a network learning live in ``classroom/pages/train.py``. The session is plain data in
``st.session_state`` changed by callbacks (``classroom.state``); what the pages show is
worked out in ``classroom``, ``viz``, ``exprlang`` and ``autograd_core``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from classroom import links, player, server
from classroom import state as ui
from classroom.pages import closed_sessions, lesson
from classroom.pages.components import history_navigation

st.set_page_config(page_title="autograd-viz", layout="wide",
                   page_icon=str(Path(__file__).with_name("classroom") / "favicon.png"))
server.tune()  # one process serves every session: its thread switching and collector
closed_sessions.install()  # a session whose tab is gone is shut down when Streamlit forgets it
ss = st.session_state
ui.init(ss)  # a new session's defaults
if player.page_run(ss) == 1:  # a new session: a phone gets the top-to-bottom graph at once
    ui.on_a_phone(ss, st.context.headers.get("User-Agent"))

# A link opened, or "back"/"forward": the view it describes (what it could not set is said)
from_link = links.sync_from_url(ss, st.query_params, navigation=history_navigation())
if from_link.problems:
    ss.link_problems = [key for _, key in from_link.problems]

if ss.page == "train":
    from classroom.pages import train  # (with pandas: a new server's first lesson is 0.4 s sooner)

    train.show(ss)
    # Stopped, not ended: a run that ends forgets the widgets it did not draw, and the
    # lesson page's options (the quiz, projector mode...) would be off on the way back
    st.stop()
lesson.show(ss)
