"""The 342 gemeenten of the 2023 indeling with their regions, and code helpers."""
from __future__ import annotations

import re

import pandas as pd

from lib.loaders import load_boundaries, load_region_lookup
from lib.world import built

_CODE_RE = re.compile(r"^GM\d{4}$")
DEFAULT_GEMEENTE = "GM0363"  # Amsterdam: the largest gemeente, the app's start


@built("gemeenten", datasets=("grenzen_gemeente_2023", "grenzen_regio"))
def gemeenten() -> pd.DataFrame:
    """One row per 2023 gemeente, sorted by name.

    Columns: ``gemeente_code``, ``gemeente_naam`` (from the 2023 boundaries),
    ``provincie_code``, ``provincie_naam``, ``arbeidsmarktregio_code``,
    ``arbeidsmarktregio_naam``, ``coropgebied_code``, ``coropgebied_naam``.
    """
    names = load_boundaries("gemeente", 2023)[["statcode", "statnaam"]].rename(
        columns={"statcode": "gemeente_code", "statnaam": "gemeente_naam"})
    regions = load_region_lookup().drop(columns="gemeente_naam")
    out = names.merge(regions, on="gemeente_code", how="left", validate="one_to_one")
    return out.sort_values("gemeente_naam", key=lambda s: s.str.lower()).reset_index(drop=True)


def normalise_code(value: str | None) -> str | None:
    """``gm363`` / ``GM0363`` / `` 0363`` → ``GM0363``; None when it is not a code at all."""
    if value is None:
        return None
    text = str(value).strip().upper()
    if text.startswith("GM"):
        text = text[2:]
    if not text.isdigit() or len(text) > 4:
        return None
    code = "GM" + text.zfill(4)
    return code if _CODE_RE.match(code) else None


def names() -> dict[str, str]:
    df = gemeenten()
    return dict(zip(df["gemeente_code"], df["gemeente_naam"]))


#: Names people use for a gemeente besides its official name (searchable in the picker). Names,
#: not figures: the everyday name, the name without diacritics or the Frisian/Dutch twin.
ALIASES = {
    "GM0518": ("Den Haag",),                                # 's-Gravenhage
    "GM0796": ("Den Bosch",),                               # 's-Hertogenbosch
    "GM1900": ("Sudwest-Fryslan", "Zuidwest-Friesland"),    # Súdwest-Fryslân
    "GM1970": ("Noardeast-Fryslan", "Noordoost-Friesland"), # Noardeast-Fryslân
    "GM1940": ("De Friese Meren",),                         # De Fryske Marren
    "GM0737": ("Tietjerksteradeel",),                       # Tytsjerksteradiel
    "GM1891": ("Dantumadeel",),                             # Dantumadiel
    "GM0080": ("Ljouwert",),                                # Leeuwarden
    "GM0088": ("Skiermûntseach",),                          # Schiermonnikoog
    "GM0060": ("It Amelân",),                               # Ameland
    "GM0093": ("Skylge",),                                  # Terschelling
    "GM0096": ("Flylân",),                                  # Vlieland
    "GM0072": ("Harns",),                                   # Harlingen
    "GM0085": ("Eaststellingwerf",),                        # Ooststellingwerf
    "GM0820": ("Nuenen",),                                  # Nuenen, Gerwen en Nederwetten
}


def aliases() -> dict[str, tuple[str, ...]]:
    """Alternative names per 2023 code, only for codes of the indeling and names not already the official one."""
    official = names()
    return {code: tuple(a for a in alts if a != official[code]) for code, alts in ALIASES.items()
            if code in official and any(a != official[code] for a in alts)}


def picker_labels() -> dict[str, str]:
    """The picker's text per code: the official name, with other names in brackets so that typing
    "Den Bosch" or "Sudwest" finds the gemeente (the picker searches its labels)."""
    extra = aliases()
    return {code: f"{name} ({', '.join(extra[code])})" if extra.get(code) else name
            for code, name in names().items()}


def old_code(code: str) -> dict | None:
    """A code of a gemeente dissolved since 2020: ``{"code", "naam", "opgeheven", "code_2023"}``, else None."""
    from lib.indeling import old_codes
    rows = old_codes()
    hit = rows[rows["code"] == code]
    return None if hit.empty else hit.iloc[0].to_dict()
