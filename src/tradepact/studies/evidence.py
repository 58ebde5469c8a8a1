"""The evidence study: hold every declared parameter against the news record.

Opens an evidence store (the user's, ``$TRADEPACT_EVIDENCE_DB``, or the one
shipped with the package), checks every parameter that declares claim kinds
(:func:`tradepact.evidence.check_all`) and builds the timeline of one figure.
"""

from __future__ import annotations

from ..results.evidence import EvidenceReport


def evidence_report(store: str | None = None, *, kind: str = "cash_annual",
                    partner: str | None = "KOR") -> EvidenceReport:
    """The documents, the parameter checks and the ``kind`` timeline of a store."""
    from ..evidence import build_timeline, check_all, open_store
    with open_store(store) as st:
        docs = tuple({"id": d.id, "file": d.file, "title": d.title, "publisher": d.publisher,
                      "published": d.published.isoformat() if d.published else None, "sha256": d.sha256,
                      "claims": n} for d, n in _documents(st))
        checks = tuple(check_all(st))
        timeline = build_timeline(st, kind, partner)
        return EvidenceReport(str(st.path), docs, checks, timeline)


def _documents(st):
    counts = dict(st.db.execute("SELECT document_id, COUNT(*) FROM claims GROUP BY document_id").fetchall())
    return [(d, int(counts.get(d.id, 0))) for d in st.documents()]
