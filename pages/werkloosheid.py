"""Werkloosheid: WW, bijstand and AO per gemeente and arbeidsmarktregio; regional quickscan."""
import streamlit as st

from lib import charts, indicators, ui, unemployment
from lib.catalog import INDICATORS
from lib.texts_nl import fmt_number, fmt_rank, fmt_signed, fmt_small, indicator_label, t

code = ui.page_start()
row = ui.gemeenten_df().set_index("gemeente_code").loc[code]

st.title(t("wl.titel"))
ui.intro(t("wl.intro"))
ui.advice("werkloosheid")

with ui.guard():
    monthly = unemployment.has_monthly()
    if monthly:
        months = unemployment.measure_periods("ww_per_1000", monthly=True)
        st.info(t("wl.maand_melding", van=months[0], tot=months[-1]))
    else:
        years = unemployment.measure_periods("ww_per_1000", monthly=False)
        st.info(t("wl.offline_melding", jaren=" en ".join(years)))

    # National trend: separate series per unit and source.
    st.subheader(t("wl.landelijk"))
    st.caption(t("wl.landelijk_uitleg"))
    for unit in ui.national_units():
        ui.chart(charts.unemployment_national, unit)
    ui.source_caption("ww_nationaal", "bijstand_kwartaal", "kwb2019", "kwb2020")

    # Per gemeente: measure, period, map, comparison.
    st.subheader(t("wl.per_gemeente"))
    c1, c2, c3 = st.columns(3)
    measure = c1.selectbox(t("wl.maat"), unemployment.MEASURES, format_func=indicator_label, key="wl_maat")
    periods = indicators.periods(measure)
    periode = c2.selectbox(t("wl.periode"), periods, index=len(periods) - 1, key="wl_periode")
    with c3:
        level = ui.level_switch("wl", levels=("gemeente", "arbeidsmarktregio"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.indicator_map(measure, level, periode, key="wl")
    with right:
        cmp = unemployment.compare(code, measure, periode)
        st.markdown(f"**{t('wl.vergelijking', gemeente=row['gemeente_naam'])}** ({periode})")
        ui.key_figure(t("wl.m.gemeente", gemeente=row["gemeente_naam"]), fmt_number(cmp.gemeente, 1))
        rank, ties = indicators.rank_and_ties(indicators.values(measure, periode), code)
        st.caption(fmt_rank(rank, cmp.total, ties) + " · "
                   + t("wl.rang_regio", rang=cmp.rank_region or "–", totaal=cmp.total_region))
        small = indicators.small_count(measure, code, periode)
        if small:
            st.caption(fmt_small(small, INDICATORS[measure].small_count[0]))
        st.caption(t("rang.uitleg"))
        ui.key_figure(t("wl.m.regio", regio=row["arbeidsmarktregio_naam"]), fmt_number(cmp.regio, 1))
        ui.key_figure(t("wl.m.nl"), fmt_number(cmp.nederland, 1))
        annual = unemployment.measure_periods(measure, monthly=False)
        if len(annual) > 1:
            before = unemployment.compare(code, measure, annual[0]).gemeente
            after = unemployment.compare(code, measure, annual[-1]).gemeente
            if before is not None and after is not None:
                absolute, pct = unemployment.change(before, after)
                st.caption(t("wl.verandering", van=annual[0], tot=annual[-1], abs=fmt_signed(absolute, 1),
                             pct=fmt_signed(pct, 1, " %")))
        ui.source_caption(indicators.source_dataset(measure, periode), "grenzen_regio")

    # Trend of the gemeente beside its region and NL.
    indexed = monthly and unemployment.INDEX_BASE_MONTH in unemployment.measure_periods(measure, monthly=True)
    title = t("wl.trend_maand") if indexed else f"{t('wl.trend_niveau')}: {indicator_label(measure)}"
    st.markdown(f"**{title}**")
    ui.chart(charts.unemployment_trend, code, measure, indexed)

    # The region's gemeenten (default) or all 342, sortable and downloadable.
    st.subheader(t("wl.tabel"))
    table = unemployment.gemeente_table(measure)
    annual = unemployment.measure_periods(measure, monthly=False)
    st.caption(t("wl.tabel_uitleg", van=annual[0], tot=annual[-1]) + " " + indicator_label(measure) + ".")
    show_all = st.toggle(t("wl.tabel_alle"), key="wl_alle")
    shown = table if show_all else table[table["arbeidsmarktregio"] == row["arbeidsmarktregio_naam"]] \
        .sort_values("rang_in_regio")
    shown = shown.drop(columns="gemeente_code").rename(columns={
        "gemeente_naam": t("wl.kol.gemeente"), "arbeidsmarktregio": t("wl.kol.amr"),
        "provincie": t("wl.kol.provincie"), "verschil": t("wl.kol.verschil"),
        "verschil_pct": t("wl.kol.verschil_pct"), "rang": t("wl.kol.rang"),
        "rang_in_regio": t("wl.kol.rang_regio")})
    st.dataframe(shown.style.format(precision=1, decimal=",", thousands=".", na_rep="–"), hide_index=True,
                 width="stretch", height=360 if show_all else "auto")
    ui.csv_downloads(table, f"{measure}_gemeenten", key="wl_csv")

    # Quickscan of the arbeidsmarktregio.
    qs = unemployment.quickscan(code)
    st.subheader(t("wl.qs.titel", regio=qs.regio_naam))
    st.markdown(unemployment.quickscan_markdown(qs, level=3).split("\n", 2)[2])
    d1, d2 = st.columns(2)
    d1.download_button(t("wl.qs.download_html"), lambda: ui.quickscan_document(qs), key="wl_qs_html",
                       file_name=f"quickscan_{qs.regio_code}.html", mime="text/html", help=t("wl.qs.download_html_hulp"),
                       icon=":material/print:")
    d2.download_button(t("wl.qs.download"), unemployment.quickscan_markdown(qs).encode("utf-8"),
                       file_name=f"quickscan_{qs.regio_code}.md", mime="text/markdown", key="wl_qs")
ui.footer()
