"""The registry of citizen and business initiatives: a real SQL database (no Streamlit).

One owner for the database: every read and write goes through :class:`Registry`
(SQLAlchemy Core), each write in one transaction. Works with SQLite (the embedded
default, a file under ``data/``) and PostgreSQL (any SQLAlchemy URL).

* The schema is created on first use and its version recorded in ``schema_versie``;
  :data:`MIGRATIONS` holds the steps from one version to the next.
* An empty registry is seeded from the pack (Helpradar and VPRO Coronapioniers) with
  the platform as source and the scrape date. Gemeenten are assigned by point in
  polygon on the 2023 boundaries; a row without usable coordinates is assigned by a
  gemeente named in its location text only when exactly one is named, else it is
  kept off the map and counted as "locatie onbekend". Descriptions are never read.
* New rows (form or CSV) are validated first (:func:`validate`); a CSV import is all
  or nothing.
"""
from __future__ import annotations

import csv
import functools
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urlparse

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa

from lib.errors import SourceUnavailable
from lib.gemeenten import gemeenten
from lib.geometry import boundaries
from lib.loaders import load_coronapioniers, load_helpradar
from lib.world import built
from lib.texts_nl import t

SCHEMA_VERSION = 2
THEMES = ["zorg en boodschappen", "eenzaamheid en contact", "voedsel", "kinderen en onderwijs",
          "ondernemers", "overig"]
MAX_NAME, MAX_SOURCE, MAX_URL = 120, 120, 500
HELPRADAR_SCRAPED = date(2020, 4, 10)
PIONIERS_SCRAPED = date(2020, 6, 16)
MAX_CSV_BYTES, MAX_CSV_ROWS = 1_000_000, 5_000
CSV_COLUMNS = ["naam", "thema", "gemeente_code", "latitude", "longitude", "website", "startdatum", "bron", "soort"]

metadata = sa.MetaData()
schema_versie = sa.Table("schema_versie", metadata, sa.Column("versie", sa.Integer, nullable=False),
                         sa.Column("bijgewerkt", sa.DateTime(timezone=True), nullable=False))
initiatieven = sa.Table(
    "initiatieven", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("naam", sa.String(MAX_NAME), nullable=False),
    sa.Column("thema", sa.String(40), nullable=False),
    sa.Column("gemeente_code", sa.String(6), nullable=True, index=True),  # NULL = locatie onbekend
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("website", sa.String(MAX_URL), nullable=True),
    sa.Column("startdatum", sa.Date, nullable=True),
    sa.Column("bron", sa.String(MAX_SOURCE), nullable=False),
    sa.Column("bron_ref", sa.String(80), nullable=True, unique=True),  # e.g. helpradar:12 (seed)
    sa.Column("peildatum", sa.Date, nullable=True),  # scrape date of seed rows
    sa.Column("toewijzing", sa.String(12), nullable=False),  # punt / naam / onbekend / invoer
    sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
    # What the database keeps unique (schema 2): "naam:<gemeente>|<normalised name>" for entries,
    # "bron:<bron_ref>" for seed rows (separate posts that share a generic label).
    sa.Column("uniek", sa.String(MAX_NAME * 4 + 20), nullable=True),
    # initiatief / hulpaanbod / hulpvraag (schema 2): density counts the first two, requests apart
    sa.Column("soort", sa.String(12), nullable=True),
    # moderation (schema 2): zichtbaar / te_beoordelen / verborgen (soft delete), with the reason
    sa.Column("status", sa.String(16), nullable=True),
    sa.Column("status_reden", sa.String(200), nullable=True),
    sa.UniqueConstraint("uniek", name="uq_initiatieven_uniek"),
)
#: Every change to an initiative: when, what, and the row before and after (JSON text).
wijzigingen = sa.Table(
    "wijzigingen", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("wanneer", sa.DateTime(timezone=True), nullable=False),
    sa.Column("initiatief_id", sa.Integer, nullable=False, index=True),
    sa.Column("actie", sa.String(20), nullable=False),  # toegevoegd / goedgekeurd / bewerkt / verborgen
    sa.Column("voor", sa.Text, nullable=True),
    sa.Column("na", sa.Text, nullable=True),
)
ZICHTBAAR, TE_BEOORDELEN, VERBORGEN = "zichtbaar", "te_beoordelen", "verborgen"
EDITABLE = ("naam", "thema", "website", "bron", "soort")
#: Writes made by this process (read by lib.civic to refresh cached tokens at once).
WRITES = 0

