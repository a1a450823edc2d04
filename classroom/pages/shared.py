"""What both pages draw the same way: the page picker and what an opened link could not set."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from classroom import state as ui
from classroom.i18n import t
from classroom.view import literal


def page_picker(ss: Any) -> None:
    """Two pages: a lesson stepped by hand, and a network learning."""
    st.radio(t("page", ss.lang), ["lesson", "train"], key="page", horizontal=True,
             format_func=partial(ui.page_title, ss.lang))


def tell_link_problems(ss: Any) -> None:
    """What an opened link could not set: said until the whole page has been drawn once."""
    if ss.link_problems:
        st.info(t("link_problems", ss.lang, keys=literal(", ".join(ss.link_problems))))
        if not ss.graph_only:
            ss.link_problems = []
