"""Woon-werk CO2: CO2 saved by working from home, for the own organisation and for all residents."""
import pandas as pd
import streamlit as st

from lib import commuting, indicators, ui
from lib.catalog import source_line
from lib.texts_nl import fmt_number, fmt_pct, fmt_rank, t

code = ui.page_start()
name = ui.gemeenten_df().set_index("gemeente_code").loc[code, "gemeente_naam"]

st.title(t("co2.titel"))
ui.intro(t("co2.intro"))
ui.advice("co2")

PERCENT_FIELDS = {"thuiswerk_aandeel", "auto_aandeel", "ov_aandeel"}


def breakdown(b, s) -> None:
    """km avoided → kg CO2 → tonnes, so the number can be repeated in a debate."""
    st.markdown(f"**{t('co2.uitleg')}**")
    st.markdown("\n".join([
        f"1. {t('co2.stap.km')}: **{fmt_number(b.km_vermeden)} km**",
        f"2. {t('co2.stap.auto', km=fmt_number(b.km_auto), ef=fmt_number(s.kg_co2_auto, 3))} "
        f"{t('co2.stap.kg', kg=fmt_number(b.kg_auto))}",
        f"3. {t('co2.stap.ov', km=fmt_number(b.km_ov), ef=fmt_number(s.kg_co2_ov, 3))} "
        f"{t('co2.stap.kg', kg=fmt_number(b.kg_ov))}",
        f"4. {t('co2.stap.ton', ton=fmt_number(b.ton, 1))}",
    ]))


