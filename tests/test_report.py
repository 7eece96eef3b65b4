"""The gemeenterapport: same figures as the export, self-contained HTML, every gemeente."""
from __future__ import annotations

import re

import pytest

from apptest_helpers import run_app
from lib import export, report
from lib.gemeenten import gemeenten
from lib.texts_nl import fmt_indicator


@pytest.fixture(scope="module")
def exported():
    return export.export_table().set_index(["gemeente_code", "indicator", "periode"])["waarde"]


@pytest.mark.parametrize("code", ["GM0363", "GM1979", "GM0088"])  # large city, merged, Wadden island
def test_report_figures_equal_the_export(code, exported):
    rep = report.build(code)
    assert len(rep.sections) == 4
    html = report.render_html(rep)
    for sec in rep.sections:
        for f in sec.figures:
            assert f.value == pytest.approx(exported[(code, f.indicator, f.periode)])
            assert fmt_indicator(f.value, f.indicator) in html
            assert f.source.startswith("Bron:")
        assert "<svg" in sec.map_svg and "<svg" in sec.chart_svg
    assert rep.naam in html and rep.provincie in html and rep.arbeidsmarktregio in html


def test_no_external_reference_in_the_html():
    html = report.html_report("GM0363").decode()
    urls = set(re.findall(r"[a-z]+://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # XML namespaces only
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html


def test_every_gemeente_has_a_report_without_errors():
    for code in gemeenten()["gemeente_code"]:
        rep = report.build(code, graphics=False)
        assert all(len(sec.figures) == 3 for sec in rep.sections)


def test_missing_data_is_said_plainly(pack_without_gm0088_establishments):
    html = report.html_report("GM0088").decode()
    assert "geen gegevens" in html and "heeft het datapakket geen gegevens" in html


def test_download_buttons_on_overview_and_sidebar():
    at = run_app("GM1979")
    keys = {b.key for b in at.get("download_button")}
    assert {"rapport_overzicht", "rapport_zijbalk"} <= keys


def test_each_figure_has_its_own_scale_and_the_legends_sit_apart():
    """A rate per 10,000 beside percentages on one axis was an invisible bar; legends sat on bars."""
    rep = report.build("GM0088")
    ini = next(sec for sec in rep.sections if sec.theme == "initiatieven")
    assert ini.chart_svg.count('<g id="axes_') == 3  # per 10,000, loneliness %, volunteering %: a panel each
    nl = next(f for f in ini.figures if f.indicator == "initiatieven_per_10k").national
    assert fmt_indicator(nl, "initiatieven_per_10k") in ini.chart_svg  # the value is written beside its bar
    assert len(fmt_indicator(nl, "initiatieven_per_10k").split(",")[1]) == 2  # the catalog's two decimals
