"""The deals side by side (:func:`tradepact.results.peers.peer_comparison`).

The figures are worked by hand from hand-built scenario results (pledge,
yearly outflow from reserves, reserve income, tariff savings, payoffs), so
each column is checked against arithmetic done here, not against the code;
one test then runs the real Korea and Japan assessments and checks the
comparison against their own annual tables (a second way to the same figure).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tradepact.results.assessment import Assessment, ScenarioAssessment
from tradepact.results.peers import PEER_COLUMNS, peer_comparison


def _scenario(name: str, *, investor: str, pledge: float, reserve_out: list[float], income: list[float],
              savings: list[float], pv_savings: float, npv_inv: float, npv_host: float,
              with_headline: bool = True) -> ScenarioAssessment:
    years = list(range(2026, 2026 + len(reserve_out)))
    annual = pd.DataFrame({"year": years, "reserve_funded_outflow_usd_bn": reserve_out,
                           "reserve_income_usd_bn": income, "tariff_savings_usd_bn": savings})
    headline: dict[str, object] = {"pledge_usd_bn": pledge, "investor_tariff_savings_usd_bn": pv_savings,
                                   "deal_npv_investor_usd_bn": npv_inv, "deal_npv_host_usd_bn": npv_host}
    if with_headline:
        ratio = [o / i for o, i in zip(reserve_out, income)]
        headline.update({"peak_annual_reserve_funded_outflow_usd_bn": max(reserve_out),
                         "max_outflow_to_reserve_income": max(ratio),
                         "tariff_savings_usd_bn_per_year": sum(savings) / len(savings)})
    tariffs = pd.DataFrame({"year": [2026, 2026], "item": ["tariff_savings_usd_bn"] * 2,
                            "partner": [investor, "ALL"], "sector": ["all", "all"], "value": [1.0, 1.0],
                            "unit": ["usd_bn"] * 2, "basis": ["in_force"] * 2})
    return ScenarioAssessment(name, name, "signed", "", dt.date(2025, 11, 14), "test", headline, annual, (),
                              (), tariffs, ("enacted", f"no_{investor.lower()}_deal"))


@pytest.fixture
def two_deals() -> Assessment:
    kor = _scenario("us_kr_2025/final", investor="KOR", pledge=350, reserve_out=[20, 20, 20],
                    income=[15.0, 14.8, 14.5], savings=[6.0, 6.0, 6.3], pv_savings=43.0,
                    npv_inv=19.4, npv_host=352.3)
    jpn = _scenario("jp_us_2025/final", investor="JPN", pledge=550, reserve_out=[170.9, 170.9, 37.3],
                    income=[28.3, 28.0, 27.5], savings=[9.0, 9.0, 8.7], pv_savings=64.1,
                    npv_inv=-121.8, npv_host=1042.8, with_headline=False)
    return Assessment((kor, jpn))


def test_columns_and_index(two_deals: Assessment) -> None:
    t = peer_comparison(two_deals)
    assert list(t.index) == ["us_kr_2025/final", "jp_us_2025/final"] and t.index.name == "scenario"
    assert list(t.columns) == ["investor", *PEER_COLUMNS]
    assert list(t["investor"]) == ["KOR", "JPN"]
    assert all(t[k].dtype == float for k in PEER_COLUMNS)


def test_figures_worked_by_hand(two_deals: Assessment) -> None:
    t = peer_comparison(two_deals)
    kor, jpn = t.loc["us_kr_2025/final"], t.loc["jp_us_2025/final"]
    # Korea: 20 a year from reserves; worst year 20 / 14.5 = 1.3793; relief (6 + 6 + 6.3) / 3 = 6.1 a year,
    # 6.1 / 350 = 0.017429 per dollar pledged; PV 43 / 350 = 0.122857.
    assert kor["pledge_usd_bn"] == 350 and kor["peak_reserve_outflow_usd_bn"] == 20
    assert kor["reserve_outflow_to_reserve_income"] == pytest.approx(1.37931, abs=1e-5)
    assert kor["tariff_relief_usd_bn_per_year"] == pytest.approx(6.1)
    assert kor["tariff_relief_per_usd_pledged"] == pytest.approx(0.0174286, abs=1e-7)
    assert kor["tariff_relief_pv_per_usd_pledged"] == pytest.approx(0.1228571, abs=1e-7)
    assert (kor["deal_npv_investor_usd_bn"], kor["deal_npv_host_usd_bn"]) == (19.4, 352.3)
    # Japan, from the annual table only (no headline figures): peak 170.9; worst year 170.9 / 28.0 = 6.1036;
    # relief (9 + 9 + 8.7) / 3 = 8.9 a year, 8.9 / 550 = 0.016182; PV 64.1 / 550 = 0.116545.
    assert jpn["peak_reserve_outflow_usd_bn"] == pytest.approx(170.9)
    assert jpn["reserve_outflow_to_reserve_income"] == pytest.approx(6.10357, abs=1e-5)
    assert jpn["tariff_relief_usd_bn_per_year"] == pytest.approx(8.9)
    assert jpn["tariff_relief_per_usd_pledged"] == pytest.approx(0.0161818, abs=1e-7)
    assert jpn["tariff_relief_pv_per_usd_pledged"] == pytest.approx(0.1165455, abs=1e-7)
    # Korea gets more relief per dollar pledged than Japan: 6.1/350 > 8.9/550
    assert kor["tariff_relief_per_usd_pledged"] > jpn["tariff_relief_per_usd_pledged"]


def test_missing_figures_are_nan_not_zero() -> None:
    s = _scenario("x/none", investor="TWN", pledge=0, reserve_out=[0.0], income=[0.0], savings=[1.0],
                  pv_savings=1.0, npv_inv=0.0, npv_host=0.0, with_headline=False)
    t = peer_comparison([s])
    assert np.isnan(t.loc["x/none", "tariff_relief_per_usd_pledged"])       # zero pledge
    assert np.isnan(t.loc["x/none", "reserve_outflow_to_reserve_income"])   # no reserve income


def test_fragment_renders_every_row_with_units(two_deals: Assessment) -> None:
    from jinja2 import Environment, PackageLoader, select_autoescape
    env = Environment(loader=PackageLoader("tradepact.interfaces", "templates"),
                      autoescape=select_autoescape(["html"]))
    html = env.get_template("peers.html").render(peers=peer_comparison(two_deals), peer_columns=PEER_COLUMNS)
    assert html.count("<tr>") == 3
    for label, unit, _ in PEER_COLUMNS.values():
        assert label in html and unit in html
    assert "+19.4" in html and "-121.8" in html and "1.38" in html and "0.0174" in html
    assert env.get_template("peers.html").render(peers=None, peer_columns=PEER_COLUMNS).strip() == ""


def test_korea_and_japan_from_yaml_side_by_side() -> None:
    from tradepact.studies.assess import assess
    a = assess(["us_kr_2025/final", "jp_us_2025/final"])
    t = peer_comparison(a)
    assert list(t["investor"]) == ["KOR", "JPN"]
    for name in t.index:
        annual = a[name].annual
        row = t.loc[name]
        assert row["pledge_usd_bn"] == {"us_kr_2025/final": 350, "jp_us_2025/final": 550}[name]
        assert row["peak_reserve_outflow_usd_bn"] == pytest.approx(annual["reserve_funded_outflow_usd_bn"].max())
        ratio = annual["reserve_funded_outflow_usd_bn"] / annual["reserve_income_usd_bn"]
        assert row["reserve_outflow_to_reserve_income"] == pytest.approx(ratio.max())
        assert row["tariff_relief_per_usd_pledged"] == pytest.approx(
            annual["tariff_savings_usd_bn"].mean() / row["pledge_usd_bn"])
        assert row["tariff_relief_usd_bn_per_year"] > 0
