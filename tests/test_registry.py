"""The registry: schema and migrations, seed import, validation, CSV all-or-nothing, safety.

Every database test runs against SQLite and against PostgreSQL. The PostgreSQL run uses
$GEMEENTEN_TEST_PG_URL (set by .ci/run, which starts a server); it is skipped only when no
server is available locally, and fails in CI.
"""
from __future__ import annotations

import os
from datetime import date, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.config import raw_dir
from lib import choropleth, civic, downloads, indeling, loaders
from lib import registry as R

PG_URL = os.environ.get("GEMEENTEN_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = sa.create_engine(f"sqlite:///{tmp_path}/registry.sqlite")
    else:
        if not PG_URL:
            if os.environ.get("CI"):
                pytest.fail("CI must provide PostgreSQL: GEMEENTEN_TEST_PG_URL is not set")
            pytest.skip("no PostgreSQL server available locally (set GEMEENTEN_TEST_PG_URL)")
        eng = sa.create_engine(PG_URL)
        R.metadata.drop_all(eng)
    yield eng
    if request.param == "postgresql":
        R.metadata.drop_all(eng)
    eng.dispose()


@pytest.fixture
def reg(engine):
    registry = R.Registry(engine)
    registry.seed_if_empty()
    return registry


GOOD = {"naam": "Buurtsoep Oost", "thema": "voedsel", "gemeente_code": "GM0363", "latitude": "52.3600",
        "longitude": "4.9300", "website": "https://example.org/soep", "startdatum": "2020-04-01", "bron": "test"}


def test_schema_created_with_version_and_migrations(engine, monkeypatch):
    registry = R.Registry(engine)
    assert registry.ensure_schema() == R.SCHEMA_VERSION
    assert registry.ensure_schema() == R.SCHEMA_VERSION  # idempotent
    applied = []
    monkeypatch.setattr(R, "SCHEMA_VERSION", R.SCHEMA_VERSION + 1)
    monkeypatch.setitem(R.MIGRATIONS, R.SCHEMA_VERSION, lambda conn: applied.append(True))
    assert registry.ensure_schema() == R.SCHEMA_VERSION and applied == [True]
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.max(R.schema_versie.c.versie))).scalar() == R.SCHEMA_VERSION


def test_seed_counts_sources_and_no_descriptions(reg):
    rows = reg.rows()
    assert len(rows) == len(loaders.load_helpradar()) + len(loaders.load_coronapioniers()) == 935
    counts = rows["bron"].value_counts()
    assert counts["wijamsterdam.nl"] == 235 and counts["nlvoorelkaar.nl"] == 187 and counts["VPRO Coronapioniers"] == 200
    assert "description" not in rows.columns and "omschrijving" not in rows.columns
    assert set(rows["peildatum"].astype(str)) == {"2020-04-10", "2020-06-16"}
    assert reg.seed_if_empty() is None and reg.count() == 935  # only when empty


def test_seed_gemeente_assignment(reg):
    rows = reg.rows()
    by_point = rows[rows["toewijzing"] == "punt"]
    # every point-assigned row lies inside its gemeente
    inside = R.assign_points(by_point["latitude"], by_point["longitude"])
    assert (inside == by_point["gemeente_code"]).all()
    unknown = rows[rows["toewijzing"] == "onbekend"]
    assert unknown["gemeente_code"].isna().all() and unknown["latitude"].isna().all()
    assert (rows["gemeente_code"] == "GM0363").sum() == 202
    # agreement with the pack's own name-based guess (2020 codes → 2023) where both exist
    raw = pd.read_csv(raw_dir() / "civic/initiatives_helpradar_2020-04-10_clean.csv",
                      usecols=["id", "gm_code_guess"])
    table = indeling.conversion_table()
    whole = table[table["weight"] == 1].set_index("code")["code_2023"]
    guess = raw.set_index("id")["gm_code_guess"].map(whole)
    hr = rows[rows["bron_ref"].str.startswith("helpradar:") & rows["gemeente_code"].notna()].copy()
    hr["guess"] = hr["bron_ref"].str.split(":").str[1].astype(int).map(guess)
    both = hr.dropna(subset=["guess"])
    assert len(both) > 250 and (both["gemeente_code"] == both["guess"]).mean() > 0.95


