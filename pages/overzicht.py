"""Overzicht: the national map of a chosen indicator and the profile of the selected gemeente."""
import streamlit as st

from lib import indicators, profile, ui
from lib.catalog import KAART, shown_in
from lib.texts_nl import fmt_indicator, fmt_number, indicator_label, t

MAP_INDICATORS = shown_in(KAART)  # the catalog says which indicators the overview map offers

code = ui.page_start()
names = ui.gemeenten_df().set_index("gemeente_code")
row = names.loc[code]

presenting = ui.presenting()
title = st.empty()  # in presentation mode the title names the gemeente and the indicator (set below)
ui.intro(t("overzicht.intro"))

with ui.guard():
    available = [i for i in MAP_INDICATORS if indicators.periods(i)]
    # In presentation mode the controls sit in one row above map and figures, without labels
    # (the title says what is shown): map and key figure then fit a 1280×720 projector.
    labels = "collapsed" if presenting else "visible"
    controls = st.columns([3, 2, 4], vertical_alignment="center") if presenting else None
    left, right = st.columns([3, 2], gap="large")
    slots = controls or [left] * 3
    indicator = slots[0].selectbox(t("overzicht.indicator"), available, format_func=indicator_label,
                                   key="overzicht_indicator", label_visibility=labels,
                                   index=available.index("ww_per_1000") if "ww_per_1000" in available else 0)
    periods = indicators.periods(indicator)
    with slots[1]:
        periode = st.radio(t("overzicht.periode"), periods, index=len(periods) - 1, horizontal=True,
                           key="overzicht_periode", label_visibility=labels) if len(periods) > 1 else periods[0]
    with slots[2]:
        level = ui.level_switch("overzicht", label_visibility=labels)
    with left:
        ui.indicator_map(indicator, level, periode, key="overzicht")
        ui.source_caption(indicators.source_dataset(indicator, periode))
    if presenting:
        title.title(t("overzicht.titel_presentatie", naam=row["gemeente_naam"], indicator=indicator_label(indicator)))
    else:
        title.title(t("overzicht.titel"))

    with right:
        if not presenting:
            st.subheader(t("overzicht.profiel", naam=row["gemeente_naam"]))
            ui.report_button(code, key="rapport_overzicht")
            st.caption(t("overzicht.regio", naam=row["gemeente_naam"], provincie=row["provincie_naam"],
                         amr=row["arbeidsmarktregio_naam"]))
        if presenting:  # the map's indicator first: the key figure of the screen
            figures = profile.key_figures(code, ([indicator] + [i for i in profile.KEY_FIGURES if i != indicator])[:4])
        else:
            figures = profile.key_figures(code)
        cols = st.columns(2)
        for i, kf in enumerate(figures):
            with cols[i % 2]:
                ui.key_figure(indicator_label(kf.indicator), fmt_indicator(kf.value, kf.indicator),
                              t("overzicht.nl_waarde", periode=kf.periode,
                                waarde=fmt_indicator(kf.national, kf.indicator))
                              + " · " + kf.rank_text + (f"  \n{kf.small_text}" if kf.small else ""))
        ui.note(t("rang.uitleg"))
        ui.source_caption(*(indicators.source_dataset(k.indicator, k.periode) for k in figures if k.value is not None))
        for message in indicators.UNAVAILABLE.values():
            st.warning(message)
        if not presenting:  # the room sees map and key figures; the rest is for the desk
            st.subheader(t("overzicht.vergelijkbaar"))
            st.caption(t("overzicht.vergelijkbaar_uitleg", naam=row["gemeente_naam"]))
            similar = profile.similar_gemeenten(code)
            st.page_link("pages/vergelijken.py", label=t("overzicht.naar_vergelijken"), icon=":material/compare_arrows:",
                         query_params={"gemeente": code, "vergelijk": ",".join([code, *similar["gemeente_code"]])})
            st.dataframe(
                similar.assign(
                    inwoners=similar["inwoners"].map(fmt_number),
                    omgevingsadressendichtheid=similar["omgevingsadressendichtheid"].map(fmt_number),
                ).rename(columns={"gemeente_naam": t("overzicht.kol_gemeente"),
                                  "inwoners": t("overzicht.kol_inwoners"),
                                  "omgevingsadressendichtheid": t("overzicht.kol_oad")})
                [[t("overzicht.kol_gemeente"), t("overzicht.kol_inwoners"), t("overzicht.kol_oad")]],
                hide_index=True, width="stretch",
            )
            ui.source_caption("kwb2020_kenmerken")
ui.footer()
