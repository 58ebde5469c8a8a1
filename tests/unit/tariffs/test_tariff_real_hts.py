"""The engine on the full 2025 HTS (skipped when ../shared/data is absent)."""

import numpy as np
import pytest

from tradepact.studies.tariffs import TariffEngine


def test_whole_schedule_by_five_partners_is_dense(system, hts_schedule):
    e = TariffEngine(system, hts_schedule)
    codes = hts_schedule.leaf_codes()
    g = e.grid(codes, ["KOR", "JPN", "DEU", "MEX", "CHN"], "2025-12-01")
    assert g.total.shape == (len(codes), 5)
    assert not np.isnan(g.total).any()
    kor = g.total[:, 0]
    # Korea from 2025-11-14: nothing below column 1, and the all-in 15 % sets a floor
    # everywhere except Annex II / electronics exceptions and s232 articles
    assert (kor >= -1e-12).all()
    assert np.median(kor) == pytest.approx(0.15)


def test_china_batteries_by_hs10(system, hts_schedule):
    e = TariffEngine(system, hts_schedule)
    # USTR four-year review: EV lithium-ion 25 % (2024); other lithium-ion 7.5 % -> 25 % on 2026-01-01
    ev25 = e.explain("CHN", "8507600010", "2025-12-01").by_authority["s301"]
    other25 = e.explain("CHN", "8507600020", "2025-12-01").by_authority["s301"]
    other26 = e.explain("CHN", "8507600020", "2026-01-02").by_authority["s301"]
    assert (ev25, other25, other26) == pytest.approx((0.25, 0.075, 0.25))
    # the EV line is also a Proclamation 10908 auto part: s232 25 % on top of s301 (S6)
    assert e.explain("CHN", "8507600010", "2025-12-01").by_authority["s232"] == pytest.approx(0.25)


def test_brazil_country_order_gives_way_to_section_232_and_says_so(system, hts_schedule):
    """Brazil's + 40 % order (EO 14323) is its own program of the reciprocal authority;
    on a Section 232 steel line the exclusion S4 removes it as it removes the 10 %
    reciprocal duty (HTS 9903.01.80/.87), and the explanation names the rule."""
    e = TariffEngine(system, hts_schedule)
    steel = e.explain("BRA", "7208510030", "2025-09-01")
    assert steel.by_authority["s232"] == pytest.approx(0.50)        # steel from 2025-06-04
    assert steel.by_authority.get("ieepa_recip", 0.0) == 0.0
    assert "S4" in steel.stacking_rules
    other = e.explain("BRA", "8471300100", "2025-09-01")              # a laptop: no s232, both IEEPA duties
    assert "S4" not in other.stacking_rules
