"""The data world: one immutable object per app-ready pack, loaded once and shared.

Two halves, one owner:

* **Built tables.** A function decorated with :func:`built` computes one table from the raw
  sources (``../shared/data`` or a directory written by ``lib.refresh``). The build pipeline
  (``python -m lib.build``) runs every such function once and writes its result to the pack.
  At run time the very same function returns the stored table: the app never reads a raw
  file and never repeats a conversion.
* **The world.** :func:`world` loads the pack in :func:`lib.config.data_dir` once per process.
  The load is single-flight (concurrent first callers wait for one load), checked against the
  manifest and :mod:`lib.checks` (a pack that fails is refused with one Dutch message) and
  indexed: tables by name, geometry by map level.

No Streamlit here; ``lib.ui`` shares nothing of its own for pack data.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from lib.config import data_dir, raw_dir
from lib.errors import DataPackError
from lib.texts_nl import t

PIPELINE_VERSION = "2"
MANIFEST = "manifest.json"
#: Map levels with geometry in the pack: level → (raw boundary level, year).
GEO_LEVELS = {"gemeente": ("gemeente", 2023), "arbeidsmarktregio": ("arbeidsmarktregio", 2022),
              "provincie": ("provincie", 2023)}


@dataclass(frozen=True)
class Spec:
    """One built table: its name in the pack, how it is computed and stored."""
    name: str
    func: Callable
    kind: str  # "frame" (Parquet), "json" or "geo" (GeoJSON)
    datasets: tuple[str, ...]  # catalog ids of the raw sources it is computed from
    description: str

    @property
    def file(self) -> str:
        return {"frame": f"{self.name}.parquet", "json": f"{self.name}.json",
                "geo": f"geo/{self.name}.geojson"}[self.kind]


#: Every built table, in registration order (a table may use tables registered before it).
SPECS: dict[str, Spec] = {}

# The build in progress: {"raw": Path, "values": {name: value}}; None at run time.
_BUILD: dict | None = None
_BUILD_LOCK = threading.RLock()


def building() -> Path | None:
    """The raw directory of the build in progress, or None (run time)."""
    return _BUILD["raw"] if _BUILD else None


@contextlib.contextmanager
def build_mode(raw: Path):
    """Within this block built functions compute from ``raw`` (once each) instead of reading the pack."""
    global _BUILD
    with _BUILD_LOCK:
        previous, _BUILD = _BUILD, {"raw": Path(raw).resolve(), "values": {}}
        try:
            yield _BUILD["values"]
        finally:
            _BUILD = previous


def built(name: str, func: Callable | None = None, *, kind: str = "frame",
          datasets: tuple[str, ...] = (), description: str = ""):
    """Register ``func`` as the computation of pack table ``name``.

    Usable as a decorator (``@built("gemeenten", datasets=(...))``) or as a call on an
    existing loader (``built("ww_nationaal", load_ww_national)``). The wrapper computes
    during a build and reads the pack otherwise.
    """
    if func is None:
        return functools.partial(built, name, kind=kind, datasets=datasets, description=description)
    if name in SPECS and SPECS[name].func is not func:
        raise ValueError(f"pack table {name!r} registered twice")
    SPECS[name] = Spec(name, func, kind, tuple(datasets), description or (func.__doc__ or "").strip().split("\n")[0])

    @functools.wraps(func)
    def wrapper():
        if _BUILD is not None:
            return _copy(computed(name))
        return world().get(name)

    wrapper.spec = SPECS[name]
    return wrapper


def computed(name: str):
    """During a build: the value of pack table ``name``, computed once (later tables reuse it)."""
    if _BUILD is None:
        raise RuntimeError("computed() is for the build only (lib.world.build_mode)")
    values = _BUILD["values"]
    if name not in values:
        values[name] = SPECS[name].func()
    return values[name]


def _copy(value):
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    return json.loads(json.dumps(value)) if isinstance(value, dict | list) else value


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- the world ---------------------------------------------------------------------------------

class World:
    """The loaded pack: tables by name, map geometry per level, the manifest. Read-only.

    :meth:`get` hands out copies of frames, so no caller can change the world for others;
    :meth:`geometry_text` is the map geometry as served to browsers (one shared string).
    """

    def __init__(self, root: Path, manifest: dict, tables: dict[str, object]):
        self.root = root
        self.manifest = manifest
        self._tables = tables
        self._geo_text: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def stand(self) -> dt.date | None:
        """The pack's "stand van" date (its build date)."""
        try:
            return dt.date.fromisoformat(str(self.manifest.get("gebouwd", ""))[:10])
        except ValueError:
            return None

    def has(self, name: str) -> bool:
        return name in self._tables

    def get(self, name: str):
        if name not in self._tables:
            raise DataPackError(self.root / MANIFEST, t("err.pack_tabel_ontbreekt", tabel=name))
        return _copy(self._tables[name])

    def raw(self, name: str):
        """The stored object itself, not a copy: for read-only use in hot paths."""
        if name not in self._tables:
            raise DataPackError(self.root / MANIFEST, t("err.pack_tabel_ontbreekt", tabel=name))
        return self._tables[name]

    def geometry_text(self, level: str) -> str:
        """The GeoJSON text of one map level, exactly as stored (read once)."""
        with self._lock:
            if level not in self._geo_text:
                rel = self.manifest["tabellen"][f"grenzen_{level}"]["bestand"]
                self._geo_text[level] = (self.root / rel).read_text(encoding="utf-8")
            return self._geo_text[level]


