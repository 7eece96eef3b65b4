"""Bad input everywhere a user or a data file can supply it.

Every case ends in a clear Dutch message, the rest of the app keeps working, and nothing
already stored changes when an input is rejected. Data-file cases use a temporary pack
(symlinks to the real one) with one synthetic defect each.
"""
from __future__ import annotations

import gzip
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apptest_helpers import run_app, texts
from conftest import REAL_PACK, real_text
from lib import registry as R

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


def _mutations(rel: str) -> dict[str, str | bytes | None]:
    """Synthetic defects for one pack file (label → replacement content; None = removed)."""
    if rel == MATRIX:
        raw = gzip.decompress((REAL_PACK / rel).read_bytes()).decode()
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


CASES = [(page, rel, label) for page, rel in [
    ("pages/overzicht.py", KWB), ("pages/werkloosheid.py", BIJSTAND), ("pages/mkb.py", EST),
    ("pages/initiatieven.py", LONELY), ("pages/woonwerk_co2.py", EMISSION), ("pages/woonwerk_co2.py", MATRIX),
] for label in _mutations(rel)]


@pytest.mark.parametrize("page, rel, label", CASES, ids=[f"{p.split('/')[1][:-3]}-{r.split('/')[-1][:18]}-{l}"
                                                         for p, r, l in CASES])
def test_broken_pack_file_gives_dutch_message_and_app_keeps_working(make_pack, tmp_path, monkeypatch, page, rel,
                                                                    label):
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", f"sqlite:///{tmp_path}/r.sqlite")
    make_pack({rel: _mutations(rel)[label]})
    at = run_app("GM0363", page)
    assert not at.exception, at.exception
    message = texts(at.error)
    assert rel in message, message  # names the file
    assert any(w in message for w in ("ontbreekt", "leeg", "kolom", "getal", "gemeentecode", "ongeldige",
                                      "niet te lezen", "meer dan één keer")), message
    at.switch_page("pages/bronnen.py").run()  # the rest of the app keeps working
    assert not at.exception and "Bronnen" in texts(at.title)


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
    assert "<svg" not in texts(at.warning)


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
        assert registry.token() == (before[0] + 1, new_id)
        row = registry.rows().set_index("id").loc[new_id]
        assert row["naam"] == " ".join(str(record["naam"]).split())
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