def _migrate_2(conn) -> None:
    """Schema 2: the ``uniek`` key, filled for existing rows, then a unique index on it. Rows that
    were stored twice before the database enforced it keep their data: later copies get their id
    in the key."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("initiatieven")}
    if "uniek" not in columns:
        conn.execute(sa.text(f"ALTER TABLE initiatieven ADD COLUMN uniek VARCHAR({MAX_NAME * 4 + 20})"))
    if "soort" not in columns:
        conn.execute(sa.text("ALTER TABLE initiatieven ADD COLUMN soort VARCHAR(12)"))
    for name, size in (("status", 16), ("status_reden", 200)):
        if name not in columns:
            conn.execute(sa.text(f"ALTER TABLE initiatieven ADD COLUMN {name} VARCHAR({size})"))
    conn.execute(initiatieven.update().where(initiatieven.c.status.is_(None)).values(status=ZICHTBAAR))
    metadata.create_all(conn, tables=[wijzigingen], checkfirst=True)
    # Seed rows of schema 1 get the seed's current kind and name (private persons' names replaced).
    seed = {r["bron_ref"]: r for r in seed_records()}
    for row in conn.execute(sa.select(initiatieven.c.id, initiatieven.c.bron_ref)).all():
        if row.bron_ref in seed:
            conn.execute(initiatieven.update().where(initiatieven.c.id == row.id).values(
                naam=seed[row.bron_ref]["naam"], soort=seed[row.bron_ref]["soort"]))
    conn.execute(initiatieven.update().where(initiatieven.c.soort.is_(None)).values(soort="initiatief"))
    seen = set()
    rows = conn.execute(sa.select(initiatieven.c.id, initiatieven.c.naam, initiatieven.c.gemeente_code,
                                  initiatieven.c.bron_ref).order_by(initiatieven.c.id)).all()
    for row in rows:
        key = unique_key(row.naam, row.gemeente_code, row.bron_ref)
        if key in seen:
            key = f"{key}|#{row.id}"
        seen.add(key)
        conn.execute(initiatieven.update().where(initiatieven.c.id == row.id).values(uniek=key))
    indexes = {i["name"] for i in sa.inspect(conn).get_indexes("initiatieven")}
    if "uq_initiatieven_uniek" not in indexes:
        conn.execute(sa.text("CREATE UNIQUE INDEX IF NOT EXISTS uq_initiatieven_uniek ON initiatieven (uniek)"))


#: version → function(connection) bringing the schema from version-1 to version.
MIGRATIONS: dict[int, callable] = {2: _migrate_2}


def prepare_url(url: str) -> str:
    """Create the folder of a SQLite database file (a fresh checkout has no data/ yet)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        from pathlib import Path
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return url


class ValidationError(ValueError):
    """Rejected input; ``errors`` holds (row, field, Dutch message) tuples."""

    def __init__(self, errors: list[tuple[int | None, str, str]]):
        self.errors = errors
        super().__init__("; ".join(m for _, _, m in errors))


# --- geography ----------------------------------------------------------------------------

def _polygons() -> gpd.GeoDataFrame:
    return boundaries("gemeente")[["statcode", "geometry"]]


