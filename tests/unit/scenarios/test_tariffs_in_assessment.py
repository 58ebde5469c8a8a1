"""The tariff relief inside every assessment, checked by hand.

Rates (FACTS.md, "Tariff changes for Korea"): Korean cars and parts paid the
25 % Section 232 duty with 0 % KORUS (Proclamation 10908, from April 2025);
under the deal they pay an all-inclusive 15 % (HTS 9903.94.60/.61,
retroactive to 2025-11-01; Korea Herald, https://www.koreaherald.com/article/10629298).
From 2027 no IEEPA duty is in force in either regime. Section 232 goods are
outside the forced-labour Section 301 duty (FR 2026-15181), so on cars the
only difference between the regimes is the 10-point cut; on other goods the
deal also turns Korea's +12.5 % forced-labour duty into a 12.5 % minimum.
"""

import csv
import json
from importlib import resources

import numpy as np
import polars as pl
import pytest

from tradepact.studies.assess import assess
from tradepact.interfaces.cli import main

INCIDENCE = "assumptions.negotiation.tariff_relief.exporter_incidence.default_share"
WITHDRAWAL = "assumptions.negotiation.tariff_relief.annual_withdrawal_probability"


def _group(name: str) -> list[str]:
    path = resources.files("tradepact") / "policy" / "codes" / "hs_groups.csv"
    with path.open() as f:
        return [r["hs_prefix"] for r in csv.DictReader(f) if r["group"] == name]


def _kor_lines() -> pl.DataFrame:
    """Korea's 2024 exports to the US by HTS10 line (Census, shipped data), with the
    KORUS rate of each line in 2030 (the special column, else the general rate) and
    whether the line is a Section 232 car or car part (the measures' product groups)."""
    data = resources.files("tradepact") / "data"
    imp = pl.read_parquet(data / "imports_2024.parquet").filter(pl.col("partner") == "KOR")
    hts = pl.read_parquet(data / "hts.parquet").filter(pl.col("valid_until").is_null())
    kr = pl.read_parquet(data / "hts_special.parquet").filter(
        (pl.col("program") == "KR") & pl.col("valid_until").is_null())
    conc = pl.read_parquet(data / "concordance.parquet").select("hs10", "naics6")
    cars, parts = _group("autos_s232"), _group("auto_parts_s232")
    out = (imp.join(hts.select(pl.col("code").alias("hs10"), "general_rate"), on="hs10", how="left")
           .join(kr.select(pl.col("code").alias("hs10"), pl.col("rate").alias("kr")), on="hs10", how="left")
           .join(conc, on="hs10", how="left")
           .with_columns(pl.min_horizontal(pl.col("kr").fill_null(pl.col("general_rate")),
                                           pl.col("general_rate")).fill_null(0.0).alias("col1"),
                         pl.any_horizontal([pl.col("hs10").str.starts_with(x) for x in cars]).alias("car"),
                         pl.any_horizontal([pl.col("hs10").str.starts_with(x) for x in parts]).alias("part")))
    return out


def relief_2030(*, naics: tuple[str, ...] | None = None) -> float:
    """By hand: in 2030 (no IEEPA duty in either regime) Korea's cars and parts pay the
    25 % Section 232 duty on top of KORUS without the deal, and the higher of KORUS
    or 15 % all-in with it; USD bn."""
    f = _kor_lines().filter(pl.col("car") | pl.col("part"))
    if naics is not None:
        f = f.filter(pl.any_horizontal([pl.col("naics6").str.starts_with(x) for x in naics]))
    without = f["col1"] + 0.25
    with_deal = np.maximum(f["col1"].to_numpy(), 0.15)
    return float((f["customs_value_usd"].to_numpy() * (without.to_numpy() - with_deal)).sum() * 1e-9)


@pytest.fixture(scope="module")
def final():
    return assess(["us_kr_2025/final"])["us_kr_2025/final"]


def test_savings_after_2026_are_the_ten_point_cut_on_cars_and_parts(final):
    row = final.annual.set_index("year").loc[2030]
    assert row["tariff_bill_without_deal_usd_bn"] - row["tariff_bill_with_deal_usd_bn"] == pytest.approx(
        row["tariff_savings_usd_bn"])
    # Cars and parts save at least the 10-point cut; the forced-labour minimum adds the rest.
    assert row["tariff_savings_usd_bn"] > relief_2030()
    # Static volumes: the host forgoes exactly what the investor's exporters save.
    assert row["us_tariff_revenue_forgone_usd_bn"] == pytest.approx(row["tariff_savings_usd_bn"])
    sectors = final.tariff_sectors(2030)
    assert sectors.at["cars", "tariff_savings_usd_bn"] == pytest.approx(
        relief_2030(naics=("336111", "336112")), rel=1e-9)


def test_automakers_share_of_the_savings(final):
    # Hyundai's share of Korea's car exports to the US is 37 %, Kia's 32 % (trade.firms).
    row = final.annual.set_index("year").loc[2030]
    sectors = final.tariff_sectors(2030)
    cut = sectors.loc[["cars", "car_parts"], "tariff_savings_usd_bn"].sum()
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
    # perpetuity after the horizon), plus the 2025 savings in full (paid by the end
    # of 2025, the day the modelled years start).
    path = write_yaml("s.yaml", f"""\
        name: user/sure_relief
        base: us_kr_2025/final
        title: Final deal, relief never withdrawn
        as_of: 2025-11-14
        parameters:
          {INCIDENCE}: 1.0
          {INCIDENCE.replace("default", "cars")}: 1.0
          {INCIDENCE.replace("default", "car_parts")}: 1.0
          {WITHDRAWAL}: 0.0
        """)
    s = assess([path])["user/sure_relief"]
    d = 0.04      # assumptions.vehicle.investor_discount_rate
    tau = s.annual["tariff_savings_usd_bn"].to_numpy()
    T = len(tau)
    pv = (tau / (1 + d) ** np.arange(1, T + 1)).sum() + tau[-1] / d / (1 + d) ** T
    f = s.tariffs
    y2025 = f[(f["item"] == "tariff_savings_usd_bn") & (f["sector"] == "all") & (f["partner"] == "KOR")
              & (f["year"] == 2025)]["value"].sum()
    assert y2025 > 0                          # the deal's first months of relief (from 2025-08-07)
    pv += y2025
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
    assert paths["trade.us_imports_2024.KOR"]["value"] == pytest.approx(130.46, abs=0.005)   # Census, 2024
    floor = paths["us.tariffs.s232.s232_autos_kor_floor_15.rate"]
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
