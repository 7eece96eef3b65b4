"""Placeholder until this theme's issue lands."""
import streamlit as st

from lib import ui
from lib.texts_nl import t

ui.page_start()
st.title(t("nav.co2"))
ui.placeholder("placeholder.co2")
