"""The evidence store: one SQLite file of documents and their claims.

Why SQLite and not DuckDB: the store is written a document at a time and
read by sentence, a transactional row workload, and SQLite ships with
Python. Its write-ahead log lets any number of readers (a report, ``params
show``) read while one ingest writes; a transaction makes an ingest atomic
(a crash, even ``kill -9``, leaves the store as it was before that ingest
and the journal rolls the partial write back on the next open); ``PRAGMA
user_version`` numbers the schema so :data:`MIGRATIONS` upgrade old files.

Location: ``--store FILE``, else ``$TRADEPACT_EVIDENCE_DB``, else
``~/.local/share/tradepact/evidence.db``. A new default store starts as a
copy of the store shipped in the package (the seed reports), and readers
with no store of their own read the shipped one, so evidence is there
offline. Documents are keyed by the SHA-256 of their bytes: ingesting the
same file twice adds nothing.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, Location
from .models import Claim, DocumentRecord, Extracted

SHIPPED_STORE = Path(__file__).resolve().parent / "data" / "evidence.db"
ENV_VAR = "TRADEPACT_EVIDENCE_DB"
#: Version of the extraction rules; stored with each document's claims.
EXTRACTOR_VERSION = "1"

MIGRATIONS: tuple[str, ...] = (
    # 1: documents with their original bytes, claims with their spans
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        file TEXT NOT NULL,
        url TEXT,
        title TEXT,
        publisher TEXT,
        published TEXT,
        language TEXT,
        media_type TEXT NOT NULL,
        encoding TEXT NOT NULL,
        text TEXT NOT NULL,
        article TEXT NOT NULL,
        raw BLOB NOT NULL,
        ingested TEXT NOT NULL,
        extractor TEXT NOT NULL
    );
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        partner TEXT,
        scope TEXT,
        attributed_to TEXT,
        quote TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_stop INTEGER NOT NULL
    );
    CREATE INDEX claims_kind_partner ON claims(kind, partner);
    CREATE INDEX claims_document ON claims(document_id);
    """,
)


class StoreError(InputFileError):
    """The evidence store cannot be opened or is not an evidence store."""


