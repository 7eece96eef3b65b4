"""The gemeenterapport: a printable one- or two-page HTML report of one gemeente (no Streamlit).

Every figure comes from the same functions as the pages and the export
(:mod:`lib.indicators`: value, national value, rank); maps and charts are static SVG made
with matplotlib in the app's colour classes (:mod:`lib.choropleth`), inlined, so the file
references nothing outside itself and prints on A4 (the browser's "Print → PDF" makes a PDF).
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from lib import choropleth, indicators, mkb  # noqa: E402
from lib.catalog import INDICATORS, RAPPORT, RAPPORT_KAART, shown_in, source_line  # noqa: E402
from lib.catalog import THEMES as CATALOG_THEMES  # noqa: E402
from lib.gemeenten import gemeenten  # noqa: E402
from lib.geometry import boundaries  # noqa: E402
from lib.texts_nl import (fmt_date, fmt_indicator, fmt_number, fmt_pct, fmt_rank, fmt_signed, fmt_small,  # noqa: E402
                          indicator_label, t)

plt.rcParams.update({"svg.fonttype": "none", "font.size": 8, "font.family": "DejaVu Sans"})

#: Per theme: headline indicators and the indicator on its map, read from the catalog.
THEMES = [(theme, shown_in(RAPPORT, theme), shown_in(RAPPORT_KAART, theme)[0]) for theme in CATALOG_THEMES]


@dataclass
class Figure:
    indicator: str
    periode: str | None
    value: float | None
    national: float | None
    rank: int | None
    total: int
    source: str
    ties: int = 0
    small: tuple[float, float] | None = None


@dataclass
class Section:
    theme: str
    figures: list[Figure]
    map_svg: str
    chart_svg: str


@dataclass
class Report:
    code: str
    naam: str
    provincie: str
    arbeidsmarktregio: str
    sections: list[Section] = field(default_factory=list)
    made: date = field(default_factory=date.today)


def figure(code: str, ind: str) -> Figure:
    """One headline figure, exactly as the export and the overview compute it."""
    periods = indicators.periods(ind)
    if not periods:
        return Figure(ind, None, None, None, None, 0, "")
    periode = periods[-1]
    vals = indicators.values(ind, periode)
    value = vals.get(code)
    rank, ties = indicators.rank_and_ties(vals, code)
    return Figure(ind, periode, None if value is None or pd.isna(value) else float(value),
                  indicators.national_value(ind, periode), rank, int(vals.notna().sum()),
                  source_line(indicators.source_dataset(ind, periode)), ties,
                  indicators.small_count(ind, code, periode))


def build(code: str, graphics: bool = True) -> Report:
    """The report's content; ``graphics=False`` skips the maps and charts (for checks)."""
    g = gemeenten().set_index("gemeente_code").loc[code]
    rep = Report(code, g["gemeente_naam"], g["provincie_naam"], g["arbeidsmarktregio_naam"])
    for theme, inds, map_ind in THEMES:
        figs = [figure(code, i) for i in inds]
        rep.sections.append(Section(theme, figs, neighbour_map_svg(code, map_ind) if graphics else "",
                                    _chart(theme, code, figs) if graphics else ""))
    return rep


# --- static graphics ------------------------------------------------------------------------

