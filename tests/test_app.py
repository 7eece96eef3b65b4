"""AppTest for the shell, the overview and the sources page: render, key elements, URL handling."""
from __future__ import annotations

import pytest

from lib import world
from lib.texts_nl import fmt_date
from apptest_helpers import maps, run_app, texts
from conftest import ROOT
from lib.catalog import DATASETS

PAGES = ["pages/overzicht.py", "pages/werkloosheid.py", "pages/mkb.py", "pages/initiatieven.py",
         "pages/woonwerk_co2.py", "pages/bronnen.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page):
    at = run_app("GM0363", page)
    assert not at.exception, at.exception
    assert at.title, "page has a title"
    assert at.selectbox(key="gemeente_picker").value == "GM0363"
    assert at.query_params["gemeente"] == ["GM0363"] or at.query_params["gemeente"] == "GM0363"


def test_overview_profile_map_and_sources():
    at = run_app("GM1979")  # Eemsdelta: merged in 2021
    assert not at.exception
    assert "Profiel van Eemsdelta" in texts(at.subheader)
    assert len(at.metric) == 11
    assert at.metric[0].label == "Inwoners" and at.metric[0].value == "45.857"
    captions = texts(at.caption)
    assert "Nederland: 17.407.585" in captions and "rang" in captions
    assert "Bron: CBS" in captions and "CC BY 4.0" in captions
    assert len(maps(at)) == 1
    similar = next(d.value for d in at.dataframe if "Klasse op de kaart" not in d.value.columns)
    assert len(similar) == 5 and "Eemsdelta" not in similar.iloc[:, 0].tolist()


def test_overview_indicator_and_level_switch():
    at = run_app("GM0014")
    at.selectbox(key="overzicht_indicator").set_value("bijstand_per_1000").run()
    at.radio(key="overzicht_niveau").set_value("provincie").run()
    assert not at.exception
    assert len(maps(at)) == 1
    assert "Klik op een gemeente" not in texts(at.caption)  # clicks select only at gemeente level


def test_url_parameter_is_honoured_and_normalised():
    at = run_app("gm88")  # lower case, no zero padding
    assert at.selectbox(key="gemeente_picker").value == "GM0088"
    assert "Schiermonnikoog" in texts(at.subheader)
    assert not at.warning


@pytest.mark.parametrize("bad, fragment", [("GM9999", "onbekend"), ("<script>x</script>", "geen geldige"),
                                           ("", "geen geldige")])
def test_bad_url_parameter_gives_notice_not_error(bad, fragment):
    at = run_app(bad)
    assert not at.exception
    assert fragment in texts(at.warning)
    assert at.selectbox(key="gemeente_picker").value == "GM0363"
    assert "<script>" not in texts(at.warning)


def test_selection_is_kept_across_pages_and_in_url():
    at = run_app("GM0363")
    at.selectbox(key="gemeente_picker").set_value("GM0014").run()
    assert at.query_params["gemeente"] in ("GM0014", ["GM0014"])
    for page in ("pages/bronnen.py", "pages/werkloosheid.py", "pages/overzicht.py"):
        at.switch_page(page).run()
        assert at.selectbox(key="gemeente_picker").value == "GM0014"
        assert at.query_params["gemeente"] in ("GM0014", ["GM0014"])
    assert "Profiel van Groningen" in texts(at.subheader)


def test_sources_page_lists_catalog_and_offers_export():
    at = run_app("GM0363", "pages/bronnen.py")
    assert not at.exception
    catalog = at.dataframe[0].value
    assert len(catalog) == len(DATASETS)
    assert "84799NED" in catalog.to_csv()
    shown = texts(at.markdown) + texts(at.caption)
    stand = fmt_date(world.world().stand)
    assert f"stand van {stand}" in shown  # the manifest's build date, also in the footer
    assert "SQLite-bestand" in shown  # the registry's kind (the tests use SQLite)
    assert str(ROOT) not in shown and "shared/data" not in shown and "python -m" not in shown
    assert at.get("download_button")


def test_broken_pack_shows_dutch_message(app_pack_copy):
    (app_pack_copy / "gemeenten.parquet").write_bytes(b"niet te lezen")
    at = run_app("GM0363")
    assert not at.exception
    message = texts(at.error)
    assert "kunnen niet worden geladen" in message and "gemeenten.parquet" in message
    assert "controlesom" in message and "Traceback" not in message


def test_overview_shows_theme_headlines_with_rank():
    at = run_app("GM0088")
    labels = [m.label for m in at.metric]
    assert "MKB-blootstelling eerste golf (% vestigingen)" in labels
    assert "WW per 1.000 inwoners" in labels
    at.selectbox(key="overzicht_indicator").set_value("mkb_blootstelling_tweede_golf").run()
    assert not at.exception
