"""The four shipped US–Korea scenarios against figures computed by hand from FACTS.md."""

import numpy as np
import pytest

from tradepact.studies.assess import DEFAULT_SCENARIOS, assess, evaluate
from tradepact.core.scenario import shipped_scenario
from tradepact.resolve import resolve


@pytest.fixture(scope="module")
def outcomes():
    return {name: evaluate(resolve(shipped_scenario(name))) for name in DEFAULT_SCENARIOS}


def cash(outcome):
    return outcome.flows.by_instrument("cash_out", "cash_equity")[0]


def test_final_deal_cash_is_20_a_year_for_10_years(outcomes):
    # MOU: USD 200 bn of cash, at most USD 20 bn per calendar year.
    c = cash(outcomes["us_kr_2025/final"])
    assert np.allclose(c[:10], 20) and c[10:].sum() == 0
    assert outcomes["us_kr_2025/final"].headline["years_over_capacity"][0] == 0


def test_us_october_is_25_a_year_for_8_years_and_over_capacity(outcomes):
    o = outcomes["us_kr_2025/us_october"]
    c = cash(o)
    assert np.allclose(c[:8], 25) and c[8:].sum() == 0
    # BOK: about USD 20 bn a year is the most it can supply; 25 exceeds it in all 8 years.
    assert o.headline["years_over_capacity"][0] == 8


def test_korea_october_counter_takes_14_years(outcomes):
    c = cash(outcomes["us_kr_2025/kr_october"])
    assert np.allclose(c[:13], 15) and c[13] == pytest.approx(5) and c[14:].sum() == 0


def test_us_initial_spreads_350_over_the_selection_window(outcomes):
    # 1 Jan 2026 to 19 Jan 2029 + 45 business days (63 calendar days) = 23 Mar 2029 inclusive:
    # 365 + 365 + 366 + 82 = 1178 days.
    c = cash(outcomes["us_kr_2025/us_initial"])
    assert np.allclose(c[:4], 350 * np.array([365, 365, 366, 82]) / 1178)
    assert c[4:].sum() == pytest.approx(0)


def test_final_reserves_first_year_by_hand(outcomes):
    # End-Oct 2025 reserves 428.82, reserve income 15 a year (yield 15/428.82).
    # 2026: +15 of income, -20 of cash called, +0.7 distributed back (50 % of 7 % of 20).
    o = outcomes["us_kr_2025/final"]
    assert o.annual["reserves_usd_bn"][0, 0] == pytest.approx(428.82 + 15 - 20 + 0.5 * 0.07 * 20)
    assert o.annual["outflow_to_reserve_income"][0, 0] == pytest.approx(20 / 15)


def test_json_contract_fields():
    d = assess(["us_kr_2025/final"]).to_dict()
    s = d["scenarios"][0]
    assert s["name"] == "us_kr_2025/final"
    for key in ("pledge_usd_bn", "cash_pledge_usd_bn", "peak_annual_cash_outflow_usd_bn",
                "years_to_disburse", "investor_npv_usd_bn", "recoup_year",
                "max_outflow_to_reserve_income", "years_over_capacity"):
        assert key in s["headline"]
    assert s["headline"]["pledge_usd_bn"] == pytest.approx(350)
    assert s["headline"]["cash_pledge_usd_bn"] == pytest.approx(200)
    row = s["annual"][0]
    for key in ("year", "cash_outflow_usd_bn", "investor_distributions_usd_bn",
                "investor_cumulative_receipts_usd_bn", "reserves_usd_bn", "outflow_to_reserve_income"):
        assert key in row
    assert row["year"] == 2026
    assert all(u["references"] for u in s["provenance"])
