"""For the council debate and the workshop room: presentation mode, links that find the gemeente,
the advice line per theme, Dutch texts (AppTest)."""
from __future__ import annotations

import pytest

from apptest_helpers import run_app, texts
from lib import gemeenten, ui

THEME_PAGES = ["pages/werkloosheid.py", "pages/mkb.py", "pages/initiatieven.py", "pages/woonwerk_co2.py"]


def test_presentation_mode_from_the_link():
    at = run_app("GM0981")
    normal_intro = texts(at.markdown)
    assert "In april 2020 kregen" in normal_intro  # the intro is there normally
    at.query_params["presentatie"] = "1"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Vaals · WW per 1.000 inwoners"
    assert "In april 2020 kregen" not in texts(at.markdown)  # no intro, no long captions
    assert at.metric[0].label == "WW per 1.000 inwoners"  # the map's figure is the key figure
    assert not [d for d in at.dataframe]  # the desk's tables are left out
    assert at.toggle(key="presentatie_knop").value is True
    at.toggle(key="presentatie_knop").set_value(False).run()  # the way out, without a sidebar
    assert at.title[0].value == "Overzicht" and "presentatie" not in at.query_params


def test_old_code_in_the_link_finds_the_new_gemeente():
    at = run_app("GM0003")  # Appingedam, merged into Eemsdelta in 2021
    assert not at.exception
    assert ui.SELECTED in at.session_state and at.session_state[ui.SELECTED] == "GM1979"
    assert "Appingedam" in texts(at.warning) and "2021" in texts(at.warning) and "Eemsdelta" in texts(at.warning)


def test_the_picker_finds_everyday_names():
    labels = gemeenten.picker_labels()
    assert "Den Bosch" in labels["GM0796"] and "Den Haag" in labels["GM0518"] and "Sudwest" in labels["GM1900"]
    assert labels["GM0363"] == "Amsterdam"
    at = run_app("GM0796")
    assert "Den Bosch" in at.selectbox(key=ui.PICKER).format_func("GM0796")


@pytest.mark.parametrize("page", THEME_PAGES)
def test_every_theme_page_says_what_a_gemeente_can_do(page):
    at = run_app("GM0363", page)
    assert not at.exception
    assert "Wat kunt u doen?" in texts(at.info)


def test_sidebar_links_keep_the_gemeente():
    at = run_app("GM0981")
    menu = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    from lib.texts_nl import t
    assert all(menu[t(key)] == "gemeente=GM0981" for _, key, _ in ui.NAV)  # also a ctrl-click opens Vaals
