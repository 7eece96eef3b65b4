"""Reading raw source files (for the build): paths, validation, Dutch error messages, memo.

Every raw loader goes through :func:`read_csv` / :func:`read_geojson`, so a missing,
empty or malformed file always ends in one :class:`~lib.errors.DataPackError`
that names the file and the problem, never in a traceback from deep inside pandas.
Raw files are read from the build's raw directory (:func:`lib.world.raw_root`).
"""
from __future__ import annotations

import collections
import copy
import functools
from pathlib import Path

import geopandas as gpd
import pandas as pd

class _Pandera:
    """``pandera.pandas``, imported when a schema is first built: only the build validates raw
    files, and the served app need not pay the import (0.2 s of every cold start)."""

    def __getattr__(self, name):
        import pandera.pandas
        return getattr(pandera.pandas, name)


pa = _Pandera()

from lib.config import data_dir
from lib import world as _world
from lib.errors import DataPackError
from lib.texts_nl import t

GM_CODE = r"^GM\d{4}$"


def pack_path(rel: str) -> Path:
    """Absolute path of a raw file; raises DataPackError if it is absent or empty."""
    root = _world.raw_root()
    if not root.is_dir():
        raise DataPackError(root, t("err.pack_ontbreekt", pad=root))
    path = root / rel
    if not path.is_file():
        raise DataPackError(rel, t("err.bestand_ontbreekt"))
    if path.stat().st_size == 0:
        raise DataPackError(rel, t("err.bestand_leeg"))
    return path


def pack_memo(func=None, *, maxsize: int | None = None):
    """Memoise a loader per data pack directory and arguments; callers get copies.

    Pack files are read-only inputs, so reading each once per process is safe.
    The key includes the pack directory, so a different ``GEMEENTEN_DATA_DIR``
    (as in the tests) is a different entry. ``maxsize`` bounds the store (least
    recently used out) for functions keyed by something that keeps changing, such as
    the registry's state: ``@pack_memo(maxsize=4)``.
    """
    if func is None:
        return functools.partial(pack_memo, maxsize=maxsize)
    store: collections.OrderedDict = collections.OrderedDict()

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        key = (str(data_dir()), str(_world.raw_root()), _world.building() is not None,
               args, tuple(sorted(kwargs.items())))
        if key in store:
            store.move_to_end(key)
        else:
            store[key] = func(*args, **kwargs)
            if maxsize is not None and len(store) > maxsize:
                store.popitem(last=False)
        value = store[key]
        return value.copy() if hasattr(value, "copy") else copy.deepcopy(value)

    wrapper.cache_clear = store.clear
    return wrapper


def _schema_errors():
    from pandera.errors import SchemaErrors
    return SchemaErrors


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, rel: str) -> pd.DataFrame:
    """Validate ``df`` against ``schema``; translate the first failure into Dutch."""
    if df.empty:
        raise DataPackError(rel, t("err.bestand_leeg"))
    for name, column in schema.columns.items():
        if column.required and name not in df.columns:
            found = ", ".join(str(c) for c in list(df.columns)[:15])
            raise DataPackError(rel, t("err.kolom_ontbreekt", kolom=name, gevonden=found))
    try:
        return schema.validate(df, lazy=True)
    except _schema_errors() as exc:
        raise DataPackError(rel, _describe_failure(exc.failure_cases, df)) from None


def _describe_failure(cases: pd.DataFrame, df: pd.DataFrame) -> str:
    row = cases.iloc[0]
    column, check, value = row.get("column"), str(row.get("check")), row.get("failure_case")
    index = row.get("index")
    line = int(index) + 2 if pd.notna(index) else "?"  # header is line 1
    if "uniqu" in check or "duplicate" in check:
        return t("err.dubbele_code", code=value)
    if "coerce_dtype" in check or check.startswith("dtype"):
        return t("err.geen_getal", kolom=column, waarde=value, rij=line)
    if "str_matches" in check and isinstance(value, str):
        return t("err.ongeldige_waarde", kolom=column, waarde=value, rij=line,
                 controle="verwacht een code als GM0363")
    return t("err.ongeldige_waarde", kolom=column, waarde=value, rij=line, controle=check)


def read_csv(rel: str, schema: pa.DataFrameSchema, **read_kwargs) -> pd.DataFrame:
    """Read a CSV from the pack and validate it."""
    path = pack_path(rel)
    try:
        df = pd.read_csv(path, **read_kwargs)
    except pd.errors.EmptyDataError:
        raise DataPackError(rel, t("err.bestand_leeg")) from None
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError, EOFError) as exc:
        raise DataPackError(rel, t("err.onleesbaar", detail=str(exc)[:200])) from None
    return validate(df, schema, rel)


def read_geojson(rel: str, code_pattern: str) -> gpd.GeoDataFrame:
    """Read region polygons (properties ``statcode``, ``statnaam``), repaired and checked."""
    path = pack_path(rel)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for a broken file
        raise DataPackError(rel, t("err.onleesbaar", detail=str(exc)[:200])) from None
    schema = pa.DataFrameSchema({
        "statcode": pa.Column(str, pa.Check.str_matches(code_pattern), unique=True),
        "statnaam": pa.Column(str),
    })
    gdf = validate(gdf, schema, rel)
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        raise DataPackError(rel, t("err.geometrie", detail="lege geometrie"))
    invalid = ~gdf.geometry.is_valid
    if invalid.any():  # simplification left self-touching rings; see geo/PROVENANCE.md
        gdf.loc[invalid, "geometry"] = gdf.loc[invalid, "geometry"].buffer(0)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    return gdf[["statcode", "statnaam", "geometry"]].reset_index(drop=True)
