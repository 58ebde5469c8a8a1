"""Shared helpers for the evidence tests: fixture paths and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[4] / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "data" / "evidence-dev"


@pytest.fixture(autouse=True)
def _no_user_store(tmp_path, monkeypatch):
    """Never touch the user's real store: point the default at a temp file."""
    monkeypatch.setenv("TRADEPACT_EVIDENCE_DB", str(tmp_path / "default-store" / "evidence.db"))


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def keyset(claims) -> set[tuple]:
    """(kind, value, unit, partner, scope) of each claim, values rounded."""
    return {(c.kind, round(c.value, 6), c.unit, c.partner, c.scope) for c in claims}
