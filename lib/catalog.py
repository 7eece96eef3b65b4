"""The dataset catalog and the indicator list: one place for every source.

The sources page, every "Bron:" line and the export's ``bron`` column read from
here. Each :class:`Dataset` names its file in the data pack (relative to the pack
root); each :class:`Indicator` is a stable snake_case id used by the export
(``python -m lib.export``) and by the pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CC_BY = "CC BY 4.0"


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    publisher: str
    file: str  # path inside the data pack
    reference_date: str  # what the figures refer to, in Dutch, as shown to users
    licence: str
    attribution: str  # the "Bron:" text
    cbs_table: str | None = None
    extra_files: tuple[str, ...] = field(default=())
    refresh_only: bool = False  # present only in a pack refreshed from CBS (lib.refresh)


_GEO_ATTR = "CBS / Kadaster (CBS Gebiedsindelingen via PDOK), vereenvoudigd door cartomap/nl"

DATASETS: dict[str, Dataset] = {d.id: d for d in [
    Dataset(
        "kwb2019", "Kerncijfers wijken en buurten 2019", "CBS", "kwb/kwb_gemeenten_panel_clean.csv",
        "KWB 2019: inwoners op 1 januari 2019; uitkeringen rond de jaarwisseling 2018/2019", CC_BY,
        "CBS, Kerncijfers wijken en buurten 2019 (84583NED)", cbs_table="84583NED",
    ),
    Dataset(
        "kwb2020", "Kerncijfers wijken en buurten 2020", "CBS", "kwb/kwb_gemeenten_panel_clean.csv",
        "KWB 2020: inwoners op 1 januari 2020; uitkeringen rond de jaarwisseling 2019/2020", CC_BY,
        "CBS, Kerncijfers wijken en buurten 2020 (84799NED)", cbs_table="84799NED",
    ),
    Dataset(
        "kwb2021", "Kerncijfers wijken en buurten 2021", "CBS", "kwb/kwb_gemeenten_panel_clean.csv",
        "KWB 2021: inwoners op 1 januari 2021", CC_BY,
        "CBS, Kerncijfers wijken en buurten 2021 (85039NED)", cbs_table="85039NED", refresh_only=True,
    ),
    Dataset(
        "kwb2022", "Kerncijfers wijken en buurten 2022", "CBS", "kwb/kwb_gemeenten_panel_clean.csv",
        "KWB 2022: inwoners op 1 januari 2022", CC_BY,
        "CBS, Kerncijfers wijken en buurten 2022 (85318NED)", cbs_table="85318NED", refresh_only=True,
    ),
    Dataset(
        "uitkeringen_maand", "Personen met een uitkering; uitkeringsontvangers per regio", "CBS",
        "unemployment/uitkeringen_gemeente_maand_80794ned.csv", "laatste dag van elke maand", CC_BY,
        "CBS (80794ned)", cbs_table="80794ned", refresh_only=True,
    ),
    Dataset(
        "vestigingen_sbi", "Vestigingen van bedrijven; bedrijfstak, gemeente", "CBS",
        "business/vestigingen_sbi_gemeente_81575ned.csv", "1 januari van elk jaar", CC_BY,
        "CBS (81575NED)", cbs_table="81575NED", refresh_only=True,
    ),
    Dataset(
        "vestigingen2020", "Bedrijfsvestigingen per sectorgroep (KWB 2020)", "CBS",
        "business/business_establishments_gemeente_kwb2020_clean.csv",
        "1 januari 2020", CC_BY, "CBS, Kerncijfers wijken en buurten 2020 (84799NED)", cbs_table="84799NED",
    ),
    Dataset(
        "kwb2020_kenmerken", "Kerncijfers wijken en buurten 2020, alle gemeentekenmerken", "CBS",
        "business/kwb2020_gemeenten_attributes_buurtvergelijker.csv",
        "1 januari 2020", CC_BY, "CBS, Kerncijfers wijken en buurten 2020 (84799NED)", cbs_table="84799NED",
    ),
    Dataset(
        "ww_nationaal", "Lopende WW-uitkeringen, Nederland", "UWV",
        "kwb/ww_national_uwv_lopende_uitkeringen_cited.csv",
        "jaarultimo's 2015-2021 en losse maanden 2019-2022", "openbare statistiek, met bron per cijfer",
        "UWV (bron per cijfer)",
    ),
    Dataset(
        "bijstand_kwartaal", "Personen met bijstand; duur van de lopende uitkeringssituatie", "CBS",
        "unemployment/national_bijstand_quarterly_85585NED.csv",
        "2019 1e kwartaal - 2022 4e kwartaal", CC_BY, "CBS (85585NED)", cbs_table="85585NED",
    ),
    Dataset(
        "sector_nationaal", "Landelijke coronacijfers per sector", "CBS (via nieuwsberichten)",
        "business/national_sector_figures_cited.csv", "2019-2021", "openbare statistiek, met bron per cijfer",
        "CBS, geciteerd (bron per cijfer)",
    ),
    Dataset(
        "gezondheidsmonitor", "Gezondheid per wijk en buurt; 2016/2020 (indeling 2020)",
        "RIVM / CBS / GGD'en", "civic/loneliness_volunteering_gemeente_2016_2020_clean.csv",
        "2020 (Gezondheidsmonitor Volwassenen en Ouderen)", CC_BY,
        "RIVM/CBS/GGD'en, Gezondheidsmonitor (50090NED)", cbs_table="50090NED",
    ),
    Dataset(
        "helpradar", "Helpradar: corona-hulpinitiatieven", "Code for NL (Helpradar)",
        "civic/initiatives_helpradar_2020-04-10_clean.csv", "10 april 2020 (scrape)", "MIT (repository)",
        "Code for NL Helpradar (WijAmsterdam, NLvoorElkaar e.a.)",
    ),
    Dataset(
        "register", "Register van initiatieven (deze app)", "Gemeenten in coronatijd",
        "civic/initiatives_helpradar_2020-04-10_clean.csv",
        "stand van het register; startvulling april-juni 2020", "eigen invoer; startvulling zie Helpradar en VPRO",
        "Register van initiatieven (startvulling: Code for NL Helpradar, VPRO Coronapioniers)",
        extra_files=("civic/coronapioniers_vpro_posts_2020_clean.csv",),
    ),
    Dataset(
        "coronapioniers", "VPRO Coronapioniers", "VPRO", "civic/coronapioniers_vpro_posts_2020_clean.csv",
        "2020 (tot 16 juni 2020)", "openbare berichten", "VPRO Coronapioniers",
    ),
    Dataset(
        "woonwerk_matrix", "Banen van werknemers naar woon- en werkwijk", "CBS",
        "commuting/wk_banen_edwindj_commute.csv.gz",
        "banen van ca. december 2015 (7,65 mln; CBS dec. 2015: 7,62 mln), wijkindeling 2015, naar woonwijk",
        CC_BY, "CBS, banen van werknemers naar woon- en werkwijk (via edwindj/commute)",
        extra_files=("commuting/wk_centers_2015_rd_edwindj_commute.geojson",),
    ),
    Dataset(
        "woonwerk_nationaal", "Woon-werkafstand en banen, Nederland", "CBS",
        "commuting/national_commuting_figures_cited.csv",
        "2015: gemiddeld 22,6 km woon-werkafstand, het ijkpunt van het model", CC_BY,
        "CBS (83628NED en CBS-berichten over 2015), geciteerd", cbs_table="83628NED",
    ),
    Dataset(
        "co2_besparing", "CO2-besparing door thuiswerken (standaardscenario van deze app)", "Gemeenten in coronatijd",
        "commuting/wk_banen_edwindj_commute.csv.gz",
        "banen ca. 2015, ijking 2015, vervoerwijzen 2003, emissiefactoren 2026", CC_BY,
        "berekend uit CBS woon-werkmatrix (ca. 2015, via edwindj/commute), geijkt op 22,6 km (CBS, 2015); "
        "vervoerwijzen CBS 37774 (2003); emissiefactoren www.CO2emissiefactoren.nl (lijst 2026); "
        "inwoners CBS KWB 2020",
        extra_files=("commuting/national_commuting_figures_cited.csv",
                     "commuting/emission_factors_passenger_transport_co2emissiefactoren_2026.csv"),
    ),
    Dataset(
        "emissiefactoren", "CO2-emissiefactoren personenvervoer", "CO2emissiefactoren.nl",
        "commuting/emission_factors_passenger_transport_co2emissiefactoren_2026.csv",
        "lijst Factoren 2026 (20 augustus 2026)", "openbaar; vermeld www.CO2emissiefactoren.nl",
        "www.CO2emissiefactoren.nl",
    ),
    Dataset(
        "grenzen_gemeente_2023", "Gemeentegrenzen 2023 (gegeneraliseerd)", "CBS / Kadaster via PDOK",
        "geo/gemeente_2023.geojson", "1 januari 2023 (ook geldig voor 2024 en 2025)", CC_BY, _GEO_ATTR,
        extra_files=("geo/gemeente_2020.geojson", "geo/gemeente_2021.geojson", "geo/gemeente_2022.geojson"),
    ),
    Dataset(
        "grenzen_regio", "Provincies 2023, arbeidsmarktregio's 2022, COROP 2022", "CBS / Kadaster via PDOK",
        "geo/provincie_2023.geojson", "2022/2023", CC_BY, _GEO_ATTR,
        extra_files=("geo/arbeidsmarktregio_2022.geojson", "geo/coropgebied_2022.geojson",
                     "geo/gemeente_regio_2020_2023.csv"),
    ),
]}


#: Where an indicator appears: the overview's map list, the profile's key figures, the report's
#: headline figures and theme map, the export (every indicator is exported).
KAART, PROFIEL, RAPPORT, RAPPORT_KAART = "kaart", "profiel", "rapport", "rapport_kaart"
#: Map levels with their own colour classes.
MAP_LEVELS = ("gemeente", "arbeidsmarktregio", "provincie")


@dataclass(frozen=True)
class Indicator:
    """One indicator, declared once: source, unit, how it aggregates, colour classes and where it appears.

    Adding an indicator is one entry here plus its label in :data:`lib.texts_nl.INDICATOR_LABELS`.
    """
    id: str
    dataset: str  # id in DATASETS
    unit: str  # personen, huishoudens, vestigingen, per 1000 inwoners, procent
    kind: str  # "count" (summed when gemeenten merge) or "rate" (recomputed) or "derived"
    numerator: str | None = None  # for rates: indicator ids
    denominator: str | None = None
    per: float = 1.0
    higher_is_worse: bool = True
    # kind "derived": computed by this lib module, which provides indicator_rows() (long rows
    # per 2023 gemeente from the pack) or live_indicator_rows() (from the live registry), and
    # region_values(indicator, level, periode) (recomputed from counts).
    provider: str | None = None
    live: bool = False  # from the registry (changes while the app runs), not from the pack
    theme: str = "basis"  # werkloosheid / mkb / initiatieven / co2 / basis
    shown_in: frozenset = frozenset()  # KAART, PROFIEL, RAPPORT, RAPPORT_KAART (export: always)
    decimals: int | None = None  # None: by unit (lib.texts_nl.decimals_for)
    #: Fixed class breaks per map level (4 breaks → 5 classes); a level not listed gets
    #: natural breaks (Fisher-Jenks) of that map's own values.
    classes: dict = field(default_factory=dict, hash=False, compare=False)
    #: (count indicator, threshold): a value resting on fewer than ``threshold`` of that count is
    #: shown with a small-count caveat (KWB rounds counts to tens; a handful of initiatives is no rate).
    small_count: tuple[str, float] | None = None


def _same(*breaks: float) -> dict:
    """The same fixed breaks at every map level (rates and percentages compare across levels)."""
    return {level: tuple(breaks) for level in MAP_LEVELS}


#: KWB sector groups: (short id, column in the establishments file, SBI sections).
SECTOR_GROUPS: list[tuple[str, str, str]] = [
    ("A", "vest_A_landbouw", "A"),
    ("BF", "vest_BF_nijverheid_energie_bouw", "B-F"),
    ("GI", "vest_GI_handel_horeca", "G+I"),
    ("HJ", "vest_HJ_vervoer_ict", "H+J"),
    ("KL", "vest_KL_financieel_vastgoed", "K-L"),
    ("MN", "vest_MN_zakelijke_dienstverlening", "M-N"),
    ("RU", "vest_RU_cultuur_recreatie_overig", "R-U"),
]
_MAP, _MAP_PROFILE = frozenset({KAART}), frozenset({KAART, PROFIEL})

INDICATORS: dict[str, Indicator] = {i.id: i for i in [
    Indicator("inwoners", "kwb2020", "personen", "count", higher_is_worse=False, shown_in=_MAP_PROFILE,
              classes={"gemeente": (20_000, 30_000, 50_000, 100_000),
                       "arbeidsmarktregio": (300_000, 400_000, 500_000, 800_000),
                       "provincie": (700_000, 1_200_000, 2_000_000, 3_000_000)}),
    Indicator("huishoudens", "kwb2020", "huishoudens", "count", higher_is_worse=False),
    Indicator("ww_personen", "kwb2020", "personen", "count", theme="werkloosheid"),
    Indicator("bijstand_personen", "kwb2020", "personen", "count", theme="werkloosheid"),
    Indicator("ao_personen", "kwb2020", "personen", "count", theme="werkloosheid"),
    Indicator("vestigingen_totaal", "vestigingen2020", "vestigingen", "count", higher_is_worse=False, theme="mkb",
              shown_in=frozenset({PROFIEL})),
    *[Indicator(f"vestigingen_{g.lower()}", "vestigingen2020", "vestigingen", "count", higher_is_worse=False,
                theme="mkb") for g, _, _ in SECTOR_GROUPS],
    Indicator("ww_per_1000", "kwb2020", "per 1000 inwoners", "rate", numerator="ww_personen",
              denominator="inwoners", per=1000, theme="werkloosheid", classes=_same(10, 12, 14, 16),
              small_count=("ww_personen", 50),
              shown_in=frozenset({KAART, PROFIEL, RAPPORT, RAPPORT_KAART})),
    Indicator("bijstand_per_1000", "kwb2020", "per 1000 inwoners", "rate", numerator="bijstand_personen",
              denominator="inwoners", per=1000, theme="werkloosheid", classes=_same(10, 15, 20, 30),
              small_count=("bijstand_personen", 50),
              shown_in=frozenset({KAART, PROFIEL, RAPPORT})),
    Indicator("ao_per_1000", "kwb2020", "per 1000 inwoners", "rate", numerator="ao_personen",
              denominator="inwoners", per=1000, theme="werkloosheid", classes=_same(30, 35, 40, 50),
              small_count=("ao_personen", 50),
              shown_in=frozenset({KAART, PROFIEL, RAPPORT})),
    Indicator("mkb_blootstelling_eerste_golf", "vestigingen2020", "procent", "derived", provider="lib.mkb",
              theme="mkb", small_count=("vestigingen_totaal", 500), shown_in=frozenset({KAART, PROFIEL, RAPPORT, RAPPORT_KAART})),
    Indicator("mkb_blootstelling_tweede_golf", "vestigingen2020", "procent", "derived", provider="lib.mkb",
              theme="mkb", small_count=("vestigingen_totaal", 500), shown_in=frozenset({KAART, RAPPORT})),
    Indicator("vestigingen_per_1000", "vestigingen2020", "per 1000 inwoners", "rate",
              numerator="vestigingen_totaal", denominator="inwoners", per=1000, higher_is_worse=False,
              theme="mkb", classes=_same(80, 90, 100, 120), shown_in=frozenset({KAART, PROFIEL, RAPPORT})),
    Indicator("initiatieven_aantal", "register", "initiatieven", "derived", provider="lib.civic", live=True,
              higher_is_worse=False, theme="initiatieven"),
    Indicator("initiatieven_per_10k", "register", "per 10000 inwoners", "derived", provider="lib.civic",
              live=True, higher_is_worse=False, theme="initiatieven", decimals=2,
              small_count=("initiatieven_aantal", 5),
              classes=_same(0.1, 0.25, 0.5, 1.0), shown_in=frozenset({KAART, PROFIEL, RAPPORT})),
    Indicator("eenzaam_65plus_pct", "gezondheidsmonitor", "procent", "derived", provider="lib.civic",
              theme="initiatieven", classes=_same(45, 48, 51, 54),
              shown_in=frozenset({KAART, PROFIEL, RAPPORT, RAPPORT_KAART})),
    Indicator("ernstig_eenzaam_65plus_pct", "gezondheidsmonitor", "procent", "derived", provider="lib.civic",
              theme="initiatieven"),
    Indicator("vrijwilligerswerk_65plus_pct", "gezondheidsmonitor", "procent", "derived", provider="lib.civic",
              higher_is_worse=False, theme="initiatieven", shown_in=frozenset({RAPPORT})),
    Indicator("woonwerk_afstand_km", "woonwerk_matrix", "km", "derived", provider="lib.commuting", theme="co2",
              decimals=1, shown_in=frozenset({KAART, PROFIEL, RAPPORT, RAPPORT_KAART})),
    Indicator("co2_besparing_ton_per_jaar", "woonwerk_matrix", "ton CO2", "derived", provider="lib.commuting",
              higher_is_worse=False, theme="co2", shown_in=frozenset({KAART, PROFIEL, RAPPORT})),
    Indicator("werknemersbanen", "woonwerk_matrix", "banen", "derived", provider="lib.commuting",
              higher_is_worse=False, theme="co2", shown_in=frozenset({RAPPORT})),
    Indicator("woonwerk_km_per_werkdag", "woonwerk_matrix", "km", "derived", provider="lib.commuting", theme="co2"),
]}

#: Themes in report order.
THEMES = ("werkloosheid", "mkb", "initiatieven", "co2")


def shown_in(place: str, theme: str | None = None) -> list[str]:
    """Indicator ids that appear in ``place`` (KAART, PROFIEL, RAPPORT, RAPPORT_KAART), catalog order."""
    return [i.id for i in INDICATORS.values() if place in i.shown_in and (theme is None or i.theme == theme)]


def fixed_classes(indicator: str, level: str) -> tuple | None:
    """The fixed class breaks of an indicator at a map level, or None (natural breaks)."""
    ind = INDICATORS.get(indicator)
    return ind.classes.get(level) if ind else None


def source_line(dataset_id: str) -> str:
    """The "Bron: …" line shown beside a figure."""
    d = DATASETS[dataset_id]
    return f"Bron: {d.attribution} ({d.licence}); {d.reference_date}."

