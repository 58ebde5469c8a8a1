"""Tariff measures as parameters: a scenario can change a measure's end date, and a
Monte Carlo can draw a measure's rate (the relief then varies by draw)."""

import numpy as np
import pytest

from tradepact import params
from tradepact.studies.assess import assess
from tradepact.studies.simulate import simulate

FLOOR = "us.tariffs.s232.s232_autos_kor_floor_15"


def test_every_measure_is_a_node_of_the_parameter_tree_with_its_citations():
    rate = params(f"{FLOOR}.rate")
    assert rate.unit == "fraction" and rate.at("2025-11-01") == 0.15
    assert rate.values[0].start.isoformat() == "2025-11-01"           # the legal effective date
    assert any("2025-21940" in (r.title + r.href) for r in rate.values[0].references)   # FR Doc 2025-21940
    assert params(f"{FLOOR}.legal_effective").at("2025-11-01") == "2025-11-01"
    assert params(f"{FLOOR}.in_effect").at("2025-11-01") is True


def _cars(a, year):
    return a.tariff_sectors(year).at["cars", "tariff_savings_usd_bn"]


def test_a_scenario_ends_the_car_floor_early(write_yaml):
    path = write_yaml("early_end.yaml", f"""\
        name: user/floor_ends_2026
        base: us_kr_2025/final
        title: Final deal, the 15 % car floor withdrawn from 2026-01-01
        as_of: 2025-11-14
        parameters:
          {FLOOR}.ends: "2026-01-01"
        """)
    a = assess(["us_kr_2025/final", path])
    base, early = a["final"], a["floor_ends_2026"]
    # Korean cars pay the 25 % Section 232 duty again with the deal: no saving on cars
    # once the floor has ended, and the same saving as the shipped deal before.
    assert _cars(base, 2027) > 1.0
    assert _cars(early, 2027) == pytest.approx(0.0, abs=1e-9)
    assert _cars(early, 2025) == pytest.approx(_cars(base, 2025), rel=1e-12)
    assert early.headline["deal_npv_investor_usd_bn"] < base.headline["deal_npv_investor_usd_bn"]


def test_simulate_draws_a_measure_rate_and_the_relief_varies(write_yaml):
    path = write_yaml("drawn_floor.yaml", f"""\
        name: user/drawn_floor
        base: us_kr_2025/final
        title: Final deal with an uncertain car floor
        as_of: 2025-11-14
        uncertainty:
          {FLOOR}.rate: {{dist: triangular, low: 0.10, high: 0.25}}
        """)
    r = simulate(path, 400, seed=3, stress="hard")
    x = r.inputs[f"{FLOOR}.rate"]
    y = r.headline["investor_tariff_savings_usd_bn"]
    assert x.min() >= 0.10 and x.max() <= 0.25 and np.std(x) > 0.01
    assert np.std(y) > 0.1                       # the relief varies by draw
    order = np.argsort(x)
    assert np.all(np.diff(y[order]) <= 1e-9)    # a higher floor with the deal leaves less to save
    # At the shipped value (15 %) the draws agree with assess.
    point = assess(["us_kr_2025/final"])["final"].headline["investor_tariff_savings_usd_bn"]
    near = np.abs(x - 0.15) < 0.002
    if near.any():
        assert y[near] == pytest.approx(point, rel=0.02)
