"""AppTest for the Initiatieven page: density, the form, CSV import, password, safety."""
from __future__ import annotations

import json

import pytest

from apptest_helpers import maps, run_app, texts
from lib import registry as R


@pytest.fixture(autouse=True)
def fresh_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/page.sqlite")


def _metric(at, label_start):
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _fill(at, naam, bron="raadslid", **extra):
    at.text_input(key="ini_naam").input(naam)
    at.text_input(key="ini_bron").input(bron)
    for key, value in extra.items():
        at.text_input(key=key).input(value)
    at.button(key="ini_opslaan").click().run()
    return at


def test_page_renders_density_and_coverage_note():
    at = run_app("GM0363", "pages/initiatieven.py")
    assert not at.exception, at.exception
    assert _metric(at, "Initiatieven in het register") == "935"
    assert _metric(at, "Initiatieven en hulpaanbod in Amsterdam") == "193"  # 202 rows, 9 of them requests
    assert "geen telling van alle initiatieven" in texts(at.warning)
    assert len(maps(at)) == 1
    assert "Blinde vlekken" in texts(at.subheader)


def test_added_initiative_appears_without_restart():
    at = run_app("GM0363", "pages/initiatieven.py")
    _fill(at, "Soep voor de buren", ini_lat="52.3600", ini_lon="4.9300", ini_website="https://soep.example")
    assert not at.exception, at.exception
    assert "Opgeslagen" in texts(at.success)
    assert _metric(at, "Initiatieven en hulpaanbod in Amsterdam") == "194"
    assert _metric(at, "Initiatieven in het register") == "936"
    assert "Soep voor de buren" in at.dataframe[-1].value.iloc[:, 0].tolist()
    payload = maps(at)[0].proto.json_args  # what the browser receives for the map
    script = json.loads(payload)["script"].replace(" ", "")
    assert '[52.36,4.93,"Soepvoordeburen"' in script
    assert at.text_input(key="ini_naam").value == "" and at.text_input(key="ini_lat").value == ""  # a clean form


def test_a_refused_entry_keeps_what_was_typed():
    at = run_app("GM0363", "pages/initiatieven.py")
    _fill(at, "Bijna goed", ini_lat="51.9225", ini_lon="4.4792")
    assert at.error and at.text_input(key="ini_naam").value == "Bijna goed"  # correct it, don't retype it


def test_bad_input_is_refused_and_nothing_stored():
    at = run_app("GM0363", "pages/initiatieven.py")
    _fill(at, "Op de verkeerde plek", ini_lat="51.9225", ini_lon="4.4792", ini_website="ftp://x")
    errors = texts(at.error)
    assert "niet in Amsterdam maar in Rotterdam" in errors and "http://" in errors
    assert _metric(at, "Initiatieven in het register") == "935"


def test_markup_in_a_name_stays_text():
    at = run_app("GM0363", "pages/initiatieven.py")
    name = '<img src=x onerror="alert(1)"> ![x](http://evil.example/p.png)'
    _fill(at, name)
    assert not at.exception
    success = texts(at.success)
    assert "<img" not in success.replace("\\<img", "") and "\\!\\[x\\]" in success  # escaped for Markdown
    assert name in at.dataframe[-1].value.iloc[:, 0].tolist()  # shown as data, verbatim


def test_csv_with_one_bad_row_imports_nothing_and_reports_it():
    at = run_app("GM0363", "pages/initiatieven.py")
    csv = ("naam,thema,gemeente_code,bron\nGoed,voedsel,GM0363,csv\nFout,sport,GM0363,csv\n"
           "Ook goed,overig,GM0014,csv\n").encode()
    at.file_uploader(key="ini_upload").set_value(("import.csv", csv, "text/csv"))
    at.run()
    at.button(key="ini_csv_knop").click().run()
    assert "Niets geïmporteerd: 1 fout" in texts(at.error)
    report = at.dataframe[-1].value
    assert report.iloc[0, 0] == 2 and report.iloc[0, 1] == "thema"
    assert _metric(at, "Initiatieven in het register") == "935"
    good = csv.replace(b"Fout,sport", b"Fout,voedsel")
    at.file_uploader(key="ini_upload").set_value(("import.csv", good, "text/csv"))
    at.run()
    at.button(key="ini_csv_knop").click().run()
    assert "3 initiatieven geïmporteerd" in texts(at.success)
    assert _metric(at, "Initiatieven in het register") == "938"


