"""Settings: where the app-ready pack and the raw sources live, and other environment switches.

One environment variable per setting; each has a default that works on a fresh clone: the app
reads the pack committed under ``data/pack`` (built by ``python -m lib.build``); the raw sources
(``../shared/data`` next to the checkout) are needed only to rebuild it.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

#: Root of the repository (the folder holding ``app.py``).
REPO_ROOT = Path(__file__).resolve().parents[1]

#: Environment variable that points at the app-ready pack the app reads.
DATA_DIR_ENV = "GEMEENTEN_DATA_DIR"

#: Default app-ready pack: the one committed in this repository.
DEFAULT_DATA_DIR = REPO_ROOT / "data" / "pack"

#: Environment variable that points at the raw sources (only the build reads them).
RAW_DIR_ENV = "GEMEENTEN_RAW_DIR"

#: Default raw sources: ``../shared/data`` from the repository root.
DEFAULT_RAW_DIR = (REPO_ROOT / ".." / "shared" / "data").resolve()

#: Environment variable with a URL template for basemap tiles (empty = no tiles, the offline default).
TILES_ENV = "GEMEENTEN_TILES"

#: The PDOK BRT grey basemap, the Dutch government's own; used when GEMEENTEN_TILES=pdok.
PDOK_GREY_TILES = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_ATTRIBUTION = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT Achtergrondkaart)'


@functools.lru_cache(maxsize=16)
def _resolve(value: str, default: Path) -> Path:
    return Path(value).expanduser().resolve() if value else default


def data_dir() -> Path:
    """The app-ready pack in use: ``$GEMEENTEN_DATA_DIR`` or ``data/pack``."""
    return _resolve(os.environ.get(DATA_DIR_ENV, "").strip(), DEFAULT_DATA_DIR)


def raw_dir() -> Path:
    """The raw sources for a build: ``$GEMEENTEN_RAW_DIR`` or ``../shared/data``."""
    return _resolve(os.environ.get(RAW_DIR_ENV, "").strip(), DEFAULT_RAW_DIR)


def tiles_url() -> str | None:
    """Basemap tile URL template, or None when the map is drawn without tiles.

    ``GEMEENTEN_TILES=pdok`` selects the PDOK grey basemap; any other non-empty
    value is used as a Leaflet URL template.
    """
    value = os.environ.get(TILES_ENV, "").strip()
    if not value or value.lower() in {"0", "off", "none", "false"}:
        return None
    return PDOK_GREY_TILES if value.lower() == "pdok" else value


#: Environment variable with the registry's SQLAlchemy URL (e.g. postgresql+psycopg://…).
REGISTRY_URL_ENV = "GEMEENTEN_REGISTRY_URL"

#: The embedded default: a SQLite file under data/ (git-ignored).
DEFAULT_REGISTRY_URL = f"sqlite:///{REPO_ROOT / 'data' / 'registry.sqlite'}"


#: Environment variable with the editor password (empty: editing is open).
EDITOR_PASSWORD_ENV = "GEMEENTEN_EDITOR_PASSWORD"
SECRETS_FILE = REPO_ROOT / ".streamlit" / "secrets.toml"


def _secrets() -> dict:
    """``.streamlit/secrets.toml`` read without Streamlit (the CLI needs the same settings)."""
    if not SECRETS_FILE.is_file():
        return {}
    import tomllib
    try:
        return tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return {}


def registry_url() -> str:
    """The registry database, in order: ``$GEMEENTEN_REGISTRY_URL``, ``[connections.registry]
    url`` in ``.streamlit/secrets.toml``, the SQLite file under data/."""
    env = os.environ.get(REGISTRY_URL_ENV, "").strip()
    if env:
        return env
    secret = _secrets().get("connections", {}).get("registry", {}).get("url", "")
    return str(secret).strip() or DEFAULT_REGISTRY_URL


def editor_password() -> str | None:
    """Password for adding/importing initiatives: ``$GEMEENTEN_EDITOR_PASSWORD`` or
    ``[registry] editor_password`` in secrets.toml; None when editing is open."""
    value = os.environ.get(EDITOR_PASSWORD_ENV, "").strip() or str(
        _secrets().get("registry", {}).get("editor_password", "")).strip()
    return value or None
