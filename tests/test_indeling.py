"""Conversion of 2019-2022 gemeenten to the 2023 indeling, on real cases."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import indeling, loaders


@pytest.fixture(scope="module")
def kwb2020():
    return loaders.load_kwb().query("jaar == 2020").set_index("gemeente_code")


@pytest.fixture(scope="module")
def converted():
    df = indeling.to_2023(loaders.load_kwb(), ["inwoners", "ww_personen", "bijstand_personen"], by=["jaar"])
    return df[df["jaar"] == 2020].set_index("gemeente_code")


def _parts(code):
    table = indeling.conversion_table()
    return table[table["code"] == code].set_index("code_2023")["weight"].to_dict()


def test_table_covers_every_year_and_weights_sum_to_one():
    table = indeling.conversion_table()
    for year in (2020, 2021, 2022, 2023):
        assert not indeling.unknown_codes(loaders.gemeente_codes(year))
    assert table.groupby("code")["weight"].sum().round(12).eq(1).all()
    assert set(table["code_2023"]) == set(loaders.gemeente_codes(2023))


def test_eemsdelta_is_exact_sum_of_three(kwb2020, converted):
    for old in ("GM0003", "GM0010", "GM0024"):
        assert _parts(old) == {"GM1979": 1.0}
    expected = kwb2020.loc[["GM0003", "GM0010", "GM0024"], "inwoners"].sum()
    assert converted.loc["GM1979", "inwoners"] == expected


def test_weesp_goes_wholly_to_amsterdam(kwb2020, converted):
    assert _parts("GM0457") == {"GM0363": 1.0}
    assert converted.loc["GM0363", "inwoners"] == kwb2020.loc["GM0363", "inwoners"] + kwb2020.loc["GM0457", "inwoners"]


def test_land_van_cuijk(kwb2020, converted):
    old = ["GM0756", "GM1684", "GM0786", "GM0815", "GM1702"]  # Boxmeer, Cuijk, Grave, Mill, Sint Anthonis
    assert all(_parts(c) == {"GM1982": 1.0} for c in old)
    assert converted.loc["GM1982", "ww_personen"] == kwb2020.loc[old, "ww_personen"].sum()


def test_voorne_aan_zee(kwb2020, converted):
    old = ["GM0501", "GM0530", "GM0614"]  # Brielle, Hellevoetsluis, Westvoorne
    assert converted.loc["GM1992", "inwoners"] == kwb2020.loc[old, "inwoners"].sum()


def test_delft_unchanged_despite_border_correction(kwb2020, converted):
    assert _parts("GM0503") == {"GM0503": 1.0}
    assert converted.loc["GM0503", "inwoners"] == kwb2020.loc["GM0503", "inwoners"]


def test_haaren_is_split_by_where_its_residents_live():
    """Residents' jobs per home wijk (commuting matrix) put each village with its successor:
    Haaren → Oisterwijk, Helvoirt → Vught, Esch → Boxtel, Biezenmortel → Tilburg."""
    parts = _parts("GM0788")
    assert set(parts) == {"GM0865", "GM0824", "GM0855", "GM0757"}  # Vught, Oisterwijk, Tilburg, Boxtel
    assert sum(parts.values()) == pytest.approx(1.0)
    assert max(parts, key=parts.get) == "GM0824"  # Oisterwijk got the largest village (by area: Vught)
    assert parts["GM0824"] == pytest.approx(2620 / 6486) and parts["GM0855"] == pytest.approx(604 / 6486)
    table = indeling.conversion_table()
    assert set(table.loc[table["code"] == "GM0788", "methode"]) == {"verdeeld_inwoners"}


def test_national_totals_preserved(kwb2020, converted):
    for col in ("inwoners", "ww_personen", "bijstand_personen"):
        assert converted[col].sum() == pytest.approx(kwb2020[col].sum(), abs=1e-6)
    assert round(converted["inwoners"].sum()) == 17_407_585
    assert len(converted) == 342


def test_rate_recomputed_not_summed():
    # synthetic fixture: two old gemeenten merging into one 2023 code
    df = pd.DataFrame({"gemeente_code": ["GM0003", "GM0010"], "ww": [10.0, 30.0], "inw": [1000.0, 2000.0]})
    out = indeling.to_2023(df, ["ww", "inw"]).set_index("gemeente_code")
    assert indeling.rate(out["ww"], out["inw"])["GM1979"] == pytest.approx(40 / 3000 * 1000)


def test_rate_with_zero_denominator_is_missing():
    assert indeling.rate(pd.Series([5.0]), pd.Series([0.0])).isna().all()


def test_weighted_mean_ignores_missing_parts():
    df = pd.DataFrame({"gemeente_code": ["GM0003", "GM0010", "GM0024"],
                       "pct": [10.0, 20.0, None], "inw": [1000.0, 3000.0, 5000.0]})
    out = indeling.weighted_mean(df, ["pct"], "inw").set_index("gemeente_code")
    assert out.loc["GM1979", "pct"] == pytest.approx((10 * 1000 + 20 * 3000) / 4000)


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="GM9999"):
        indeling.to_2023(pd.DataFrame({"gemeente_code": ["GM9999"], "x": [1.0]}), ["x"])


def test_split_counts_stay_whole_persons_and_sum_exactly(kwb2020, converted):
    assert (converted["inwoners"] == converted["inwoners"].round()).all()
    successors = ["GM0865", "GM0824", "GM0855", "GM0757"]
    gained = converted.loc[successors, "inwoners"] - kwb2020.loc[successors, "inwoners"]
    assert gained.sum() == kwb2020.loc["GM0788", "inwoners"]
    assert (gained > 0).all()
