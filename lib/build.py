"""Build the app-ready pack from the raw sources: one command, every conversion once.

    python -m lib.build --raw ../shared/data --out data/pack

Reads the raw sources (the pack at ``../shared/data`` or a directory written by
``python -m lib.refresh``), runs every registered pack table (:data:`lib.world.SPECS`: the
2023 indeling, the region lookup, the commuting model per gemeente, the registry seed with
its gemeenten, the 65+ weighting, map geometry per level …), checks the result
(:mod:`lib.checks`) and writes Parquet tables, GeoJSON geometry and ``manifest.json``.

A pack that fails a check is never written; the previous pack stays in place (the new one
is written next to it and swapped in only when complete).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from lib import checks, world
from lib.catalog import DATASETS
from lib.config import DATA_DIR_ENV, DEFAULT_DATA_DIR, REGISTRY_URL_ENV, raw_dir
from lib.errors import DataPackError

#: The modules that register pack tables (importing them registers their builders).
BUILDER_MODULES = ("lib.gemeenten", "lib.geometry", "lib.indeling", "lib.indicators", "lib.profile", "lib.civic",
                   "lib.unemployment", "lib.mkb", "lib.commuting", "lib.registry")


class BuildError(RuntimeError):
    """The raw sources do not give a pack that passes the checks; the message is Dutch."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Het pakket is niet geschreven: " + " ".join(problems[:5]))


def register_all() -> dict[str, world.Spec]:
    for module in BUILDER_MODULES:
        importlib.import_module(module)
    return dict(world.SPECS)


def raw_totals() -> dict[str, float]:
    """The totals of :data:`lib.checks.TOTALS` straight from the raw files (build mode only)."""
    from lib.loaders import (load_commuting_matrix, load_coronapioniers, load_establishments, load_helpradar,
                             load_kwb)
    kwb = load_kwb()
    out = {}
    for label, (ind, per) in checks.TOTALS.items():
        if ind == "vestigingen_totaal":
            out[label] = float(load_establishments()["vestigingen_totaal"].sum())
        elif int(per) in set(kwb["jaar"]):
            out[label] = float(kwb.loc[kwb["jaar"] == int(per), ind].sum())
    out["werknemersbanen (woon-werkmatrix)"] = float(load_commuting_matrix()["banen"].sum())
    out["initiatieven in de startvulling"] = float(len(load_helpradar()) + len(load_coronapioniers()))
    return out


def _inputs(raw: Path) -> dict[str, dict]:
    out = {}
    for d in DATASETS.values():
        files = {}
        for rel in (d.file, *d.extra_files):
            path = raw / rel
            if path.is_file():
                files[rel] = world.sha256(path)
        if files:
            out[d.id] = {"titel": d.title, "uitgever": d.publisher, "cbs_tabel": d.cbs_table,
                         "peildatum": d.reference_date, "licentie": d.licence, "bestanden": files}
    return out


def _write(value, spec: world.Spec, out: Path) -> int:
    path = out / spec.file
    path.parent.mkdir(parents=True, exist_ok=True)
    if spec.kind == "frame":
        value.to_parquet(path, index=not isinstance(value.index, pd.RangeIndex), compression="zstd")
        return len(value)
    if spec.kind == "json":
        path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return len(value)
    path.write_text(value.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")
    return len(value)


@contextlib.contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def build(raw: Path, out: Path, today: dt.datetime | None = None) -> dict:
    """Build the pack from ``raw`` into ``out`` (replaced only when the new pack passes). Returns the manifest."""
    raw, out = Path(raw).resolve(), Path(out).resolve()
    if not raw.is_dir():
        raise BuildError([f"de bronmap '{raw}' bestaat niet."])
    specs = register_all()
    with world.build_mode(raw):
        values = {name: world.computed(name) for name in specs}
        totals = raw_totals()
    manifest = {
        "pijplijn_versie": world.PIPELINE_VERSION,
        "gebouwd": (today or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds"),
        "indeling": 2023,
        "datasets": _inputs(raw),
        "tabellen": {},
        "totalen": {label: {"bron": v} for label, v in totals.items()},
    }
    problems = checks.check_pack(values, manifest)
    if problems:
        raise BuildError(problems)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".pack-", dir=out.parent))
    try:
        for name, spec in specs.items():
            rows = _write(values[name], spec, tmp)
            manifest["tabellen"][name] = {"bestand": spec.file, "soort": spec.kind, "rijen": rows,
                                          "sha256": world.sha256(tmp / spec.file), "datasets": list(spec.datasets),
                                          "omschrijving": spec.description}
        in_pack = checks.pack_totals(values)
        for label, entry in manifest["totalen"].items():
            entry["pakket"] = in_pack.get(label)
        (tmp / world.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        world.load(tmp)  # read back exactly as the app will, with every check
        with _env(**{DATA_DIR_ENV: str(tmp), REGISTRY_URL_ENV: "sqlite://"}):
            world.forget()
            problems = checks.consistency()
        world.forget()
        if problems:
            raise BuildError(problems)
        if out.exists():
            old = out.with_name(out.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if out == DEFAULT_DATA_DIR.resolve():
        _publish_static(out, manifest)
    return manifest


def _publish_static(out: Path, manifest: dict) -> None:
    """The committed pack's map geometry as static files (served at /app/static/pack/…), stale ones removed."""
    from lib.geometry import STATIC_DIR, publish
    publish(out)
    keep = {e["sha256"][:16] for name, e in manifest["tabellen"].items() if name.startswith("grenzen_")}
    for old in (STATIC_DIR / "pack").iterdir():
        if old.is_dir() and old.name not in keep:
            shutil.rmtree(old)


def sizes(out: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(out)), p.stat().st_size) for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.build", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=None, help="raw sources (default: $GEMEENTEN_RAW_DIR or ../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_DATA_DIR, help="pack directory to write (default: data/pack)")
    args = parser.parse_args(argv)
    try:
        build(args.raw or raw_dir(), args.out)
    except (BuildError, DataPackError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    total = 0
    for rel, size in sizes(args.out):
        total += size
        print(f"{size / 1024:9.1f} KB  {rel}")
    print(f"{total / 1024 / 1024:9.2f} MB  totaal in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
