"""The tariff relief inside every assessment, checked by hand.

Rates (FACTS.md, "Tariff changes for Korea"): Korean cars and parts paid the
25 % Section 232 duty with 0 % KORUS (Proclamation 10908, from April 2025);
under the deal they pay an all-inclusive 15 % (HTS 9903.94.60/.61,
retroactive to 2025-11-01; Korea Herald, https://www.koreaherald.com/article/10629298).
Steel keeps its 50 % either way. From 2027 no IEEPA duty is in force in
either regime, so the only difference between them is the 10-point cut on
cars and parts.
"""

import csv
import json
from importlib import resources

import numpy as np
import pytest

from tradepact.studies.assess import assess
from tradepact.interfaces.cli import main

INCIDENCE = "assumptions.negotiation.tariff_relief.exporter_incidence_share"
WITHDRAWAL = "assumptions.negotiation.tariff_relief.annual_withdrawal_probability"


def kor_2024(sector: str) -> float:
    """Korea's 2024 exports to the US in a sector, read from the shipped CSV."""
    path = resources.files("tradepact") / "policy" / "trade" / "us_imports_2024_by_sector.csv"
    with path.open() as f:
        return sum(float(r["customs_value_usd_bn"]) for r in csv.DictReader(f)
                   if r["partner"] == "KOR" and r["sector"] == sector)


@pytest.fixture(scope="module")
def final():
    return assess(["us_kr_2025/final"])["us_kr_2025/final"]


def test_savings_after_2026_are_the_ten_point_cut_on_cars_and_parts(final):
    cars, parts = kor_2024("cars"), kor_2024("car_parts")
    row = final.annual.set_index("year").loc[2030]
    assert row["tariff_bill_without_deal_usd_bn"] - row["tariff_bill_with_deal_usd_bn"] == pytest.approx(
        row["tariff_savings_usd_bn"])
    assert row["tariff_savings_usd_bn"] == pytest.approx((cars + parts) * (0.25 - 0.15))
    # Static volumes: the host forgoes exactly what the investor's exporters save.
    assert row["us_tariff_revenue_forgone_usd_bn"] == pytest.approx(row["tariff_savings_usd_bn"])
    sectors = final.tariff_sectors(2030)
    assert sectors.at["cars", "tariff_savings_usd_bn"] == pytest.approx(cars * 0.10)
    assert sectors.at["steel", "tariff_savings_usd_bn"] == 0.0
    assert sectors.at["steel", "tariff_bill_with_deal_usd_bn"] == pytest.approx(kor_2024("steel") * 0.50)


def test_automakers_share_of_the_savings(final):
    # Hyundai's share of Korea's car exports to the US is 37 %, Kia's 32 % (trade.firms).
    row = final.annual.set_index("year").loc[2030]
    cut = (kor_2024("cars") + kor_2024("car_parts")) * 0.10
    assert row["hyundai_tariff_savings_usd_bn"] == pytest.approx(0.37 * cut)
    assert row["kia_tariff_savings_usd_bn"] == pytest.approx(0.32 * cut)
    firms = final.firm_tariffs(2025)
    assert firms.at["hyundai", "disclosed_cost_usd_bn"] == 2.89     # Hyundai, 2025 results
    assert firms.at["kia", "disclosed_cost_usd_bn"] == 2.04


def test_headline_savings_is_the_mean_over_the_pledge_years(final):
    a = final.annual
    assert final.headline["tariff_savings_usd_bn_per_year"] == pytest.approx(a["tariff_savings_usd_bn"].mean())


def test_deal_npv_is_pledge_value_plus_discounted_savings(write_yaml):
    # Full incidence, no withdrawal: the investor's deal NPV is the pledge's NPV, its
    # post-horizon value and the savings discounted at the scenario's rate (a level
    # perpetuity after the horizon).
    path = write_yaml("s.yaml", f"""\
        name: user/sure_relief
        base: us_kr_2025/final
        title: Final deal, relief never withdrawn
        as_of: 2025-11-14
        parameters:
          {INCIDENCE}: 1.0
          {WITHDRAWAL}: 0.0
        """)
    s = assess([path])["user/sure_relief"]
    d = 0.04      # assumptions.vehicle.investor_discount_rate
    tau = s.annual["tariff_savings_usd_bn"].to_numpy()
    T = len(tau)
    pv = (tau / (1 + d) ** np.arange(1, T + 1)).sum() + tau[-1] / d / (1 + d) ** T
    h = s.headline
    assert h["investor_tariff_savings_usd_bn"] == pytest.approx(pv)
    assert h["deal_npv_investor_usd_bn"] == pytest.approx(
        h["investor_npv_usd_bn"] + h["investor_terminal_value_usd_bn"] + pv)


def test_counterfactual_regime_is_part_of_the_scenario(write_yaml):
    path = write_yaml("same.yaml", """\
        name: user/no_relief
        base: us_kr_2025/final
        title: Final deal valued against itself
        as_of: 2025-11-14
        tariffs:
          without_deal: enacted
        """)
    s = assess([path])["user/no_relief"]
    assert np.allclose(s.annual["tariff_savings_usd_bn"], 0.0)
    h = s.headline
    assert h["deal_npv_investor_usd_bn"] == pytest.approx(h["investor_npv_usd_bn"] + h["investor_terminal_value_usd_bn"])
    assert s.tariff_regimes == ("enacted", "enacted")


def test_tariff_figures_in_json_and_provenance(capsys):
    assert main(["assess", "--json", "--scenario", "us_kr_2025/final"]) == 0
    def no_nan(token):
        raise AssertionError(f"{token} is not JSON")
    data = json.loads(capsys.readouterr().out, parse_constant=no_nan)["scenarios"][0]
    for key in ("tariff_savings_usd_bn_per_year", "deal_npv_investor_usd_bn", "deal_npv_host_usd_bn"):
        assert isinstance(data["headline"][key], float)
    assert {"tariff_savings_usd_bn", "tariff_bill_with_deal_usd_bn", "us_tariff_revenue_forgone_usd_bn"} <= set(
        data["annual"][0])
    assert data["tariffs"]["regimes"] == {"with_deal": "enacted", "without_deal": "no_kor_deal"}
    items = {r["item"] for r in data["tariffs"]["rows"]}
    assert {"tariff_savings_usd_bn", "hyundai_disclosed_tariff_cost_usd_bn", "etr_with_deal"} <= items
    paths = {p["path"]: p for p in data["provenance"]}
    assert paths["trade.us_imports_2024.KOR.cars"]["value"] == kor_2024("cars")
    floor = paths["us.tariffs.s232_autos_kor_floor_15"]
    assert floor["value"] == 0.15 and floor["references"]
    assert INCIDENCE in paths


def test_unknown_regime_is_a_clear_error(write_yaml, capsys):
    path = write_yaml("bad.yaml", """\
        name: user/bad
        base: us_kr_2025/final
        title: Bad regime
        as_of: 2025-11-14
        tariffs:
          without_deal: no_deal_at_all
        """)
    assert main(["assess", "--no-report", "--scenario", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "tariffs.without_deal" in err and "no_deal_at_all" in err
    assert "no_kor_deal" in err and "Traceback" not in err
