"""The fused kernel against the NumPy engines (the reference), on random pledges.

Every figure of :data:`tradepact.negotiation.kernel.FIGURES` and every annual
series must agree to 1e-12 (relative to the figure's size, absolute below 1),
with NaN in the same places: draws that never recoup (no recoup year, no
switch year) and draws whose IRR does not exist (receipts never cover outflows).
"""

from __future__ import annotations

import numpy as np
import pytest

from tradepact.core.instruments import (
    CappedAnnual, EquityTerms, Explicit, FdiTerms, GuaranteeTerms, LoanTerms, Upfront,
)
from tradepact.macro.stress import MacroPosition
from tradepact.negotiation.parties import Host, Investor, ReliefStream
from tradepact.negotiation import kernel
from tradepact.vehicle.instruments import InvestmentVehicle, ProfitShare, Tranche

pytestmark = pytest.mark.skipif(not kernel.AVAILABLE, reason="numba (extra 'fast') is not installed")

FIRST, LAST = 2025, 2064
T = LAST - FIRST + 1


def _random_case(rng: np.random.Generator, n: int, *, shared_schedule: bool, poor: bool, repeats: bool = False):
    """A pledge of five tranches with every term drawn per draw; ``poor`` gives
    yields near zero so that many draws never recoup and have no IRR; ``repeats``
    draws the discount rates, a loan's grace and tenor and the relief's
    withdrawal from two values each, so that runs of draws share them."""
    u = lambda lo, hi: rng.uniform(lo, hi, n)  # noqa: E731
    r = (lambda lo, hi: rng.choice([lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3], n)) if repeats else u  # noqa: E731
    amt = (lambda lo, hi: float(rng.uniform(lo, hi))) if shared_schedule else u
    y_hi = 0.004 if poor else 0.12
    # poor: in 40 % of draws nothing ever comes back (no yield, loans all lost,
    # no fees), so receipts never cover outflows and there is no IRR
    live = np.where(rng.random(n) < 0.4, 0.0, 1.0) if poor else np.ones(n)
    tranches = (
        Tranche("cash", "cash_equity", amt(50, 250), CappedAnnual(2026, amt(15, 40)),
                EquityTerms(live * u(0.0, y_hi)), "reserves"),
        Tranche("cash_b", "cash_equity", amt(5, 30), Upfront(2027), EquityTerms(live * u(0.0, y_hi)), "borrowing"),
        Tranche("loans", "loan", amt(10, 60), Explicit(((2026, 1.0), (2027, 2.0), (2030, 1.0))),
                LoanTerms(live * u(0.0, 0.01 if poor else 0.08), r(8, 20), r(0, 5),
                          np.where(live > 0, u(0.05, 0.3), 1.0) if poor else u(0.0, 0.05),
                          np.where(live > 0, u(0.8, 1.0), 1.0) if poor else u(0.2, 1.0)),
                "borrowing"),
        Tranche("guarantees", "guarantee", amt(10, 80), CappedAnnual(2026, amt(10, 30)),
                GuaranteeTerms(u(0.0, 0.1), u(0.2, 1.0), u(3, 15), live * u(0.0, 0.02)), "reserves"),
        Tranche("fdi", "company_fdi", amt(10, 100), Upfront(2025), FdiTerms(live * u(0.0, y_hi)), "corporate"),
    )
    vehicle = InvestmentVehicle(tranches, ProfitShare(u(0.0, 1.0), u(0.0, 1.0)), FIRST, LAST, r(0.0, 0.1))
    position = MacroPosition(u(100, 500), u(5, 20), rng.uniform(-20, 120, (n, T)), u(1500, 2500),
                             rng.uniform(1200, 1600, (1, T)), u(5, 25))
    investor = Investor("K", r(0.0, 0.1), u(-50, 50), stress="penalty", stress_penalty_share=u(0, 2))
    host = Host("H", r(0.01, 0.1), u(-50, 50),
                value_share={"cash_equity": u(0.5, 1.0), "company_fdi": 1.0, "loan": u(0, 1), "guarantee": 0.3})
    relief = ReliefStream(rng.uniform(5, 25, (1, T)), rng.uniform(5, 30, (1, T)), r(0.0, 0.2),
                          host_importer_gain_usd_bn=rng.uniform(0, 10, (1, T)),
                          prior_investor_usd_bn=(3.0, 4.5), prior_forgone_usd_bn=(6.0, 7.5),
                          prior_importer_usd_bn=(1.0, 2.0))
    return vehicle, position, investor, host, relief