def default_store_path() -> Path:
    """``$TRADEPACT_EVIDENCE_DB`` or ``~/.local/share/tradepact/evidence.db``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tradepact" / "evidence.db"


def resolve_store(path: str | Path | None, *, for_writing: bool) -> Path:
    """The store to use: the given one, else the default; a reader whose
    default store does not exist yet reads the shipped one."""
    if path is not None:
        return Path(path).expanduser()
    default = default_store_path()
    if not for_writing and not default.exists() and SHIPPED_STORE.exists():
        return SHIPPED_STORE
    return default


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class StoredClaim:
    """A claim with the document it comes from."""

    claim: Claim
    document: DocumentRecord

    def to_dict(self) -> dict[str, Any]:
        return {**self.claim.to_dict(), "document": self.document.to_dict()
                | {"url": self.document.url}}


class EvidenceStore:
    """An open evidence store (use as a context manager)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if readonly:
            if not self.path.exists():
                raise StoreError("the evidence store does not exist", location=Location(str(path)),
                                 expected="an existing store file (create one with "
                                          "'tradepact evidence ingest')")
            uri = f"file:{self.path}?mode=ro"
            if self.path == SHIPPED_STORE:
                uri += "&immutable=1"
            self.db = sqlite3.connect(uri, uri=True, timeout=30)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if (not self.path.exists() and self.path == default_store_path()
                    and SHIPPED_STORE.exists()):
                shutil.copyfile(SHIPPED_STORE, self.path)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"the file is not a usable evidence store ({exc})",
                             location=Location(str(path)),
                             expected="an SQLite evidence store written by tradepact") from None

    # ------------------------------------------------------------ schema
    def _version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _check_version(self) -> None:
        v = self._version()
        if v == 0 or v > len(MIGRATIONS):
            raise StoreError("the store's schema version is not one this tradepact reads",
                             location=Location(str(self.path)), value=v, has_value=True,
                             expected=f"a version from 1 to {len(MIGRATIONS)}")

    def _migrate(self) -> None:
        v = self._version()
        if v > len(MIGRATIONS):
            self._check_version()
        for n in range(v, len(MIGRATIONS)):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[n].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {n + 1}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "EvidenceStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ writing
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything in the block is stored, or nothing."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def has(self, digest: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", (digest,)).fetchone() \
            is not None

    def add(self, doc: Extracted, raw: bytes, digest: str, claims: Sequence[Claim]) -> int | None:
        """Store one document and its claims; ``None`` if its hash is already stored."""
        if self.has(digest):
            return None
        cur = self.db.execute(
            "INSERT INTO documents (sha256, file, url, title, publisher, published, language, "
            "media_type, encoding, text, article, raw, ingested, extractor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (digest, doc.file, doc.url, doc.title, doc.publisher,
             doc.published.isoformat() if doc.published else None, doc.language, doc.media_type,
             doc.encoding, doc.text, json.dumps(doc.article), raw,
             _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), EXTRACTOR_VERSION))
        doc_id = int(cur.lastrowid or 0)
        self.db.executemany(
            "INSERT INTO claims (document_id, kind, value, unit, partner, scope, attributed_to, "
            "quote, span_start, span_stop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, c.kind, c.value, c.unit, c.partner, c.scope, c.attributed_to, c.quote,
              c.char_span[0], c.char_span[1]) for c in claims])
        return doc_id

    # ------------------------------------------------------------ reading
    _DOC_COLS = ("d.id, d.file, d.title, d.publisher, d.published, d.sha256, "
                 "(SELECT COUNT(*) FROM claims c WHERE c.document_id = d.id), d.language, d.url, "
                 "d.ingested")

    @staticmethod
    def _record(row: Sequence[Any]) -> DocumentRecord:
        published = _dt.date.fromisoformat(row[4]) if row[4] else None
        return DocumentRecord(row[0], row[1], row[2], row[3], published, row[5], row[6], row[7],
                              row[8], row[9])

    def documents(self) -> list[DocumentRecord]:
        rows = self.db.execute(f"SELECT {self._DOC_COLS} FROM documents d ORDER BY d.id")
        return [self._record(r) for r in rows]

    def document_text(self, doc_id: int) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise StoreError("no such document", location=Location(str(self.path)), value=doc_id,
                             has_value=True, expected="an id listed by 'tradepact evidence list'")
        return str(row[0])

    def original_bytes(self, doc_id: int) -> bytes:
        row = self.db.execute("SELECT raw FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return bytes(row[0]) if row else b""

    def claims(self, *, kind: str | None = None, partner: str | None = None) -> list[StoredClaim]:
        """Stored claims (of one kind / partner, if given), oldest document first."""
        where, args = [], []
        if kind:
            where.append("c.kind = ?")
            args.append(kind)
        if partner:
            where.append("c.partner = ?")
            args.append(partner)
        sql = (f"SELECT c.kind, c.value, c.unit, c.partner, c.scope, c.attributed_to, c.quote, "
               f"c.span_start, c.span_stop, {self._DOC_COLS} FROM claims c "
               f"JOIN documents d ON d.id = c.document_id "
               f"{'WHERE ' + ' AND '.join(where) if where else ''} "
               f"ORDER BY COALESCE(d.published, '9999'), d.id, c.span_start")
        out = []
        for r in self.db.execute(sql, args):
            claim = Claim(r[0], float(r[1]), r[2], r[3], r[4], r[5], r[6], (int(r[7]), int(r[8])))
            out.append(StoredClaim(claim, self._record(r[9:])))
        return out

    def counts(self) -> tuple[int, int]:
        docs = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        claims = self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        return int(docs), int(claims)