_WORLDS: dict[Path, World] = {}
_LOAD_LOCK = threading.Lock()


def world() -> World:
    """The world of the pack in use, loaded on first use (single-flight) and then shared."""
    root = data_dir()
    found = _WORLDS.get(root)
    if found is not None:
        return found
    with _LOAD_LOCK:
        found = _WORLDS.get(root)
        if found is None:
            found = _WORLDS[root] = load(root)
    return found


def forget() -> None:
    """Drop loaded worlds (tests that rebuild a pack in place)."""
    with _LOAD_LOCK:
        _WORLDS.clear()


def read_manifest(root: Path) -> dict:
    path = root / MANIFEST
    if not root.is_dir():
        raise DataPackError(root, t("err.pack_ontbreekt", pad=root))
    if not path.is_file():
        raise DataPackError(path, t("err.manifest_ontbreekt"))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataPackError(path, t("err.onleesbaar", detail=str(exc)[:200])) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tabellen"), dict):
        raise DataPackError(path, t("err.manifest_vorm"))
    return manifest


def load(root: Path) -> World:
    """Read and check a pack. Raises DataPackError (Dutch) when it cannot be used."""
    import geopandas as gpd

    from lib import checks

    root = Path(root)
    manifest = read_manifest(root)
    tables: dict[str, object] = {}
    for name, entry in manifest["tabellen"].items():
        rel = entry.get("bestand", "")
        path = root / rel
        if not path.is_file():
            raise DataPackError(rel, t("err.bestand_ontbreekt"))
        if sha256(path) != entry.get("sha256"):
            raise DataPackError(rel, t("err.hash_anders"))
        try:
            kind = entry.get("soort")
            if kind == "frame":
                tables[name] = pd.read_parquet(path)
            elif kind == "json":
                tables[name] = json.loads(path.read_text(encoding="utf-8"))
            elif kind == "geo":
                tables[name] = gpd.read_file(path)
            else:
                raise DataPackError(rel, t("err.manifest_vorm"))
        except DataPackError:
            raise
        except Exception as exc:  # pyarrow / pyogrio raise many types for a damaged file
            raise DataPackError(rel, t("err.onleesbaar", detail=str(exc)[:200])) from None
    problems = checks.check_pack(tables, manifest)
    if problems:
        raise DataPackError(root, t("err.pack_controle", n=len(problems), eerste=problems[0]))
    return World(root, manifest, tables)


def raw_root() -> Path:
    """Where raw files are read from: the build's raw directory, else ``GEMEENTEN_RAW_DIR``."""
    return building() or raw_dir()


def pack_summary() -> dict:
    """What the Bronnen page shows about the pack in use: stand, version, tables, size, totals."""
    w = world()
    tables = [{"tabel": name, "rijen": e.get("rijen"), "bronnen": ", ".join(e.get("datasets", []))}
              for name, e in w.manifest["tabellen"].items()]
    size = sum((w.root / e["bestand"]).stat().st_size for e in w.manifest["tabellen"].values())
    totals = [{"totaal": label, "bron": e.get("bron"), "pakket": e.get("pakket")}
              for label, e in w.manifest.get("totalen", {}).items()]
    return {"stand": w.stand, "versie": w.manifest.get("pijplijn_versie"), "tabellen": tables,
            "bytes": size, "totalen": totals}
