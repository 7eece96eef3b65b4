"""Initiatieven: a registry of citizen and business initiatives, density and loneliness."""
import pandas as pd
import streamlit as st

from lib import charts, civic, indicators, registry as reg_lib, throttle, ui
from lib.config import editor_password
from lib.errors import SourceUnavailable
from lib.catalog import INDICATORS, source_line
from lib.texts_nl import fmt_count, fmt_number, fmt_pct, fmt_rank, fmt_small, t

BLIND_SHOWN = 25

code = ui.page_start()
gem = ui.gemeenten_df().set_index("gemeente_code")
name = gem.loc[code, "gemeente_naam"]

st.title(t("ini.titel"))
ui.intro(t("ini.intro"))
ui.advice("initiatieven")
st.warning(t("ini.dekking"), icon="ℹ️")

with ui.guard():
    registry = ui.registry()
    rows = ui.registry_rows()
    table = ui.density_table()
    me = table.loc[code]
    summary = ui.registry_summary()
    nl_density = summary["nl_dichtheid"]
    nl_lonely = civic.national_loneliness()

    c1, c2, c3, c4 = st.columns(4)
    ui.key_figure(t("ini.m.totaal"), fmt_number(summary["totaal"]), where=c1)
    c1.caption(t("ini.m.totaal_uitleg", geteld=fmt_number(summary["geteld"]), vragen=fmt_number(summary["vragen"])))
    ui.key_figure(t("ini.m.gemeente", gemeente=name), fmt_number(me["aantal"]), where=c2)
    c2.caption(t("ini.m.hulpvragen", n=fmt_number(me["hulpvragen"])))
    ui.key_figure(t("ini.m.per_10k"), fmt_number(me["per_10k"], 2), where=c3)
    rank, ties = indicators.rank_and_ties(table["per_10k"], code)
    c3.caption(t("ini.nl", waarde=fmt_number(nl_density, 2)) + " · " + fmt_rank(rank, int(table["per_10k"].notna().sum()), ties))
    if me["aantal"] < INDICATORS["initiatieven_per_10k"].small_count[1]:
        c3.caption(fmt_small((float(me["aantal"]), INDICATORS["initiatieven_per_10k"].small_count[1]),
                             "initiatieven_aantal"))
    st.caption(t("rang.uitleg"))
    ui.key_figure(t("ini.m.onbekend"), fmt_number(summary["onbekend"]), help=t("ini.m.onbekend_uitleg"), where=c4)

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{t('ini.kaart')}**")
        show_points = st.toggle(t("ini.punten"), value=True, key="ini_punten")
        points = ui.registry_points(("naam", "thema")) if show_points else None
        ui.values_map(table["per_10k"], "initiatieven_per_10k", key="ini", points=points,
                      point_fields=["naam", "thema"], point_labels=[t("ini.punt.naam"), t("ini.punt.thema")],
                      source=source_line("register"))
        if points and points.get("aggregated"):
            st.caption(t("kaart.punten_samengevoegd", n=fmt_number(points["total"]),
                         km=fmt_number(points["aggregated"] * 111, 0)))
    with right:
        st.markdown(f"**{t('ini.behoefte', gemeente=name)}**")
        if pd.isna(me["eenzaam_65plus_pct"]):
            st.info(t("ini.geen_gegevens", gemeente=name))
        for ind, label in (("eenzaam_65plus_pct", "ini.kol.eenzaam"), ("ernstig_eenzaam_65plus_pct", "ini.kol.ernstig"),
                           ("vrijwilligerswerk_65plus_pct", "ini.kol.vrijwilliger")):
            ui.key_figure(t(label), fmt_pct(me[ind]))
            st.caption(t("ini.nl", waarde=fmt_pct(nl_lonely[ind])))
        st.caption(t("ini.behoefte_bron"))
        ui.source_caption("gezondheidsmonitor", "register", "kwb2020")

    st.subheader(t("ini.spreiding"))
    ui.chart(charts.initiatives_scatter, code)

    st.subheader(t("ini.blind"))
    st.caption(t("ini.blind_uitleg", nl=fmt_pct(nl_lonely["eenzaam_65plus_pct"]), dichtheid=fmt_number(nl_density, 2)))
    blind = ui.blind_spots()
    columns = {"gemeente_naam": t("ini.kol.gemeente"), "eenzaam_65plus_pct": t("ini.kol.eenzaam"),
               "ernstig_eenzaam_65plus_pct": t("ini.kol.ernstig"), "aantal": t("ini.kol.aantal"),
               "per_10k": t("ini.kol.per_10k"), "inwoners": t("ini.kol.inwoners")}
    st.caption(t("ini.blind_aantal", n=len(blind), getoond=min(len(blind), BLIND_SHOWN)))
    top = blind.head(BLIND_SHOWN)  # a ranked list: shown as Dutch-formatted text
    st.dataframe(pd.DataFrame({
        columns["gemeente_naam"]: top["gemeente_naam"],
        columns["eenzaam_65plus_pct"]: top["eenzaam_65plus_pct"].map(fmt_pct),
        columns["ernstig_eenzaam_65plus_pct"]: top["ernstig_eenzaam_65plus_pct"].map(fmt_pct),
        columns["aantal"]: top["aantal"].map(fmt_number),
        columns["per_10k"]: top["per_10k"].map(lambda v: fmt_number(v, 2)),
        columns["inwoners"]: top["inwoners"].map(fmt_number)}), hide_index=True, width="stretch")
    ui.csv_downloads(lambda: blind.reset_index(), "blinde_vlekken", key="ini_blind_csv",
                     decimals={"per_10k": 2}, label=t("ini.blind_download"))

    if st.toggle(t("ini.ranking"), key="ini_ranking"):  # 342 rows: drawn only when asked for
        ranking = table.sort_values(["per_10k", "aantal"], ascending=False)
        cols = {"rang": t("ini.kol.rang"), **columns}
        st.dataframe(ranking.rename(columns=cols)[list(cols.values())].style.format(precision=2, decimal=",", thousands=".", na_rep="–"),
                     hide_index=True, width="stretch", height=360)

    # The registry itself: filter, show as text, export.
    st.subheader(t("ini.register"))
    f1, f2, f3 = st.columns(3)
    scope = f1.selectbox(t("ini.filter.gemeente"), ["gekozen", "alle"], key="ini_scope",
                         format_func=lambda s: name if s == "gekozen" else t("ini.filter.alle"))
    themes = f2.multiselect(t("ini.filter.thema"), reg_lib.THEMES, key="ini_themas",
                            placeholder=t("ini.filter.alle_themas"))
    query = f3.text_input(t("ini.filter.zoek"), key="ini_zoek", max_chars=80)
    shown, view = ui.registry_view(None if scope == "alle" else code, tuple(themes), query.strip())
    if view.empty:  # our own empty state, not Streamlit's English "empty"
        st.info(t("ini.register_leeg"))
    else:
        st.dataframe(view, hide_index=True, width="stretch", height=320,
                     column_config={t("ini.kol.website"): st.column_config.LinkColumn()})
    ui.csv_downloads(lambda: shown.drop(columns=["aangemaakt"]), "initiatieven", key="ini_csv_export",
                     decimals={"latitude": 5, "longitude": 5}, label=t("ini.export"))

    password = editor_password()
    # Moderated mode when an editor password is set: visitors' submissions wait for an editor.
    st.info(t("ini.modus.beoordeeld") if password else t("ini.modus.open"), icon="🛡️" if password else "✏️")

    FORM_KEYS = ("ini_naam", "ini_thema", "ini_lat", "ini_lon", "ini_website", "ini_start", "ini_bron", "ini_soort",
                 "ini_pw")
    if st.session_state.pop("ini_wissen", False):  # saved: the next entry starts from an empty form
        for form_key in FORM_KEYS:
            st.session_state.pop(form_key, None)
    with st.expander(t("ini.nieuw"), expanded=bool(st.session_state.get("ini_melding"))):
        # not clear_on_submit: a refused entry keeps what was typed, so it can be corrected
        with st.form("ini_form", clear_on_submit=False):
            naam = st.text_input(t("ini.veld.naam"), max_chars=reg_lib.MAX_NAME, key="ini_naam")
            a, b = st.columns(2)
            thema = a.selectbox(t("ini.veld.thema"), reg_lib.THEMES, key="ini_thema")
            codes = list(ui.gemeenten_df()["gemeente_code"])
            gemeente = b.selectbox(t("ini.veld.gemeente"), codes, index=codes.index(code),
                                   format_func=ui.gemeente_names().__getitem__, key="ini_gemeente")
            lat = a.text_input(t("ini.veld.lat"), key="ini_lat")
            lon = b.text_input(t("ini.veld.lon"), key="ini_lon")
            website = st.text_input(t("ini.veld.website"), max_chars=reg_lib.MAX_URL, key="ini_website")
            start = a.date_input(t("ini.veld.start"), value=None, format="DD-MM-YYYY", key="ini_start")
            bron = b.text_input(t("ini.veld.bron"), max_chars=reg_lib.MAX_SOURCE, key="ini_bron")
            soort = a.selectbox(t("ini.veld.soort"), reg_lib.SOORTEN, key="ini_soort",
                                format_func=lambda s: t(f"reg.soort.{s}"))
            given = st.text_input(t("ini.veld.wachtwoord_optioneel"), type="password", key="ini_pw") if password else None
            submitted = st.form_submit_button(t("ini.opslaan"), key="ini_opslaan")
        if submitted:
            # moderated mode: without a password the submission waits for review; with one it must be right
            public = bool(password) and not (given or "").strip()
            refused = None if public else throttle.check_password(given, password, ui.session_id())
            if refused:
                st.error(refused)
            else:
                try:
                    registry.add({"naam": naam, "thema": thema, "gemeente_code": gemeente, "latitude": lat,
                                  "longitude": lon, "website": website, "startdatum": start, "bron": bron,
                                  "soort": soort}, status=reg_lib.TE_BEOORDELEN if public else reg_lib.ZICHTBAAR)
                except reg_lib.ValidationError as exc:
                    st.error(t("ini.niet_opgeslagen") + "\n" + "\n".join(f"- {ui.md_escape(m)}" for _, _, m in exc.errors))
                except SourceUnavailable as exc:
                    st.error(str(exc))
                else:
                    ui.registry_written()
                    st.session_state["ini_wissen"] = True
                    st.session_state["ini_melding"] = t("ini.ontvangen" if public else "ini.opgeslagen",
                                                        naam=ui.md_escape(naam.strip()),
                                                        gemeente=gem.loc[gemeente, "gemeente_naam"])
                    st.rerun()
        if st.session_state.get("ini_melding"):
            st.success(st.session_state.pop("ini_melding"))

    with st.expander(t("ini.csv")):
        st.caption(t("ini.csv_uitleg"))
        st.download_button(t("ini.csv_sjabloon"), reg_lib.csv_template(), file_name="initiatieven_sjabloon.csv",
                           mime="text/csv", key="ini_sjabloon")
        upload = st.file_uploader(t("ini.csv_bestand"), type=["csv"], key="ini_upload")
        given_csv = st.text_input(t("ini.veld.wachtwoord"), type="password", key="ini_csv_pw") if password else None
        if st.button(t("ini.csv_knop"), key="ini_csv_knop", disabled=upload is None):
            refused = throttle.check_password(given_csv, password, ui.session_id())
            if refused:
                st.error(refused)
            else:
                try:
                    n = registry.import_records(reg_lib.read_csv_upload(upload.getvalue()))
                except reg_lib.CsvError as exc:
                    st.error(ui.md_escape(str(exc)))
                except SourceUnavailable as exc:
                    st.error(str(exc))
                except reg_lib.ValidationError as exc:
                    st.error(t("ini.csv_fout", n=len(exc.errors)))
                    st.dataframe(pd.DataFrame(exc.errors, columns=[t("ini.csv.rij"), t("ini.csv.veld"),
                                                                   t("ini.csv.melding")]),
                                 hide_index=True, width="stretch")
                else:
                    ui.registry_written()
                    st.session_state["ini_csv_melding"] = t("ini.csv_ok", n=fmt_count(n, "initiatief", "initiatieven"))
                    st.rerun()  # redraw everything above (metrics, map) with the new rows
        if st.session_state.get("ini_csv_melding"):
            st.success(st.session_state.pop("ini_csv_melding"))

    if password:  # moderation: approve, hide (with a reason) or correct; every change is audited
        with st.expander(t("ini.beoordelen")):
            given_mod = st.text_input(t("ini.veld.wachtwoord"), type="password", key="ini_mod_pw")
            if given_mod:
                refused = throttle.check_password(given_mod, password, ui.session_id())
                if refused:
                    st.error(refused)
                else:
                    pending = registry.rows(reg_lib.TE_BEOORDELEN)
                    st.caption(t("ini.beoordelen.aantal", n=len(pending)))
                    choices = {int(r.id): f"{r.naam} ({gem['gemeente_naam'].get(r.gemeente_code, '–')})"
                               for r in pending.itertuples()}
                    visible = {int(r.id): f"{r.naam} ({gem['gemeente_naam'].get(r.gemeente_code, '–')})"
                               for r in rows[rows["toewijzing"] == "invoer"].itertuples()}
                    pick = st.selectbox(t("ini.beoordelen.kies"), [*choices, *visible], key="ini_mod_id",
                                        format_func=lambda i: choices.get(i) or visible.get(i, str(i)),
                                        placeholder=t("ini.beoordelen.geen"), index=None)
                    reason = st.text_input(t("ini.beoordelen.reden"), key="ini_mod_reden", max_chars=200)
                    new_name = st.text_input(t("ini.beoordelen.naam"), key="ini_mod_naam", max_chars=reg_lib.MAX_NAME)
                    b1, b2, b3 = st.columns(3)
                    action = None
                    if b1.button(t("ini.beoordelen.goedkeuren"), key="ini_mod_ok", disabled=pick not in choices):
                        action = lambda: registry.set_status(pick, reg_lib.ZICHTBAAR)
                    if b2.button(t("ini.beoordelen.verbergen"), key="ini_mod_weg", disabled=pick is None):
                        action = lambda: registry.set_status(pick, reg_lib.VERBORGEN, reason)
                    if b3.button(t("ini.beoordelen.bewerken"), key="ini_mod_edit", disabled=pick is None):
                        action = lambda: registry.edit(pick, {"naam": new_name})
                    if action is not None:
                        try:
                            action()
                        except reg_lib.ValidationError as exc:
                            st.error("\n".join(f"- {ui.md_escape(m)}" for _, _, m in exc.errors))
                        except SourceUnavailable as exc:
                            st.error(str(exc))
                        else:
                            ui.registry_written()
                            st.session_state["ini_mod_melding"] = t("ini.beoordelen.klaar")
                            st.rerun()
                    st.caption(t("ini.beoordelen.logboek"))
                    log = registry.changes().head(20)
                    st.dataframe(reg_lib.neutralise_formulas(log[["wanneer", "initiatief_id", "actie"]]),
                                 hide_index=True, width="stretch")
        if st.session_state.get("ini_mod_melding"):
            st.success(st.session_state.pop("ini_mod_melding"))
ui.footer()
