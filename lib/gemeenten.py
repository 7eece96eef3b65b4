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
