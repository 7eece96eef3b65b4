"""Chart specifications (Altair, no Streamlit), with Dutch number formatting.

Vega formats numbers the English way; axis labels are rewritten to Dutch with
``labelExpr`` and tooltips show text pre-formatted by :mod:`lib.texts_nl`.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.texts_nl import fmt_number, t

# Integers with '.' as thousands separator: swap ',' and '.' of the English format.
DUTCH_AXIS = "replace(replace(replace(format(datum.value, ',~f'), ',', '_'), '.', ','), '_', '.')"


#: Width follows the column, height is the chart's own: Streamlit's default autosize "fit" would
#: squeeze the plot into the given height together with its legend (a flat line under two legend rows).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=DUTCH_AXIS)


HEIGHT = 200  # of one national panel (px)


def national_units(df: pd.DataFrame) -> list[str]:
    """The units of the national series, in order (one panel each)."""
    return list(dict.fromkeys(df["eenheid"]))


def national_trend(df: pd.DataFrame, unit: str, shock: str = "2020-03-01") -> alt.Chart:
    """The national series of one unit (benefits and persons are never joined), March 2020 marked.

    One chart per unit rather than a vertical concatenation: only a single chart follows its
    container's width (a concatenation kept its own width and ran off a narrow column)."""
    part = df[df["eenheid"] == unit]
    data = part.assign(waarde_tekst=part["waarde"].map(fmt_number))
    x = alt.X("datum:T", title=t("wl.as.datum"), axis=alt.Axis(format="%Y", tickCount="year"))
    base = alt.Chart(data).encode(
        x=x,
        # padding: the highest points stay clear of the top edge
        y=alt.Y("waarde:Q", axis=_axis(f"{t('wl.as.aantal')} ({unit})"), scale=alt.Scale(zero=False, padding=12)),
        color=alt.Color("reeks:N", title=t("wl.as.reeks"),
                        legend=alt.Legend(orient="bottom", columns=1, labelLimit=500)),
        tooltip=[alt.Tooltip("reeks:N", title=t("wl.as.reeks")),
                 alt.Tooltip("periode:N", title=t("wl.periode")),
                 alt.Tooltip("waarde_tekst:N", title=t("wl.as.aantal")),
                 alt.Tooltip("punt:N", title=t("wl.punt.titel")),
                 alt.Tooltip("eenheid:N", title=t("wl.as.eenheid")), alt.Tooltip("bron:N", title="Bron")],
    )
    shock_df = pd.DataFrame({"datum": [pd.Timestamp(shock)], "label": [t("wl.schok")]})
    rule = alt.Chart(shock_df).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(x="datum:T")
    # the label sits on the bottom edge, left of the rule: clear of the lines, which run above it
    label = alt.Chart(shock_df).mark_text(align="right", dx=-4, baseline="bottom", y=HEIGHT - 2,
                                          color="#d62728").encode(x="datum:T", text="label:N")
    points = base.mark_point(size=45, filled=True).encode(
        shape=alt.Shape("punt:N", title=t("wl.punt.titel"),
                        scale=alt.Scale(domain=[t("wl.punt.gemeten"), t("wl.punt.afgeleid")],
                                        range=["circle", "triangle-down"]),
                        legend=alt.Legend(orient="bottom", columns=1)))
    return (base.mark_line().encode(detail="reeks:N") + points + rule + label).properties(height=HEIGHT, width="container", autosize=FIT_WIDTH)


def period_lines(df: pd.DataFrame, y_title: str, value_decimals: int = 1, highlight: str | None = None) -> alt.Chart:
    """Lines per series over ``periode`` (columns: periode, reeks, waarde). The ``highlight``
    series (the chosen gemeente) is drawn dark and thick, the others lighter."""
    data = df.assign(waarde_tekst=df["waarde"].map(lambda v: fmt_number(v, value_decimals)))
    series = list(dict.fromkeys(data["reeks"]))
    if highlight in series:
        series = [highlight] + [s for s in series if s != highlight]
    palette = ["#08519c", "#6baed6", "#969696", "#bdbdbd", "#fd8d3c"]
    color = alt.Color("reeks:N", title=t("wl.as.reeks"), legend=alt.Legend(orient="bottom"),
                      scale=alt.Scale(domain=series, range=palette[:len(series)]), sort=series)
    width = alt.condition(alt.datum.reeks == highlight, alt.value(3.5), alt.value(1.8)) if highlight else alt.value(2)
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("periode:O", title=t("wl.periode")),
        y=alt.Y("waarde:Q", axis=_axis(y_title), scale=alt.Scale(zero=False, padding=12)),
        color=color, strokeWidth=width,
        tooltip=[alt.Tooltip("reeks:N", title=t("wl.as.reeks")), alt.Tooltip("periode:N", title=t("wl.periode")),
                 alt.Tooltip("waarde_tekst:N", title=y_title)],
    ).properties(height=300, width="container", autosize=FIT_WIDTH)


