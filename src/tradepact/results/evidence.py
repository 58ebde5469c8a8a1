"""Result of the evidence study: what the news record says about the parameters.

:class:`EvidenceReport` holds the documents in the store, each declared
parameter with the claims that support or contradict it (and those about a
proposal rather than the deal), and the timeline of one figure (who stated
which value, when). The report renders it in its "Evidence" section and links
every parameter of "Where the numbers come from" to its supporting sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .base import PROVENANCE_COLUMNS, Result


@dataclass(frozen=True)
class EvidenceReport(Result):
    """Documents, parameter checks and a timeline from an evidence store."""

    store: str
    documents: tuple[dict[str, Any], ...]
    checks: tuple[Any, ...] = field(repr=False)            # evidence.check.ParameterEvidence
    timeline: Any = field(default=None, repr=False)        # evidence.timeline.Timeline
    SCHEMA = "evidence/1"

    def to_dict(self) -> dict[str, Any]:
        return {"schema": self.SCHEMA, "store": self.store, "documents": list(self.documents),
                "checks": [c.to_dict() for c in self.checks],
                "timeline": self.timeline.to_dict() if self.timeline is not None else None}

    def frame(self) -> pd.DataFrame:
        """One row per (parameter, claim): whether the claim supports, contradicts or is about a proposal."""
        rows = []
        for c in self.checks:
            for stance, findings in (("supports", c.supports), ("contradicts", c.contradicts),
                                     ("proposal", c.proposals)):
                for f in findings:
                    d = f.claim.document
                    rows.append({"path": c.path, "parameter_value": c.value, "unit": c.unit, "stance": stance,
                                 "claim_value": f.claim.claim.value, "said_by": f.claim.claim.attributed_to,
                                 "publisher": d.publisher, "published": d.published, "quote": f.claim.claim.quote})
        return pd.DataFrame(rows, columns=["path", "parameter_value", "unit", "stance", "claim_value", "said_by",
                                           "publisher", "published", "quote"])

    def compare(self) -> pd.DataFrame:
        """Per parameter: its value and how many claims support or contradict it."""
        return pd.DataFrame([{"path": c.path, "value": c.value, "unit": c.unit, "supports": len(c.supports),
                              "contradicts": len(c.contradicts), "about_proposals": len(c.proposals),
                              "flagged": c.flagged} for c in self.checks]).set_index("path") if self.checks \
            else pd.DataFrame(columns=["value", "unit", "supports", "contradicts", "about_proposals", "flagged"])

    def provenance(self) -> pd.DataFrame:
        return pd.DataFrame([{"path": f"evidence:{d['id']}", "date": d.get("published") or "", "value": None,
                              "unit": "", "valid_from": "", "status": "reported", "note": d.get("title") or "",
                              "reference": d.get("publisher") or "", "href": d.get("sha256", ""),
                              "pinpoint": f"{d.get('claims', 0)} claims"} for d in self.documents],
                            columns=list(PROVENANCE_COLUMNS))

    def sentences(self) -> dict[str, list[str]]:
        """Supporting sentences by parameter path (for "Where the numbers come from")."""
        return {c.path: [f.sentence() for f in c.supports] for c in self.checks if c.supports}

    @property
    def contradictions(self) -> list[Any]:
        return [c for c in self.checks if c.contradicts]
