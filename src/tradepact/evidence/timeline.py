"""How a figure moved: who said what, and when.

:func:`timeline` lists the stored claims of one kind (and partner, scope)
by document date, and builds each party's *stated position* as a step
series: a party's position on a date is the value it was last reported
as giving (the latest dated claim attributed to it; the claims a reporter
states as fact form the ``reporter`` series). The final value is the one
in force of the parameter that declares the kind with ``role: final``.
Undated documents cannot be placed and are listed apart.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..core.parameters import ParameterNode, default_parameters
from .store import EvidenceStore, StoredClaim


@dataclass
class Timeline:
    """The rows of a timeline, the step series per party, the final value."""

    kind: str
    partner: str | None
    scope: str | None
    rows: list[StoredClaim] = field(default_factory=list)
    undated: list[StoredClaim] = field(default_factory=list)
    series: dict[str, list[tuple[_dt.date, float]]] = field(default_factory=dict)
    final: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "partner": self.partner, "scope": self.scope,
                "rows": [_row(sc) for sc in self.rows],
                "undated": [_row(sc) for sc in self.undated],
                "series": {party: [[d.isoformat(), v] for d, v in pts]
                           for party, pts in self.series.items()},
                "final": self.final}


def _row(sc: StoredClaim) -> dict[str, Any]:
    d = sc.document
    return {"date": d.published.isoformat() if d.published else None,
            "said_by": sc.claim.attributed_to or "third party", "value": sc.claim.value,
            "unit": sc.claim.unit, "scope": sc.claim.scope, "publisher": d.publisher,
            "title": d.title, "document": d.id, "quote": sc.claim.quote}


def _final(kind: str, partner: str | None, scope: str | None,
           tree: ParameterNode) -> dict[str, Any] | None:
    for p in tree.walk():
        for link in p.evidence:
            if link.role != "final" or link.kind != kind or (partner and link.partner != partner):
                continue
            if scope and link.scope and link.scope != scope:
                continue
            dv = p.values[-1]
            if not isinstance(dv.value, (int, float)) or isinstance(dv.value, bool):
                continue
            value = 1.0 - float(dv.value) if link.complement else float(dv.value)
            return {"path": p.path, "value": value, "date": dv.start.isoformat(),
                    "unit": p.unit, "complement": link.complement}
    return None


def timeline(store: EvidenceStore, kind: str, partner: str | None = None,
             scope: str | None = None, tree: ParameterNode | None = None) -> Timeline:
    """The timeline of ``kind`` (for ``partner`` and ``scope``, if given)."""
    tree = tree or default_parameters()
    out = Timeline(kind, partner, scope)
    for sc in store.claims(kind=kind, partner=partner):
        if scope and sc.claim.base_scope != scope and sc.claim.scope != scope:
            continue
        (out.rows if sc.document.published else out.undated).append(sc)
    out.rows.sort(key=lambda sc: (sc.document.published, sc.document.id, sc.claim.char_span[0]))
    for sc in out.rows:
        party = sc.claim.attributed_to or "third party"
        pts = out.series.setdefault(party, [])
        day = sc.document.published
        assert day is not None
        if pts and pts[-1][0] == day:
            pts[-1] = (day, sc.claim.value)  # the later sentence of the day stands
        elif not pts or pts[-1][1] != sc.claim.value:
            pts.append((day, sc.claim.value))
    out.final = _final(kind, partner, scope, tree)
    return out


def step_chart(tl: Timeline, path: str) -> str:
    """Draw ``tl`` as a step chart (one line per party, the final value
    dashed) into ``path`` (PNG or SVG); returns ``path``."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.5))
    for party, pts in sorted(tl.series.items()):
        xs = [d for d, _ in pts]
        ys = [v for _, v in pts]
        ax.step(xs, ys, where="post", marker="o", label=party)
    if tl.final is not None:
        ax.axhline(tl.final["value"], linestyle="--", color="black", linewidth=1,
                   label=f"final ({tl.final['path']})")
    ax.set_title(f"{tl.kind} {tl.partner or ''} {tl.scope or ''}".strip())
    ax.legend(fontsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