def _assert_close(name: str, got: np.ndarray, want: np.ndarray) -> None:
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert np.array_equal(np.isnan(got), np.isnan(want)), f"{name}: NaN in other draws"
    ok = ~np.isnan(want)
    scale = np.maximum(1.0, np.abs(want[ok]))
    err = np.abs(got[ok] - want[ok]) / scale
    assert err.size == 0 or err.max() <= 1e-12, f"{name}: max scaled error {err.max():.3g}"


def _npv(rate: np.ndarray, out: np.ndarray, back: np.ndarray) -> np.ndarray:
    k = np.arange(out.shape[1])
    return (back / (1 + rate[:, None]) ** (k + 1)).sum(1) - (out / (1 + rate[:, None]) ** k).sum(1)


def _assert_irr(got: np.ndarray, want: np.ndarray, annual: dict[str, np.ndarray]) -> None:
    """IRR: equal to 1e-12, except where the reference stopped short. The
    reference (``valuation.irr``) stops once a step is below 1e-10 and, on an
    exactly zero NPV, still takes the next bisection step; the kernel iterates
    to full precision. Where the two differ by more than 1e-12 the kernel's
    root must be within the reference's tolerance of it and at least as good
    a root (NPV closer to zero, computed here without Horner)."""
    assert np.array_equal(np.isnan(got), np.isnan(want)), "investor_irr: NaN in other draws"
    ok = ~np.isnan(want)
    diff = np.abs(got - want)
    off = ok & (diff > 1e-12)
    assert np.all(diff[off] < 1e-9)
    out, back = annual["cash_outflow_usd_bn"][off], annual["investor_distributions_usd_bn"][off]
    assert np.all(np.abs(_npv(got[off], out, back)) <= np.abs(_npv(want[off], out, back)) + 1e-12)


@pytest.mark.parametrize("shared_schedule", [True, False])
@pytest.mark.parametrize("poor", [False, True])
@pytest.mark.parametrize("repeats", [False, True])
def test_kernel_equals_numpy_reference(shared_schedule: bool, poor: bool, repeats: bool) -> None:
    """``repeats``: what the kernel keeps from one draw to the next (discount factors,
    survival, amortisation shares, the schedules' layout) is reused only while it holds."""
    rng = np.random.default_rng(20251114 + 2 * shared_schedule + poor + 4 * repeats)
    n = 600
    case = _random_case(rng, n, shared_schedule=shared_schedule, poor=poor, repeats=repeats)
    got, got_annual, got_over = kernel.run(kernel.prepare(*case, n), kernel.ANNUAL)
    want, want_annual, want_over = kernel.reference(*case, n, kernel.ANNUAL)
    for name in kernel.FIGURES:
        if name != "investor_irr":
            _assert_close(name, got[name], want[name])
    _assert_irr(got["investor_irr"], want["investor_irr"], got_annual)
    for name in kernel.ANNUAL:
        _assert_close(name, got_annual[name], want_annual[name])
    assert np.array_equal(got_over, want_over)
    if poor:   # the edge cases are there
        assert np.isnan(want["recoup_year"]).sum() > n // 4
        assert np.isnan(want["investor_irr"]).sum() > n // 4
        assert np.isnan(want["profit_split_switch_year"]).sum() > n // 4
    else:
        assert np.isfinite(want["investor_irr"]).sum() > n // 4


def test_irr_root_is_a_root() -> None:
    """Independent check: at the kernel's IRR the flows' NPV is zero (by hand, Horner-free)."""
    rng = np.random.default_rng(7)
    n = 200
    case = _random_case(rng, n, shared_schedule=True, poor=False)
    got, annual, _ = kernel.run(kernel.prepare(*case, n),
                                ("cash_outflow_usd_bn", "investor_distributions_usd_bn"))
    out, back = annual["cash_outflow_usd_bn"], annual["investor_distributions_usd_bn"]
    r = got["investor_irr"]
    ok = np.isfinite(r)
    k = np.arange(T)
    pv = (back[ok] / (1 + r[ok, None]) ** (k + 1)).sum(1) - (out[ok] / (1 + r[ok, None]) ** k).sum(1)
    assert np.abs(pv).max() < 1e-8 * out[ok].sum(1).max()


def test_prepare_rejects_what_the_engine_rejects() -> None:
    from tradepact.core.errors import ScheduleError
    rng = np.random.default_rng(1)
    vehicle, position, investor, host, relief = _random_case(rng, 3, shared_schedule=True, poor=False)
    bad = list(vehicle.tranches)
    bad[2] = Tranche("loans", "loan", 10.0, Upfront(2026), LoanTerms(0.05, 3.0, 5.0), "borrowing")
    v = InvestmentVehicle(tuple(bad), vehicle.profit_share, FIRST, LAST, 0.05)
    with pytest.raises(ScheduleError, match="tenor"):
        kernel.prepare(v, position, investor, host, relief, 3)