def assign_points(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """2023 gemeente code holding each point (WGS84); NA outside every gemeente."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), index=lat.index, crs=4326)
    ok = lat.notna() & lon.notna()
    joined = gpd.sjoin(pts[ok], _polygons(), how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    return joined["statcode"].reindex(lat.index)


def _fold(text: str, lower: bool = True) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower() if lower else ascii_text


def gemeente_named_in(text: str | None) -> str | None:
    """The one 2023 gemeente named in ``text`` (whole words), or None if none or several."""
    if not text or not isinstance(text, str):
        return None
    folded = _fold(text, lower=False)  # case-sensitive: "Best" the gemeente, not "best"
    found = set()
    for code, name in gemeenten()[["gemeente_code", "gemeente_naam"]].itertuples(index=False):
        bare = _fold(re.sub(r"\s*\(.*\)$", "", name), lower=False)  # "Bergen (NH.)" → "Bergen"
        if re.search(rf"(?<![\w-]){re.escape(bare)}(?![\w-])", folded):
            found.add(code)
    # "Bergen" names two gemeenten: ambiguous unless the province suffix is written out
    return found.pop() if len(found) == 1 else None


# --- validation ----------------------------------------------------------------------------

#: Bidi embeddings, overrides and isolates: they can make stored text read differently on screen.
_BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])


#: Terminal escape sequences (colours, cursor moves, clear screen): never part of a name.
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean_text(text: str) -> str:
    """User text as stored: control characters (NUL, ANSI escapes …) and bidi controls removed,
    whitespace collapsed."""
    text = _ANSI.sub("", str(text))
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text).translate(_BIDI)
    return " ".join(text.split())


def _norm_name(name: str) -> str:
    """The comparison key of a name: Unicode NFKC, every invisible format character (zero-width,
    bidi) removed, casefolded, whitespace collapsed. Look-alikes (NFD "é", a zero-width space)
    give the same key."""
    text = unicodedata.normalize("NFKC", clean_text(name))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.casefold().split())


def unique_key(name: str, gemeente_code: str | None, bron_ref: str | None = None) -> str:
    """The value of the unique ``uniek`` column (see the table definition)."""
    if bron_ref:
        return f"bron:{bron_ref}"
    return f"naam:{gemeente_code or '-'}|{_norm_name(name)}"


def _text(value) -> str:
    """A field as text; None and NaN (an empty CSV cell) are empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _float(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    return float(str(value).strip().replace(",", "."))


def _date(value) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    dutch = _DUTCH_DATE.match(text)  # 01-04-2020, 1-4-2020, 01/04/2020, 01.04.2020
    if dutch:
        day, month, year = (int(g) for g in dutch.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
#: Columns a CSV import must have (``bron`` too: every initiative says who reported it).
REQUIRED_CSV = ("naam", "thema", "gemeente_code", "bron")


def validate(record: dict, existing: set[tuple[str, str]], today: date | None = None) -> tuple[dict, list]:
    """Check one new initiative. Returns (clean record, list of (field, Dutch message)).

    ``existing`` holds (normalised name, gemeente code) pairs already present (the
    registry plus earlier rows of the same CSV).
    """
    today = today or date.today()
    errors: list[tuple[str, str]] = []
    codes = set(gemeenten()["gemeente_code"])
    name = clean_text(_text(record.get("naam")))
    if not name or not _norm_name(name):  # empty, or only invisible characters / control codes
        errors.append(("naam", t("reg.fout.naam_leeg")))
    elif len(name) > MAX_NAME:
        errors.append(("naam", t("reg.fout.naam_lang", max=MAX_NAME)))
    theme = _text(record.get("thema")).strip().lower()
    if theme not in THEMES:
        errors.append(("thema", t("reg.fout.thema", thema=theme[:40] or "–", opties=", ".join(THEMES))))
    code = _text(record.get("gemeente_code")).strip().upper()
    if code not in codes:
        errors.append(("gemeente_code", t("reg.fout.gemeente", code=code[:12] or "–")))
    lat = lon = None
    try:
        lat, lon = _float(record.get("latitude")), _float(record.get("longitude"))
    except ValueError:
        errors.append(("locatie", t("reg.fout.coordinaat")))
    if (lat is None) != (lon is None):
        errors.append(("locatie", t("reg.fout.coordinaat_half")))
    elif lat is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(("locatie", t("reg.fout.coordinaat")))
        else:
            inside = assign_points(pd.Series([lat]), pd.Series([lon])).iloc[0]
            if pd.isna(inside):
                errors.append(("locatie", t("reg.fout.buiten_nl")))
            elif code in codes and inside != code:
                errors.append(("locatie", t("reg.fout.buiten_gemeente", gemeente=_name(code), ligt=_name(inside))))
    website = clean_text(_text(record.get("website"))) or None
    if website:
        parsed = urlparse(website)
        if len(website) > MAX_URL:
            errors.append(("website", t("reg.fout.url_lang", max=MAX_URL)))
        elif parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in website):
            errors.append(("website", t("reg.fout.url")))
    start = None
    try:
        start = _date(record.get("startdatum"))
        if start and start > today:
            errors.append(("startdatum", t("reg.fout.toekomst")))
        elif start and start < date(1900, 1, 1):
            errors.append(("startdatum", t("reg.fout.datum")))
    except (ValueError, TypeError):
        errors.append(("startdatum", t("reg.fout.datum")))
    source = clean_text(_text(record.get("bron")))
    if not source:
        errors.append(("bron", t("reg.fout.bron_leeg")))
    elif len(source) > MAX_SOURCE:
        errors.append(("bron", t("reg.fout.bron_lang", max=MAX_SOURCE)))
    if name and code in codes and (_norm_name(name), code) in existing:
        errors.append(("naam", t("reg.fout.dubbel", naam=name, gemeente=_name(code))))
    soort = _text(record.get("soort")).strip().lower() or "initiatief"
    if soort not in SOORTEN:
        errors.append(("soort", t("reg.fout.soort", soort=soort[:20], opties=", ".join(SOORTEN))))
    clean = {"naam": name, "thema": theme, "gemeente_code": code, "latitude": lat, "longitude": lon,
             "website": website, "startdatum": start, "bron": source, "soort": soort}
    return clean, errors


def _name(code: str) -> str:
    return gemeenten().set_index("gemeente_code")["gemeente_naam"].get(code, code)


# --- the registry --------------------------------------------------------------------------

@dataclass
class SeedReport:
    totaal: int = 0
    per_bron: dict[str, int] = field(default_factory=dict)
    punt: int = 0
    naam: int = 0
    onbekend: int = 0


def _database_errors(method):
    """A write that the database refuses for another reason than a duplicate (locked by another
    writer, read-only file, disk full, server gone) raises SourceUnavailable with a Dutch message;
    the transaction has been rolled back, so nothing is half stored."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except sa.exc.IntegrityError:
            raise
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise SourceUnavailable(t("reg.db_schrijf_fout", detail=type(getattr(exc, "orig", exc)).__name__)) from None
    return wrapper


class Registry:
    """All database work for the registry. ``engine`` is any SQLAlchemy engine."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    # schema ----------------------------------------------------------------------------
    def ensure_schema(self) -> int:
        """Create the tables on first use and apply pending migrations; returns the version.

        Several processes may start on an empty database at once: a creation that loses the race
        (the other process created the table first) is retried once."""
        for attempt in range(3):
            try:
                return self._ensure_schema()
            except (sa.exc.IntegrityError, sa.exc.ProgrammingError, sa.exc.OperationalError):
                if attempt == 2:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def _ensure_schema(self) -> int:
        with self.engine.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
            version = conn.execute(sa.select(sa.func.max(schema_versie.c.versie))).scalar()
            if version is None:
                conn.execute(schema_versie.insert().values(versie=SCHEMA_VERSION, bijgewerkt=_now()))
                return SCHEMA_VERSION
            for step in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[step](conn)
                conn.execute(schema_versie.insert().values(versie=step, bijgewerkt=_now()))
            return max(version, SCHEMA_VERSION)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(initiatieven)).scalar_one()

    def token(self) -> tuple[int, int, int]:
        """(row count, highest id, highest change id): changes with every write, also a status change."""
        with self.engine.connect() as conn:
            n, top = conn.execute(sa.select(sa.func.count(), sa.func.max(initiatieven.c.id))).one()
            change = conn.execute(sa.select(sa.func.max(wijzigingen.c.id))).scalar()
        return int(n), int(top or 0), int(change or 0)

    def rows(self, status: str = ZICHTBAAR) -> pd.DataFrame:
        """The rows of one status; by default what everybody sees and what the figures count.

        pandas wraps a failing query (a server stopped mid-session) in its own DatabaseError: that
        becomes SourceUnavailable with the Dutch message, like every other outage."""
        try:
            with self.engine.connect() as conn:
                return pd.read_sql(sa.select(initiatieven).where(
                    sa.func.coalesce(initiatieven.c.status, ZICHTBAAR) == status).order_by(initiatieven.c.id), conn)
        except (pd.errors.DatabaseError, sa.exc.SQLAlchemyError, OSError) as exc:
            raise SourceUnavailable(t("reg.db_fout", detail=type(getattr(exc, "orig", exc)).__name__)) from None

    def changes(self, initiatief_id: int | None = None) -> pd.DataFrame:
        """The audit trail (newest first), of one initiative or all."""
        query = sa.select(wijzigingen).order_by(wijzigingen.c.id.desc())
        if initiatief_id is not None:
            query = query.where(wijzigingen.c.initiatief_id == initiatief_id)
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def _row(self, conn, initiatief_id: int) -> dict:
        row = conn.execute(sa.select(initiatieven).where(initiatieven.c.id == initiatief_id)).mappings().first()
        if row is None:
            raise ValidationError([(None, "id", t("reg.fout.onbekend_id", id=initiatief_id))])
        return dict(row)

    def _audit(self, conn, initiatief_id: int, actie: str, before: dict | None, after: dict | None) -> None:
        conn.execute(wijzigingen.insert().values(wanneer=_now(), initiatief_id=initiatief_id, actie=actie,
                                                 voor=_json(before), na=_json(after)))

    @_database_errors
    def set_status(self, initiatief_id: int, status: str, reason: str = "") -> None:
        """Approve (zichtbaar) or hide (verborgen, with a reason: a soft delete) one initiative."""
        reason = clean_text(reason)[:200]
        if status == VERBORGEN and not reason:
            raise ValidationError([(None, "reden", t("reg.fout.reden"))])
        with self.engine.begin() as conn:
            before = self._row(conn, initiatief_id)
            conn.execute(initiatieven.update().where(initiatieven.c.id == initiatief_id)
                         .values(status=status, status_reden=reason or None))
            after = self._row(conn, initiatief_id)
            self._audit(conn, initiatief_id, "goedgekeurd" if status == ZICHTBAAR else "verborgen", before, after)
        _written()

    @_database_errors
    def edit(self, initiatief_id: int, changes: dict, today: date | None = None) -> None:
        """Change the text fields of one initiative (validated as a new one; audited)."""
        with self.engine.begin() as conn:
            before = self._row(conn, initiatief_id)
            merged = {**before, **{k: v for k, v in changes.items() if k in EDITABLE}}
            others = self._existing(conn) - {(_norm_name(before["naam"]), before["gemeente_code"])}
            clean, errors = validate(merged, others, today)
            if errors:
                raise ValidationError([(None, f, m) for f, m in errors])
            values = {k: clean[k] for k in EDITABLE}
            values["uniek"] = (before["uniek"] if before["bron_ref"]
                               else unique_key(clean["naam"], before["gemeente_code"]))
            try:
                conn.execute(initiatieven.update().where(initiatieven.c.id == initiatief_id).values(**values))
            except sa.exc.IntegrityError:
                raise ValidationError([(None, "naam", t("reg.fout.dubbel", naam=clean["naam"],
                                                           gemeente=_name(clean["gemeente_code"])))]) from None
            self._audit(conn, initiatief_id, "bewerkt", before, self._row(conn, initiatief_id))
        _written()

    def _existing(self, conn) -> set[tuple[str, str]]:
        res = conn.execute(sa.select(initiatieven.c.naam, initiatieven.c.gemeente_code)
                           .where(initiatieven.c.gemeente_code.is_not(None)))
        return {(_norm_name(n), c) for n, c in res}

    # seed ------------------------------------------------------------------------------
    def seed_if_empty(self) -> SeedReport | None:
        """Import the pack's initiatives when the registry is empty (one transaction)."""
        self.ensure_schema()
        if self.count():
            return None
        records = [{**r, "aangemaakt": _now(), "uniek": unique_key(r["naam"], r["gemeente_code"], r["bron_ref"]),
                    "status": ZICHTBAAR} for r in seed_records()]
        try:
            with self.engine.begin() as conn:
                if conn.execute(sa.select(sa.func.count()).select_from(initiatieven)).scalar_one():
                    return None  # another session seeded first
                conn.execute(initiatieven.insert(), records)
        except sa.exc.IntegrityError:
            return None  # another process seeded at the same moment: its rows are there, ours are not
        _written()
        report = SeedReport(totaal=len(records))
        for r in records:
            report.per_bron[r["bron"]] = report.per_bron.get(r["bron"], 0) + 1
            setattr(report, r["toewijzing"], getattr(report, r["toewijzing"]) + 1)
        return report

    # writes ----------------------------------------------------------------------------
    @_database_errors
    def add(self, record: dict, today: date | None = None, status: str = ZICHTBAAR) -> int:
        """Validate and insert one initiative; raises ValidationError (nothing stored). ``status``
        te_beoordelen: a public submission in moderated mode, not shown or counted until approved."""
        try:
            with self.engine.begin() as conn:
                clean, errors = validate(record, self._existing(conn), today)
                if errors:
                    raise ValidationError([(None, f, m) for f, m in errors])
                res = conn.execute(initiatieven.insert().values(**clean, **_entered(clean), status=status))
                new_id = int(res.inserted_primary_key[0])
                self._audit(conn, new_id, "toegevoegd", None, self._row(conn, new_id))
        except sa.exc.IntegrityError:  # stored by someone else between our check and our insert
            raise ValidationError([(None, "naam", t("reg.fout.dubbel", naam=clean["naam"],
                                                       gemeente=_name(clean["gemeente_code"])))]) from None
        _written()
        return new_id

    @_database_errors
    def import_records(self, records: list[dict], today: date | None = None) -> int:
        """Validate every row, then insert all in one transaction, or nothing at all."""
        with self.engine.begin() as conn:
            existing = self._existing(conn)
            errors, clean_rows = [], []
            for i, record in enumerate(records, start=1):
                clean, errs = validate(record, existing, today)
                errors += [(i, f, m) for f, m in errs]
                if not errs:
                    existing.add((_norm_name(clean["naam"]), clean["gemeente_code"]))
                    clean_rows.append({**clean, **_entered(clean)})
            if errors:
                raise ValidationError(errors)
            if clean_rows:
                try:
                    stored = [{**r, "status": ZICHTBAAR} for r in clean_rows]
                    ids = conn.execute(initiatieven.insert().returning(initiatieven.c.id), stored).scalars().all()
                    conn.execute(wijzigingen.insert(), [
                        {"wanneer": _now(), "initiatief_id": i, "actie": "toegevoegd", "voor": None,
                         "na": _json({**r, "id": i})} for i, r in zip(ids, stored)])
                except sa.exc.IntegrityError:  # a row was stored by someone else meanwhile: nothing is imported
                    raise ValidationError([(None, "naam", t("reg.fout.dubbel_tegelijk"))]) from None
        _written()
        return len(clean_rows)


def _written() -> None:
    global WRITES
    WRITES += 1


def _json(row: dict | None) -> str | None:
    import json
    return None if row is None else json.dumps(row, default=str, ensure_ascii=False, sort_keys=True)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _entered(clean: dict) -> dict:
    return {"toewijzing": "invoer", "aangemaakt": _now(), "peildatum": None, "bron_ref": None,
            "uniek": unique_key(clean["naam"], clean["gemeente_code"])}


# --- seed -----------------------------------------------------------------------------------

_THEME_WORDS = [  # (theme, words in a category or title), first match wins
    ("eenzaamheid en contact", ["gezelschap", "maatje", "buddy", "erop uit", "eenzaam", "ouderen", "contact",
                                "activiteitenbegeleiding", "bellen", "kaart"]),
    ("voedsel", ["maaltijd", "koken", "voedsel", "eten", "voedselbank"]),
    ("kinderen en onderwijs", ["oppas", "huiswerk", "taal", "lezen", "kinder", "school", "onderwijs"]),
    ("zorg en boodschappen", ["boodschap", "vervoer", "huishoud", "mantelzorg", "verzorging", "hond", "dieren",
                              "zorg"]),
    ("ondernemers", ["mkb", "ondernemer", "winkel", "horeca", "bedrijf", "lokaal kopen"]),
]


def theme_for(*texts) -> str:
    """Theme of a seed row from its category or title (keyword rule; 'overig' otherwise)."""
    folded = _fold(" ".join(str(x) for x in texts if isinstance(x, str)))
    for theme, words in _THEME_WORDS:
        if any(w in folded for w in words):
            return theme
    return "overig"


SOORTEN = ["initiatief", "hulpaanbod", "hulpvraag"]
#: Person-to-person platforms: their name field holds private persons' names ("Marianne … - …",
#: first names). Those are never shown or exported; the seed shows "Hulpaanbod via <platform>: <category>".
PERSON_PLATFORMS = frozenset({"puurpapendrecht.nl", "nijmegen-oost.nl", "gewoonmensendiemensenwillenhelpen.nl",
                              "heldnodig.nl", "nlvoorelkaar.nl"})


def soort_of(group) -> str:
    """The kind of a Helpradar post from its source group: a request for help, an offer, an initiative."""
    g = str(group or "").lower()
    return "hulpvraag" if ("demand" in g or "vraag" in g) else ("hulpaanbod" if "aanbod" in g else "initiatief")


def _group_label(group) -> str:
    return t(f"reg.soort.{soort_of(group)}")


def _seed_name(name, group, category, platform) -> str:
    """The name shown for a seed post: its own for organisations, a neutral label for persons."""
    if platform in PERSON_PLATFORMS or not (isinstance(name, str) and name.strip()):
        what = category if isinstance(category, str) and category.strip() else None
        return t("reg.seed.via", soort=_group_label(group), platform=platform) + (f": {what}" if what else "")
    return name


def seed_records() -> list[dict]:
    """Seed rows from the pack as records (None for missing values), without ``aangemaakt``."""
    df = seed_table()
    return df.astype(object).where(df.notna(), None).to_dict("records")


@built("startvulling", datasets=("helpradar", "coronapioniers"))
def seed_table() -> pd.DataFrame:
    """Seed rows of the registry from the raw sources, with gemeente assignment (see module docstring)."""
    h = load_helpradar()
    p = load_coronapioniers()
    frames = []
    hr = pd.DataFrame({
        "naam": [_seed_name(n, g, c, pf) for n, g, c, pf in zip(h["naam"], h["groep"], h["categorie"], h["platform"])],
        "soort": [soort_of(g) for g in h["groep"]],
        "thema": [theme_for(c, n) if pf != "auto.nl" else "zorg en boodschappen"
                  for c, n, pf in zip(h["categorie"], h["naam"], h["platform"])],
        "latitude": h["latitude"], "longitude": h["longitude"],
        "website": h["bron_url"].where(h["bron_url"].astype(str).str.match(r"https?://"), None),
        "bron": h["platform"], "bron_ref": "helpradar:" + h["id"].astype(str), "peildatum": HELPRADAR_SCRAPED,
        "locatietekst": [" ".join(x for x in (loc, osm) if isinstance(x, str) and x != "Niet gevonden")
                         for loc, osm in zip(h["locatie"], h["osm_adres"])],
    })
    frames.append(hr)
    frames.append(pd.DataFrame({
        "naam": p["naam"].str.strip(), "thema": [theme_for(n) for n in p["naam"]],
        "latitude": p["latitude"], "longitude": p["longitude"],
        "website": p["url"].where(p["url"].astype(str).str.match(r"https?://"), None),
        "soort": "initiatief",
        "bron": "VPRO Coronapioniers", "bron_ref": "coronapioniers:" + p["id"].astype(str),
        "peildatum": PIONIERS_SCRAPED, "locatietekst": None,
    }))
    df = pd.concat(frames, ignore_index=True)
    df["naam"] = df["naam"].str.slice(0, MAX_NAME)
    # Rows geocoded only to the country ("Landelijk", "Heel Nederland": OSM address just
    # "Nederland") sit on the country's centre point: that is no local point. The same
    # point is recognised in the other source too.
    country = h["osm_adres"].eq("Nederland")
    country_points = set(zip(h.loc[country, "latitude"].round(4), h.loc[country, "longitude"].round(4)))
    at_country_point = pd.Series([(la, lo) in country_points for la, lo in
                                  zip(df["latitude"].round(4), df["longitude"].round(4))], index=df.index)
    df.loc[at_country_point, ["latitude", "longitude"]] = None
    by_point = assign_points(df["latitude"], df["longitude"])
    by_name = df["locatietekst"].map(gemeente_named_in)
    df["gemeente_code"] = by_point.fillna(by_name)
    df["toewijzing"] = pd.Series("onbekend", index=df.index).mask(by_name.notna(), "naam").mask(
        by_point.notna(), "punt")
    off_map = by_point.isna()  # no usable point in NL: keep the coordinates off the map
    df.loc[off_map, ["latitude", "longitude"]] = None
    df["startdatum"] = pd.Series([None] * len(df), dtype=object)
    return df.drop(columns="locatietekst").reset_index(drop=True)


# --- CSV ------------------------------------------------------------------------------------

class CsvError(ValueError):
    """A CSV that cannot be read at all (Dutch message)."""


def _csv_problem(exc: Exception) -> str:
    """pandas' English parser message in Dutch (its text never reaches the user)."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if fields:
        expected, line, saw = fields.groups()
        return t("reg.csv.velden", regel=line, gezien=saw, verwacht=expected)
    if isinstance(exc, pd.errors.EmptyDataError):
        return t("reg.csv.geen_kolommen")
    return t("reg.csv.vorm")


def read_csv_upload(data: bytes) -> list[dict]:
    """Parse an uploaded CSV (UTF-8 or Windows-1252, ',' or ';') into row dicts."""
    import io
    if not data:
        raise CsvError(t("reg.csv.leeg"))
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(t("reg.csv.te_groot", max="1 MB"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","  # Dutch Excel writes ';'
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError, TypeError,
            csv.Error) as exc:
        raise CsvError(t("reg.csv.onleesbaar", detail=_csv_problem(exc))) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    doubled = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if doubled:  # "naam,Naam": which one is meant?
        raise CsvError(t("reg.csv.dubbele_kolom", kolom=doubled[0]))
    missing = [c for c in REQUIRED_CSV if c not in df.columns]
    if missing:
        raise CsvError(t("reg.csv.kolommen", ontbreekt=", ".join(missing), verplicht=", ".join(REQUIRED_CSV),
                         verwacht=", ".join(CSV_COLUMNS)))
    if df.empty:
        raise CsvError(t("reg.csv.leeg"))
    if len(df) > MAX_CSV_ROWS:
        raise CsvError(t("reg.csv.te_veel", max=MAX_CSV_ROWS))
    return df.reindex(columns=CSV_COLUMNS).astype(object).where(lambda d: d.notna(), None).to_dict("records")


_FORMULA = re.compile(r"^[=+\-@\t\r]")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
    starts with ' : for every table of user text, also the one Streamlit's table toolbar downloads."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and _FORMULA.match(v) else v)
    return out


def csv_template() -> bytes:
    """An example file in the form Dutch Excel saves (``;``, UTF-8 with BOM, decimal comma, Dutch
    date); the import reads this and the ``,``/ISO form alike. Required columns: :data:`REQUIRED_CSV`."""
    return (";".join(CSV_COLUMNS) + "\n"
            + "Buurtmaaltijd De Pijp;voedsel;GM0363;52,3545;4,8937;https://example.org;01-04-2020;eigen invoer;initiatief\n"
            ).encode("utf-8-sig")
