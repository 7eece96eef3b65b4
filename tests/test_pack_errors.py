"""A missing, empty or malformed pack file gives one clear Dutch error naming the file."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, real_text
from lib import loaders
from lib.errors import DataPackError

KWB = "kwb/kwb_gemeenten_panel_clean.csv"
EST = "business/business_establishments_gemeente_kwb2020_clean.csv"


def _error(func) -> DataPackError:
    with pytest.raises(DataPackError) as info:
        func()
    return info.value


def test_missing_raw_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("GEMEENTEN_RAW_DIR", str(tmp_path / "nergens"))
    err = _error(loaders.load_kwb)
    assert "bestaat niet" in str(err) and "nergens" in str(err)


def test_missing_file(make_pack):
    make_pack({KWB: None})
    err = _error(loaders.load_kwb)
    assert err.file == KWB and "ontbreekt" in err.problem


def test_empty_file(make_pack):
    make_pack({EST: ""})
    err = _error(loaders.load_establishments)
    assert err.file == EST and "leeg" in err.problem


def test_header_only_file(make_pack):
    make_pack({EST: real_text(EST).splitlines()[0] + "\n"})
    assert "leeg" in _error(loaders.load_establishments).problem


def test_renamed_column(make_pack):
    make_pack({KWB: real_text(KWB).replace("ww_personen", "ww_aantal", 1)})
    err = _error(loaders.load_kwb)
    assert "kolom 'ww_personen' ontbreekt" in err.problem and "ww_aantal" in err.problem


def test_misspelled_gm_code(make_pack):
    make_pack({EST: real_text(EST).replace("GM0363,", "GM03x3,", 1)})
    err = _error(loaders.load_establishments)
    assert "GM03x3" in err.problem and "gm_code" in err.problem


def test_unknown_gm_code(make_pack):
    make_pack({EST: real_text(EST).replace("GM0363,", "GM9999,", 1)})
    err = _error(loaders.load_establishments)
    assert "GM9999" in err.problem and "indeling 2020" in err.problem


def test_duplicate_gm_code(make_pack):
    make_pack({EST: real_text(EST).replace("GM0010,", "GM0003,", 1)})
    err = _error(loaders.load_establishments)
    assert "GM0003" in err.problem and "meer dan één keer" in err.problem


def test_text_in_numeric_column(make_pack):
    lines = real_text(EST).splitlines()
    fields = lines[3].split(",")
    fields[3] = "veel"  # vest_totaal_excl_OQ
    lines[3] = ",".join(fields)
    make_pack({EST: "\n".join(lines) + "\n"})
    err = _error(loaders.load_establishments)
    assert "geen getal" in err.problem and "'veel'" in err.problem and "rij 4" in err.problem


def test_corrupt_geojson(make_pack):
    make_pack({"geo/gemeente_2023.geojson": '{"type": "FeatureCollection", "features": [ {'})
    err = _error(lambda: loaders.load_boundaries("gemeente", 2023))
    assert err.file == "geo/gemeente_2023.geojson" and "niet te lezen" in err.problem


def test_export_cli_reports_error_without_traceback(app_pack_copy, tmp_path):
    pack = app_pack_copy
    (pack / "indicatoren_basis.parquet").write_bytes(b"kapot")
    proc = subprocess.run([sys.executable, "-m", "lib.export", "--out", str(tmp_path / "x.csv")],
                          cwd=ROOT, capture_output=True, text=True,
                          env={"GEMEENTEN_DATA_DIR": str(pack), "PATH": "/usr/bin:/bin",
                               "GEMEENTEN_REGISTRY_URL": f"sqlite:///{tmp_path}/registry.sqlite"})
    assert proc.returncode == 2
    assert "indicatoren_basis.parquet" in proc.stderr and "Traceback" not in proc.stderr


def test_pack_memo_bound_evicts_least_recently_used():
    from lib.pack import pack_memo
    calls = []

    @pack_memo(maxsize=2)
    def square(x):
        calls.append(x)
        return [x * x]

    for x in (1, 2, 1, 3, 2, 1):
        assert square(x) == [x * x]
    assert calls == [1, 2, 3, 2, 1]  # 1 was reused once; 3 evicted 2, 2 evicted 1
    result = square(1)
    result.append(0)
    assert square(1) == [1]  # callers get copies
