"""Engine on small tables: ETRs computed by hand, errors instead of zeros."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tradepact.core.errors import TradepactError
from tradepact.io import ImportFrame
from tradepact.tariffs import TariffError
from tradepact.studies.tariffs import TariffEngine


def table(rows):
    return ImportFrame.from_records(
        [{"product": p, "partner": c, "period": 2024, "customs_value": v} for p, c, v in rows])


def test_etr_by_partner_and_sector_by_hand(engine):
    # 2025-10-01: Korean car 25 % (s232), Korean plastics 15 % (EO 14326, stacked on KORUS 0),
    # Japanese car 15 % all-in (EO 14345, from 2025-09-16).
    t = table([("87032301", "KOR", 100.0), ("39269099", "KOR", 50.0), ("87032301", "JPN", 200.0)])
    r = engine.apply(t, "2025-10-01")
    by_p = {row["partner"]: row for row in r.etr("partner").iter_rows(named=True)}
    assert by_p["KOR"]["duty"] == pytest.approx(25.0 + 7.5)
    assert by_p["KOR"]["etr"] == pytest.approx(32.5 / 150.0)
    assert by_p["JPN"]["etr"] == pytest.approx(30.0 / 200.0)
    by_s = {row["sector"]: row for row in r.etr("sector").iter_rows(named=True)}
    assert by_s["cars"]["etr"] == pytest.approx((25.0 + 30.0) / 300.0)
    assert by_s["other"]["etr"] == pytest.approx(7.5 / 50.0)
    # per-authority duty columns add up to the total
    e = r.etr("partner")
    parts = sum(e[c] for c in e.columns if c.startswith("duty_"))
    assert np.allclose(parts.to_numpy(), e["duty"].to_numpy())
    # the fast path gives the same numbers
    fast = {row["partner"]: row["etr"] for row in engine.etr(t, "2025-10-01").iter_rows(named=True)}
    assert fast["KOR"] == pytest.approx(32.5 / 150.0)


def test_wide_schema(engine):
    r = engine.apply(table([("87032301", "KOR", 1.0)]), "2025-05-01")
    for col in ("rate_mfn", "rate_fta", "rate_ieepa_recip", "rate_ieepa_fent", "rate_s232",
                "rate_s301", "rate_s122", "total_rate", "duty", "s232_program", "sector"):
        assert col in r.frame.columns
    assert r.frame["s232_program"][0] == "autos"


def test_unknown_hs_code_is_an_error_not_zero(engine):
    with pytest.raises(TradepactError, match="not in the column-1 schedule"):
        engine.apply(table([("0199999999", "KOR", 1.0)]), "2025-05-01")
    # A query for a code that does not exist names the nearest existing lines.
    with pytest.raises(TradepactError, match="nearest: 8703.*"):
        engine.explain("KOR", "8703999999", "2025-05-01")


def test_unknown_partner_is_an_error(engine):
    with pytest.raises(TradepactError, match="unknown partner"):
        engine.explain("XYZ", "87032301", "2025-05-01")


@pytest.mark.parametrize("day", ["2024-12-31", "2027-01-01", "2030-01-01"])   # coverage to 2026-12-31
def test_date_outside_coverage_is_an_error(engine, day):
    with pytest.raises(TariffError, match="outside the range"):
        engine.explain("KOR", "87032301", day)


def test_additive_method_stacks_everything(system):
    from tradepact.resolve.tariff_files import default_schedule
    legal = TariffEngine(system, default_schedule()).explain("KOR", "87032301", "2025-10-01")
    add = TariffEngine(system, default_schedule(), method="additive").explain("KOR", "87032301", "2025-10-01")
    # s232 25 % and the stacked 15 % reciprocal both apply under the additive method
    assert legal.total_rate == pytest.approx(0.25)
    assert add.total_rate == pytest.approx(0.40)


def test_regimes_change_only_what_they_name(system):
    from tradepact.resolve.tariff_files import default_schedule
    no_deal = TariffEngine(system, default_schedule(), regime="no_kor_deal")
    assert no_deal.explain("KOR", "87032301", "2025-12-01").total_rate == pytest.approx(0.25)
    assert no_deal.explain("KOR", "39269099", "2025-12-01").total_rate == pytest.approx(0.25)
    assert no_deal.explain("JPN", "87032301", "2025-12-01").total_rate == pytest.approx(0.15)
    threat = TariffEngine(system, default_schedule(), regime="kor_threat_25")
    assert threat.explain("KOR", "87032301", "2026-02-01").total_rate == pytest.approx(0.25)
    assert threat.explain("KOR", "87032301", "2026-01-26").total_rate == pytest.approx(0.15)
    no_ieepa = TariffEngine(system, default_schedule(), regime="no_ieepa")
    assert no_ieepa.explain("KOR", "39269099", "2025-09-01").total_rate == pytest.approx(0.0)
    ext = TariffEngine(system, default_schedule(), regime="s122_extended")
    # s122 10 % continued, plus forced-labour s301 from 2026-07-24 (added 2026-12-01): Korea's
    # 12.5 % minimum against KORUS Free, on the 10 % of 3926.90.99 outside the civil-aircraft-use
    # exception (9903.05.88, 90 % exempt): 0.10 + 0.125 x 0.10 = 0.1125
    assert ext.explain("KOR", "39269099", "2026-09-01").total_rate == pytest.approx(0.1125)


def test_grid_is_dense_and_vectorised(engine):
    g = engine.grid(["87032301", "39269099", "72085100"], ["KOR", "JPN", "CHN", "MEX"], dt.date(2025, 9, 1))
    assert g.total.shape == (3, 4)
    assert not np.isnan(g.total).any()
    f = g.to_frame()
    assert f.height == 12 and set(f["partner"]) == {"KOR", "JPN", "CHN", "MEX"}


def test_usmca_share_blends_rates(engine):
    # Mexico car parts 2025-06-01: parts duty 25 % on the 13.7 % not claiming USMCA
    # (0.863 exempt); border duty excluded by S3 on the parts-covered share.
    x = engine.explain("MEX", "87089981", "2025-06-01")
    assert x.by_authority["s232"] == pytest.approx(0.25 * (1 - 0.863))
    assert x.by_authority["fta"] == pytest.approx(-0.025 * 0.863)
    fent = 0.25 * (1 - 0.863) * (1 - (1 - 0.863))
    assert x.by_authority["ieepa_fent"] == pytest.approx(fent)


def test_partial_hs_coverage_is_reported(engine, system):
    from tradepact.io import Column1Schedule
    sched = Column1Schedule.from_text_rows(pl.DataFrame({
        "hts_number": ["8507.60.00.10", "8507.60.00.20"], "general": ["3.4%", "3.4%"],
        "special": ["", ""]}), source="test")
    e = TariffEngine(system, sched)
    r = e.apply(table([("850760", "CHN", 1.0)]), "2025-06-01")
    assert any("850760" in w for w in r.warnings)
