"""Shared pieces of the hostile-input tests: a minimal valid scenario and a
checker that an error is one located paragraph."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

#: A complete scenario without a base (every number written out): a 100 bn cash
#: package under a 10 bn cap, the smallest valid scenario file.
MINIMAL = (Path(__file__).resolve().parents[2] / "cases" / "scenarios" / "minimal.yaml").read_text()

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