def test_location_text_only_when_unambiguous():
    assert R.gemeente_named_in("8043TS Kampen") == "GM0166"
    assert R.gemeente_named_in("Stationsomgeving (Heiloo)") == "GM0399"
    assert R.gemeente_named_in("Centrum (Alkmaar), Schoorl (Bergen (NH.))") is None  # two gemeenten
    assert R.gemeente_named_in("Bergen") is None  # two gemeenten are called Bergen
    assert R.gemeente_named_in("Landelijk") is None


def test_add_and_duplicate(reg):
    new_id = reg.add(GOOD)
    rows = reg.rows().set_index("id")
    assert rows.loc[new_id, "naam"] == "Buurtsoep Oost" and rows.loc[new_id, "toewijzing"] == "invoer"
    with pytest.raises(R.ValidationError, match="Er staat al een initiatief"):
        reg.add({**GOOD, "naam": "  buurtsoep   OOST "})
    reg.add({**GOOD, "gemeente_code": "GM0599", "latitude": "", "longitude": ""})  # same name elsewhere: fine
    assert reg.count() == 937


@pytest.mark.parametrize("change, fragment", [
    ({"naam": "   "}, "Vul een naam in"),
    ({"naam": "x" * 121}, "te lang"),
    ({"thema": "sport"}, "Onbekend thema"),
    ({"gemeente_code": "GM9999"}, "Onbekende gemeentecode"),
    ({"latitude": "52.36", "longitude": ""}, "zowel de breedtegraad"),
    ({"latitude": "abc"}, "geen geldige getallen"),
    ({"latitude": "48.8566", "longitude": "2.3522"}, "niet in Nederland"),
    ({"latitude": "51.9225", "longitude": "4.4792"}, "niet in Amsterdam maar in Rotterdam"),
    ({"website": "javascript:alert(1)"}, "http:// of https://"),
    ({"website": "ftp://example.org"}, "http:// of https://"),
    ({"website": "https://"}, "domeinnaam"),
    ({"startdatum": (date.today() + timedelta(days=1)).isoformat()}, "toekomst"),
    ({"startdatum": "31-02-2020"}, "geen geldige datum"),
    ({"bron": ""}, "Vul de bron in"),
])
def test_validation_messages_and_nothing_stored(reg, change, fragment):
    before = reg.token()
    with pytest.raises(R.ValidationError, match=fragment):
        reg.add({**GOOD, **change})
    assert reg.token() == before


def test_csv_one_bad_row_imports_nothing(reg):
    csv = ("naam,thema,gemeente_code,latitude,longitude,website,startdatum,bron\n"
           "Goed 1,voedsel,GM0363,,,https://a.nl,2020-05-01,csv\n"
           "Slecht,voedsel,GM0363,,,javascript:alert(1),2020-05-01,csv\n"
           "Goed 2;x,overig,GM0014,,,,,csv\n").encode()
    before = reg.token()
    with pytest.raises(R.ValidationError) as info:
        reg.import_records(R.read_csv_upload(csv))
    assert [(row, field) for row, field, _ in info.value.errors] == [(2, "website")]
    assert reg.token() == before


def test_csv_all_good_imports_all_and_catches_duplicates_within_file(reg):
    good = "naam;thema;gemeente_code;bron\nA;voedsel;GM0363;csv\nB;overig;GM0014;csv\n".encode("cp1252")
    assert reg.import_records(R.read_csv_upload(good)) == 2
    dup = "naam,thema,gemeente_code,bron\nC,voedsel,GM0363,csv\nc ,voedsel,GM0363,csv\n".encode()
    with pytest.raises(R.ValidationError, match="Er staat al"):
        reg.import_records(R.read_csv_upload(dup))
    assert reg.count() == 937


@pytest.mark.parametrize("data, fragment", [
    (b"", "leeg"), (b"naam,thema\nA,voedsel\n", "gemeente_code"), (b"\x00\x01\x02\xff" * 10, "ontbreken"),
    (b"naam,thema,gemeente_code,bron\n", "leeg"), (b"x" * (R.MAX_CSV_BYTES + 1), "te groot"),
    (b"naam,thema,gemeente_code\nA,voedsel,GM0363\n", "bron ontbreken. Verplicht zijn: naam, thema, gemeente_code, bron"),
    (b"naam,thema,gemeente_code,bron\nA,voedsel,GM0363,x\nB,voedsel,GM0363,x,y,z\n", "regel 3 heeft 6 velden"),
])
def test_bad_csv_files(data, fragment):
    with pytest.raises(R.CsvError, match=fragment) as err:
        R.read_csv_upload(data)
    assert "Error tokenizing" not in str(err.value) and "Expected" not in str(err.value)  # Dutch only


