"""Dutch formatting, text keys, the catalog, and the lib/Streamlit boundary."""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import REAL_PACK, ROOT
from lib import texts_nl
from lib.catalog import DATASETS, INDICATORS
from lib.texts_nl import fmt_date, fmt_number, fmt_pct, fmt_signed


@pytest.mark.parametrize("value, decimals, expected", [
    (1234.5, 1, "1.234,5"), (17407585, 0, "17.407.585"), (0.25, 2, "0,25"), (-1234.56, 1, "\u22121.234,6"), (-0.04, 1, "0,0"),
    (None, 0, "geen gegevens"), (float("nan"), 1, "geen gegevens"),
])
def test_fmt_number(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


def test_fmt_pct_signed_date():
    assert fmt_pct(12.3) == "12,3 %"
    assert fmt_signed(4.26, 1, " %") == "+4,3 %"
    assert fmt_signed(0, 1) == "0,0"
    assert fmt_signed(-3, 0) == "−3"
    assert fmt_date(date(2020, 1, 1)) == "1 januari 2020"


def _python_files():
    for folder in ("lib", "pages"):
        yield from (ROOT / folder).rglob("*.py")
    yield ROOT / "app.py"


def test_every_text_key_used_exists():
    used = set()
    for path in _python_files():
        if path.exists():
            used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", path.read_text()))
    assert used, "no text keys found at all"
    # a key ending in "." is a prefix completed at run time (t("rapport.thema." + theme)): it
    # must have keys under it; f-string keys (t(f"mkb.sector.{s}")) are checked the same way
    prefixes = {k for k in used if k.endswith(".")}
    for path in _python_files():
        if path.exists():
            prefixes |= set(re.findall(r"""\bt\(\s*f["']([a-z0-9_.]+\.)\{""", path.read_text()))
    missing = sorted(k for k in used - prefixes if k not in texts_nl.TEXT)
    assert not missing
    empty = sorted(p for p in prefixes if not any(k.startswith(p) for k in texts_nl.TEXT))
    assert not empty


def test_catalog_files_exist_in_pack():
    for d in DATASETS.values():
        if d.refresh_only:
            continue
        for rel in (d.file, *d.extra_files):
            assert (REAL_PACK / rel).is_file(), f"{d.id}: {rel}"
        assert d.id in texts_nl.DATASET_USE, d.id


def test_indicators_have_labels_and_known_datasets():
    for ind in INDICATORS.values():
        assert ind.dataset in DATASETS
        assert ind.id in texts_nl.INDICATOR_LABELS
        assert re.fullmatch(r"[a-z][a-z0-9_]*[a-z0-9]", ind.id)
        if ind.kind == "rate":
            assert ind.numerator in INDICATORS and ind.denominator in INDICATORS


def test_lib_computations_import_no_streamlit():
    for path in (ROOT / "lib").rglob("*.py"):
        if path.stem.startswith("ui"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in {"streamlit", "streamlit_folium"} for n in names), path


def test_static_leaflet_is_the_packaged_1_9_4():
    import js_lib_leaflet
    src = Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet"
    for name in ("leaflet.js", "leaflet.css"):
        assert (ROOT / "static" / "leaflet" / name).read_bytes() == (src / name).read_bytes()
    assert "1.9.4" in (ROOT / "static" / "leaflet" / "leaflet.js").read_text()[:300]
