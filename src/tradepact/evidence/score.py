"""Recall and precision of extracted claims against hand labels.

Matching rule (the one the labelled sets' README recommends): within one
article, a predicted claim matches a labelled one when

* the ``kind`` is the same,
* the values agree within 0.5 % (relative; 1e-9 absolute for zero),
* the ``partner`` is the same,
* the *base* scope is the same (``general:up_to`` -> ``general``), with
  ``general`` and ``reciprocal`` taken as one (the labels follow the
  wording, which the README calls secondary).

Attribution is scored separately (share of matched claims whose
``attributed_to`` agrees). Both sides are first reduced to distinct match
keys per article, so a claim repeated under two attributions counts once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Claim


def _base(scope: str | None) -> str | None:
    if scope is None:
        return None
    base = scope.split(":")[0]
    return "general" if base == "reciprocal" else base


def _key(kind: str, value: float, partner: str | None, scope: str | None) -> tuple:
    return (kind, float(value), partner, _base(scope))


def _same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0] or a[2] != b[2] or a[3] != b[3]:
        return False
    va, vb = a[1], b[1]
    return abs(va - vb) <= max(1e-9, 0.005 * max(abs(va), abs(vb)))


@dataclass
class Score:
    """Counts over a set of articles, and the derived rates."""

    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0
    attribution_agree: int = 0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def attribution_accuracy(self) -> float:
        return self.attribution_agree / self.matched_gold if self.matched_gold else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "predicted": self.predicted, "matched_gold": self.matched_gold,
                "matched_predicted": self.matched_predicted,
                "recall": round(self.recall, 4), "precision": round(self.precision, 4),
                "attribution_accuracy": round(self.attribution_accuracy, 4)}


def score_article(predicted: Iterable[Claim], gold: Iterable[dict[str, Any]], total: Score,
                  misses: list | None = None, extras: list | None = None) -> None:
    """Add one article's counts to ``total`` (and its misses / extras, if asked)."""
    pred: dict[tuple, set[str | None]] = {}
    for c in predicted:
        pred.setdefault(_key(c.kind, c.value, c.partner, c.scope), set()).add(c.attributed_to)
    labelled: dict[tuple, set[str | None]] = {}
    for g in gold:
        labelled.setdefault(_key(g["kind"], g["value"], g["partner"], g.get("scope")),
                            set()).add(g.get("attributed_to"))
    total.gold += len(labelled)
    total.predicted += len(pred)
    for gk, who in labelled.items():
        hit = next((pk for pk in pred if _same(pk, gk)), None)
        if hit is not None:
            total.matched_gold += 1
            total.attribution_agree += bool(who & pred[hit])
        elif misses is not None:
            misses.append(gk)
    for pk in pred:
        if any(_same(pk, gk) for gk in labelled):
            total.matched_predicted += 1
        elif extras is not None:
            extras.append(pk)


def read_labels(folder: Path) -> list[dict[str, Any]]:
    """The ``labels.jsonl`` of a labelled set, one dict per article."""
    with open(Path(folder) / "labels.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(folder: Path | str, *, detail: bool = False) -> dict[str, Any]:
    """Extract every article of a labelled set and score it (see module doc)."""
    from .ingest import read_document
    from .claims import extract_claims

    folder = Path(folder)
    total = Score()
    per_article = []
    for row in read_labels(folder):
        doc = read_document(folder / "articles" / row["article"])
        claims = extract_claims(doc.text, doc.article)
        misses: list = []
        extras: list = []
        one = Score()
        score_article(claims, row["claims"], one, misses, extras)
        score_article(claims, row["claims"], total)
        per_article.append({"article": row["article"], **one.to_dict(),
                            "misses": misses, "extras": extras})
    out: dict[str, Any] = {"articles": len(per_article), **total.to_dict()}
    if detail:
        out["per_article"] = per_article
    return out