def test_template_and_dutch_dates_import(reg):
    rows = R.read_csv_upload(R.csv_template())  # what the page offers as an example imports as it is
    assert rows[0]["naam"] == "Buurtmaaltijd De Pijp" and rows[0]["startdatum"] == "01-04-2020"
    before = reg.count()
    reg.import_records(rows)
    stored = reg.rows().iloc[-1]
    assert reg.count() == before + 1 and str(stored["startdatum"]).startswith("2020-04-01")
    assert abs(float(stored["latitude"]) - 52.3545) < 1e-9  # decimal comma read as such
    for text in ("1-4-2020", "01/04/2020", "2020-04-01"):
        assert R._date(text).isoformat() == "2020-04-01"


XSS = ['<script>alert("x")</script>', '<img src=x onerror="alert(1)">']


def test_user_text_is_stored_verbatim_and_rendered_inert(reg):
    for i, name in enumerate(XSS):
        reg.add({**GOOD, "naam": name, "latitude": "", "longitude": "", "bron": f"xss {i}"})
    rows = reg.rows()
    assert set(XSS) <= set(rows["naam"])
    points = choropleth.point_data(rows[rows["naam"].isin(XSS)].assign(latitude=52.37, longitude=4.89),
                                   ["naam", "thema"])
    html = choropleth.build_map({}, "x", geometry_url="/x.geojson", points=points, point_fields=["naam", "thema"]) \
        .get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html
    # written as JSON escapes (read back literally by JavaScript, shown with textContent)
    assert "\\u003cscript\\u003ealert" in html and "\\u003cimg src=x onerror=" in html


def test_csv_export_neutralises_formulas():
    out = downloads.plain_csv(pd.DataFrame({"naam": ["=HYPERLINK(\"http://x\")", "gewoon", "+31 6"], "n": [1, 2, 3]}))
    text = out.decode()
    assert "'=HYPERLINK" in text and "'+31 6" in text and "\ngewoon," in text


def test_density_follows_the_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/density.sqlite")
    from lib import indicators
    reg = civic.open_registry()
    table = civic.density(reg.rows())
    inw = indicators.values("inwoners", "2020")["GM0363"]
    assert table.loc["GM0363", "aantal"] == 193 and table.loc["GM0363", "hulpvragen"] == 9  # requests apart
    assert table.loc["GM0363", "per_10k"] == pytest.approx(193 / inw * 10_000)
    before = indicators.values("initiatieven_aantal")["GM0014"]
    reg.add({**GOOD, "gemeente_code": "GM0014", "latitude": "", "longitude": ""})
    assert indicators.values("initiatieven_aantal")["GM0014"] == before + 1  # no restart needed
    nl = civic.national_loneliness()
    assert nl["eenzaam_65plus_pct"] == 49.5 and nl["vrijwilligerswerk_65plus_pct"] == 27.5
    spots = civic.blind_spots(table, reg.rows())
    assert (spots["eenzaam_65plus_pct"] > 49.5).all() and len(spots) > 10


# --- uniqueness enforced by the database, under concurrency -----------------------------------

