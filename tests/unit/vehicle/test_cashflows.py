"""Pledge engine against values computed by hand."""

import datetime as dt

import numpy as np
import pytest

from tradepact.core.errors import ScheduleError
from tradepact.vehicle import (
    CappedAnnual, EquityTerms, Explicit, FdiTerms, GuaranteeTerms, InvestmentVehicle, LoanTerms,
    ProfitShare, SelectionWindow, Tranche, Upfront, VehicleResult, build_cash_flows, disburse,
)

YEARS = np.arange(2026, 2066)


def equity_vehicle(amount=100.0, cap=10.0, y=0.10, before=0.5, after=0.1, d=0.04, last=2065):
    return InvestmentVehicle(
        (Tranche("cash", "cash_equity", amount, CappedAnnual(2026, cap), EquityTerms(y)),),
        ProfitShare(before, after), 2026, last, d)


def test_capped_annual_100_under_10_disburses_in_exactly_10_years():
    paid = disburse(CappedAnnual(2026, 10.0), 100.0, YEARS, 1)[0]
    assert np.allclose(paid[:10], 10.0)
    assert np.allclose(paid[10:], 0.0)
    r = VehicleResult.of(build_cash_flows(equity_vehicle()))
    assert r.years_to_disburse[0] == 10


def test_capped_annual_remainder_paid_in_last_year():
    paid = disburse(CappedAnnual(2026, 10.0), 105.0, YEARS, 1)[0]
    assert np.allclose(paid[:10], 10.0) and paid[10] == pytest.approx(5.0) and paid[11:].sum() == 0


def test_recoup_year_follows_from_the_yield_by_hand():
    # Capital K_t = 10, 20, ..., 100 (2026-2035), then 100. Distributions at year end are
    # 10 % of K_t; the investor gets half until it has 100 back.
    # By end-2035 it has 0.5 * 0.1 * (10 + ... + 100) = 0.05 * 550 = 27.5.
    # From 2036 it gets 5 a year: 27.5 + 5 * 14 = 97.5 at end-2049, so it recoups in 2050.
    f = build_cash_flows(equity_vehicle())
    r = VehicleResult.of(f)
    assert r.recoup_year[0] == 2050
    assert f.switch_year[0] == 2050
    receipts = f.cash_in[0]
    assert receipts[:10].sum() == pytest.approx(27.5)
    # 2050: 2.5 still owed; 5 of the 10 distributed is needed at 50 %, the other 5 goes
    # at 10 %: 2.5 + 0.5 = 3.0. After that, 10 % of 10 = 1.0 a year.
    assert receipts[2050 - 2026] == pytest.approx(3.0)
    assert receipts[2051 - 2026] == pytest.approx(1.0)
    # The host gets the rest of every distribution.
    assert f.host_distributions[0, 2051 - 2026] == pytest.approx(9.0)


def test_npv_by_hand_two_years():
    # 10 paid on 1 Jan 2026; 10 % yield paid 31 Dec 2026 and 31 Dec 2027, all to investor.
    v = InvestmentVehicle((Tranche("c", "cash_equity", 10.0, Upfront(2026), EquityTerms(0.1)),),
                          ProfitShare(1.0, 1.0), 2026, 2027, 0.1)
    r = VehicleResult.of(build_cash_flows(v))
    assert r.npv[0] == pytest.approx(-10 + 1 / 1.1 + 1 / 1.1 ** 2)
    # Perpetuity after 2027 of the last year's net receipt 1.0 at 10 %, discounted 2 years.
    assert r.terminal_value[0] == pytest.approx(1.0 / 0.1 / 1.1 ** 2)


def test_loan_receipts_by_hand():
    # 100 lent on 1 Jan 2026 at 5 %, tenor 4 years, 1 year of grace: interest only in 2026,
    # then a third of the principal at the end of 2027, 2028, 2029.
    v = InvestmentVehicle((Tranche("l", "loan", 100.0, Upfront(2026), LoanTerms(0.05, 4, 1)),),
                          ProfitShare(0.5, 0.1), 2026, 2031, 0.05)
    f = build_cash_flows(v)
    third = 100 / 3
    expected = [5.0, 5.0 + third, 0.05 * 2 * third + third, 0.05 * third + third, 0, 0]
    assert np.allclose(f.cash_in[0], expected)
    r = VehicleResult.of(f)
    assert r.irr[0] == pytest.approx(0.05, abs=1e-9)       # a loan at par yields its coupon
    assert r.npv[0] == pytest.approx(0.0, abs=1e-9)        # discounted at its coupon


