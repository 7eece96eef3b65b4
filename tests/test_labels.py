"""Every label tells the truth: periods of their source, derived points marked, small counts and
shared ranks said where a rate or rank is shown (issue: data truth, sections 2 and 3)."""
from __future__ import annotations

import sqlalchemy as sa

from apptest_helpers import run_app, texts
from lib import civic, indicators, profile, report, ui, unemployment
from lib.registry import Registry
from lib.texts_nl import fmt_rank, t


def test_initiatives_carry_the_period_of_their_source(tmp_path):
    reg = Registry(sa.create_engine(f"sqlite:///{tmp_path}/r.sqlite"))
    reg.seed_if_empty()
    assert civic.registry_period(reg.rows()) == "2020"  # the seed: scraped April-June 2020
    reg.add({"naam": "Soepbus Vaals", "thema": "voedsel", "gemeente_code": "GM0981", "bron": "test"})
    from datetime import date
    assert civic.registry_period(reg.rows()) == str(date.today().year)  # the register now holds a new entry


def test_derived_ww_point_is_marked_in_the_series():
    trend = unemployment.national_trend()
    derived = trend[trend["punt"] == t("wl.punt.afgeleid")]
    assert list(derived["periode"]) == ["2020-11"] and derived["waarde"].item() == 277_000
    from lib import charts
    unit = trend.loc[trend["punt"] == t("wl.punt.afgeleid"), "eenheid"].iloc[0]
    spec = charts.national_trend(trend, unit).to_dict()
    assert '"shape"' in str(spec).replace("'", '"') and t("wl.punt.afgeleid") in str(spec)


def test_small_counts_are_flagged_where_rates_and_ranks_are_shown():
    # Schiermonnikoog: 20 persons with WW (KWB rounds to tens)
    assert indicators.small_count("ww_per_1000", "GM0088", "2020") == (20.0, 50.0)
    assert indicators.small_count("ww_per_1000", "GM0363", "2020") is None
    ww = next(k for k in profile.key_figures("GM0088") if k.indicator == "ww_per_1000")
    assert "klein aantal" in ww.small_text and "20 personen met WW" in ww.small_text
    at = run_app("GM0088")
    assert not at.exception
    shown = texts(at.caption)
    assert "berust op 20 personen met WW" in shown and t("rang.uitleg") in shown
    html = report.html_report("GM0088").decode()
    assert t("klein_aantal_kort") in html and t("rang.uitleg") in html
    data, _ = ui._collection_and_legend("ww_per_1000", indicators.values("ww_per_1000", "2020"),
                                        indicators.small_flags("ww_per_1000", "2020"))
    tips = {code: text for code, (_, text) in data.items()}
    assert t("klein_aantal_kort") in tips["GM0088"] and t("klein_aantal_kort") not in tips["GM0363"]


def test_tied_values_share_a_rank_and_say_so():
    import pandas as pd
    series = pd.Series({"A": 3.0, "B": 1.0, "C": 0.0, "D": 0.0, "E": 0.0})
    assert indicators.rank_and_ties(series, "C") == (3, 2)
    assert indicators.rank_and_ties(series, "A") == (1, 0)
    assert fmt_rank(3, 5, 2) == "rang 3 van 5 (gedeeld met 2 andere)"
    zero = indicators.values("initiatieven_per_10k")
    code = zero[zero == 0].index[0]
    kf = next(k for k in profile.key_figures(code) if k.indicator == "initiatieven_per_10k")
    assert kf.ties == int((zero == 0).sum()) - 1 and "gedeeld met" in kf.rank_text
