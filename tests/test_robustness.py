"""Bad input everywhere a user or a data file can supply it.

Every case ends in a clear Dutch message and nothing already stored changes when an input is
rejected. Raw-file cases use a temporary raw directory (symlinks to the real one) with one
synthetic defect each: the loader names the file and the build refuses to write a pack. App-pack
cases damage a copy of the committed pack: the app refuses it with one Dutch message.
"""
from __future__ import annotations

import functools
import gzip
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import json
import subprocess
import sys

import pandas as pd

from apptest_helpers import run_app, texts
from conftest import HAVE_RAW, REAL_PACK, ROOT, real_text
from lib import loaders, world
from lib import registry as R
from lib.errors import DataPackError

KWB = "kwb/kwb_gemeenten_panel_clean.csv"
EST = "business/business_establishments_gemeente_kwb2020_clean.csv"
LONELY = "civic/loneliness_volunteering_gemeente_2016_2020_clean.csv"
BIJSTAND = "unemployment/national_bijstand_quarterly_85585NED.csv"
EMISSION = "commuting/emission_factors_passenger_transport_co2emissiefactoren_2026.csv"
MATRIX = "commuting/wk_banen_edwindj_commute.csv.gz"


#: A column each loader needs (renaming an unused column is rightly harmless).
USED_COLUMN = {KWB: "ww_personen", EST: "gm_code", LONELY: "eenzaam_pct",
               BIJSTAND: "Personen met bijstand (aantal)", EMISSION: "kg_co2eq_per_unit_WTW"}