def test_loan_expected_default_loss():
    # One-year bullet, no interest, 10 % default with 50 % loss: 0.9 repaid + 0.05 recovered.
    v = InvestmentVehicle((Tranche("l", "loan", 1.0, Upfront(2026),
                                   LoanTerms(0.0, 1, 0, 0.10, 0.5)),), ProfitShare(0.5, 0.1), 2026, 2027)
    assert build_cash_flows(v).cash_in[0, 0] == pytest.approx(0.95)


def test_guarantee_calls_and_fees_by_hand():
    # 100 of exposure issued in 2026 for 2 years; 2 % called a year, 45 % lost; 1 % fee.
    v = InvestmentVehicle((Tranche("g", "guarantee", 100.0, Upfront(2026),
                                   GuaranteeTerms(0.02, 0.45, 2, 0.01)),), ProfitShare(0.5, 0.1), 2026, 2029)
    f = build_cash_flows(v)
    assert np.allclose(f.cash_out[0], [0.45 * 0.02 * 100, 0.45 * 0.02 * 98, 0, 0])
    assert np.allclose(f.cash_in[0], [1.0, 0.98, 0, 0])
    # Exposure issued is not cash: nothing scheduled to disburse.
    assert f.scheduled.sum() == 0


def test_company_fdi_earns_its_yield_in_full_and_is_corporate():
    v = InvestmentVehicle((Tranche("f", "company_fdi", 20.0, CappedAnnual(2026, 10.0), FdiTerms(0.07),
                                   funding="corporate"),), ProfitShare(0.5, 0.1), 2026, 2028)
    f = build_cash_flows(v)
    assert np.allclose(f.cash_in[0], [0.7, 1.4, 1.4])
    assert f.reserve_out.sum() == 0 and f.cash_out.sum() == pytest.approx(20)


def test_selection_window_spreads_by_days():
    # 1 Jan 2026 to 31 Dec 2027 + 5 business days (= 7 calendar days): 737 days.
    s = SelectionWindow(2026, dt.date(2027, 12, 31), 5)
    paid = disburse(s, 737.0, np.arange(2026, 2030), 1)[0]
    assert np.allclose(paid, [365, 365, 7, 0])


def test_explicit_schedule_keeps_shares_of_a_drawn_amount():
    s = Explicit(((2026, 30.0), (2028, 70.0)))
    paid = disburse(s, np.array([100.0, 200.0]), np.arange(2026, 2030), 2)
    assert np.allclose(paid, [[30, 0, 70, 0], [60, 0, 140, 0]])


def test_draw_axis_matches_separate_runs():
    ys = np.array([0.05, 0.07, 0.12])
    many = VehicleResult.of(build_cash_flows(equity_vehicle(y=ys)))
    for i, y in enumerate(ys):
        one = VehicleResult.of(build_cash_flows(equity_vehicle(y=float(y))))
        assert many.npv[i] == pytest.approx(one.npv[0])
        assert np.array_equal(many.recoup_year[i:i + 1], one.recoup_year, equal_nan=True)


def test_shared_flows_meet_per_draw_shares_and_kernels():
    # The schedule and yield are shared by all draws; only the profit share or the
    # guarantee's call probability varies. Each row must equal its own scalar run.
    before = np.array([0.3, 0.5, 1.0])
    many = build_cash_flows(equity_vehicle(before=before))
    for i, b in enumerate(before):
        one = build_cash_flows(equity_vehicle(before=float(b)))
        assert np.allclose(many.cash_in[i], one.cash_in[0])
    p = np.array([0.0, 0.02])
    v = InvestmentVehicle((Tranche("g", "guarantee", 100.0, Upfront(2026), GuaranteeTerms(p, 0.45, 2, 0.01)),),
                          ProfitShare(0.5, 0.1), 2026, 2029)
    f = build_cash_flows(v)
    assert np.allclose(f.cash_out, [[0, 0, 0, 0], [0.45 * 0.02 * 100, 0.45 * 0.02 * 98, 0, 0]])


def test_draws_outside_the_vehicle_still_give_one_row_each():
    f = build_cash_flows(equity_vehicle(), n_draws=4)
    assert f.cash_out.shape == (4, 40) and np.allclose(f.cash_out, f.cash_out[0])


def test_never_recouped_within_horizon_is_nan():
    r = VehicleResult.of(build_cash_flows(equity_vehicle(y=0.01)))
    assert np.isnan(r.recoup_year[0])
    assert r.npv[0] < 0


def test_cap_too_small_for_horizon_is_a_schedule_error():
    with pytest.raises(ScheduleError, match="only by 2125"):
        build_cash_flows(equity_vehicle(amount=100, cap=1.0))


def test_negative_amount_is_a_schedule_error():
    with pytest.raises(ScheduleError, match="negative"):
        disburse(Upfront(2026), -1.0, YEARS, 1)
