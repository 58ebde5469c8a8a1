"""Quantiles of year figures where "never" (no recoup within the horizon) is a possible outcome."""

import numpy as np

from tradepact.results.simulation import _quantile


def test_never_sorts_last_and_survives_the_quantile():
    years = np.array([2050.0] * 45 + [2052.0] * 45 + [np.nan] * 10)    # 10 % never recoup
    assert _quantile("recoup_year", years, (0.05, 0.5, 0.95)).tolist() == [2050.0, 2052.0, np.inf]
    mostly = np.array([2051.0] * 97 + [np.nan] * 3)                     # 3 %: p95 is still a year
    assert _quantile("recoup_year", mostly, (0.95,)).tolist() == [2051.0]


def test_no_irr_sorts_first():
    irr = np.array([np.nan] * 10 + [0.03] * 90)
    assert _quantile("investor_irr", irr, (0.05, 0.5)).tolist() == [-np.inf, 0.03]