def _swap_cell(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@functools.lru_cache(maxsize=None)
def _mutations(rel: str) -> dict[str, str | bytes | None]:
    """Synthetic defects for one pack file (label → replacement content; None = removed)."""
    if rel == MATRIX:  # the first 5,000 rows of the real matrix carry the defect (the loader checks all rows)
        raw = "\n".join(gzip.decompress((REAL_PACK / rel).read_bytes()).decode().splitlines()[:5000]) + "\n"
        return {"ontbreekt": None, "leeg": b"",
                "kolom hernoemd": gzip.compress(raw.replace("banen", "jobs", 1).encode()),
                "tekst in getal": gzip.compress(_swap_cell(raw, ",1\n", ",veel\n").encode()),
                "ongeldige wijkcode": gzip.compress(raw.replace("WK000300", "WKXX0300", 1).encode())}
    text = real_text(rel)
    header = text.splitlines()[0]
    used = USED_COLUMN[rel]
    out = {"ontbreekt": None, "leeg": "", "alleen kop": header + "\n",
           "kolom hernoemd": text.replace(header, header.replace(used, used + "_x", 1), 1)}
    if "GM0003" in text:
        out["dubbele code"] = _swap_cell(text, "GM0010,", "GM0003,")
        out["onbekende code"] = _swap_cell(text, "GM0010,", "GM9999,")
        out["kapotte code"] = _swap_cell(text, "GM0010,", "GMO010,")
    if rel == BIJSTAND:
        out["tekst in getal"] = _swap_cell(text, "431550", "veel")
    if rel == EMISSION:
        out["tekst in getal"] = _swap_cell(text, ",0.19,", ",nul komma negentien,")
    if rel == EST:
        out["tekst in getal"] = _swap_cell(text, ",610,", ",zeshonderd,")
    return out


#: The raw loader of each file (the build reads raw files only through these).
LOADER = {KWB: loaders.load_kwb, BIJSTAND: loaders.load_bijstand_quarterly, EST: loaders.load_establishments,
          LONELY: loaders.load_loneliness, EMISSION: loaders.load_emission_factors, MATRIX: loaders.load_commuting_matrix}
CASES = [(rel, label) for rel in LOADER for label in _mutations(rel)] if HAVE_RAW else []


@pytest.mark.parametrize("rel, label", CASES, ids=[f"{r.split('/')[-1][:18]}-{l}" for r, l in CASES])
def test_broken_raw_file_gives_dutch_message(make_pack, rel, label):
    make_pack({rel: _mutations(rel)[label]})
    with pytest.raises(DataPackError) as info:
        LOADER[rel]()
    message = str(info.value)
    assert rel in message, message  # names the file
    assert any(w in message for w in ("ontbreekt", "leeg", "kolom", "getal", "gemeentecode", "ongeldige",
                                      "niet te lezen", "meer dan één keer")), message


def test_build_refuses_broken_raw_file_and_keeps_the_last_good_pack(make_pack, app_pack_copy):
    raw = make_pack({KWB: _mutations(KWB)["dubbele code"]})
    before = (app_pack_copy / "manifest.json").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "lib.build", "--raw", str(raw), "--out", str(app_pack_copy)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert KWB in proc.stderr and "meer dan één keer" in proc.stderr and "Traceback" not in proc.stderr
    assert (app_pack_copy / "manifest.json").read_bytes() == before  # the old pack is untouched
    assert not [p for p in app_pack_copy.parent.iterdir() if p.name.startswith(".pack-")]  # no half pack left


def _rewrite_table(pack, name: str, change) -> None:
    """Change a pack table and record its new hash, as a careless hand-edit with a re-hash would."""
    manifest = json.loads((pack / "manifest.json").read_text())
    path = pack / manifest["tabellen"][name]["bestand"]
    df = change(pd.read_parquet(path))
    df.to_parquet(path)
    manifest["tabellen"][name]["sha256"] = world.sha256(path)
    (pack / "manifest.json").write_text(json.dumps(manifest))


DAMAGE = {
    "onleesbare tabel": (lambda p: (p / "indicatoren_basis.parquet").write_bytes(b"PAR1 kapot"),
                         ["indicatoren_basis.parquet", "controlesom"]),
    "manifest ontbreekt": (lambda p: (p / "manifest.json").unlink(), ["manifest.json", "bouw het pakket opnieuw"]),
    "manifest kapot": (lambda p: (p / "manifest.json").write_text("{"), ["manifest.json", "niet te lezen"]),
    "kaart afgekapt": (lambda p: (p / "geo/grenzen_gemeente.geojson").write_text('{"type": "Feat'),
                       ["grenzen_gemeente.geojson", "controlesom"]),
    "totaal veranderd": (lambda p: _rewrite_table(p, "indicatoren_basis", lambda df: df.assign(
        waarde=df["waarde"].where(~((df["indicator"] == "inwoners") & (df["gemeente_code"] == "GM0363")),
                                  df["waarde"] * 2))), ["inwoners 2020", "in de bron"]),
    "onbekende code": (lambda p: _rewrite_table(p, "woonwerk_model", lambda df: df.assign(
        gemeente_code=df["gemeente_code"].replace({"GM0363": "GM9999"}))), ["GM9999", "342"]),
}
PAGES = ["pages/overzicht.py", "pages/werkloosheid.py", "pages/mkb.py", "pages/initiatieven.py",
         "pages/woonwerk_co2.py", "pages/bronnen.py"]


@pytest.mark.parametrize("label", list(DAMAGE))
def test_damaged_app_pack_is_refused_with_one_dutch_message(app_pack_copy, label, tmp_path, monkeypatch):
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/r.sqlite")
    damage, words = DAMAGE[label]
    damage(app_pack_copy)
    page = PAGES[list(DAMAGE).index(label) % len(PAGES)]
    at = run_app("GM0363", page)
    assert not at.exception, at.exception
    message = texts(at.error)
    assert "kunnen niet worden geladen" in message and all(w in message for w in words), message
    assert len(at.error) == 1  # one message, not one per figure
    assert str(app_pack_copy) not in message and "/tmp" not in message  # no server paths for visitors


NASTY_URLS = ["", " ", "GM", "GM00000", "gm-0363", "0", "99999", "'; DROP TABLE initiatieven; --", "%00",
              "<svg onload=alert(1)>", "🙂", "GM0363" * 2000, "GM0363&gemeente=GM0014", "../../etc/passwd"]


@pytest.mark.parametrize("value", NASTY_URLS, ids=range(len(NASTY_URLS)))
def test_nonsense_url_parameter(value):
    at = run_app(value)
    assert not at.exception, at.exception
    assert at.session_state["gemeente"] in ("GM0363", "GM0000") or at.session_state["gemeente"].startswith("GM")
    assert at.session_state["gemeente"] == "GM0363"  # nothing valid in these: the default
    if value.strip():
        assert texts(at.warning), "a notice about the link"
    assert "<svg" not in texts(at.warning).replace("\\<svg", "")  # only as escaped text


# --- registry input, property-based ---------------------------------------------------------------

@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    reg = R.Registry(sa.create_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/fuzz.sqlite"))
    reg.seed_if_empty()
    return reg


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=160)
records = st.fixed_dictionaries({
    "naam": st.one_of(text, st.sampled_from(["", "  ", "<script>alert(1)</script>", "Buurthulp"])),
    "thema": st.one_of(st.sampled_from(R.THEMES), text),
    "gemeente_code": st.one_of(st.sampled_from(["GM0363", "GM0014", "GM9999", "gm0363", ""]), text),
    "latitude": st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), text),
    "longitude": st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), text),
    "website": st.one_of(st.none(), text, st.sampled_from(["https://a.nl", "javascript:x", "http://", "ftp://b"])),
    "startdatum": st.one_of(st.none(), st.dates(), text, st.just(date.today() + timedelta(days=3))),
    "bron": st.one_of(text, st.just("fuzz")),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records)
