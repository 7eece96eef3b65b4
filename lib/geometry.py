"""Map geometry per level, built once into the pack (no Streamlit).

The build reads the raw boundaries (CBS Gebiedsindelingen via cartomap, already simplified),
simplifies each level as one *coverage* (``shapely.coverage_simplify``: a border shared by two
regions is simplified once, so neighbours still meet without gaps or overlaps), rounds to
4 decimals (about 7-11 m; the source grid is ~0.001°) and stores it as GeoJSON with only
``statcode`` and ``statnaam``. Everything that draws or tests geometry at run time (the map,
the report, the registry's point in polygon) reads :func:`boundaries`.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from lib.config import REPO_ROOT
from lib.loaders import load_boundaries
from lib.world import GEO_LEVELS, built, read_manifest, world

#: Simplification tolerance in degrees (about 20-30 m), below the source's own grid noise.
TOLERANCE = 0.0003
DECIMALS = 4


def simplified(level: str) -> gpd.GeoDataFrame:
    """One level's boundaries, coverage-simplified and rounded (see module docstring)."""
    raw_level, year = GEO_LEVELS[level]
    gdf = load_boundaries(raw_level, year)
    geoms = shapely.make_valid(gdf.geometry.to_numpy())
    geoms = shapely.coverage_simplify(geoms, TOLERANCE, simplify_boundary=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    geoms = shapely.make_valid(geoms)
    # make_valid may leave slivers as lines or points next to the polygon: keep the areas only
    geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    out = gpd.GeoDataFrame({"statcode": gdf["statcode"].to_numpy(), "statnaam": gdf["statnaam"].to_numpy()},
                           geometry=geoms, crs=4326)
    return out.sort_values("statcode").reset_index(drop=True)


def _polygonal(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def _builder(level: str):
    def build() -> gpd.GeoDataFrame:
        return simplified(level)
    build.__name__ = f"grenzen_{level}"
    build.__doc__ = f"Boundaries of every {level}, coverage-simplified, 4 decimals (WGS84)."
    return build


_BOUNDARIES = {level: built(f"grenzen_{level}", _builder(level), kind="geo",
                            datasets=("grenzen_gemeente_2023",) if level == "gemeente" else ("grenzen_regio",))
               for level in GEO_LEVELS}


def boundaries(level: str) -> gpd.GeoDataFrame:
    """``statcode``, ``statnaam``, ``geometry`` (WGS84) of one map level, from the pack."""
    return _BOUNDARIES[level]()


#: Map geometry is served to browsers from here (Streamlit static serving, /app/static/).
STATIC_DIR = REPO_ROOT / "static"
STATIC_URL = "/app/static/"


def static_rel(level: str, sha: str) -> str:
    """Path under ``static/`` of one level's geometry: named by its content hash, so a browser may
    cache it for good and a new pack never meets a stale copy."""
    return f"pack/{sha[:16]}/grenzen_{level}.geojson"


def publish(pack: Path, static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy the pack's map geometry to ``static_dir`` (atomically); returns the files written."""
    manifest = read_manifest(pack)
    written = []
    for level in GEO_LEVELS:
        entry = manifest["tabellen"][f"grenzen_{level}"]
        target = static_dir / static_rel(level, entry["sha256"])
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(pack / entry["bestand"], tmp)
            os.replace(tmp, target)
            written.append(target)
    return written


_URLS: dict[tuple[str, str], str | None] = {}


def static_url(level: str) -> str | None:
    """URL of the pack's geometry for ``level`` as a static file, or None when it cannot be served
    (a read-only checkout with a pack of its own: the map then carries the geometry inline)."""
    w = world()
    key = (str(w.root), level)
    if key not in _URLS:
        rel = static_rel(level, w.manifest["tabellen"][f"grenzen_{level}"]["sha256"])
        try:
            if not (STATIC_DIR / rel).is_file():
                publish(w.root)
            _URLS[key] = STATIC_URL + rel
        except OSError:
            _URLS[key] = None
    return _URLS[key]


def geometry_json(level: str) -> dict:
    """The level's GeoJSON as a dict (the inline fallback of :func:`static_url`)."""
    return json.loads(world().geometry_text(level))


@built("buren", kind="json", datasets=("grenzen_gemeente_2023",))
def gemeente_neighbours() -> dict[str, list[str]]:
    """Neighbouring gemeenten (sharing a border) of every 2023 gemeente, from the map geometry;
    islands without a land border get an empty list."""
    return _neighbours_of(boundaries("gemeente"))


def _neighbours_of(gdf: gpd.GeoDataFrame) -> dict[str, list[str]]:
    # The coverage keeps shared edges, so a hair's breadth (1e-4 degrees, ~10 m) finds every border.
    gdf = gdf.reset_index(drop=True)
    codes = gdf["statcode"].to_list()
    touched = gdf.sindex.query(gdf.geometry, predicate="dwithin", distance=1e-4)
    out: dict[str, list[str]] = {c: [] for c in codes}
    for i, j in zip(*touched):
        if i != j:
            out[codes[i]].append(codes[j])
    return {c: sorted(set(v)) for c, v in sorted(out.items())}