with ui.guard():
    model = commuting.model()
    defaults = commuting.defaults()
    mode = st.radio(t("co2.modus"), ["eigen", "inwoners"], horizontal=True, key="co2_modus",
                    format_func=lambda m: t(f"co2.modus.{m}"))

    with st.expander(t("co2.invoer"), expanded=True):
        st.caption(t("co2.invoer_uitleg"))
        cols = st.columns(2)
        inputs, problems = {}, []
        for i, (field, d) in enumerate(defaults.items()):
            pct = field in PERCENT_FIELDS
            with cols[i % 2]:
                value, error = ui.dutch_number(t(f"co2.veld.{field}"), d.value * 100 if pct else d.value,
                                               key=f"co2_{field}", decimals=3 if field.startswith("kg") else 1,
                                               help=d.source)
                st.caption(d.source)
            if error:
                problems.append(error)
            inputs[field] = float("nan") if value is None else (value / 100 if pct else value)
    if not problems:
        problems = commuting.problems_of(commuting.Scenario(**inputs))
    if problems:  # every field that is wrong, at once
        st.error("\n".join(f"- {ui.md_escape(p)}" for p in problems))
        st.stop()
    scenario = commuting.Scenario(**inputs)

    per = commuting.residents(scenario)
    me = per.set_index("gemeente_code").loc[code]
    missing = commuting.missing_reason(code)
    if missing:
        st.warning(missing, icon="ℹ️")
    has_distance = not pd.isna(me["woonwerk_afstand_km"])

    if mode == "eigen":
        st.subheader(t("co2.eigen.titel", gemeente=name))
        c1, c2 = st.columns(2)
        # A result straight away: a documented example organisation, until the user types their own number.
        employees, err_employees = ui.dutch_number(t("co2.veld.medewerkers"), commuting.EXAMPLE_STAFF,
                                                   key="co2_medewerkers", decimals=0, container=c1)
        if employees == commuting.EXAMPLE_STAFF:
            c1.caption(t("co2.eigen.voorbeeld", n=fmt_number(commuting.EXAMPLE_STAFF)))
        one_way, err_distance = ui.dutch_number(
            t("co2.veld.afstand"), round(float(me["woonwerk_afstand_km"]), 1) if has_distance else None,
            key="co2_afstand", decimals=1, container=c2)
        c2.caption(t("co2.eigen.afstand_hulp", gemeente=name, km=fmt_number(me["woonwerk_afstand_km"], 1))
                   if has_distance else t("co2.eigen.afstand_geen", gemeente=name))
        if err_employees or err_distance:
            st.error("\n".join(f"- {ui.md_escape(e)}" for e in (err_employees, err_distance) if e))
        elif employees is None or one_way is None:
            st.info(t("co2.eigen.vul_in"))
        else:
            try:
                result = commuting.own_staff(employees, one_way, scenario)
            except commuting.ScenarioError as exc:
                st.error(str(exc))
                st.stop()
            ui.key_figure(t("co2.eigen.resultaat"), f"{fmt_number(result.ton, 1)} ton")
            breakdown(result, scenario)
            st.markdown(f"**{t('co2.memo_titel')}**")
            st.code(commuting.memo_text(name, employees, one_way, scenario, result), language=None, wrap_lines=True)
    else:
        st.subheader(t("co2.inwoners.titel"))
        nl = commuting.national_totals(scenario)
        nl_ton = nl["co2_ton"]
        total = int(per["co2_ton"].notna().sum())
        cols = st.columns(5)
        figures = [
            ("co2.m.banen", fmt_number(me["werknemersbanen"]), fmt_number(nl["werknemersbanen"])),
            ("co2.m.afstand", fmt_number(me["woonwerk_afstand_km"], 1), fmt_number(model.target_km, 1)),
            ("co2.m.km_dag", fmt_number(me["woonwerk_km_per_werkdag"]), fmt_number(nl["woonwerk_km_per_werkdag"])),
            ("co2.m.ton", fmt_number(me["co2_ton"], 0), fmt_number(nl_ton)),
            ("co2.m.per_inwoner", fmt_number(me["co2_kg_per_inwoner"], 1), fmt_number(nl["co2_kg_per_inwoner"], 1)),
        ]
        for col, (key, value, nl) in zip(cols, figures):
            ui.key_figure(t(key), value, where=col)
            col.caption(t("co2.nl", waarde=nl))
        rank, ties = indicators.rank_and_ties(per.set_index("gemeente_code")["co2_ton"], code)
        st.caption(fmt_rank(rank, total, ties) + " · " + t("co2.nl_totaal", ton=fmt_number(nl_ton)))
        st.caption(t("rang.uitleg"))
        left, right = st.columns([3, 2], gap="large")
        with left:
            st.markdown(f"**{t('co2.kaart')}**")
            ui.values_map(per.set_index("gemeente_code")["co2_kg_per_inwoner"], "co2_kg_per_inwoner", key="co2",
                          source=source_line("co2_besparing"))
        with right:
            if has_distance:
                breakdown(commuting.savings(float(me["woonwerk_km_per_werkdag"]), scenario), scenario)
            st.caption(t("co2.geen_gegevens_kort", gemeenten=", ".join(commuting.withheld())))
        st.subheader(t("co2.ranking"))
        ranking = per.sort_values("co2_ton", ascending=False)
        st.dataframe(ranking.rename(columns={
            "rang": t("co2.kol.rang"), "gemeente_naam": t("co2.kol.gemeente"), "werknemersbanen": t("co2.kol.banen"),
            "woonwerk_afstand_km": t("co2.kol.afstand"), "co2_ton": t("co2.kol.ton"),
            "co2_kg_per_inwoner": t("co2.kol.per_inwoner")})[[t(f"co2.kol.{k}") for k in
                                                             ("rang", "gemeente", "banen", "afstand", "ton", "per_inwoner")]]
                     .style.format(precision=1, decimal=",", thousands=".", na_rep="–")
                     .format({t("co2.kol.banen"): lambda v: fmt_number(v), t("co2.kol.rang"): lambda v: fmt_number(v)},
                             na_rep="–"),
                     hide_index=True, width="stretch", height=360)
        ui.csv_downloads(per, "woonwerk_co2_gemeenten", key="co2_csv")

    with st.expander(t("co2.model")):
        st.write(t("co2.model_uitleg", banen=fmt_number(model.total_jobs), factor=fmt_number(model.detour_factor, 3),
                   doel=fmt_number(model.target_km, 1), binnen=fmt_pct(model.intra_share * 100)))
    ui.source_caption("co2_besparing", "woonwerk_matrix", "woonwerk_nationaal", "emissiefactoren", "kwb2020")
ui.footer()
