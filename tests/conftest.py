"""Shared test set-up.

The app reads the committed app-ready pack (``data/pack``). Raw-source tests (loaders, the
build) read the raw sources (``../shared/data`` or ``$GEMEENTEN_RAW_DIR``) and are skipped
when they are absent. Raw edge cases use :func:`make_pack`: a temporary raw directory whose
files are symlinks to the real one, with chosen files replaced by small synthetic variants
(labelled so).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.config import DATA_DIR_ENV, RAW_DIR_ENV, REGISTRY_URL_ENV, data_dir, raw_dir  # noqa: E402

REAL_PACK = raw_dir()  # the raw sources
APP_PACK = data_dir()  # the committed app-ready pack
HAVE_RAW = (REAL_PACK / "README.md").exists()
needs_raw = pytest.mark.skipif(not HAVE_RAW, reason=f"raw sources not found at {REAL_PACK}")
# The tests never touch the app's own registry (data/registry.sqlite): one temporary
# SQLite registry for the session, seeded on first use like the app's.
os.environ[REGISTRY_URL_ENV] = f"sqlite:///{tempfile.mkdtemp(prefix='gemeenten-reg-')}/registry.sqlite"
os.environ.pop("GEMEENTEN_EDITOR_PASSWORD", None)


def pytest_configure(config):
    config.addinivalue_line("markers", "live: needs internet access to CBS (skipped by default)")
    config.addinivalue_line("markers", "browser: drives headless Chromium")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on the test item (``item.rep_call``): the browser tests save a screenshot
    only when their test failed (a hook in a test module would never be called)."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("GEMEENTEN_LIVE_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="live CBS test; set GEMEENTEN_LIVE_TESTS=1 to run")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _app_pack_present():
    if not (APP_PACK / "manifest.json").exists():
        pytest.exit(f"app-ready pack not found at {APP_PACK}; build it with python -m lib.build "
                    f"or set {DATA_DIR_ENV}", returncode=3)
    if os.environ.get("CI") and not HAVE_RAW:
        pytest.exit(f"CI needs the raw sources at {REAL_PACK} (set {RAW_DIR_ENV})", returncode=3)


def mirror_raw(root: Path, replace: dict[str, str | bytes | None]) -> Path:
    """A raw directory at ``root``: symlinks to the real raw files, ``replace`` applied
    (rel path → text/bytes; None deletes the file)."""
    for src in REAL_PACK.rglob("*"):
        if src.is_file():
            dst = root / src.relative_to(REAL_PACK)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.symlink_to(src)
    for rel, content in replace.items():
        dst = root / rel
        if dst.exists() or dst.is_symlink():
            dst.unlink()
        if content is None:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            dst.write_bytes(content)
        else:
            dst.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_pack(tmp_path, monkeypatch):
    """A raw directory in tmp_path mirroring the real one; ``replace`` maps rel path → text/bytes/None.

    None deletes the file. It becomes the raw directory of the test (loaders read it).
    """
    if not HAVE_RAW:
        pytest.skip(f"raw sources not found at {REAL_PACK}")

    def _make(replace: dict[str, str | bytes | None]) -> Path:
        root = mirror_raw(tmp_path / "pack", replace)
        monkeypatch.setenv(RAW_DIR_ENV, str(root))
        return root
    return _make


_BUILT: dict[str, tuple[Path, Path]] = {}


@pytest.fixture
def built_pack(tmp_path_factory, monkeypatch):
    """An app-ready pack built (once per session and ``key``) from the raw sources with
    ``replace`` applied; it becomes the pack the app reads for the test."""
    if not HAVE_RAW:
        pytest.skip(f"raw sources not found at {REAL_PACK}")

    def _make(key: str, replace: dict[str, str | bytes | None]) -> Path:
        from lib import build
        if key not in _BUILT:
            raw = mirror_raw(tmp_path_factory.mktemp(f"raw-{key}"), replace)
            out = tmp_path_factory.mktemp(f"built-{key}") / "pack"
            build.build(raw, out)
            _BUILT[key] = (raw, out)
        raw, out = _BUILT[key]
        monkeypatch.setenv(RAW_DIR_ENV, str(raw))
        monkeypatch.setenv(DATA_DIR_ENV, str(out))
        return out
    return _make


@pytest.fixture
def app_pack_copy(tmp_path, monkeypatch):
    """A copy of the committed app-ready pack, active for the test (to damage it on purpose)."""
    import shutil
    out = tmp_path / "pack"
    shutil.copytree(APP_PACK, out)
    monkeypatch.setenv(DATA_DIR_ENV, str(out))
    return out


@pytest.fixture
def pack_without_gm0088_establishments(built_pack):
    """Synthetic edit: Schiermonnikoog's (GM0088) establishment counts blanked, then built."""
    rel = "business/business_establishments_gemeente_kwb2020_clean.csv"
    lines = [",".join(f if i < 3 else "" for i, f in enumerate(line.split(","))) if line.startswith("GM0088,")
             else line for line in real_text(rel).splitlines()]
    return built_pack("zonder_vestigingen_gm0088", {rel: "\n".join(lines) + "\n"})


def real_text(rel: str) -> str:
    return (REAL_PACK / rel).read_text(encoding="utf-8")
