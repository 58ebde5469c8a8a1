"""Shared pieces of the hostile-input tests: a minimal valid scenario and a
checker that an error is one located paragraph."""

from __future__ import annotations

import textwrap

import pytest

#: A complete scenario without a base (every number written out).
MINIMAL = """\
name: test/minimal
title: A 100 bn package under a 10 bn cap
as_of: 2025-11-14
start_year: 2026
horizon_end_year: 2065
discount_rate: 0.04
profit_split: {investor_share_before_recoup: 0.5, investor_share_after_recoup: 0.1}
tranches:
  - name: cash
    instrument: cash_equity
    amount_usd_bn: 100
    schedule: {kind: capped_annual, cap_usd_bn: 10}
    terms: {cash_yield_rate: 0.10}
"""

#: The head of a child of the shipped final deal.
CHILD = "name: x/y\nbase: us_kr_2025/final\ntitle: t\nas_of: 2025-11-14\n"


def one_paragraph(text: str) -> bool:
    """A message a user can read: one paragraph, no traceback."""
    body = text.strip()
    return bool(body) and "Traceback" not in body and "\n\n" not in body and body.count("\n") <= 2


@pytest.fixture
def scenario_file(tmp_path):
    def _write(text: str, name: str = "s.yaml"):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text) if not text.startswith("name") else text)
        return p
    return _write
