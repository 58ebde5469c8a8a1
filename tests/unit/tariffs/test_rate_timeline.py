"""rate_timeline: ETRs by partner and sector as steps, checked against rates
computed by hand from the legal texts (cited case by case), on a small table."""

import datetime as dt

import pandas as pd
import polars as pl
import pytest

from tradepact.core.errors import TradepactError
from tradepact.io import ImportFrame
from tradepact.tariffs import TariffError, rate_timeline
from tradepact.resolve.tariff_files import default_schedule

BN = 1e9
CAR, PARTS, STEEL, OTHER = "87032301", "87089981", "72085100", "39269099"
# USD bn, 2024. KOR total 200, JPN total 360; JPN has no steel (value 0).
VALUES = {("KOR", CAR): 100.0, ("KOR", PARTS): 40.0, ("KOR", STEEL): 10.0, ("KOR", OTHER): 50.0,
          ("JPN", CAR): 200.0, ("JPN", PARTS): 60.0, ("JPN", STEEL): 0.0, ("JPN", OTHER): 100.0}
START, STOP = dt.date(2025, 1, 1), dt.date(2026, 11, 24)


def table(values=VALUES, period=2024):
    return ImportFrame.from_records([{"product": h, "partner": p, "period": period, "customs_value": v * BN}
                                     for (p, h), v in values.items()])


@pytest.fixture(scope="module")
def frame(system):
    return rate_timeline(system.regime("enacted"), table(), system=system, schedule=default_schedule(),
                         start=START, stop=STOP, without_deal=system.regime("no_kor_deal"))


def at(frame, day, partner, sector, case="with_deal"):
    """The row in force on ``day`` (start <= day < stop)."""
    d = pd.Timestamp(day)
    f = frame[(frame["case"] == case) & (frame["partner"] == partner) & (frame["sector"] == sector)
              & (frame["start"] <= d) & (frame["stop"] > d)]
    assert len(f) == 1, (day, partner, sector, case, len(f))
    return f.iloc[0]


def test_columns_and_cases(frame):
    assert list(frame.columns) == ["start", "stop", "regime", "case", "partner", "sector", "etr",
                                   "duty_usd_bn", "customs_value_usd_bn"]
    assert set(frame["case"]) == {"with_deal", "without_deal"}
    assert set(frame[frame["case"] == "with_deal"]["regime"]) == {"enacted"}
    assert set(frame[frame["case"] == "without_deal"]["regime"]) == {"no_kor_deal"}
    assert set(frame["sector"]) == {"cars", "car_parts", "steel", "other", "all"}
    assert set(frame["partner"]) == {"KOR", "JPN"}


def test_etr_on_2025_10_01_by_hand(frame):
    # Korea: car 25 % and parts 25 % (Proclamation 10908, parts from 2025-05-03; KORUS column 1
    # free; the deal's 15 % only from 2025-11-01, FR 2025-21940); steel 50 % (Proclamation 10947,
    # from 2025-06-04; no reciprocal on s232 goods, EO 14257 sec. 3(b)); other 15 % (EO 14326
    # Annex I from 2025-08-07, on KORUS free).
    kor = {"cars": 0.25, "car_parts": 0.25, "steel": 0.50, "other": 0.15}
    duty = 100 * 0.25 + 40 * 0.25 + 10 * 0.50 + 50 * 0.15            # 47.5
    for sector, rate in kor.items():
        assert at(frame, "2025-10-01", "KOR", sector)["etr"] == pytest.approx(rate)
    row = at(frame, "2025-10-01", "KOR", "all")
    assert row["etr"] == pytest.approx(duty / 200)
    assert row["duty_usd_bn"] == pytest.approx(duty)
    assert row["customs_value_usd_bn"] == pytest.approx(200)
    # Japan: cars and parts 15 % all-in from 2025-09-16 (EO 14345; Commerce notice 2025-17908);
    # other 15 % including column 1 (EO 14345 sec. 2, from 2025-08-07)
    for sector in ("cars", "car_parts", "other", "all"):
        assert at(frame, "2025-10-01", "JPN", sector)["etr"] == pytest.approx(0.15)