def sector_mix(df: pd.DataFrame, name: str) -> alt.Chart:
    """Grouped horizontal bars: the gemeente's sector shares beside the Netherlands."""
    long = pd.concat([
        pd.DataFrame({"label": df["label"], "reeks": t("mkb.mix.gemeente", naam=name), "aandeel": df["aandeel_gemeente"]}),
        pd.DataFrame({"label": df["label"], "reeks": t("mkb.mix.nl"), "aandeel": df["aandeel_nl"]}),
    ]).dropna()
    long["tekst"] = long["aandeel"].map(lambda v: fmt_number(v, 1) + " %")
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=list(df["label"]), axis=alt.Axis(labelLimit=320)),
        x=alt.X("aandeel:Q", axis=_axis(t("mkb.mix.as"))),
        yOffset="reeks:N",
        color=alt.Color("reeks:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[t("mkb.mix.gemeente", naam=name), t("mkb.mix.nl")],
                                        range=["#08519c", "#bdbdbd"])),
        tooltip=[alt.Tooltip("label:N", title=t("mkb.kol.sector")), alt.Tooltip("reeks:N", title=" "),
                 alt.Tooltip("tekst:N", title=t("mkb.mix.as"))],
    ).properties(height=alt.Step(14), width="container", autosize=FIT_WIDTH)


def density_scatter(df: pd.DataFrame, selected: str) -> alt.Chart:
    """Initiatives per 10,000 inhabitants against 65+ loneliness; the chosen gemeente stands out."""
    data = df.dropna(subset=["eenzaam_65plus_pct", "per_10k"]).reset_index()[
        ["gemeente_code", "gemeente_naam", "eenzaam_65plus_pct", "per_10k"]]  # only what is drawn
    data["groep"] = [t("ini.spreiding.gekozen") if c == selected else t("ini.spreiding.overig")
                     for c in data["gemeente_code"]]
    data["x_tekst"] = data["eenzaam_65plus_pct"].map(lambda v: fmt_number(v, 1) + " %")
    data["y_tekst"] = data["per_10k"].map(lambda v: fmt_number(v, 2))
    domain = [t("ini.spreiding.gekozen"), t("ini.spreiding.overig")]
    return alt.Chart(data).mark_circle().encode(
        x=alt.X("eenzaam_65plus_pct:Q", title=t("ini.spreiding.x"), scale=alt.Scale(zero=False)),
        y=alt.Y("per_10k:Q", title=t("ini.spreiding.y")),
        color=alt.Color("groep:N", title=None, scale=alt.Scale(domain=domain, range=["#d62728", "#6baed6"]),
                        legend=alt.Legend(orient="bottom")),
        size=alt.Size("groep:N", scale=alt.Scale(domain=domain, range=[160, 30]), legend=None),
        order=alt.Order("groep:N", sort="descending"),
        tooltip=[alt.Tooltip("gemeente_naam:N", title=t("ini.kol.gemeente")),
                 alt.Tooltip("x_tekst:N", title=t("ini.spreiding.x")),
                 alt.Tooltip("y_tekst:N", title=t("ini.spreiding.y"))],
    ).properties(height=320, width="container", autosize=FIT_WIDTH)


# --- charts of the pages, from simple arguments (cached as specs by lib.ui.chart) ---------------

def unemployment_national(unit: str) -> alt.Chart:
    from lib import unemployment
    return national_trend(unemployment.national_trend(), unit)


def unemployment_national_units() -> list[str]:
    from lib import unemployment
    return national_units(unemployment.national_trend())


def unemployment_trend(code: str, measure: str, monthly: bool) -> alt.Chart:
    """The gemeente beside its region and NL: monthly index (Feb 2020 = 100) or annual levels."""
    from lib import unemployment
    from lib.texts_nl import indicator_label
    if monthly:
        trend, y_title = unemployment.indexed_trend(code, measure), t("wl.index")
    else:
        trend, y_title = unemployment.trend(code, measure, monthly=False), indicator_label(measure)
    long = trend.melt(id_vars="periode", var_name="reeks", value_name="waarde").dropna()
    from lib.gemeenten import names
    name = names().get(code, t("wl.trend_reeks.gemeente"))
    labels = {"gemeente": name, "regio": t("wl.trend_reeks.regio"), "nederland": t("wl.trend_reeks.nederland")}
    long["reeks"] = long["reeks"].map(labels)
    return period_lines(long, y_title, highlight=name)


def mkb_sector_mix(code: str, name: str) -> alt.Chart:
    from lib import mkb
    return sector_mix(mkb.sector_mix(code), name)


def initiatives_scatter(code: str) -> alt.Chart:
    from lib import civic
    return density_scatter(civic.density(civic.open_registry().rows()), code)


def compare_bars(df: pd.DataFrame, label: str, selected: str) -> alt.Chart:
    """One indicator for the compared gemeenten and the Netherlands (rows of :func:`lib.compare.long`):
    horizontal bars, the chosen gemeente dark, the others light, the Netherlands grey."""
    data = df.dropna(subset=["waarde"]).copy()
    data["groep"] = ["gekozen" if c == selected else ("nl" if c == "NL" else "overig") for c in data["code"]]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("gebied:N", title=None, sort=list(df["gebied"]), axis=alt.Axis(labelLimit=200, labelOverlap=False)),
        x=alt.X("waarde:Q", axis=_axis(label)),
        color=alt.Color("groep:N", legend=None, scale=alt.Scale(domain=["gekozen", "overig", "nl"],
                                                                range=["#08519c", "#9ecae1", "#969696"])),
        tooltip=[alt.Tooltip("gebied:N", title=t("vgl.kol.gebied")), alt.Tooltip("tekst:N", title=label)],
    ).properties(height=alt.Step(22), width="container", autosize=FIT_WIDTH)


def comparison_bars(codes: tuple, indicator: str, selected: str) -> alt.Chart:
    from lib import compare
    from lib.texts_nl import indicator_label
    tab = compare.table(list(codes))
    rows = compare.long(tab[tab["indicator"] == indicator], list(codes))
    return compare_bars(rows, indicator_label(indicator), selected)
