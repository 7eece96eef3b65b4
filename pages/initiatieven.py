"""Placeholder until this theme's issue lands."""
import streamlit as st

from lib import ui
from lib.texts_nl import t

ui.page_start()
st.title(t("nav.initiatieven"))
ui.placeholder("placeholder.initiatieven")
