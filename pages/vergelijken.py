"""Vergelijken: 2–6 gemeenten side by side, every theme's headline figures beside the Netherlands."""
import streamlit as st

from lib import charts, compare, indicators, ui
from lib.catalog import THEMES
from lib.texts_nl import indicator_label, t

KEY = "vgl_codes"  # widget key of the selection
URL = "vergelijk"  # ?vergelijk=GM0363,GM0599

code = ui.page_start()
names = ui.gemeenten_df().set_index("gemeente_code")["gemeente_naam"]

st.title(t("vgl.titel"))
ui.intro(t("vgl.intro"))

with ui.guard():
    raw = st.query_params.get(URL)
    if raw is not None and raw != st.session_state.get("_vgl_url"):  # a shared link
        selection = compare.parse(raw)
        st.session_state[KEY] = selection.codes
        for note in selection.notes:
            st.warning(note, icon="⚠️")
    elif KEY not in st.session_state:
        st.session_state[KEY] = compare.similar_set(code)
        st.session_state["_vgl_url"] = ",".join(st.session_state[KEY])  # the default needs no URL (nor history entry)

    def take(kind: str) -> None:
        st.session_state[KEY] = compare.similar_set(code) if kind == "vergelijkbaar" else compare.region_set(code)

    labels = ui.gemeente_names()
    st.multiselect(t("vgl.kies"), list(names.index), format_func=labels.__getitem__, key=KEY, max_selections=compare.MAX,
                   help=t("vgl.kies_hulp"), placeholder=t("sidebar.zoek"))
    b1, b2, _ = st.columns([1, 1, 2])
    b1.button(t("vgl.set.vergelijkbaar"), on_click=take, args=("vergelijkbaar",), key="vgl_set_vergelijkbaar",
              help=t("vgl.set_hulp"))
    b2.button(t("vgl.set.regio"), on_click=take, args=("regio",), key="vgl_set_regio", help=t("vgl.set_hulp"))
    codes = list(st.session_state[KEY])
    if ",".join(codes) != st.session_state.get("_vgl_url") or URL in st.query_params:
        st.query_params[URL] = ",".join(codes)  # a chosen selection travels in the link
        st.session_state["_vgl_url"] = ",".join(codes)

    if len(codes) < compare.MIN:
        st.info(t("vgl.te_weinig"))
    else:
        tab = compare.table(codes)
        st.subheader(t("vgl.tabel"))
        shown = compare.shown(tab, codes)
        chosen = names.get(code)
        styled = shown.style.set_properties(subset=[chosen], **{"background-color": "#deebf7", "font-weight": "bold"}) \
            if chosen in shown.columns else shown
        st.dataframe(styled, hide_index=True, width="stretch")
        st.caption(t("vgl.uitleg", naam=chosen))
        ui.csv_downloads(lambda: compare.download(tab, codes), "vergelijking_gemeenten", key="vgl_csv",
                         default_decimals=2, label=t("vgl.download"))
        for message in indicators.UNAVAILABLE.values():
            st.warning(message)

        st.subheader(t("vgl.grafieken"))
        for theme in THEMES:
            part = tab[tab["thema"] == theme]
            if part.empty:
                continue
            st.markdown(f"**{t('rapport.thema.' + theme)}**")
            cols = st.columns(2)
            for i, ind in enumerate(part["indicator"]):
                with cols[i % 2]:
                    st.caption(indicator_label(ind))
                    ui.chart(charts.comparison_bars, tuple(codes), ind, code)
        ui.source_caption(*(indicators.source_dataset(i, p) for i, p in zip(tab["indicator"], tab["periode"])))
ui.footer()
