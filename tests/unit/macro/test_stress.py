"""Macro stress against values computed by hand."""

import numpy as np
import pytest

from tradepact.macro import MacroPosition, stress


def test_reserves_path_and_ratios_by_hand():
    pos = MacroPosition(400.0, 20.0, 100.0, 1800.0, 1400.0, 15.0)   # reserve yield 5 %
    years = np.array([2026, 2027, 2028])
    out = np.array([[20.0, 10.0, 0.0]])
    back = np.array([[0.0, 1.0, 1.0]])
    s = stress(pos, out, back, out * 1.5, years)
    # R1 = 400 * 1.05 - 20 = 400; R2 = 400 * 1.05 - 10 + 1 = 411; R3 = 411 * 1.05 + 1 = 432.55
    assert np.allclose(s.reserves[0], [400.0, 411.0, 432.55])
    assert np.allclose(s.baseline_reserves[0], [420.0, 441.0, 463.05])
    # Income of each year is 5 % of the reserves at its start.
    assert np.allclose(s.reserve_income[0], [20.0, 20.0, 20.55])
    assert np.allclose(s.outflow_to_reserve_income[0], [1.0, 0.5, 0.0])
    assert np.allclose(s.outflow_to_current_account[0], [0.30, 0.15, 0.0])
    assert s.outflow_to_reserves[0, 0] == pytest.approx(20 / 400)
    assert s.outflow_to_gdp[0, 0] == pytest.approx(30 / 1800)
    assert s.years_over_capacity[0] == 1              # only 20 > 15
    assert s.outflow_lcu_tn[0, 0] == pytest.approx(30 * 1400 / 1000)


def test_capacity_can_change_by_year():
    pos = MacroPosition(400.0, 20.0, 100.0, 1800.0, 1400.0, np.array([[15.0, 25.0]]))
    out = np.array([[20.0, 20.0]])
    s = stress(pos, out, np.zeros_like(out), out, np.array([2026, 2027]))
    assert list(s.over_capacity[0]) == [True, False]


def test_vectorised_positions():
    pos = MacroPosition(np.array([400.0, 200.0]), 20.0, 100.0, 1800.0, 1400.0, np.array([15.0, 25.0]))
    out = np.array([[20.0], [20.0]])
    s = stress(pos, out, np.zeros_like(out), out, np.array([2026]))
    assert np.allclose(s.reserves[:, 0], [400.0, 200 * 1.1 - 20])
    assert list(s.years_over_capacity) == [1, 0]
