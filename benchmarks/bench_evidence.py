"""Evidence layer: pages per second for extraction and ingest, store size.

A folder of 1,000 pages is made by replicating the labelled development set
(``../shared/data/evidence-dev/articles``; the test fixtures if it is
absent), each copy with one extra line so that every page has its own
hash. ``extract`` reads and extracts every page without storing; ``ingest``
stores them all in a fresh store (one transaction); each is timed in one
process and with two worker processes. Target: >= 50 pages/s on 2 cores.
Wall-clock rates depend on what else runs; the per-CPU-second rates of the
one-process runs do not.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO.parent / "shared" / "data" / "evidence-dev" / "articles",
           REPO / "tests" / "unit" / "evidence" / "fixtures"]
PAGES = 1000


def _replicate(folder: Path, n: int = PAGES) -> int:
    source = next(s for s in SOURCES if s.exists())
    pages = sorted(p for p in source.glob("*.txt") if p.stat().st_size > 200)
    for i in range(n):
        page = pages[i % len(pages)]
        (folder / f"{i:05d}_{page.name}").write_bytes(page.read_bytes() + f"\nCopy {i}.\n".encode())
    return len(pages)


def main() -> dict:
    from tradepact.evidence.pipeline import extract_paths, ingest_paths
    from tradepact.evidence.store import EvidenceStore

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        distinct = _replicate(folder)
        extract_paths([str(next(folder.iterdir()))])  # warm-up: imports, language model
        t0, c0 = time.perf_counter(), time.process_time()
        docs, failed = extract_paths([str(folder)])
        t_extract, c_extract = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        docs2, _ = extract_paths([str(folder)], workers=2)
        t_extract2 = time.perf_counter() - t0
        db = Path(tmp) / "evidence.db"
        t0, c0 = time.perf_counter(), time.process_time()
        with EvidenceStore(db) as store:
            report = ingest_paths([str(folder)], store)
            n_docs, n_claims = store.counts()
        t_ingest, c_ingest = time.perf_counter() - t0, time.process_time() - c0
        size = sum(p.stat().st_size for p in Path(tmp).glob("evidence.db*"))
        t0 = time.perf_counter()
        with EvidenceStore(Path(tmp) / "evidence2.db") as store:
            ingest_paths([str(folder)], store, workers=2)
        t_ingest2 = time.perf_counter() - t0
    assert not failed and not report.failed and len(docs) == PAGES == n_docs == len(docs2)
    result = {
        "pages": PAGES, "distinct_pages": distinct,
        "extract_pages_per_s": round(PAGES / t_extract, 1),
        "ingest_pages_per_s": round(PAGES / t_ingest, 1),
        "extract_pages_per_cpu_s": round(PAGES / c_extract, 1),
        "ingest_pages_per_cpu_s": round(PAGES / c_ingest, 1),
        "extract_pages_per_s_2_workers": round(PAGES / t_extract2, 1),
        "ingest_pages_per_s_2_workers": round(PAGES / t_ingest2, 1),
        "claims_stored": n_claims,
        "store_mb_per_1000_pages": round(size / 1e6 * 1000 / PAGES, 2),
        "target_pages_per_s": 50,
    }
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
    sys.exit(0)
