import datetime as dt

import polars as pl
import pytest

from tradepact.tariffs import RatePanel, TariffError


def test_panel_is_dense_and_matches_point_queries(engine):
    prods, parts = ["87032301", "39269099"], ["KOR", "JPN", "DEU"]
    p = RatePanel.build(engine, prods, parts, "2025-01-01", dt.date(2026, 1, 1))
    p.assert_dense()
    for day in ("2025-04-09", "2025-08-07", "2025-11-01", "2025-12-31"):
        snap = p.at(day)
        assert snap.height == 6
        g = engine.grid(prods, parts, day)
        for row in snap.iter_rows(named=True):
            i, j = prods.index(row["product"]), parts.index(row["partner"])
            assert row["total_rate"] == pytest.approx(g.total[i, j])
    # Korean cars: 0 -> 25 % (2025-04-03) -> 15 % (2025-11-01): three runs
    kor_car = p.frame.filter((pl.col("product") == "87032301") & (pl.col("partner") == "KOR"))
    assert kor_car["total_rate"].to_list() == pytest.approx([0.0, 0.25, 0.15])
    assert kor_car["valid_from"].to_list() == [dt.date(2025, 1, 1), dt.date(2025, 4, 3), dt.date(2025, 11, 1)]


def test_gaps_are_detected(engine):
    p = RatePanel.build(engine, ["87032301"], ["KOR"], "2025-01-01", "2025-12-01")
    broken = RatePanel(p.frame.slice(1), p.products, p.partners, p.start, p.stop, p.regime)
    with pytest.raises(TariffError, match="gap or overlap"):
        broken.assert_dense()
    with pytest.raises(TariffError, match="outside the panel"):
        p.at("2025-12-15")