def _svg(fig) -> str:
    buf = io.StringIO()
    # no metadata block (it links to matplotlib.org and RDF vocabularies)
    fig.savefig(buf, format="svg", bbox_inches="tight",
                metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prologue and doctype


def neighbour_map_svg(code: str, indicator: str) -> str:
    """The gemeente and its surroundings, coloured by the indicator's classes; the gemeente outlined."""
    gdf = boundaries("gemeente").to_crs(28992)
    me = gdf[gdf["statcode"] == code]
    minx, miny, maxx, maxy = me.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.6 + 8_000
    area = gdf.cx[minx - pad:maxx + pad, miny - pad:maxy + pad].copy()
    periods = indicators.periods(indicator)
    vals = indicators.values(indicator, periods[-1]) if periods else pd.Series(dtype=float)
    breaks = choropleth.breaks_for(indicator, vals, "gemeente")
    area["kleur"] = choropleth.colors_for(area["statcode"].map(vals), breaks).to_numpy()
    fig, ax = plt.subplots(figsize=(2.6, 2.3))
    area.plot(ax=ax, color=area["kleur"], edgecolor="white", linewidth=0.5)
    me.boundary.plot(ax=ax, color=choropleth.SELECTED_COLOR, linewidth=1.6)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_axis_off()
    unit = INDICATORS[indicator].unit
    items = choropleth.legend(breaks, 1 if unit.startswith("per ") or unit == "procent" else 0)
    # below the map, not beside it: whatever the gemeente's shape, the legend is never cut off
    ax.legend(handles=[Patch(facecolor=i.color, edgecolor="#999", label=i.label) for i in items],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=6, frameon=False,
              title=indicator_label(indicator), title_fontsize=6)
    return _svg(fig)


def _bars(labels: list[str], series: dict[str, list[float]], title: str, colors: list[str]) -> str:
    fig, ax = plt.subplots(figsize=(3.6, 2.3))
    width = 0.8 / len(series)
    for i, ((name, vals), color) in enumerate(zip(series.items(), colors)):
        ax.barh([y + i * width for y in range(len(labels))], [0 if pd.isna(v) else v for v in vals],
                height=width, label=name, color=color)
    ax.set_yticks([y + width * (len(series) - 1) / 2 for y in range(len(labels))], labels)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=7, loc="left")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: f"{v:,.0f}".replace(",", ".")))
    ax.spines[["top", "right"]].set_visible(False)
    # under the axis, never on a bar
    ax.legend(fontsize=6, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(series))
    return _svg(fig)


def _pairs(figs: list[Figure], name: str, title: str, colors: list[str]) -> str:
    """Gemeente beside the Netherlands, one small panel per figure, each on its own scale (a
    rate per 10,000 next to percentages on one axis would be an invisible bar)."""
    fig, axes = plt.subplots(len(figs), 1, figsize=(3.6, 0.62 * len(figs) + 0.5), squeeze=False)
    for ax, f in zip(axes[:, 0], figs):
        vals = [f.value, f.national]
        ax.barh([0, 1], [0 if v is None or pd.isna(v) else v for v in vals], color=colors, height=0.7)
        top = max((v for v in vals if v is not None and not pd.isna(v)), default=0) or 1
        for y, v in enumerate(vals):
            ax.text((0 if v is None or pd.isna(v) else v) + top * 0.02, y, fmt_indicator(v, f.indicator), va="center", fontsize=6)
        ax.set_xlim(0, top * 1.3)
        ax.set_yticks([0, 1], [name, t("nederland")], fontsize=6)
        ax.invert_yaxis()
        ax.set_title(indicator_label(f.indicator), fontsize=6.5, loc="left")
        ax.set_xticks([])
        ax.spines[["top", "right", "bottom"]].set_visible(False)
    fig.suptitle(title, fontsize=7, x=0.02, ha="left")
    fig.tight_layout()
    return _svg(fig)


def _chart(theme: str, code: str, figs: list[Figure]) -> str:
    name = gemeenten().set_index("gemeente_code").loc[code, "gemeente_naam"]
    blue, grey = choropleth.PALETTE[-1], "#bdbdbd"
    if theme == "mkb":
        mix = mkb.sector_mix(code)
        return _bars(list(mix["label"]), {name: list(mix["aandeel_gemeente"]), t("nederland"): list(mix["aandeel_nl"])},
                     t("rapport.grafiek.mkb"), [blue, grey])
    # Only measures a gemeente and the Netherlands share a scale on (rates, %, km), not totals.
    shown = [f for f in figs if INDICATORS[f.indicator].kind != "count"
             and INDICATORS[f.indicator].unit not in ("banen", "ton CO2", "initiatieven")]
    return _pairs(shown, name, t(f"rapport.grafiek.{theme}"), [blue, grey])