def test_registry_add_never_crashes_and_rejects_without_change(registry, record):
    before = registry.token()
    try:
        new_id = registry.add(record)
    except R.ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for _, _, m in exc.errors)
        assert registry.token() == before  # nothing stored
    else:
        assert registry.token()[:2] == (before[0] + 1, new_id)
        row = registry.rows().set_index("id").loc[new_id]
        assert row["naam"] == R.clean_text(str(record["naam"]))  # as stored: controls out, spaces collapsed
        assert row["thema"] in R.THEMES and row["gemeente_code"] in ("GM0363", "GM0014")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000),
                      st.lists(st.lists(text, min_size=1, max_size=9), max_size=6).map(
                          lambda rows: ("naam,thema,gemeente_code,latitude,longitude,website,startdatum,bron\n"
                                        + "\n".join(",".join(r) for r in rows)).encode("utf-8", "replace"))))
def test_csv_import_never_crashes_and_is_all_or_nothing(registry, data):
    before = registry.token()
    try:
        rows = R.read_csv_upload(data)
    except R.CsvError as exc:
        assert str(exc)
        return
    try:
        n = registry.import_records(rows)
    except R.ValidationError:
        assert registry.token() == before
    else:
        assert registry.token()[0] == before[0] + n == before[0] + len(rows)


@pytest.mark.parametrize("value, shown", [("![x](http://h.example/p.png)", "\\!\\[x\\]\\(http"),
                                          ("[Log opnieuw in](http://h.example)", "\\[Log opnieuw in\\]\\(")])
def test_url_markdown_is_shown_as_text(value, shown):
    at = run_app(value)
    assert not at.exception
    assert shown in texts(at.warning)  # escaped: no image fetched, no link in our own warning


def test_production_config_shows_no_tracebacks():
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_locked_sqlite_gives_a_dutch_message_and_stores_nothing(tmp_path):
    import sqlite3
    path = tmp_path / "locked.sqlite"
    reg = R.Registry(sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.2}))
    reg.seed_if_empty()
    before = reg.count()
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another writer holds the database
    try:
        with pytest.raises(R.SourceUnavailable, match="niets opgeslagen"):
            reg.add({"naam": "Tijdens een slot", "thema": "overig", "gemeente_code": "GM0363", "bron": "test"})
    finally:
        other.rollback()
        other.close()
    assert reg.count() == before


def test_an_outage_is_remembered_for_a_few_seconds():
    from lib import civic
    url = "postgresql+psycopg://niemand@127.0.0.1:1/weg"
    with pytest.raises(R.SourceUnavailable, match="niet bereikbaar"):
        civic.open_registry(url)
    first = civic._OUTAGES[url]
    with pytest.raises(R.SourceUnavailable, match="niet bereikbaar"):
        civic.open_registry(url)
    assert civic._OUTAGES[url] == first  # not tried again within OUTAGE_TTL_S


def test_registry_table_neutralises_formulas_for_the_toolbar_download(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/formula.sqlite"
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", url)
    reg = R.Registry(sa.create_engine(url))
    reg.seed_if_empty()
    reg.add({"naam": '=HYPERLINK("http://x.example","klik")', "thema": "overig", "gemeente_code": "GM0363",
             "bron": "@SUM(A1)"})
    at = run_app("GM0363", "pages/initiatieven.py")
    assert not at.exception
    table = at.dataframe[-1].value
    names = table.iloc[:, 0].tolist()
    assert "'=HYPERLINK(\"http://x.example\",\"klik\")" in names and not any(str(n).startswith("=") for n in names)
    assert "'@SUM(A1)" in table.iloc[:, 5].tolist()
