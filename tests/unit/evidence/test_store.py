"""The evidence store: idempotent ingest, crash safety, readers, schema version."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tradepact.evidence.pipeline import ingest_paths
from tradepact.evidence.store import MIGRATIONS, SHIPPED_STORE, EvidenceStore, StoreError, resolve_store

from .conftest import FIXTURES

GOOD = ["hard_cases.txt", "units.txt", "proposal_talks.txt", "page.html"]


def _folder(tmp_path: Path, copies: int = 1) -> Path:
    """A folder of the good fixtures; copies differ by a last line (new hashes)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(copies):
        for name in GOOD:
            raw = (FIXTURES / name).read_bytes()
            if name.endswith(".txt"):
                raw += f"\nPage copy {i}.\n".encode()
            elif i:
                raw = raw.replace(b"</body>", f"<p>Copy {i}.</p></body>".encode())
            (folder / f"{i:04d}_{name}").write_bytes(raw)
    return folder


def test_ingesting_the_same_folder_twice_adds_no_rows(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "s.db"
    with EvidenceStore(db) as st:
        first = ingest_paths([str(folder)], st)
        counts = st.counts()
        second = ingest_paths([str(folder)], st)
        assert st.counts() == counts
    assert len(first.added) == 4 and not first.failed
    assert second.added == [] and len(second.unchanged) == 4
    # 10 + 4 + 5 + 6 claims in the four pages (labelled in test_hard_cases and by hand here)
    assert counts == (4, 10 + 4 + 5 + 6)


def test_original_bytes_and_text_are_kept(tmp_path):
    folder = _folder(tmp_path)
    with EvidenceStore(tmp_path / "s.db") as st:
        ingest_paths([str(folder)], st)
        doc = next(d for d in st.documents() if d.file.endswith("units.txt"))
        assert st.original_bytes(doc.id) == (folder / Path(doc.file).name).read_bytes()
        text = st.document_text(doc.id)
        for sc in st.claims():
            if sc.document.id == doc.id:
                a, b = sc.claim.char_span
                assert text[a:b] == sc.claim.quote


def test_schema_version_and_wal(tmp_path):
    db = tmp_path / "s.db"
    EvidenceStore(db).close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_a_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.db"
    EvidenceStore(db).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    con.close()
    with pytest.raises(StoreError, match="schema version"):
        EvidenceStore(db)


def test_not_a_store(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable evidence store"):
        EvidenceStore(bad)


def test_readers_see_committed_data_while_a_writer_is_open(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "s.db"
    with EvidenceStore(db) as writer:
        ingest_paths([str(folder)], writer)
        with writer.transaction():  # a write in progress
            writer.db.execute("DELETE FROM claims")
            with EvidenceStore(db, readonly=True) as reader:
                assert reader.counts() == (4, 25)  # the reader sees the last commit
        assert writer.counts() == (4, 0)


_CHILD = textwrap.dedent("""
    import sys
    from tradepact.evidence.pipeline import ingest_paths
    from tradepact.evidence.store import EvidenceStore
    with EvidenceStore(sys.argv[1]) as st:
        print("ready", flush=True)
        ingest_paths([sys.argv[2]], st)
    print("done", flush=True)
""")


def test_sigkill_mid_ingest_leaves_the_store_usable_and_the_next_ingest_completes(tmp_path):
    folder = _folder(tmp_path, copies=100)  # 400 pages: several seconds of work
    db = tmp_path / "s.db"
    with EvidenceStore(db) as st:  # the store already holds the seeds-like pages
        ingest_paths([str(FIXTURES / "units.txt")], st)
        before = st.counts()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), str(folder)],
                             stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(random.uniform(0.2, 1.0))
    assert child.poll() is None, "the ingest ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with EvidenceStore(db) as st:
        assert st.counts() == before  # the killed ingest left nothing half-done
        report = ingest_paths([str(folder)], st)
        assert not report.failed
        assert st.counts()[0] == before[0] + 400


def test_default_store_starts_from_the_shipped_one(tmp_path, monkeypatch):
    if not SHIPPED_STORE.exists():
        pytest.skip("the shipped store is not built")
    target = tmp_path / "home" / "evidence.db"
    monkeypatch.setenv("TRADEPACT_EVIDENCE_DB", str(target))
    assert resolve_store(None, for_writing=False) == SHIPPED_STORE
    with EvidenceStore(resolve_store(None, for_writing=True)) as st:
        shipped = EvidenceStore(SHIPPED_STORE, readonly=True)
        assert st.counts() == shipped.counts() and st.counts()[0] == 3
        shipped.close()
    assert resolve_store(None, for_writing=False) == target
