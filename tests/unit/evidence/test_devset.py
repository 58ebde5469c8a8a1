"""Recall and precision on the labelled development set, as a regression floor.

The set (../shared/data/evidence-dev, 40 real pages, labelled by hand by
someone else) is read in place. The floors sit below the figures reported
in docs/evidence.md so that a rule change that loses claims fails here.
"""

from __future__ import annotations

from tradepact.evidence.models import Claim
from tradepact.evidence.score import Score, evaluate, score_article

from .conftest import DEV, need

RECALL_FLOOR = 0.90
PRECISION_FLOOR = 0.85


def test_dev_set_recall_and_precision_floor():
    result = evaluate(need(DEV))
    assert result["articles"] == 40
    assert result["recall"] >= RECALL_FLOOR, result
    assert result["precision"] >= PRECISION_FLOOR, result


def _claim(kind, value, partner="KOR", scope=None, who="reporter"):
    return Claim(kind, value, "x", partner, scope, who, "q", (0, 1))


def test_scorer_matching_rule_by_hand():
    gold = [{"kind": "tariff_rate", "value": 0.15, "partner": "KOR", "scope": "reciprocal",
             "attributed_to": "USA"},
            {"kind": "pledge_total", "value": 350, "partner": "KOR", "scope": None,
             "attributed_to": "reporter"},
            {"kind": "cash_total", "value": 200, "partner": "KOR", "scope": None,
             "attributed_to": "reporter"}]
    predicted = [_claim("tariff_rate", 0.15, scope="general:up_to", who="USA"),  # merged scopes
                 _claim("pledge_total", 351.0, who="KOR"),  # 0.28 % off: within 0.5 %
                 _claim("cash_total", 210.0),     # 5 % off: no match
                 _claim("duration", 8.0)]         # not labelled
    s = Score()
    score_article(predicted, gold, s)
    # 2 of 3 labels found, 2 of 4 predictions right, 1 of 2 matched with the same speaker.
    assert (s.recall, s.precision) == (2 / 3, 0.5)
    assert s.attribution_accuracy == 0.5