# --- HTML ---------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #222; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; color: #01689b; }
h2 { font-size: 12pt; margin: 5mm 0 2mm 0; border-bottom: 1px solid #01689b; color: #01689b; }
.sub { color: #555; margin-bottom: 3mm; }
section { page-break-inside: avoid; break-inside: avoid; }
.graphics { display: flex; gap: 4mm; margin-top: 2mm; }
.graphics > div { flex: 1; }
.graphics svg { width: 100%; height: auto; max-height: 62mm; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 0.8mm 1.5mm; border-bottom: 1px solid #ddd; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.rang { white-space: nowrap; color: #444; }
.advies { background: #eef5fa; padding: 2mm 3mm; margin-top: 2mm; }
.bron { color: #666; font-size: 7.5pt; margin-top: 1mm; }
footer { color: #666; font-size: 7.5pt; margin-top: 5mm; }
"""


def render_html(rep: Report) -> str:
    e = html.escape
    parts = ["<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>",
             f"<title>{e(t('rapport.titel', naam=rep.naam))}</title><style>{CSS}</style></head><body>",
             f"<h1>{e(t('rapport.titel', naam=rep.naam))}</h1>",
             f"<div class='sub'>{e(t('rapport.sub', provincie=rep.provincie, amr=rep.arbeidsmarktregio, code=rep.code))}"
             f"<br>{e(t('rapport.gemaakt', datum=fmt_date(rep.made)))}</div>"]
    for sec in rep.sections:
        rows = []
        for f in sec.figures:
            if f.value is None:
                value, nl, rank = t("rapport.geen_gegevens"), fmt_indicator(f.national, f.indicator) if f.national is not None else "–", "–"
            else:
                value, nl = fmt_indicator(f.value, f.indicator), fmt_indicator(f.national, f.indicator)
                rank = fmt_rank(f.rank, f.total, f.ties) + (" " + t("klein_aantal_kort") if f.small else "")
            rows.append(f"<tr><td>{e(indicator_label(f.indicator))} <span class='bron'>({e(f.periode or '–')})</span></td>"
                        f"<td class='num'><b>{e(value)}</b></td><td class='num'>{e(nl)}</td>"
                        f"<td class='rang'>{e(rank)}</td></tr>")
        sources = sorted({f.source for f in sec.figures if f.source})
        missing = any(f.value is None for f in sec.figures)
        parts.append(
            f"<section><h2>{e(t('rapport.thema.' + sec.theme))}</h2>"
            f"<table><tr><th></th><th class='num'>{e(rep.naam)}</th><th class='num'>{e(t('nederland'))}</th>"
            f"<th>{e(t('rapport.rang'))}</th></tr>" + "".join(rows) + "</table>"
            + (f"<p class='bron'>{e(t('rapport.ontbreekt'))}</p>" if missing else "")
            + f"<div class='graphics'><div>{sec.map_svg}</div><div>{sec.chart_svg}</div></div>"
            + f"<div class='advies'><b>{e(t('rapport.advies'))}</b> {e(t('rapport.advies.' + sec.theme))}</div>"
            + "".join(f"<div class='bron'>{e(s)}</div>" for s in sources) + "</section>")
    smalls = [fmt_small(f.small, INDICATORS[f.indicator].small_count[0]) for sec in rep.sections
              for f in sec.figures if f.small]
    parts.append(f"<p class='bron'>{e(t('rang.uitleg'))}" + "".join(f"<br>{e(s)}" for s in dict.fromkeys(smalls))
                 + "</p>")
    parts.append(f"<footer>{e(t('rapport.voet'))}</footer></body></html>")
    return "".join(parts)


def html_report(code: str) -> bytes:
    """The report of one gemeente as UTF-8 HTML (what the download button serves)."""
    return render_html(build(code)).encode("utf-8")


def map_svg(level: str, data: dict, legend_items: list, title: str, source: str, selected: str | None = None) -> bytes:
    """The map as shown (colour per code from :func:`lib.choropleth.area_data`) as a standalone SVG
    with title, legend and source line: for slides and council papers."""
    gdf = boundaries(level).to_crs(28992)
    gdf["kleur"] = [data.get(code, [choropleth.MISSING_COLOR])[0] for code in gdf["statcode"]]
    fig, ax = plt.subplots(figsize=(6.2, 7.0))
    gdf.plot(ax=ax, color=gdf["kleur"], edgecolor="white", linewidth=0.3)
    if selected is not None and selected in set(gdf["statcode"]):
        gdf[gdf["statcode"] == selected].boundary.plot(ax=ax, color=choropleth.SELECTED_COLOR, linewidth=1.4)
    ax.set_axis_off()
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(handles=[Patch(facecolor=i.color, edgecolor="#999", label=i.label) for i in legend_items],
              loc="upper left", fontsize=7, frameon=False)
    fig.text(0.02, 0.01, source, fontsize=6, wrap=True, color="#444")
    return _svg(fig).encode("utf-8")


def quickscan_html(qs) -> bytes:
    """The regional labour-market quickscan (:func:`lib.unemployment.quickscan`) as a printable A4
    HTML document: the same figures and sources as the page and the Markdown download."""
    e = html.escape
    first = qs.levels[0]["first"] if qs.levels else ""
    last = qs.levels[0]["last"] if qs.levels else ""
    title = t("wl.qs.titel", regio=qs.regio_naam)
    rows = "".join(
        f"<tr><td>{e(indicator_label(lv['measure']))} <span class='bron'>({e(lv['last'])})</span></td>"
        f"<td class='num'><b>{e(fmt_number(lv['regio'], 1))}</b></td><td class='num'>{e(fmt_number(lv['nederland'], 1))}</td>"
        f"<td class='num'>{e(fmt_signed(lv['regio_verschil_pct'], 1, ' %'))}</td>"
        f"<td class='num'>{e(fmt_signed(lv['nl_verschil_pct'], 1, ' %'))}</td></tr>" for lv in qs.levels)
    largest = "".join(f"<li>{e(r.gemeente)}: {e(fmt_number(r.inwoners))} {e(t('wl.qs.inwoners'))}</li>"
                      for r in qs.largest.itertuples())
    sectors = "".join(
        f"<li>{e(indicator_label(s['indicator']))}: {e(fmt_number(s['regio']))} ({e(fmt_pct(s['aandeel_regio']))} "
        f"{e(t('wl.qs.van_alle'))}; {e(t('nederland'))} {e(fmt_pct(s['aandeel_nl']))})</li>" for s in qs.sectors)
    parts = [
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<div class='sub'>{e(t('wl.qs.intro', gemeente=qs.gemeente_naam, regio=qs.regio_naam, n=len(qs.gemeenten)))}"
        f"<br>{e(t('rapport.gemaakt_kort', datum=fmt_date(date.today())))}</div>",
        f"<p><b>{e(t('wl.qs.gemeenten'))}:</b> {e(', '.join(qs.gemeenten))}</p>",
        f"<section><h2>{e(t('wl.qs.niveau'))}</h2><table><tr><th>{e(t('wl.qs.maat'))}</th>"
        f"<th class='num'>{e(t('wl.qs.regio'))}</th><th class='num'>{e(t('nederland'))}</th>"
        f"<th class='num'>{e(t('wl.qs.verandering_regio'))}</th><th class='num'>{e(t('wl.qs.verandering_nl'))}</th></tr>"
        f"{rows}</table>"
        + (f"<p class='bron'>{e(t('wl.qs.verandering_uitleg', van=first, tot=last))}</p>" if qs.levels else "")
        + "</section>",
        f"<section><h2>{e(t('wl.qs.grootste'))}</h2><ul>{largest}</ul></section>",
        f"<section><h2>{e(t('wl.qs.sectoren'))}</h2><ul>{sectors}</ul><p class='bron'>{e(t('wl.qs.gi_let_op'))}</p>"
        f"</section>",
        f"<div class='advies'><b>{e(t('rapport.advies'))}</b> {e(t('rapport.advies.werkloosheid'))}</div>",
        f"<section><h2>{e(t('wl.qs.bronnen'))}</h2>" + "".join(f"<div class='bron'>{e(s)}</div>" for s in qs.sources)
        + "</section>",
        f"<footer>{e(t('rapport.voet'))}</footer></body></html>",
    ]
    return "".join(parts).encode("utf-8")
