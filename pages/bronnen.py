"""Bronnen: every dataset from the catalog, the pack in use, the conversion rule, the export."""
import pandas as pd
import streamlit as st

from lib import ui
from lib.catalog import DATASETS, INDICATORS
from lib.config import data_dir
from lib.texts_nl import DATASET_GAPS, DATASET_USE, indicator_label, t

ui.page_start()
st.title(t("bronnen.titel"))
st.write(t("bronnen.intro"))
st.markdown(t("bronnen.pakket", pad=data_dir()))

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
