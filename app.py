"""Entry point and router of "Gemeenten in coronatijd".

    streamlit run app.py
"""
import streamlit as st

from lib.texts_nl import t

st.set_page_config(page_title=t("app.titel"), page_icon="🏛️", layout="wide")

PAGES = [
    st.Page("pages/overzicht.py", title=t("nav.overzicht"), icon=":material/map:", url_path="overzicht", default=True),
    st.Page("pages/werkloosheid.py", title=t("nav.werkloosheid"), icon=":material/trending_up:", url_path="werkloosheid"),
    st.Page("pages/mkb.py", title=t("nav.mkb"), icon=":material/storefront:", url_path="mkb"),
    st.Page("pages/initiatieven.py", title=t("nav.initiatieven"), icon=":material/volunteer_activism:", url_path="initiatieven"),
    st.Page("pages/woonwerk_co2.py", title=t("nav.co2"), icon=":material/co2:", url_path="woonwerk-co2"),
    st.Page("pages/bronnen.py", title=t("nav.bronnen"), icon=":material/menu_book:", url_path="bronnen"),
]

# Each page starts with ui.page_start(), which draws the shared sidebar (gemeente picker).
st.navigation(PAGES).run()
