"""Bronnen: every dataset from the catalog, the pack in use, the registry's kind, the conversion rule, the export."""
import pandas as pd
import streamlit as st

from lib import ui, world
from lib.catalog import DATASETS, INDICATORS
from lib.config import data_dir
from lib.texts_nl import DATASET_GAPS, DATASET_USE, fmt_date, fmt_number, indicator_label, t

ui.page_start()
st.title(t("bronnen.titel"))
ui.intro(t("bronnen.intro"))

with ui.guard():
    pack = world.pack_summary()
    st.markdown(t("bronnen.pakket", stand=fmt_date(pack["stand"]) if pack["stand"] else "–", versie=pack["versie"],
                  n=len(pack["tabellen"]), mb=fmt_number(pack["bytes"] / 1024 / 1024, 1)))
kind = ui.registry_kind()
st.markdown(t(f"bronnen.register_{kind}") if kind in ("sqlite", "postgresql")
            else t("bronnen.register_anders", soort=kind))

rows = [{
    t("bronnen.kol_bron"): d.title,
    t("bronnen.uitgever"): d.publisher,
    t("bronnen.tabel"): d.cbs_table or "–",
    t("bronnen.kol_peildatum"): d.reference_date,
    t("bronnen.kol_licentie"): d.licence,
    t("bronnen.gebruik"): DATASET_USE.get(d.id, ""),
    t("bronnen.gaten"): DATASET_GAPS.get(d.id, ""),
    t("bronnen.bestand"): d.file + (" " + t("bronnen.alleen_ververst") if d.refresh_only else ""),
} for d in DATASETS.values()]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
st.caption(t("bronnen.online"))

with st.expander(t("bronnen.pakket_tabellen")):
    st.dataframe(pd.DataFrame([{t("bronnen.kol_tabel"): r["tabel"], t("bronnen.kol_rijen"): fmt_number(r["rijen"]),
                                t("bronnen.kol_bronnen"): r["bronnen"]} for r in pack["tabellen"]]),
                 hide_index=True, width="stretch")
    st.markdown(f"**{t('bronnen.totalen')}**")
    st.dataframe(pd.DataFrame([{t("bronnen.kol_totaal"): r["totaal"], t("bronnen.kol_in_bron"): fmt_number(r["bron"]),
                                t("bronnen.kol_in_pakket"): fmt_number(r["pakket"])} for r in pack["totalen"]]),
                 hide_index=True, width="stretch")

st.subheader(t("bronnen.indicatoren"))
st.dataframe(pd.DataFrame([{
    t("bronnen.kol_id"): i.id, t("bronnen.kol_omschrijving"): indicator_label(i.id),
    t("bronnen.kol_eenheid"): i.unit, t("bronnen.kol_bron"): DATASETS[i.dataset].attribution,
} for i in INDICATORS.values()]), hide_index=True, width="stretch")

st.subheader(t("bronnen.indeling_titel"))
st.write(t("bronnen.indeling_uitleg"))

st.subheader(t("bronnen.export_titel"))
st.write(t("bronnen.export_uitleg"))
with ui.guard():
    st.download_button(t("bronnen.export_knop"), ui.export_csv(str(data_dir())),
                       file_name="gemeenten_in_coronatijd_export.csv", mime="text/csv")
ui.footer()
