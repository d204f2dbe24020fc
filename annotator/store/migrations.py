"""Schema versions of the project file, applied in order on open.

Each migration is a named SQL script. The ``migrations`` table records which
ones a file has; opening a file that records a version this code does not
know refuses with ``SchemaVersionError``.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from ..core.errors import ProjectError, SchemaVersionError, UntrustedSchemaError

MIGRATIONS: list[tuple[str, str]] = [
    (
        "initial",
        """
CREATE TABLE project_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    tokens TEXT NOT NULL,
    source TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE annotation_sets (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    updated_at TEXT,
    updated_by TEXT,
    seconds REAL NOT NULL DEFAULT 0,
    UNIQUE (document_id, owner)
);
CREATE INDEX annotation_sets_owner_status ON annotation_sets(owner, status);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id INTEGER NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    label TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'human',
    score REAL,
    fragments TEXT,
    attrs TEXT
);
CREATE INDEX spans_set ON spans(set_id);
CREATE TABLE relations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id INTEGER NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    head_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    child_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'human',
    attrs TEXT
);
CREATE INDEX relations_set ON relations(set_id);
CREATE INDEX relations_head ON relations(head_id);
CREATE INDEX relations_child ON relations(child_id);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES annotation_sets(id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('do', 'undo', 'redo')),
    edit TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX journal_set ON journal(set_id, id);
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
""",
    ),
    (
        "set scores",
        # a model's confidence in a whole suggestion set (NULL for people's sets)
        """
ALTER TABLE annotation_sets ADD COLUMN score REAL;
""",
    ),
]

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(db: Database) -> int:
    """The schema version recorded in the file (0 for an empty file)."""
    if "migrations" not in db.table_names():
        return 0
    row = db.execute("SELECT max(version) FROM migrations").fetchone()
    return row[0] or 0


def migrate(db: Database, *, source: str) -> int:
    """Apply every migration the file lacks, each in its own transaction.

    Returns the number applied. Raises ``SchemaVersionError`` when the file
    is newer than this code.
    """
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{source} has schema version {version}, but this annotator understands up to "
            f"{SCHEMA_VERSION}. Upgrade annotator to open it."
        )
    applied = 0
    for number, (name, script) in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        with db.atomic():
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for statement in _statements(script):
                db.execute(statement)
            db.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [number, name, datetime.now(timezone.utc).isoformat(timespec="seconds")],
            )
        applied += 1
    return applied


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    out: list[str] = []
    buf: list[str] = []
    in_trigger = False
    for line in script.strip().splitlines():
        buf.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and upper.endswith(";")):
            out.append("\n".join(buf).strip())
            buf = []
            in_trigger = False
    if "".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def _normal_sql(sql: str) -> str:
    return re.sub(r"\s+", " ", sql.strip().rstrip(";")).strip()


def _created_objects() -> dict[tuple[str, str], str]:
    """``(type, name) -> SQL`` of every trigger and view the migrations create."""
    out: dict[tuple[str, str], str] = {}
    for _name, script in MIGRATIONS:
        for statement in _statements(script):
            match = re.match(r"CREATE\s+(TRIGGER|VIEW)\s+(\w+)", statement, re.IGNORECASE)
            if match:
                out[(match.group(1).lower(), match.group(2))] = _normal_sql(statement)
    return out


def check_project_objects(db: Database, path: Path) -> None:
    """Refuse a file that is not a project, or that holds triggers or views
    annotator did not create (a crafted file's SQL would run on every edit).

    Raises ``ProjectError`` for an SQLite file without the project tables,
    ``UntrustedSchemaError`` naming each foreign trigger and view. Reading the
    schema is also how a non-SQLite file is told apart: SQLite raises
    ``DatabaseError`` ("file is not a database") for it.
    """
    rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    if not any(kind == "table" and name == "project_info" for kind, name, _sql in rows):
        raise ProjectError(f"{path} is an SQLite file but not an annotator project")
    expected = _created_objects()
    foreign = [
        (kind, name) for kind, name, sql in rows
        if kind in ("trigger", "view") and expected.get((kind, name)) != _normal_sql(sql or "")
    ]
    if foreign:
        named = ", ".join(f"{kind} {name!r}" for kind, name in foreign)
        drops = "; ".join(f"DROP {kind.upper()} \"{name}\"" for kind, name in foreign)
        raise UntrustedSchemaError(
            f"{path} holds SQL that annotator did not create ({named}); it would run on your edits, "
            f"so the file was not opened. If you trust it, remove them with "
            f"`sqlite3 {path} '{drops}'` and open it again"
        )
