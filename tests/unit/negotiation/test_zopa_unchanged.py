"""The fused kernel in the design sweep leaves ``tradepact zopa`` where it was.

``find_zopa`` (default base, grid, 8 optimiser points, the four proposals) is
run twice on the same model: with the design sweep on the fused kernel
(:mod:`tradepact.negotiation.kernel`) and on the NumPy engines it replaced. The
Nash point and every proposal's position must be the same. (At commit
78c4ba2, before the payoff model changed, the two also matched the recorded
output of ``tradepact zopa --json``: Nash at cash share 0.98412, cap 19.9625,
payoffs 154.155 / 296.373.)
"""

from __future__ import annotations

import pytest

from tradepact.studies.assess import DEFAULT_SCENARIOS
from tradepact.studies.zopa import find_zopa
from tradepact.negotiation import kernel

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba (extra 'fast') is not installed")


@pytest.fixture(scope="module")
def zones():
    fused = find_zopa("us_kr_2025/final", proposals=DEFAULT_SCENARIOS).to_dict()
    kernel.AVAILABLE = False
    try:
        numpy = find_zopa("us_kr_2025/final", proposals=DEFAULT_SCENARIOS).to_dict()
    finally:
        kernel.AVAILABLE = True
    return fused, numpy


def _same(a, b, where: str) -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), where
    elif isinstance(a, dict):
        assert set(a) == set(b), where
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def test_nash_point_unchanged(zones) -> None:
    fused, numpy = zones
    assert numpy["nash_bargaining_solution"] is not None
    _same(fused["nash_bargaining_solution"], numpy["nash_bargaining_solution"], "nash")


def test_proposal_positions_unchanged(zones) -> None:
    fused, numpy = zones
    assert [p["name"] for p in fused["proposals"]] == [p["name"] for p in numpy["proposals"]]
    for a, b in zip(fused["proposals"], numpy["proposals"]):
        _same(a, b, a["name"])


def test_grid_frontier_unchanged(zones) -> None:
    """The grid's frontier is the same. (Points the optimiser adds may differ:
    differential evolution compares payoffs that now differ in the 13th digit,
    and a tie broken the other way sends it elsewhere; the Nash point above is
    the same.)"""
    fused, numpy = zones
    grid = [[p for p in z["frontier"] if p.get("source") == "grid"] for z in (fused, numpy)]
    assert grid[0]
    _same(grid[0], grid[1], "frontier")
