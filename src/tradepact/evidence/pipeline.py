"""Batches: extract or ingest many files, one error per failed file.

A file that cannot be read (binary, unknown encoding, empty, malformed)
gets one :class:`FileFailure` naming the file and the problem; the batch
goes on with the others. ``ingest`` writes the whole batch in one
transaction: a crash leaves the store as it was, and the next ingest
(which skips the hashes already stored) completes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Location, TradepactError
from .claims import extract_claims
from .ingest import SUFFIXES, EvidenceFileError, extract_bytes
from .models import Claim, Extracted
from .store import EvidenceStore, sha256


@dataclass(frozen=True)
class FileFailure:
    """A file the batch could not read, and why (one paragraph)."""

    file: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "error": self.error}


@dataclass
class IngestReport:
    """What an ingest did: documents added, already present, failed files."""

    added: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "unchanged": self.unchanged,
                "failed": [f.to_dict() for f in self.failed]}


def iter_files(paths: Iterable[str]) -> Iterator[tuple[str, Path | None]]:
    """``(name as given or found, path)`` for each file; folders are walked
    for the supported suffixes; a missing path yields ``(name, None)``."""
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."):
                    yield str(f), f
        elif p.is_file():
            yield given, p
        else:
            yield given, None


def _read(name: str, path: Path | None) -> tuple[bytes, list[Extracted]]:
    if path is None:
        raise EvidenceFileError("no such file or folder", location=Location(name),
                                expected="an existing file or folder")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceFileError(f"the file cannot be read ({exc.strerror})", location=Location(name),
                                expected="a readable file") from None
    docs = extract_bytes(raw, name, path.suffix)
    return raw, docs


def extract_document(doc: Extracted) -> list[Claim]:
    return extract_claims(doc.text, doc.article)


def _process(item: tuple[str, Path | None]) -> tuple[str, bytes, list[tuple[Extracted, list[Claim]]]] | FileFailure:
    """Read and extract one file (runs in a worker process when asked)."""
    name, path = item
    try:
        raw, docs = _read(name, path)
    except TradepactError as exc:
        return FileFailure(name, str(exc))
    return name, raw, [(doc, extract_document(doc)) for doc in docs]


def _processed(paths: Iterable[str], workers: int) -> Iterator[
        tuple[str, bytes, list[tuple[Extracted, list[Claim]]]] | FileFailure]:
    """Each file's extraction, in order; ``workers > 1`` spreads it over processes."""
    items = list(iter_files(paths))
    if workers <= 1 or len(items) < 2 * workers:
        yield from map(_process, items)
        return
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_process, items, chunksize=16)


def extract_paths(paths: Iterable[str], *, workers: int = 1
                  ) -> tuple[list[dict[str, Any]], list[FileFailure]]:
    """The ``evidence extract --json`` documents (nothing stored) and failures."""
    out, failed = [], []
    for result in _processed(paths, workers):
        if isinstance(result, FileFailure):
            failed.append(result)
            continue
        out += [document_json(doc, claims) for doc, claims in result[2]]
    return out, failed


def document_json(doc: Extracted, claims: list[Claim]) -> dict[str, Any]:
    """One document of the ``extract`` contract."""
    return {"file": doc.file, "title": doc.title, "publisher": doc.publisher,
            "published": doc.published.isoformat() if doc.published else None,
            "text_chars": len(doc.text), "claims": [c.to_dict() for c in claims]}


def ingest_paths(paths: Iterable[str], store: EvidenceStore, *, workers: int = 1) -> IngestReport:
    """Read, extract and store every file under ``paths`` in one transaction.

    Pages whose hash is stored already are skipped. With ``workers > 1`` the
    reading and extraction run in that many processes; this process alone
    writes.
    """
    report = IngestReport()
    with store.transaction():
        for result in _processed(paths, workers):
            if isinstance(result, FileFailure):
                report.failed.append(result)
                continue
            _, raw, docs = result
            for i, (doc, claims) in enumerate(docs):
                digest = sha256(raw if len(docs) == 1 else raw + f"#{i}".encode())
                if store.has(digest):
                    report.unchanged.append(doc.file)
                    continue
                doc_id = store.add(doc, raw, digest, claims)
                report.added.append({"id": doc_id, "file": doc.file, "sha256": digest,
                                     "title": doc.title, "claims": len(claims)})
    return report
