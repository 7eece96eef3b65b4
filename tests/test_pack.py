"""The app-ready pack: committed, within budget, reproducible from the raw sources, checked on
load, read as one data world, and enough on its own to run the app from a fresh clone."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading

import pandas as pd
import pytest
import shapely

from conftest import APP_PACK, ROOT, needs_raw
from lib import build, checks, civic, indicators, world
from lib.registry import Registry

BUDGET = 8 * 1024 * 1024


def test_required_tables_are_exactly_the_registered_builders():
    assert set(build.register_all()) == set(checks.REQUIRED_TABLES)


def test_committed_pack_within_budget_with_manifest():
    files = [p for p in APP_PACK.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= BUDGET
    manifest = json.loads((APP_PACK / "manifest.json").read_text())
    assert manifest["pijplijn_versie"] == world.PIPELINE_VERSION and manifest["gebouwd"]
    kwb = manifest["datasets"]["kwb2020"]
    assert kwb["cbs_tabel"] == "84799NED" and kwb["licentie"] == "CC BY 4.0" and kwb["peildatum"]
    assert all(len(h) == 64 for h in kwb["bestanden"].values())  # sha256 of every input file
    listed = {e["bestand"] for e in manifest["tabellen"].values()} | {"manifest.json"}
    assert listed == {str(p.relative_to(APP_PACK)) for p in files}  # nothing unlisted, nothing missing
    for entry in manifest["tabellen"].values():
        assert entry["sha256"] == world.sha256(APP_PACK / entry["bestand"]) and entry["rijen"] > 0


def test_export_totals_unchanged():
    table = indicators.indicator_table()
    total = table.groupby(["indicator", "periode"])["waarde"].sum()
    assert total[("inwoners", "2020")] == 17_407_585
    assert total[("ww_personen", "2020")] == 238_780
    assert total[("vestigingen_totaal", "2020")] == 1_720_545


def test_manifest_records_raw_totals_equal_to_the_pack():
    manifest = world.world().manifest
    for label, entry in manifest["totalen"].items():
        assert entry["bron"] == pytest.approx(entry["pakket"], rel=1e-12), label
    assert manifest["totalen"]["inwoners 2020"]["bron"] == 17_407_585


@needs_raw
def test_rebuild_equals_the_committed_pack_value_by_value(built_pack):
    rebuilt = built_pack("zonder_wijziging", {})
    old = json.loads((APP_PACK / "manifest.json").read_text())
    new = json.loads((rebuilt / "manifest.json").read_text())
    assert new["tabellen"].keys() == old["tabellen"].keys()
    assert new["datasets"] == old["datasets"]  # same raw inputs (sha256 per file)
    assert new["totalen"] == old["totalen"]
    for name, entry in old["tabellen"].items():
        a, b = APP_PACK / entry["bestand"], rebuilt / new["tabellen"][name]["bestand"]
        if entry["soort"] == "frame":
            pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b), check_exact=False, rtol=1e-12)
        elif entry["soort"] == "json":
            assert _close(json.loads(a.read_text()), json.loads(b.read_text())), name
        else:
            ga, gb = world.world().raw(name), world.load(rebuilt).raw(name)
            assert list(ga["statcode"]) == list(gb["statcode"]) and list(ga["statnaam"]) == list(gb["statnaam"])
            assert shapely.equals_exact(ga.geometry.to_numpy(), gb.geometry.to_numpy(), tolerance=0).all(), name


def _close(x, y) -> bool:
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_close(x[k], y[k]) for k in x)
    if isinstance(x, float):
        return y == pytest.approx(x, rel=1e-12)
    return x == y


def test_geometry_is_one_coverage_with_four_decimals():
    gem = world.world().raw("grenzen_gemeente")
    assert len(gem) == 342 and gem.geometry.is_valid.all()
    coords = shapely.get_coordinates(gem.geometry.to_numpy())
    assert (abs(coords * 10_000 - (coords * 10_000).round()) < 1e-6).all()  # 4 decimals
    # neighbours still meet: Amsterdam and Amstelveen share a border, and no two gemeenten overlap much
    by = gem.set_index("statcode").geometry
    assert by["GM0363"].buffer(1e-6).intersects(by["GM0362"])
    assert by["GM0363"].intersection(by["GM0362"]).area < 1e-7


def test_world_loads_once_under_concurrent_first_use(monkeypatch):
    world.forget()
    calls = []
    real = world.load

    def counting(root):
        calls.append(root)
        return real(root)

    monkeypatch.setattr(world, "load", counting)  # our own module, to count loads
    results = []
    threads = [threading.Thread(target=lambda: results.append(world.world())) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1 and len({id(w) for w in results}) == 1


def test_world_hands_out_copies():
    gem = world.world().get("gemeenten")
    gem.loc[:, "gemeente_naam"] = "x"
    assert world.world().get("gemeenten")["gemeente_naam"].iloc[0] != "x"


def test_registry_write_does_not_touch_pack_figures(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/r.sqlite"
    monkeypatch.setenv("GEMEENTEN_REGISTRY_URL", url)
    ww_before, ini_before = indicators.token_for("ww_per_1000"), indicators.token_for("initiatieven_per_10k")
    pack_index = indicators._pack_index()
    reg = civic.open_registry(url)
    assert isinstance(reg, Registry)
    reg.add({"naam": "Buurtsoep Vaals", "thema": "voedsel", "gemeente_code": "GM0981", "bron": "test"})
    assert indicators.token_for("ww_per_1000") == ww_before == ()
    assert indicators.token_for("initiatieven_per_10k") != ini_before
    assert indicators._pack_index() is not None and indicators.values("ww_per_1000", "2020").equals(
        pack_index[("ww_per_1000", "2020")])


def test_app_never_reads_raw_sources(monkeypatch, tmp_path):
    """With the raw directory pointed at nothing, every pack figure is still there."""
    monkeypatch.setenv("GEMEENTEN_RAW_DIR", str(tmp_path / "geen_bronnen"))
    world.forget()
    assert len(world.world().get("gemeenten")) == 342
    from lib import commuting, export, unemployment
    assert commuting.model().per_gemeente["werknemersbanen"].sum() > 7_000_000
    assert len(unemployment.national_trend()) > 20
    assert len(export.export_table()) > 10_000


FRESH_CLONE_SCRIPT = textwrap.dedent("""
    import subprocess, sys
    from streamlit.testing.v1 import AppTest
    pages = ["pages/overzicht.py", "pages/werkloosheid.py", "pages/mkb.py", "pages/initiatieven.py",
             "pages/woonwerk_co2.py", "pages/bronnen.py"]
    for page in pages:
        at = AppTest.from_file("app.py", default_timeout=120)
        at.query_params["gemeente"] = "GM1979"
        at.run()
        if page != pages[0]:
            at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        assert at.title, page
        print("OK", page)
    out = subprocess.run([sys.executable, "-m", "lib.export", "--out", "export.csv"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    print("OK export", out.stdout.strip())
    from lib import report
    html = report.html_report("GM1979").decode()
    assert "Eemsdelta" in html and "<svg" in html
    print("OK report", len(html))
""")


def test_fresh_clone_runs_every_page_the_export_and_the_report(tmp_path):
    """A copy of the repository with nothing next to it (no ../shared) runs on the committed pack."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    clone = tmp_path / "leeg" / "gemeenten"
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, clone / rel)
    assert not (clone.parent / "shared").exists() and (clone / "data/pack/manifest.json").is_file()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEMEENTEN_")}
    proc = subprocess.run([sys.executable, "-c", FRESH_CLONE_SCRIPT], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert proc.stdout.count("OK ") == 8, proc.stdout
    assert (clone / "export.csv").stat().st_size > 100_000