def test_etr_before_the_car_duty_by_hand(frame):
    # 2025-04-02: Korean car and parts free under KORUS (s232 autos from 2025-04-03, parts from
    # 2025-05-03); steel 25 % (Proclamation 10896, from 2025-03-12); no reciprocal before
    # 2025-04-05 (EO 14257 sec. 3(a)). Japan pays column 1: car 2.5 %, parts 2.5 %, plastics 5.3 %
    # (HTS 2025 8703.23.01, 8708.99.81, 3926.90.99).
    assert at(frame, "2025-04-02", "KOR", "all")["etr"] == pytest.approx(10 * 0.25 / 200)
    assert at(frame, "2025-04-02", "KOR", "cars")["etr"] == pytest.approx(0.0)
    jpn = 200 * 0.025 + 60 * 0.025 + 100 * 0.053
    assert at(frame, "2025-04-02", "JPN", "all")["etr"] == pytest.approx(jpn / 360)


def test_etr_with_and_without_the_deal_on_2025_12_01(frame):
    # with the deal: cars and parts 15 % all-in (FR 2025-21940, from 2025-11-01), steel 50 %
    # unchanged (FACTS 1.4), other 15 % all-in (FR 2025-21940 from 2025-11-14, KORUS free)
    with_deal = 100 * 0.15 + 40 * 0.15 + 10 * 0.50 + 50 * 0.15        # 33.5
    # without it (no_kor_deal): cars and parts keep 25 % (Proclamation 10908), other pays the
    # July-letter 25 % reciprocal (from 2025-08-07), steel 50 %
    without = 100 * 0.25 + 40 * 0.25 + 10 * 0.50 + 50 * 0.25          # 52.5
    assert at(frame, "2025-12-01", "KOR", "all")["etr"] == pytest.approx(with_deal / 200)
    assert at(frame, "2025-12-01", "KOR", "all", "without_deal")["etr"] == pytest.approx(without / 200)
    assert at(frame, "2025-12-01", "KOR", "cars", "without_deal")["etr"] == pytest.approx(0.25)
    # the counterfactual changes only Korea
    assert at(frame, "2025-12-01", "JPN", "all", "without_deal")["etr"] == pytest.approx(0.15)


def test_etr_under_the_section_122_surcharge(frame):
    # 2026-03-01: IEEPA duties ended 2026-02-24 (CBP CSMS 67834313); s122 10 % on other goods
    # (proclamation of 2026-02-20), not on s232 goods (S5). Korea: cars and parts 15 %, steel 50 %,
    # other 10 %. Japan: cars and parts 15 %, plastics 5.3 % + 10 %.
    kor = 100 * 0.15 + 40 * 0.15 + 10 * 0.50 + 50 * 0.10
    jpn = 200 * 0.15 + 60 * 0.15 + 100 * (0.053 + 0.10)
    assert at(frame, "2026-03-01", "KOR", "all")["etr"] == pytest.approx(kor / 200)
    assert at(frame, "2026-03-01", "JPN", "all")["etr"] == pytest.approx(jpn / 360)
    assert at(frame, "2026-03-01", "JPN", "other")["etr"] == pytest.approx(0.153)


def test_no_trade_means_no_rate_not_zero(frame):
    steel = frame[(frame["partner"] == "JPN") & (frame["sector"] == "steel")]
    assert len(steel) and steel["etr"].isna().all()
    assert (steel["customs_value_usd_bn"] == 0).all()


def test_step_at_the_deals_car_rate(frame):
    # FR 2025-21940: Korean cars 15 % all-in from 2025-11-01 (legal effective, retroactive)
    cars = frame[(frame["case"] == "with_deal") & (frame["partner"] == "KOR") & (frame["sector"] == "cars")]
    before = cars[cars["stop"] == pd.Timestamp("2025-11-01")]
    after = cars[cars["start"] == pd.Timestamp("2025-11-01")]
    assert len(before) == len(after) == 1
    assert before["etr"].iloc[0] == pytest.approx(0.25)
    assert after["etr"].iloc[0] == pytest.approx(0.15)
    assert at(frame, "2025-11-01", "KOR", "cars", "without_deal")["etr"] == pytest.approx(0.25)
    # other known breakpoints: autos 2025-04-03, parts 2025-05-03 (Proclamation 10908),
    # Korea 15 % reciprocal 2025-08-07 (EO 14326), IEEPA end 2026-02-24
    starts = set(cars["start"])
    for d in ("2025-04-03", "2025-05-03", "2025-08-07", "2026-02-24"):
        assert pd.Timestamp(d) in starts


