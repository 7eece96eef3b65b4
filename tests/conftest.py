"""Shared test set-up.

Data truth comes from the real pack (``../shared/data`` or ``$GEMEENTEN_DATA_DIR``).
Edge cases use :func:`make_pack`: a temporary pack whose files are symlinks to the
real pack, with chosen files replaced by small synthetic variants (labelled so).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.config import DATA_DIR_ENV, REGISTRY_URL_ENV, data_dir  # noqa: E402

REAL_PACK = data_dir()
# The tests never touch the app's own registry (data/registry.sqlite): one temporary
# SQLite registry for the session, seeded on first use like the app's.
os.environ[REGISTRY_URL_ENV] = f"sqlite:///{tempfile.mkdtemp(prefix='gemeenten-reg-')}/registry.sqlite"
os.environ.pop("GEMEENTEN_EDITOR_PASSWORD", None)


def pytest_configure(config):
    config.addinivalue_line("markers", "live: needs internet access to CBS (skipped by default)")
    config.addinivalue_line("markers", "browser: drives headless Chromium")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("GEMEENTEN_LIVE_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="live CBS test; set GEMEENTEN_LIVE_TESTS=1 to run")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _real_pack_present():
    if not (REAL_PACK / "README.md").exists():
        pytest.exit(f"data pack not found at {REAL_PACK}; set {DATA_DIR_ENV}", returncode=3)


@pytest.fixture
def make_pack(tmp_path, monkeypatch):
    """Build a pack in tmp_path mirroring the real one; ``replace`` maps rel path → text/bytes/None.

    None deletes the file. The pack becomes the active one for the test.
    """
    def _make(replace: dict[str, str | bytes | None]) -> Path:
        root = tmp_path / "pack"
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
        monkeypatch.setenv(DATA_DIR_ENV, str(root))
        return root
    return _make


def real_text(rel: str) -> str:
    return (REAL_PACK / rel).read_text(encoding="utf-8")
