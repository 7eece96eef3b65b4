"""MKB-kwetsbaarheid: exposure of local businesses to the first and second wave of the shock."""
import pandas as pd
import streamlit as st

from lib import charts, indicators, mkb, ui
from lib.catalog import source_line
from lib.texts_nl import fmt_number, fmt_pct, fmt_rank, t

code = ui.page_start()
name = ui.gemeenten_df().set_index("gemeente_code").loc[code, "gemeente_naam"]

st.title(t("mkb.titel"))
ui.intro(t("mkb.intro"))
ui.advice("mkb")

with ui.guard():
    sc = mkb.sector_counts()
    sectors = list(sc.counts.columns)
    if sc.scheme == "kwb":
        st.warning(t("mkb.let_op_gi"), icon="ℹ️")
    else:
        st.info(t("mkb.sbi_melding", periode=sc.periode))

    scenario = st.radio(t("mkb.scenario"), [*mkb.PRESETS, "eigen"], horizontal=True, key="mkb_scenario",
                        format_func=lambda s: t(f"mkb.scenario.{s}"))
    st.caption(t(f"mkb.scenario_uitleg.{scenario}"))
    if scenario == "eigen":
        defaults = mkb.preset_weights("eerste_golf", sc.scheme, sectors)
        cols = st.columns(min(4, len(sectors)))
        weights = {s: cols[i % len(cols)].slider(mkb.sector_label(s), 0, 100, int(defaults[s] * 100), step=5,
                                                 key=f"mkb_w_{s}") / 100 for i, s in enumerate(sectors)}
    else:
        weights = mkb.preset_weights(scenario, sc.scheme, sectors)

    try:
        weights = mkb.check_weights(weights, sectors)
    except mkb.WeightError as exc:
        st.error(str(exc))
        st.stop()

    with st.expander(t("mkb.gewichten"), expanded=False):
        st.caption(t("mkb.gewichten_uitleg"))
        reason = (lambda s: t("mkb.eigen_keuze")) if scenario == "eigen" else (
            lambda s: t("mkb.genoemd", scenario=t(f"mkb.scenario.{scenario}")) if weights[s] > 0
            else t("mkb.niet_genoemd"))
        st.dataframe([{t("mkb.kol.sector"): mkb.sector_label(s), t("mkb.kol.gewicht"): fmt_pct(weights[s] * 100, 0),
                       t("mkb.kol.onderbouwing"): "; ".join([reason(s), *mkb.evidence(s)])} for s in sectors],
                     hide_index=True, width="stretch")
        ui.source_caption("sector_nationaal")

    exp = mkb.gemeente_exposure(weights)
    nl = mkb.area_exposure(weights, "nederland").iloc[0]
    me = exp.set_index("gemeente_code").loc[code] if code in set(exp["gemeente_code"]) else None

    left, right = st.columns([3, 2], gap="large")
    with left:
        level = ui.level_switch("mkb")
        st.markdown(f"**{t('mkb.kaart', niveau=t(f'kaart.niveau.{level}').lower())}**")
        values = mkb.area_exposure(weights, level)["index"]
        ui.values_map(values, "mkb_blootstelling_eerste_golf", level, key=f"mkb_{scenario}",
                      label=t("mkb.m.index") + " (" + t(f"mkb.scenario.{scenario}").lower() + ")",
                      source=source_line(sc.dataset))
    with right:
        if me is None or me.isna()["index"]:
            st.warning(t("mkb.geen_gegevens", naam=name))
        else:
            ui.key_figure(t("mkb.m.index"), fmt_pct(me["index"]))
            rank, ties = indicators.rank_and_ties(exp.set_index("gemeente_code")["index"], code)
            st.caption(t("mkb.nl", waarde=fmt_pct(nl["index"])) + " · " + fmt_rank(rank, int(exp["index"].notna().sum()), ties))
            st.caption(t("rang.uitleg"))
            share = mkb.horeca_share_of_gi()
            if share is not None and weights.get("GI", 0) > 0:
                st.caption(t("mkb.horeca_aandeel", aandeel=fmt_pct(share["aandeel"], 0), horeca=fmt_number(share["horeca"]),
                             gi=fmt_number(share["gi"]), bron=share["bron"]))
            ui.key_figure(t("mkb.m.blootgesteld"), fmt_number(me["blootgesteld"]))
            st.caption(t("mkb.nl", waarde=fmt_number(nl["blootgesteld"])))
            ui.key_figure(t("mkb.m.totaal"), fmt_number(me["totaal"]))
            st.caption(t("mkb.noemer", totaal=fmt_number(me["totaal"])) if sc.totals is not None else t("mkb.noemer_sbi"))
            ui.key_figure(t("mkb.m.per_1000"), fmt_number(me["vestigingen_per_1000"], 1))
            st.caption(t("mkb.nl", waarde=fmt_number(nl["totaal"] / exp["inwoners"].sum() * 1000, 1)))
            if me["klein_aantal"]:
                st.warning(t("mkb.klein", naam=name, aantal=fmt_number(me["totaal"]), grens=mkb.SMALL_TOTAL))
        ui.source_caption(sc.dataset, "kwb2020")

    st.subheader(t("mkb.mix", naam=name))
    ui.chart(charts.mkb_sector_mix, code, name)

    st.subheader(t("mkb.top"))
    st.caption(t("mkb.top_uitleg", grens=mkb.SMALL_TOTAL))
    top = mkb.top(exp)  # a ranked list: Dutch-formatted text, the full table is in the download
    st.dataframe(pd.DataFrame({
        t("mkb.kol.rang"): top["rang"].astype(str), t("mkb.kol.gemeente"): top["gemeente_naam"],
        t("mkb.kol.index"): top["index"].map(fmt_pct), t("mkb.kol.blootgesteld"): top["blootgesteld"].map(fmt_number),
        t("mkb.kol.totaal"): top["totaal"].map(fmt_number),
        t("mkb.kol.per_1000"): top["vestigingen_per_1000"].map(lambda v: fmt_number(v, 1)),
        t("mkb.kol.klein"): top["klein_aantal"].map({True: "⚠", False: ""})}), hide_index=True, width="stretch")
    ui.csv_downloads(exp, f"mkb_blootstelling_{scenario}", key="mkb_csv")
ui.footer()