def test_intervals_are_contiguous_and_cover_the_period(frame):
    for key, g in frame.groupby(["case", "partner", "sector"]):
        g = g.sort_values("start")
        assert g["start"].iloc[0] == pd.Timestamp(START), key
        assert g["stop"].iloc[-1] == pd.Timestamp(STOP), key
        assert (g["start"] < g["stop"]).all(), key
        assert (g["stop"].iloc[:-1].to_numpy() == g["start"].iloc[1:].to_numpy()).all(), key
    # every partner × sector of a case shares the case's intervals
    for case, g in frame.groupby("case"):
        n = g.groupby(["partner", "sector"]).size()
        assert n.nunique() == 1 and len(n) == 2 * 5


def test_partners_filter_and_additive_method(system):
    f = rate_timeline(system.regime("enacted"), table(), system=system, schedule=default_schedule(),
                      start=dt.date(2025, 9, 20), stop=dt.date(2025, 10, 20), partners=["KOR"],
                      method="additive")
    assert set(f["partner"]) == {"KOR"} and set(f["case"]) == {"with_deal"}
    # additive stacking: s232 25 % plus the 15 % reciprocal on Korean cars (sensitivity upper bound)
    assert at(f, "2025-10-01", "KOR", "cars")["etr"] == pytest.approx(0.40)


def test_weights_follow_the_tables_years(system):
    # 2025 and 2026 flows: each interval weighs the flows of its own year
    v25 = {("KOR", CAR): 100.0, ("KOR", OTHER): 100.0}
    v26 = {("KOR", CAR): 300.0, ("KOR", OTHER): 100.0}
    trade = ImportFrame.from_polars(pl.concat([table(v25, 2025).data, table(v26, 2026).data]))
    f = rate_timeline(system.regime("enacted"), trade, system=system, schedule=default_schedule(),
                      start=dt.date(2025, 12, 1), stop=dt.date(2026, 2, 1))
    assert pd.Timestamp("2026-01-01") in set(f["start"])
    # cars 15 %, other 15 % (FR 2025-21940) in both years: ETR 15 %, duties scale with the values
    assert at(f, "2025-12-15", "KOR", "all")["duty_usd_bn"] == pytest.approx(200 * 0.15)
    assert at(f, "2026-01-15", "KOR", "all")["duty_usd_bn"] == pytest.approx(400 * 0.15)
    with pytest.raises(TariffError, match="no trade data"):
        rate_timeline(system.regime("enacted"), table(v26, 2026), system=system,
                      schedule=default_schedule(), start=dt.date(2025, 12, 1), stop=dt.date(2026, 2, 1))


@pytest.mark.parametrize("start, stop, match", [
    (dt.date(2024, 12, 31), dt.date(2025, 3, 1), "outside the range"),
    # coverage now stops at 2027-01-01 (measures to 2026-12-31 added 2026-12-01)
    (dt.date(2026, 10, 1), dt.date(2027, 1, 2), "stop is after the range"),
    (dt.date(2025, 3, 1), dt.date(2025, 3, 1), "the period is empty"),
])
def test_dates_outside_coverage_are_errors(system, start, stop, match):
    with pytest.raises(TariffError, match=match):
        rate_timeline(system.regime("enacted"), table(), system=system, schedule=default_schedule(),
                      start=start, stop=stop)


def test_last_covered_day_is_allowed(system):
    f = rate_timeline(system.regime("enacted"), table(), system=system, schedule=default_schedule(),
                      start=dt.date(2026, 12, 31), stop=dt.date(2027, 1, 1))
    assert set(f["start"]) == {pd.Timestamp("2026-12-31")}


def test_partners_must_be_known_and_in_the_table(system):
    kw = dict(system=system, schedule=default_schedule(), start=START, stop=dt.date(2025, 2, 1))
    with pytest.raises(TariffError, match="no flows from this partner"):
        rate_timeline(system.regime("enacted"), table(), partners=["CHN"], **kw)
    with pytest.raises(TradepactError, match="unknown partner"):
        rate_timeline(system.regime("enacted"), table(), partners=["XYZ"], **kw)
