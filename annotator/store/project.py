"""The project file: one SQLite database holding documents, annotation sets,
the scheme and the edit journal.

Every write runs in a transaction (``BEGIN IMMEDIATE`` at the top level, so
two processes on one file queue up instead of failing half-way) and is
committed before the call returns.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from sqlite_utils import Database

from ..core.edits import Edit, edit_from_dict
from ..core.errors import DamagedProjectError, ProjectError, SchemaVersionError
from ..core.heap import gc_paused
from ..core.model import AnnotationSet, Document, Relation, Span, Token, is_suggestion_owner
from ..core.scheme import Scheme
from .failures import ProjectConnection, explain
from .migrations import SCHEMA_VERSION, check_project_objects, current_version, migrate
from .rows import (
    RELATION_COLUMNS, SPAN_COLUMNS, chunks, default_user, now, relation_from_row,
    relation_values, span_from_row, span_values, tokens_from_json, tokens_to_json,
)
from .set_writer import SetWriter

__all__ = ["Project", "default_user", "fts_query", "now"]

BUSY_TIMEOUT_MS = 10_000
# Edits made by hand commit with FULL, so a power loss cannot roll back an
# edit the window showed as saved; ``Project.bulk`` relaxes it for imports.
EDIT_SYNCHRONOUS = "FULL"
# Files up to this size get ``PRAGMA quick_check`` on open (it reads every
# page: about 4 ms per MB, 75 ms at the limit); larger ones on stats and import.
QUICK_CHECK_BYTES = 16 * 1024 * 1024


class Project:
    """An open project file. Create with ``Project.create`` or ``Project.open``."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._scheme: Scheme | None = None

    # -- opening -------------------------------------------------------------
    # The file is only ever opened through SQLite, never with ``open()``:
    # closing any other descriptor on it drops every POSIX lock this process
    # holds, and another process may then delete the WAL under the live
    # connection, so later commits vanish. ``stat`` (no descriptor) is safe.
    @classmethod
    def create(cls, path: str | Path, *, scheme: Scheme | None = None, language: str = "en") -> "Project":
        """Create a new project file; refuses to overwrite an existing one.

        The file is built under a temporary name in the same folder and moved
        into place only when complete, so an interrupted ``init`` leaves no
        half-made project behind to block the next one.
        """
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; open it, or choose another name")
        if not path.parent.exists():
            raise ProjectError(f"{path.parent} does not exist; create the folder first")
        scheme = scheme or Scheme.default()
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.creating")
        try:
            with cls._connect(partial, new=True) as project:
                with project.transaction():
                    project._set_info("scheme", json.dumps(scheme.to_dict(), ensure_ascii=False))
                    project._set_info("language", language)
                    project._set_info("created_at", now())
            _move_into_place(partial, path)
        finally:
            for leftover in (partial, *_sidecars(partial)):
                leftover.unlink(missing_ok=True)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        """Open an existing project file, migrating it if it is older.

        Raises ``ProjectError`` when the file is missing, empty, not SQLite or
        not a project, ``UntrustedSchemaError`` when it holds triggers or views
        annotator did not create, ``ProjectReadOnlyError`` when it or its
        folder cannot be written, ``DamagedProjectError`` when SQLite finds it
        damaged, ``SchemaVersionError`` when a newer annotator wrote it.
        """
        path = Path(path)
        _check_is_file(path, "create it with `annotator init {path}`")
        return cls._connect(path)

    @classmethod
    def _connect(cls, path: Path, *, new: bool = False) -> "Project":
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, factory=ProjectConnection)
        db = Database(conn)
        try:
            if not new:
                check_project_objects(db, path)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute(f"PRAGMA synchronous = {EDIT_SYNCHRONOUS}")
            migrate(db, source=str(path))
            project = cls(db, path)
            if not new and path.stat().st_size <= QUICK_CHECK_BYTES:
                project.check()
        except sqlite3.Error as exc:
            conn.close()
            raise _open_failure(exc, path) from None
        except BaseException:
            conn.close()
            raise
        conn.damage_path = path
        return project

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, doing: str = "saving the change") -> Iterator["Project"]:
        """A write transaction; nested calls become savepoints.

        SQLite failures a user can act on (disk full, read-only, damaged,
        busy) roll the transaction back and raise the matching typed
        ``ProjectError``; ``doing`` names the work in its message.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failure(exc, doing) from None
        try:
            yield self
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise self._failure(exc, doing) from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _failure(self, exc: sqlite3.Error, doing: str) -> BaseException:
        return explain(exc, self.path, doing) or exc

    @contextlib.contextmanager
    def bulk(self) -> Iterator["Project"]:
        """Commit with ``synchronous=NORMAL`` inside (imports, merges): a power
        loss may roll back the last commits, but never damages the file.
        Edits made by hand outside it commit with ``FULL``."""
        self.db.execute("PRAGMA synchronous = NORMAL")
        try:
            yield self
        finally:
            self.db.execute(f"PRAGMA synchronous = {EDIT_SYNCHRONOUS}")

    def check(self) -> None:
        """Raise ``DamagedProjectError`` when ``PRAGMA quick_check`` finds
        damaged pages (it reads every page once: about as long as ``stats``)."""
        try:
            rows = [r[0] for r in self.db.execute("PRAGMA quick_check(5)")]
        except sqlite3.Error as exc:
            raise self._failure(exc, "checking the file") from None
        if rows != ["ok"]:
            raise DamagedProjectError(
                f"{self.path} is damaged: {'; '.join(rows)}. Restore it from a backup; "
                f"`sqlite3 {self.path} .recover` may save what is left"
            )

    # -- project info --------------------------------------------------------
    def _info(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM project_info WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_info(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO project_info (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def gold_basis(self, document_id: int) -> dict[str, str] | None:
        """The annotators' finished sets a document's gold set was last made or
        brought up to date from, as ``{owner: stamp}``; None when not recorded
        (no gold set yet, or one made before this was recorded)."""
        raw = self._info(f"gold_basis:{document_id}")
        return None if raw is None else dict(json.loads(raw))

    def set_gold_basis(self, document_id: int, basis: dict[str, str]) -> None:
        """Record what ``gold_basis`` returns for a document."""
        self._set_info(f"gold_basis:{document_id}", json.dumps(basis, sort_keys=True))

    @property
    def scheme(self) -> Scheme:
        if self._scheme is None:
            raw = self._info("scheme")
            if raw is None:
                raise ProjectError(f"{self.path} has no scheme")
            self._scheme = Scheme.from_dict(json.loads(raw), source=f"{self.path} (scheme)")
        return self._scheme

    def set_scheme(self, scheme: Scheme) -> None:
        with self.transaction():
            self._set_info("scheme", json.dumps(scheme.to_dict(), ensure_ascii=False))
        self._scheme = scheme

    def reload_scheme(self) -> Scheme:
        self._scheme = None
        return self.scheme

    @property
    def language(self) -> str:
        return self._info("language") or "en"

    # -- documents -----------------------------------------------------------
    def add_document(
        self, *, text: str, hash: str, title: str, tokens: Sequence[Token], meta: dict, source: str | None = None
    ) -> tuple[int, bool]:
        """Insert a document unless one with the same text hash exists.

        Returns ``(document_id, created)``.
        """
        row = self.db.execute("SELECT id FROM documents WHERE hash = ?", [hash]).fetchone()
        if row:
            return row[0], False
        cur = self.db.execute(
            "INSERT INTO documents (hash, title, text, meta, tokens, source, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [hash, title, text, json.dumps(meta, ensure_ascii=False), tokens_to_json(tokens), source, now()],
        )
        return cur.lastrowid, True

    def document(self, document_id: int) -> Document:
        row = self.db.execute(
            "SELECT id, hash, text, tokens, meta FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        if row is None:
            raise ProjectError(f"{self.path} has no document {document_id}")
        return Document(row[0], row[1], row[2], tokens_from_json(row[3]), json.loads(row[4]))

    def split_tokens(self, document_id: int, tokens: Sequence[Token]) -> None:
        """Store ``tokens`` for a document whose stored tokens they split (never
        merge). Spans and relations hold character offsets and nothing stored
        holds token indices, so no annotation moves; exports derive token
        indices from these tokens. Raises ``ProjectError`` when ``tokens`` drop
        a stored token boundary or cover other text."""
        old = self.document(document_id).tokens
        bounds = {t.start for t in tokens} | {t.end for t in tokens}
        covered = [(t.start, t.end) for t in tokens]
        if (
            any(t.start not in bounds or t.end not in bounds for t in old)
            or (old and covered and (covered[0][0], covered[-1][1]) != (old[0].start, old[-1].end))
            or any(a[1] > b[0] for a, b in zip(covered, covered[1:]))
        ):
            raise ProjectError(
                f"{self.path}: document {document_id}'s stored tokens may only be split, not merged or moved"
            )
        self.db.execute("UPDATE documents SET tokens = ? WHERE id = ?", [tokens_to_json(tokens), document_id])

    def document_id(self, hash: str) -> int | None:
        row = self.db.execute("SELECT id FROM documents WHERE hash = ?", [hash]).fetchone()
        return row[0] if row else None

    def _doc_filter(self, owner: str | None, status: str | None, search: str | None) -> tuple[str, list]:
        where, params = [], []
        if status is not None:
            if status == "new":
                where.append(
                    "NOT EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id "
                    "AND s.owner = ? AND s.status != 'new')"
                )
                params.append(owner)
            else:
                where.append(
                    "EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id "
                    "AND s.owner = ? AND s.status = ?)"
                )
                params.extend([owner, status])
        if search:
            where.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(fts_query(search))
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def count_documents(self, *, owner: str | None = None, status: str | None = None, search: str | None = None) -> int:
        """How many documents match; ``status`` is the status of ``owner``'s set."""
        clause, params = self._doc_filter(owner, status, search)
        return self.db.execute(f"SELECT count(*) FROM documents d{clause}", params).fetchone()[0]

    def document_ids(
        self,
        *,
        owner: str | None = None,
        status: str | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = -1,
    ) -> list[int]:
        """Document ids in import order, filtered and paged in SQL."""
        clause, params = self._doc_filter(owner, status, search)
        sql = f"SELECT d.id FROM documents d{clause} ORDER BY d.id LIMIT ? OFFSET ?"
        return [r[0] for r in self.db.execute(sql, params + [limit, offset])]

    def count_sets(self, owner: str, statuses: Sequence[str]) -> int:
        """How many of ``owner``'s sets have one of ``statuses`` (an index lookup)."""
        marks = ",".join("?" * len(statuses))
        return self.db.execute(
            f"SELECT count(*) FROM annotation_sets WHERE owner = ? AND status IN ({marks})", [owner, *statuses]
        ).fetchone()[0]

    def count_other_sets(self, owner: str | None, statuses: Sequence[str]) -> int:
        """How many of ``owner``'s sets (``None``: every owner but the read-only
        ``model:`` ones) have a status other than ``statuses``."""
        marks = ",".join("?" * len(statuses))
        who, args = ("owner = ?", [owner]) if owner is not None else ("owner NOT LIKE 'model:%'", [])
        return self.db.execute(
            f"SELECT count(*) FROM annotation_sets WHERE {who} AND status NOT IN ({marks})", [*args, *statuses]
        ).fetchone()[0]

    def next_unfinished(self, owner: str, *, after: int | None, finished: Sequence[str]) -> int | None:
        """The first document id above ``after`` whose ``owner`` set is missing
        or not in ``finished``, wrapping round to the start; never ``after``
        itself. Walks the primary key and stops at the first hit, so it costs
        the same in a 100,000-document project as in a small one."""
        marks = ",".join("?" * len(finished))
        sql = (
            "SELECT d.id FROM documents d WHERE d.id > ? AND d.id != ? AND NOT EXISTS ("
            "SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id AND s.owner = ? "
            f"AND s.status IN ({marks})) ORDER BY d.id LIMIT 1"
        )
        skip = after if after is not None else -1
        for lower in ((skip, 0) if after is not None else (-1,)):
            row = self.db.execute(sql, [lower, skip, owner, *finished]).fetchone()
            if row:
                return row[0]
        return None

    def queue_rows(self, document_ids: Sequence[int], owner: str) -> dict[int, dict[str, Any]]:
        """Title, status, counts and last edit of ``owner``'s set per document id."""
        if not document_ids:
            return {}
        marks = ",".join("?" * len(document_ids))
        sql = f"""
            SELECT d.id, d.title, s.status, s.updated_at,
                   (SELECT count(*) FROM spans WHERE set_id = s.id),
                   (SELECT count(*) FROM relations WHERE set_id = s.id)
            FROM documents d
            LEFT JOIN annotation_sets s ON s.document_id = d.id AND s.owner = ?
            WHERE d.id IN ({marks})"""
        out = {}
        for doc_id, title, status, updated, n_spans, n_rels in self.db.execute(sql, [owner, *document_ids]):
            out[doc_id] = {
                "id": doc_id,
                "title": title,
                "status": status or "new",
                "updated_at": updated,
                "spans": n_spans if status else 0,
                "relations": n_rels if status else 0,
            }
        return out

    # -- annotation sets: reading -------------------------------------------
    def set_row(self, document_id: int, owner: str) -> tuple | None:
        return self.db.execute(
            "SELECT id, status, updated_at, updated_by, seconds, score FROM annotation_sets "
            "WHERE document_id = ? AND owner = ?",
            [document_id, owner],
        ).fetchone()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator["Project"]:
        """Reads inside see one state of the file (a read transaction), unless
        a transaction is already open, whose state they then see."""
        conn = self.db.conn
        if conn.in_transaction:
            yield self
            return
        conn.execute("BEGIN")
        try:
            yield self
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def annotation_set(self, document_id: int, owner: str) -> AnnotationSet | None:
        """The set ``owner`` made for a document, or None when there is none;
        read in one snapshot, so its stamp (``updated_at``) matches its rows."""
        with self.snapshot():
            return self._read_set(document_id, owner)

    def _read_set(self, document_id: int, owner: str) -> AnnotationSet | None:
        row = self.set_row(document_id, owner)
        if row is None:
            return None
        set_id, status, updated_at, updated_by, seconds, score = row
        aset = AnnotationSet(document_id, owner, status, updated_at=updated_at, updated_by=updated_by, seconds=seconds, score=score)
        for row in self.db.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE set_id = ?", [set_id]):
            span = span_from_row(row)
            aset.spans[span.id] = span
        for row in self.db.execute(f"SELECT {RELATION_COLUMNS} FROM relations WHERE set_id = ?", [set_id]):
            relation = relation_from_row(row)
            aset.relations[relation.id] = relation
        return aset

    def owners(self, document_id: int | None = None) -> list[str]:
        """Owners of annotation sets, of one document or of the whole project."""
        if document_id is None:
            rows = self.db.execute("SELECT DISTINCT owner FROM annotation_sets ORDER BY owner")
        else:
            rows = self.db.execute(
                "SELECT owner FROM annotation_sets WHERE document_id = ? ORDER BY owner", [document_id]
            )
        return [r[0] for r in rows]

    def iter_sets(self, *, owner: str | None = None, statuses: Iterable[str] | None = None) -> Iterator[tuple[Document, AnnotationSet]]:
        """Every (document, set) pair, by document id, filtered by owner and status."""
        where, params = [], []
        if owner is not None:
            where.append("owner = ?")
            params.append(owner)
        if statuses is not None:
            statuses = list(statuses)
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self.db.execute(
            f"SELECT document_id, owner FROM annotation_sets{clause} ORDER BY document_id, owner", params
        ).fetchall()
        for doc_id, set_owner in rows:
            aset = self.annotation_set(doc_id, set_owner)
            if aset is not None:
                yield self.document(doc_id), aset

    # -- annotation sets: writing -------------------------------------------
    def _set_id(self, document_id: int, owner: str, *, create: bool, who: str | None = None) -> int:
        row = self.set_row(document_id, owner)
        if row is not None:
            return row[0]
        if not create:
            raise ProjectError(f"document {document_id} has no set for {owner!r}")
        cur = self.db.execute(
            "INSERT INTO annotation_sets (document_id, owner, status, updated_at, updated_by) VALUES (?, ?, 'new', ?, ?)",
            [document_id, owner, now(), who or owner],
        )
        return cur.lastrowid

    def write_set(
        self,
        document_id: int,
        owner: str,
        spans: Iterable[Span],
        relations: Iterable[Relation] = (),
        *,
        status: str | None = None,
        who: str | None = None,
        score: float | None = None,
        read_back: bool = True,
    ) -> AnnotationSet | None:
        """Replace a set's contents in bulk (import, pre-annotation, merge).

        ``relations`` refer to ``spans`` by their (file-local) ids; the store
        assigns new ids. ``score`` is a model's confidence in the whole set
        (replaced with the contents: None clears it). Not journaled: it is
        not an undoable edit. Returns the set as stored, unless ``read_back``
        is off (bulk imports).
        """
        spans = list(spans)
        relations = list(relations)
        with self.transaction():
            existing = self.set_row(document_id, owner)
            if existing is None:  # a new set: one row with its status, nothing to clear
                set_id = self.db.execute(
                    "INSERT INTO annotation_sets (document_id, owner, status, updated_at, updated_by, score) VALUES (?, ?, ?, ?, ?, ?)",
                    [document_id, owner, status or "new", now(), who or owner, score],
                ).lastrowid
            else:
                set_id = existing[0]
                self.db.execute("DELETE FROM relations WHERE set_id = ?", [set_id])
                self.db.execute("DELETE FROM spans WHERE set_id = ?", [set_id])
            insert_span = "INSERT INTO spans (set_id, start, end, label, origin, score, fragments, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            if not relations:  # no ids to map: one statement for all spans
                self.db.conn.executemany(insert_span, [[set_id, *span_values(span)] for span in spans])
            else:
                ids: dict[int, int] = {}
                for span in spans:
                    ids[span.id] = self.db.execute(insert_span, [set_id, *span_values(span)]).lastrowid
                rows = []
                for rel in relations:
                    moved = relation_values(rel)
                    moved[0:2] = [ids[rel.head], ids[rel.child]]
                    rows.append([set_id, *moved])
                self.db.conn.executemany(
                    "INSERT INTO relations (set_id, head_id, child_id, label, origin, attrs) VALUES (?, ?, ?, ?, ?, ?)", rows
                )
            if existing is not None:
                fields = ["updated_at = ?", "updated_by = ?", "score = ?"]
                params: list[Any] = [now(), who or owner, score]
                if status is not None:
                    fields.append("status = ?")
                    params.append(status)
                self.db.execute(f"UPDATE annotation_sets SET {', '.join(fields)} WHERE id = ?", [*params, set_id])
        if not read_back:
            return None
        aset = self.annotation_set(document_id, owner)
        assert aset is not None
        return aset

    def start_set(self, document_id: int, owner: str, *, copy_from: str | None = None) -> AnnotationSet:
        """The owner's set for a document, created on first use as a copy of
        the suggestions in ``copy_from`` (a ``model:<name>`` set) when given."""
        existing = self.annotation_set(document_id, owner)
        if existing is not None:
            return existing
        source = self.annotation_set(document_id, copy_from) if copy_from else None
        if source is None:
            with self.transaction():
                self._set_id(document_id, owner, create=True)
            aset = self.annotation_set(document_id, owner)
            assert aset is not None
            return aset
        return self.write_set(
            document_id, owner, source.sorted_spans(), source.sorted_relations(), status="new", who=owner
        )

    def apply(self, document_id: int, owner: str, edit: Edit, *, who: str | None = None, action: str = "do") -> Edit:
        """Apply an edit to a set and journal it, in one transaction.

        ``action`` is ``do`` for a new edit, ``undo``/``redo`` when the edit is
        the inverse/replay of a journaled one. Raises ``EditConflictError``
        when the set no longer matches what the edit expects (another window
        changed it); the file is then unchanged. Returns the applied edit with
        the ids the store assigned.
        """
        if is_suggestion_owner(owner):
            raise ProjectError(f"{owner!r} holds read-only suggestions; edit your own set instead")
        who = who or owner
        with self.transaction():
            set_id = self._set_id(document_id, owner, create=True, who=who)
            applied = edit.apply(SetWriter(self.db, set_id))
            self.db.execute(
                "INSERT INTO journal (set_id, action, edit, who, at) VALUES (?, ?, ?, ?, ?)",
                [set_id, action, json.dumps(applied.to_dict(), ensure_ascii=False), who, now()],
            )
            # the first change to a new set starts it; a status edit (marking
            # done, or undoing that back to new) says the status itself
            promote = "" if edit.changes_status() else ", status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END"
            self.db.execute(
                f"UPDATE annotation_sets SET updated_at = ?, updated_by = ?{promote} WHERE id = ?",
                [now(), who, set_id],
            )
        return applied

    def add_time(self, document_id: int, owner: str, seconds: float) -> None:
        """Add time spent on a set (the labeling window reports it)."""
        with self.transaction("saving the time spent"):
            set_id = self._set_id(document_id, owner, create=True)
            self.db.execute("UPDATE annotation_sets SET seconds = seconds + ? WHERE id = ?", [seconds, set_id])

    def history(self, document_id: int, owner: str) -> tuple[list[Edit], list[Edit]]:
        """The journaled edits that can still be undone and redone.

        Replays the journal's do/undo/redo actions: returns ``(undo, redo)``,
        each oldest first; undo the last of ``undo`` first.
        """
        row = self.set_row(document_id, owner)
        if row is None:
            return [], []
        done: list[Edit] = []
        undone: list[Edit] = []
        for action, raw in self.db.execute(
            "SELECT action, edit FROM journal WHERE set_id = ? ORDER BY id", [row[0]]
        ):
            edit = edit_from_dict(json.loads(raw))
            if action == "do":
                done.append(edit)
                undone.clear()
            elif action == "undo" and done:
                undone.append(done.pop())
            elif action == "redo" and undone:
                done.append(undone.pop())
        return done, undone

    # -- other project files and bulk reads (merge, agreement) ---------------
    @classmethod
    def open_readonly(cls, path: str | Path) -> "Project":
        """Open a project file for reading only: nothing is migrated or written.

        Raises ``ProjectError`` naming the file when it is missing, is not an
        SQLite file, is an SQLite file but not a project, or has an older
        schema (open it once normally to upgrade it); ``SchemaVersionError``
        when a newer annotator wrote it.
        """
        path = Path(path)
        _check_is_file(path, "check the file name")
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, factory=ProjectConnection)
        db = Database(conn)
        try:
            check_project_objects(db, path)
            if "migrations" not in db.table_names():
                raise ProjectError(f"{path} is an SQLite file but not an annotator project")
            version = current_version(db)
            if version > SCHEMA_VERSION:
                raise SchemaVersionError(
                    f"{path} has schema version {version}, but this annotator understands up to "
                    f"{SCHEMA_VERSION}. Upgrade annotator to read it."
                )
            if version < SCHEMA_VERSION:
                raise ProjectError(
                    f"{path} has the older schema version {version}; upgrade it by opening it once "
                    f"(`annotator stats {path}`), then try again"
                )
        except sqlite3.Error as exc:
            conn.close()
            raise _open_failure(exc, path) from None
        except BaseException:
            conn.close()
            raise
        conn.damage_path = path
        return cls(db, path)

    def document_hashes(self) -> dict[str, int]:
        """Text hash to document id for every document, in id order."""
        return dict(self.db.execute("SELECT hash, id FROM documents ORDER BY id").fetchall())

    def document_row(self, document_id: int) -> dict[str, Any]:
        """A document as stored: id, hash, title, text, meta (dict), tokens
        (tuple of ``Token``), source and added_at."""
        row = self.db.execute(
            "SELECT id, hash, title, text, meta, tokens, source, added_at FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise ProjectError(f"{self.path} has no document {document_id}")
        keys = ("id", "hash", "title", "text", "meta", "tokens", "source", "added_at")
        out = dict(zip(keys, row))
        out["meta"] = json.loads(out["meta"])
        out["tokens"] = tokens_from_json(out["tokens"])
        return out

    def set_rows(self, owners: Sequence[str] | None = None) -> list[tuple[int, str, str]]:
        """``(document_id, owner, status)`` of every set (of ``owners`` when
        given), by document id then owner."""
        sql = "SELECT document_id, owner, status FROM annotation_sets"
        params: list[Any] = []
        if owners is not None:
            if not owners:
                return []
            sql += f" WHERE owner IN ({','.join('?' * len(owners))})"
            params = list(owners)
        return self.db.execute(sql + " ORDER BY document_id, owner", params).fetchall()

    def document_tokens(self, document_ids: Sequence[int]) -> dict[int, tuple[Token, ...]]:
        """The tokens of many documents at once; unknown ids are left out."""
        out: dict[int, tuple[Token, ...]] = {}
        with gc_paused():
            for chunk in chunks(document_ids):
                marks = ",".join("?" * len(chunk))
                for doc_id, raw in self.db.execute(f"SELECT id, tokens FROM documents WHERE id IN ({marks})", chunk):
                    out[doc_id] = tokens_from_json(raw)
        return out

    def load_sets(self, document_ids: Sequence[int], owners: Sequence[str]) -> dict[int, dict[str, AnnotationSet]]:
        """The sets of ``owners`` for many documents in a few queries.

        Returns ``{document_id: {owner: set}}``; a document none of the owners
        has a set for is left out, as is an owner without a set.
        """
        out: dict[int, dict[str, AnnotationSet]] = {}
        if not owners:
            return out
        with gc_paused():
            for chunk in chunks(document_ids):
                self._load_chunk(chunk, owners, out)
        return out

    def _load_chunk(self, chunk: list[int], owners: Sequence[str], out: dict[int, dict[str, AnnotationSet]]) -> None:
        """Read one chunk of documents' sets into ``out`` (see ``load_sets``)."""
        owner_marks = ",".join("?" * len(owners))
        marks = ",".join("?" * len(chunk))
        by_id: dict[int, AnnotationSet] = {}
        for set_id, doc_id, owner, status, updated_at, updated_by, seconds, score in self.db.execute(
            "SELECT id, document_id, owner, status, updated_at, updated_by, seconds, score FROM annotation_sets "
            f"WHERE document_id IN ({marks}) AND owner IN ({owner_marks})",
            [*chunk, *owners],
        ):
            aset = AnnotationSet(
                doc_id, owner, status, updated_at=updated_at, updated_by=updated_by, seconds=seconds, score=score
            )
            by_id[set_id] = aset
            out.setdefault(doc_id, {})[owner] = aset
        if not by_id:
            return
        set_marks = ",".join("?" * len(by_id))
        for row in self.db.execute(
            f"SELECT set_id, {SPAN_COLUMNS} FROM spans WHERE set_id IN ({set_marks})", list(by_id)
        ):
            span = span_from_row(row[1:])
            by_id[row[0]].spans[span.id] = span
        for row in self.db.execute(
            f"SELECT set_id, {RELATION_COLUMNS} FROM relations WHERE set_id IN ({set_marks})", list(by_id)
        ):
            relation = relation_from_row(row[1:])
            by_id[row[0]].relations[relation.id] = relation

    def copy_set(self, document_id: int, aset: AnnotationSet) -> AnnotationSet:
        """Make ``aset.owner``'s set for a document a copy of ``aset``, creating it if needed.

        Spans, relations (re-pointed to the new span ids), status, updated_at,
        updated_by, seconds and score are taken from ``aset``. The set's journal is
        cleared, since its edits refer to spans that are gone. Used to merge
        project files; not journaled.
        """
        with self.transaction():
            self.write_set(
                document_id, aset.owner, aset.sorted_spans(), aset.sorted_relations(),
                status=aset.status, who=aset.updated_by, score=aset.score,
            )
            set_id = self._set_id(document_id, aset.owner, create=False)
            self.db.execute(
                "UPDATE annotation_sets SET updated_at = ?, updated_by = ?, seconds = ? WHERE id = ?",
                [aset.updated_at, aset.updated_by, aset.seconds, set_id],
            )
            self.db.execute("DELETE FROM journal WHERE set_id = ?", [set_id])
        copied = self.annotation_set(document_id, aset.owner)
        assert copied is not None
        return copied

    # -- summaries -----------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Counts of documents, sets by owner and status, spans and relations by label."""
        q = self.db.execute
        sets: dict[str, dict[str, int]] = {}
        for owner, status, n in q("SELECT owner, status, count(*) FROM annotation_sets GROUP BY owner, status ORDER BY owner, status"):
            sets.setdefault(owner, {})[status] = n
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "sets": sets,
            "spans": dict(q("SELECT label, count(*) FROM spans GROUP BY label ORDER BY label").fetchall()),
            "relations": dict(q("SELECT label, count(*) FROM relations GROUP BY label ORDER BY label").fetchall()),
        }


