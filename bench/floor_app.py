"""The smallest Streamlit page: the floor of "page load -> first element" (bench_app)."""

import streamlit as st

st.title("floor")
