"""The scenario example in the README is valid and does what its comments say."""

import re
from pathlib import Path

import numpy as np
import pytest

from tradepact.studies.assess import evaluate
from tradepact.core.scenario import load_scenario
from tradepact.resolve import resolve

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_scenario_example(tmp_path):
    block = re.search(r"```yaml\n(name: mine/.*?)```", README.read_text(), re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(block)
    out = evaluate(resolve(load_scenario(path)))
    names = [t.name for t in out.resolved.vehicle.tranches]
    assert names == ["cash", "shipbuilding_fdi", "shipbuilding_guarantees", "energy_loans"]
    cash = out.flows.by_instrument("cash_out", "cash_equity")[0]
    assert np.allclose(cash[:13], 15) and cash[13] == pytest.approx(5)
    loans = out.flows.by_instrument("cash_out", "loan")[0]
    assert np.allclose(loans[:3], 10) and loans[3:].sum() == 0
    # Capacity is 20 until 2026, then 18 from 2027.
    capacity = out.stress.capacity[0]
    assert capacity[0] == 20 and capacity[1] == 18


def test_readme_uncertainty_example_simulates(tmp_path):
    from tradepact.studies.simulate import simulate
    block = re.search(r"```yaml\n(name: mine/.*?)```", README.read_text(), re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(block)
    r = simulate(load_scenario(path), 500, 7)
    yields = r.inputs["assumptions.vehicle.project_cash_yield_rate"]
    fx = r.inputs["kr.macro.exchange_rate_krw_per_usd"]
    # Triangular(0.03, 0.05, 0.08) with the mode at the README's overridden yield: mean 0.16 / 3.
    assert yields.min() >= 0.03 and yields.max() <= 0.08
    assert yields.mean() == pytest.approx(0.16 / 3, abs=0.002)
    assert fx.min() >= 1200 and fx.max() <= 1700
    assert np.corrcoef(yields, fx)[0, 1] < 0