def fts_query(text: str) -> str:
    """Turn free text into an FTS5 query of quoted terms (prefix match on the last)."""
    terms = [t.replace('"', '""') for t in text.split() if t]
    if not terms:
        return '""'
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _check_is_file(path: Path, fix: str) -> None:
    """Refuse a missing or empty path, looking only at its directory entry."""
    if not path.is_file():
        raise ProjectError(f"{path} does not exist; {fix.format(path=path)}")
    if path.stat().st_size == 0:
        raise ProjectError(f"{path} is empty, not an annotator project")


def _open_failure(exc: sqlite3.Error, path: Path) -> BaseException:
    """The error to raise when opening ``path`` failed in SQLite: the file's
    header is judged from SQLite's answer, never by reading it ourselves."""
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB" or "file is not a database" in str(exc):
        return ProjectError(f"{path} is not an annotator project (not an SQLite file)")
    return explain(exc, path, "opening it") or ProjectError(f"{path} cannot be read as a project: {exc}")


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _move_into_place(partial: Path, path: Path) -> None:
    """Give the finished file ``partial`` the name ``path``, never replacing a
    file that appeared there meanwhile."""
    exists = ProjectError(f"{path} already exists; open it, or choose another name")
    try:
        os.link(partial, path)
        return
    except FileExistsError:
        raise exists from None
    except OSError:
        pass  # a file system without hard links (FAT, some network shares): rename instead
    if path.exists():
        raise exists
    try:
        os.rename(partial, path)
    except OSError as exc:
        raise ProjectError(f"cannot create {path}: {exc.strerror}; choose another folder") from None
