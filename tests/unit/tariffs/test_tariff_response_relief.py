import numpy as np
import polars as pl
import pytest

from tradepact.io import ImportFrame
from tradepact.tariffs import ResponseParams, import_response, tariff_relief
from tradepact.resolve.tariffs import shipped_relief_inputs as _sri
from tradepact.core.parameters import default_parameters as _dp
shipped_relief_inputs = lambda: _sri(_dp())  # noqa: E731


def flows(rows):
    return pl.DataFrame(rows, schema=["product", "partner", "customs_value", "rate0", "rate1"], orient="row")


def test_no_elasticity_no_response():
    r = import_response(flows([("a", "KOR", 100.0, 0.0, 0.25)]), ResponseParams(0.0, 0.0, 1.0))
    assert r["customs_value1"][0] == pytest.approx(100.0)
    assert r["tariff_revenue1"][0] == pytest.approx(25.0)


def test_single_partner_unit_elasticity_by_hand():
    # one supplier: R = r = 1.1, q = 1.1^-1, value = 100 / 1.1
    r = import_response(flows([("a", "KOR", 100.0, 0.0, 0.10)]), ResponseParams(1.0, 1.5, 1.0))
    assert r["customs_value1"][0] == pytest.approx(100.0 / 1.1)
    assert r["diversion"][0] == pytest.approx(0.0, abs=1e-9)


def test_cut_for_one_partner_diverts_from_the_other():
    # equal shares; KOR 25 % -> 15 %, JPN stays 15 %; sigma 2, eps 1, full pass-through
    r = import_response(flows([("a", "KOR", 100.0, 0.25, 0.15), ("a", "JPN", 100.0, 0.15, 0.15)]),
                        ResponseParams(1.0, 2.0, 1.0))
    rk = 1.15 / 1.25
    w = 125.0 / 240.0
    R = (w * rk ** -1 + (1 - w)) ** -1
    kor = 100.0 * rk ** -2 * R ** (2 - 1)
    jpn = 100.0 * R ** (2 - 1)
    got = dict(zip(r["partner"], r["customs_value1"]))
    assert got["KOR"] == pytest.approx(kor)
    assert got["JPN"] == pytest.approx(jpn)
    div = dict(zip(r["partner"], r["diversion"]))
    assert div["KOR"] > 0 > div["JPN"]


def test_exporters_absorb_with_partial_pass_through():
    r = import_response(flows([("a", "KOR", 100.0, 0.0, 0.10)]), ResponseParams(0.0, 0.0, 0.96))
    assert r["exporter_price"][0] == pytest.approx(1 - 0.04 * 0.10)


def test_tariff_relief_by_hand(system):
    from tradepact.resolve.tariff_files import default_schedule
    trade = ImportFrame.from_records([
        {"product": "87032301", "partner": "KOR", "period": 2024, "customs_value": 10e9},
        {"product": "39269099", "partner": "KOR", "period": 2024, "customs_value": 10e9}])
    r = tariff_relief(system.regime("enacted"), system.regime("no_kor_deal"), trade, [2025],
                      system=system, schedule=default_schedule(), firm_shares={"hyundai": 0.5})
    # cars: 25 % without vs 15 % with from 2025-11-01 (61 days);
    # other: 25 % without vs 15 % with from 2025-08-07 (147 days)
    cars = 10.0 * 0.10 * 61 / 365
    other = 10.0 * 0.10 * 147 / 365
    assert r.item("tariff_savings_usd_bn", sector="cars")[2025] == pytest.approx(cars)
    assert r.item("tariff_savings_usd_bn", sector="other")[2025] == pytest.approx(other)
    assert r.tariff_savings_usd_bn_per_year == pytest.approx(cars + other)
    assert r.item("hyundai_tariff_savings_usd_bn", sector="cars_and_parts")[2025] == pytest.approx(0.5 * cars)
    # with-deal bill, cars: 25 % from 2025-04-03 to 2025-10-31 (212 days), 15 % after (61 days)
    bill = 10.0 * (0.25 * 212 + 0.15 * 61) / 365
    assert r.item("tariff_bill_with_deal_usd_bn", sector="cars")[2025] == pytest.approx(bill)
    assert r.item("us_revenue_forgone_usd_bn").iloc[0] == pytest.approx(cars + other)
    # The payoffs' reads (NumPy columns, no pandas): a year not computed is NaN.
    got = r.series("tariff_savings_usd_bn", [2024, 2025], sector="cars", partner="KOR")
    assert np.isnan(got[0]) and got[1] == pytest.approx(cars)
    assert r.series("us_revenue_forgone_usd_bn", [2025]) == pytest.approx([cars + other])
    assert r.sectors("tariff_savings_usd_bn") == ["cars", "other"]


def test_a_relief_read_back_from_the_cache_gives_the_same_figures(system, tmp_path, monkeypatch):
    from tradepact.resolve.tariff_files import default_schedule
    from tradepact.studies.cache import cached_columns
    from tradepact.tariffs.relief import TariffRelief
    monkeypatch.setenv("TRADEPACT_CACHE_DIR", str(tmp_path))
    trade = ImportFrame.from_records([
        {"product": "87032301", "partner": "KOR", "period": 2024, "customs_value": 10e9},
        {"product": "87089999", "partner": "KOR", "period": 2024, "customs_value": 4e9},
        {"product": "39269099", "partner": "JPN", "period": 2024, "customs_value": 10e9}])
    r = tariff_relief(system.regime("enacted"), system.regime("no_kor_deal"), trade, [2025, 2026],
                      system=system, schedule=default_schedule())
    cached_columns("relief-test", lambda: r.columns)
    stored = cached_columns("relief-test", lambda: pytest.fail("computed again"))
    back = TariffRelief.from_columns(stored, r.years, r.regimes, r.partner)
    assert back.tariff_savings_usd_bn_per_year == pytest.approx(r.tariff_savings_usd_bn_per_year)
    for item, sector, partner in {(i, s, p) for i, s, p in zip(r.columns["item"], r.columns["sector"],
                                                               r.columns["partner"])}:
        want = r.frame[(r.frame["item"] == item) & (r.frame["sector"] == sector)
                       & (r.frame["partner"] == partner)].set_index("year")["value"].reindex([2025, 2026])
        np.testing.assert_allclose(back.series(item, [2025, 2026], sector=sector, partner=partner),
                                   want.to_numpy(float), rtol=1e-15)
    assert back.sectors("tariff_savings_usd_bn") == r.sectors("tariff_savings_usd_bn")


def test_years_outside_coverage(system):
    from tradepact.core.errors import TradepactError
    inp = shipped_relief_inputs()
    with pytest.raises(TradepactError, match="before the covered range"):
        tariff_relief(years=[2024], **inp)
    with pytest.raises(TradepactError, match="past the covered range"):
        tariff_relief(years=[2027], project_after_coverage=False, **inp)
    r = tariff_relief(years=[2026, 2027], **inp)
    assert set(r.frame["basis"]) >= {"projected"}


def test_shipped_relief_runs_offline_and_is_tidy():
    r = tariff_relief(years=[2025, 2026], **shipped_relief_inputs())
    assert list(r.frame.columns) == ["year", "item", "partner", "sector", "value", "unit", "basis"]
    assert r.tariff_savings_usd_bn_per_year > 0
    assert (r.frame[r.frame["item"] == "hyundai_disclosed_tariff_cost_usd_bn"]["value"] > 0).all()