def test_unreadable_csv_gives_dutch_message():
    at = run_app("GM0363", "pages/initiatieven.py")
    at.file_uploader(key="ini_upload").set_value(("x.csv", b"kolom1,kolom2\n1,2\n", "text/csv"))
    at.run()
    at.button(key="ini_csv_knop").click().run()
    assert "ontbreken" in texts(at.error) and not at.exception


def test_editor_password_protects_writes(monkeypatch):
    monkeypatch.setenv("GEMEENTEN_EDITOR_PASSWORD", "geheim")
    at = run_app("GM0363", "pages/initiatieven.py")
    _fill(at, "Zonder wachtwoord", ini_pw="fout")
    assert "wachtwoord klopt niet" in texts(at.error)
    assert _metric(at, "Initiatieven in het register") == "935"
    _fill(at, "Met wachtwoord", ini_pw="geheim")
    assert _metric(at, "Initiatieven in het register") == "936"


UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"


def test_unreachable_registry_gives_dutch_message_and_other_pages_work(monkeypatch):
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", UNREACHABLE)
    at = run_app("GM0363", "pages/initiatieven.py")
    assert not at.exception, at.exception
    assert "niet bereikbaar" in texts(at.error)
    at = run_app("GM0363")  # the overview still shows every other figure
    assert not at.exception, at.exception
    assert "niet bereikbaar" in texts(at.warning)
    values = {m.label: m.value for m in at.metric}
    assert values["Inwoners"] == "892.495" and values["Initiatieven per 10.000 inwoners"] == "geen gegevens"


def test_export_warns_when_registry_unreachable(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT
    env = {**os.environ, "GEMEENTEN_REGISTRY_URL": UNREACHABLE}
    proc = subprocess.run([sys.executable, "-m", "lib.export", "--out", str(tmp_path / "x.csv")], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0 and "niet bereikbaar" in proc.stderr and "Traceback" not in proc.stderr
    assert "initiatieven_per_10k" not in (tmp_path / "x.csv").read_text()


def test_sqlite_folder_is_created(tmp_path):
    from lib import registry
    url = f"sqlite:///{tmp_path}/nieuw/map/registry.sqlite"
    registry.prepare_url(url)
    assert (tmp_path / "nieuw" / "map").is_dir()


def test_moderated_mode_public_submission_waits_for_an_editor(monkeypatch, tmp_path):
    monkeypatch.setenv("GEMEENTEN_EDITOR_PASSWORD", "geheim")
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/mod.sqlite")
    at = run_app("GM0363", "pages/initiatieven.py")
    assert "Beoordeelde modus" in texts(at.info)
    _fill(at, "Burenhulp Noord", ini_pw="")  # a visitor, no password
    assert not at.exception, at.exception
    assert "verschijnt na beoordeling" in texts(at.success)
    assert _metric(at, "Initiatieven in het register") == "935"  # not shown, not counted
    from lib import civic
    reg = civic.open_registry(f"sqlite:///{tmp_path}/mod.sqlite")
    pending = reg.rows(R.TE_BEOORDELEN)
    assert list(pending["naam"]) == ["Burenhulp Noord"]
    at.text_input(key="ini_mod_pw").set_value("geheim").run()
    assert "1 inzending(en) wachten" in texts(at.caption)
    at.selectbox(key="ini_mod_id").set_value(int(pending["id"].iloc[0])).run()
    at.button(key="ini_mod_ok").click().run()
    assert not at.exception, at.exception
    assert _metric(at, "Initiatieven in het register") == "936"  # approved: now shown and counted
    assert list(reg.changes()["actie"])[:2] == ["goedgekeurd", "toegevoegd"]


def test_open_mode_says_so():
    at = run_app("GM0363", "pages/initiatieven.py")
    assert "Open modus" in texts(at.info)


def test_registry_table_has_dutch_empty_states():
    at = run_app("GM0363", "pages/initiatieven.py")
    table = at.dataframe[-1].value
    assert table[[c for c in table.columns if c != "Website"]].isna().sum().sum() == 0  # "–", not "None"
    assert (table == "–").any().any()  # seed rows without a start date say so with a dash
    at.text_input(key="ini_zoek").set_value("zzz-bestaat-niet").run()
    assert "Geen initiatieven die aan deze keuze voldoen" in texts(at.info)