def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_normalised_key_catches_look_alikes():
    base = R._norm_name("Buurtsoep Oost")
    for variant in ("buurtsoep  oost", "Buurtsoep\u200b Oost", "BUURTSOEP OOST", "Buurtsoep\u202e Oost",
                    "Buurtsoep\tOost "):
        assert R._norm_name(variant) == base, variant
    assert R._norm_name("Café") == R._norm_name("Cafe\u0301")  # NFC and NFD
    assert R._norm_name("\u200b\u200d\u202e") == "" and R.clean_text("a\x00b\x1b[31mc") == "a bc"


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u202d", "\x1b[2J", "\x00", " \u2066 "])
def test_names_of_only_invisible_characters_are_refused(reg, name):
    with pytest.raises(R.ValidationError, match="onzichtbare"):
        reg.add({**GOOD, "naam": name, "latitude": "", "longitude": ""})


def test_look_alike_duplicate_refused(reg):
    reg.add({**GOOD, "latitude": "", "longitude": ""})
    with pytest.raises(R.ValidationError, match="Er staat al"):
        reg.add({**GOOD, "naam": "buurtsoep\u200b oost", "latitude": "", "longitude": ""})


def test_concurrent_adds_store_exactly_one_row(reg, engine):
    """Eight threads, each with its own engine, add the same initiative at once."""
    import threading
    url, barrier, results = _url(engine), threading.Barrier(8), []

    def worker():
        own = R.Registry(sa.create_engine(url))
        barrier.wait()
        try:
            results.append(("ok", own.add({**GOOD, "latitude": "", "longitude": ""})))
        except R.ValidationError as exc:
            results.append(("dubbel", exc.errors[0][2]))
        except Exception as exc:  # e.g. "database is locked": told, nothing stored
            results.append(("fout", str(exc)))
        finally:
            own.engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    rows = reg.rows()
    assert (rows["naam"] == GOOD["naam"]).sum() == 1
    assert [r for r in results if r[0] == "ok"].__len__() == 1
    assert all("Er staat al" in m or "niets opgeslagen" in m for kind, m in results if kind != "ok")


CONCURRENT_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
import sqlalchemy as sa
from lib import registry as R
reg = R.Registry(sa.create_engine({url!r}))
time.sleep(max(0.0, {start} - time.time()))
reg.seed_if_empty()
try:
    reg.add({record!r})
    print("ok")
except R.ValidationError as exc:
    print("dubbel", exc.errors[0][2])
"""


def test_processes_seeding_and_adding_at_once(engine):
    """Four processes start on an empty database at the same moment: one seed, one row, no error."""
    import subprocess
    import sys
    import time

    from conftest import ROOT
    start = time.time() + 6
    script = CONCURRENT_SCRIPT.format(root=str(ROOT), url=_url(engine), start=start,
                                      record={**GOOD, "latitude": "", "longitude": ""})
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-800:] for o in outs]
    lines = [o[0].strip() for o in outs]
    assert sorted(x.split(" ")[0] for x in lines) == ["dubbel", "dubbel", "dubbel", "ok"], lines
    reg = R.Registry(engine)
    assert reg.count() == 936  # the seed once, the initiative once


def test_migration_from_schema_1_keeps_old_duplicates(engine):
    """A registry of schema 1 (no unique key) that already holds a duplicate keeps both rows."""
    reg = R.Registry(engine)
    reg.seed_if_empty()
    with engine.begin() as conn:
        for _ in range(2):  # the old bug: two copies of one initiative
            conn.execute(R.initiatieven.insert().values(naam="Dubbel", thema="overig", gemeente_code="GM0363",
                                                        bron="oud", toewijzing="invoer", aangemaakt=R._now()))
        conn.execute(R.schema_versie.delete().where(R.schema_versie.c.versie == 2))
        conn.execute(R.schema_versie.insert().values(versie=1, bijgewerkt=R._now()))
        conn.execute(R.initiatieven.update().values(uniek=None))
    assert reg.ensure_schema() == 2
    rows = reg.rows()
    assert (rows["naam"] == "Dubbel").sum() == 2 and rows["uniek"].notna().all() and rows["uniek"].is_unique
    with pytest.raises(R.ValidationError):
        reg.add({**GOOD, "naam": "dubbel", "latitude": "", "longitude": ""})


def test_seed_kinds_and_private_names(reg):
    rows = reg.rows()
    assert rows["soort"].value_counts().to_dict() == {"initiatief": 554, "hulpvraag": 321, "hulpaanbod": 60}
    assert (rows.loc[rows["bron"] == "nlvoorelkaar.nl", "soort"] == "hulpvraag").all()
    persons = rows[rows["bron"].isin(R.PERSON_PLATFORMS)]
    assert len(persons) == 12 + 24 + 30 + 128 + 187
    assert persons["naam"].str.contains(" via ").all()  # a neutral label, never the person's name
    raw = loaders.load_helpradar()
    private = raw.loc[raw["platform"].isin(R.PERSON_PLATFORMS), "naam"].dropna()
    private = private[private.str.len() > 3]
    assert len(private) > 100 and not set(private) & set(rows["naam"])
    csv = downloads.plain_csv(rows).decode()  # the registry's own download
    assert not [p for p in private if " - " in p and p.split(" - ")[0] in csv]  # "Marianne Wijngaards - …"


def test_wrong_passwords_back_off_per_session_and_globally():
    from lib import throttle as T
    now = [1000.0]
    th = T.PasswordThrottle(clock=lambda: now[0])
    for _ in range(T.FREE_TRIES):
        assert "klopt niet" in T.check_password("fout", "geheim", "a", th)
    assert th.wait("a") > 0 and th.wait("b") == 0  # per session
    message = T.check_password("geheim", "geheim", "a", th)
    assert "Probeer het over" in message  # even the right password waits its turn
    now[0] += 3
    assert T.check_password("geheim", "geheim", "a", th) is None and th.wait("a") == 0  # reset after success
    for i in range(T.GLOBAL_LIMIT):
        th.failed(f"s{i}")  # many sessions, one wrong try each
    assert th.wait("nieuw") > 0  # editing closed for everybody for a while
    now[0] += T.GLOBAL_WINDOW_S + 1
    assert th.wait("nieuw") == 0
    assert T.check_password(None, None, "x", th) is None  # no password set: open mode


def test_moderation_hide_edit_and_audit(reg):
    new = reg.add({**GOOD, "latitude": "", "longitude": ""}, status=R.TE_BEOORDELEN)
    assert new not in set(reg.rows()["id"]) and new in set(reg.rows(R.TE_BEOORDELEN)["id"])
    before = reg.token()
    reg.set_status(new, R.ZICHTBAAR)
    assert reg.token() != before and new in set(reg.rows()["id"])  # a status change is a change
    reg.edit(new, {"naam": "Buurtsoep Oost-Noord"})
    assert reg.rows().set_index("id").loc[new, "naam"] == "Buurtsoep Oost-Noord"
    with pytest.raises(R.ValidationError, match="reden"):
        reg.set_status(new, R.VERBORGEN)  # hiding needs a reason
    reg.set_status(new, R.VERBORGEN, "dubbel met een ander initiatief")
    assert new not in set(reg.rows()["id"]) and new in set(reg.rows(R.VERBORGEN)["id"])  # soft delete
    log = reg.changes(new)
    assert list(log["actie"]) == ["verborgen", "bewerkt", "goedgekeurd", "toegevoegd"]
    import json
    edit = log[log["actie"] == "bewerkt"].iloc[0]
    assert json.loads(edit["voor"])["naam"] == "Buurtsoep Oost" and json.loads(edit["na"])["naam"] == "Buurtsoep Oost-Noord"
    with pytest.raises(R.ValidationError):
        reg.add({**GOOD, "naam": "buurtsoep oost-noord", "latitude": "", "longitude": ""})  # still unique


def test_csv_with_a_doubled_column_is_refused_in_dutch():
    with pytest.raises(R.CsvError, match="meer dan eens"):
        R.read_csv_upload(b"naam,Naam,thema,gemeente_code\nA,B,voedsel,GM0363\n")


def test_an_unreachable_database_gives_the_dutch_message_on_read_and_write():
    broken = R.Registry(sa.create_engine("postgresql+psycopg://niemand@127.0.0.1:1/weg?connect_timeout=1"))
    with pytest.raises(R.SourceUnavailable, match="niet bereikbaar"):
        broken.rows()
    with pytest.raises(R.SourceUnavailable, match="niets opgeslagen"):
        broken.add({**GOOD, "latitude": "", "longitude": ""})


def test_a_failing_query_wrapped_by_pandas_gives_the_dutch_message(tmp_path):
    """pandas.read_sql wraps a failing query in pandas.errors.DatabaseError (here: the table is gone)."""
    reg = R.Registry(sa.create_engine(f"sqlite:///{tmp_path}/weg.sqlite"))
    reg.ensure_schema()
    with reg.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE initiatieven"))
    with pytest.raises(R.SourceUnavailable, match="niet bereikbaar"):
        reg.rows()
