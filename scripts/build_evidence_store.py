"""Build the evidence store shipped with the package from the seed reports.

Usage: ``python scripts/build_evidence_store.py [SEEDS_FOLDER] [OUT_FILE]``;
defaults: ``../shared/seeds`` next to the repository, and
``src/tradepact/evidence/data/evidence.db``. The file is rebuilt from
scratch and left in rollback-journal mode, so it can be opened read-only
from an installed package.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from tradepact.evidence.pipeline import ingest_paths  # noqa: E402
from tradepact.evidence.store import EvidenceStore  # noqa: E402


def build(seeds: Path, out: Path) -> dict:
    """Ingest every page in ``seeds`` into a fresh store at ``out``."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with EvidenceStore(out) as store:
        report = ingest_paths([str(p) for p in sorted(seeds.glob("*.txt"))], store)
        docs, claims = store.counts()
    db = sqlite3.connect(out)
    # The shipped store carries each claim with its sentence, char span and the
    # page's sha256, title, publisher and date, but not the pages themselves:
    # news texts are not copied into the repository. `tradepact evidence ingest`
    # of the same files into a user's store keeps the original bytes.
    db.execute("UPDATE documents SET text = '', article = '', raw = X''")
    for doc_id, file in db.execute("SELECT id, file FROM documents").fetchall():
        db.execute("UPDATE documents SET file = ? WHERE id = ?", ("seeds/" + Path(file).name, doc_id))
    db.commit()
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("VACUUM")
    db.close()
    if report.failed:
        raise SystemExit("; ".join(f.error for f in report.failed))
    return {"store": str(out), "documents": docs, "claims": claims}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    seeds = Path(argv[0]) if argv else REPO.parent / "shared" / "seeds"
    out = Path(argv[1]) if len(argv) > 1 else REPO / "src" / "tradepact" / "evidence" / "data" / "evidence.db"
    print(build(seeds, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
