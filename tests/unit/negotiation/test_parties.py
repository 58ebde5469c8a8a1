"""Payoff formulas against values worked out by hand on two-year vehicles.

Every expected number below is written out term by term from the formulas in
the docstring of ``tradepact.negotiation.parties`` (and docs/negotiation.md):
outflows at the start of year k (factor (1+d)^-k), inflows and relief at its
end (factor (1+d)^-(k+1)), relief surviving with probability (1-p)^k.
"""

import numpy as np
import pytest

from tradepact.macro.stress import MacroPosition, stress
from tradepact.negotiation.parties import Host, Investor, ReliefStream as TariffRelief, payoffs, relief_value
from tradepact.vehicle.cashflows import build_cash_flows
from tradepact.vehicle.instruments import (
    EquityTerms, GuaranteeTerms, InvestmentVehicle, LoanTerms, ProfitShare, Tranche, Upfront,
)

# One cash-equity tranche: 10 paid on 1 January 2026, a 7 % cash yield, the
# investor takes half of each distribution until recouped (it never is in two
# years: it receives 0.35 a year against 10), then 10 %.
DK, DH = 0.05, 0.04          # investor's and host's discount rates
TAU, RHO, P = 3.0, 4.0, 0.1  # investor savings, host revenue forgone (a year), withdrawal probability
W_CASH = 0.8                 # host's value of a dollar of cash equity
KAPPA = 0.25                 # stress penalty per dollar over capacity
CAPACITY = 8.0               # so year 0 (outflow 10) is 2 over


def _equity_vehicle(yield_rate=0.07, before=0.5, after=0.1, discount=DK):
    cash = Tranche("cash", "cash_equity", 10.0, Upfront(2026), EquityTerms(yield_rate), "reserves")
    return InvestmentVehicle((cash,), ProfitShare(before, after), 2026, 2027, discount)


def _position(capacity=CAPACITY):
    return MacroPosition(fx_reserves_usd_bn=400.0, reserve_income_usd_bn=12.0, current_account_usd_bn=90.0,
                         gdp_usd_bn=1800.0, exchange_rate_lcu_per_usd=1400.0, usd_supply_capacity_usd_bn=capacity)


def _run(vehicle, *, treatment="penalty", terminal=True, capacity=CAPACITY, host_values=None, n=1):
    flows = build_cash_flows(vehicle, n)
    st = stress(_position(capacity), flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
    investor = Investor("investor", vehicle.discount_rate, 0.0, terminal, stress=treatment,
                        stress_penalty_share=KAPPA)
    values = {"cash_equity": W_CASH, "company_fdi": 0.5, "loan": 0.25, "guarantee": 0.1}
    host = Host("host", DH, 0.0, terminal, value_share=host_values or values)
    return payoffs(flows, st, investor, host, TariffRelief(TAU, RHO, P))


def test_equity_tranche_payoffs_by_hand():
    p = _run(_equity_vehicle())
    # Investor, term by term.
    savings = TAU / 1.05 + TAU * 0.9 / 1.05 ** 2 + TAU * 0.9 ** 2 / (1.05 ** 2 * (0.05 + 0.1))
    returns = 0.35 / 1.05 + 0.35 / 1.05 ** 2
    cash_cost = 10.0
    post_horizon = 0.35 / 0.05 / 1.05 ** 2          # 0.35 a year forever from 2028, paid at year ends
    penalty = KAPPA * (10.0 - CAPACITY)             # year 0 only, start-of-year factor 1
    u_k = savings + returns - cash_cost + post_horizon - penalty
    # Host, term by term.
    invested = W_CASH * 10.0
    distributions = 0.35 / 1.04 + 0.35 / 1.04 ** 2
    host_post_horizon = 0.35 / 0.04 / 1.04 ** 2
    forgone = RHO / 1.04 + RHO * 0.9 / 1.04 ** 2 + RHO * 0.9 ** 2 / (1.04 ** 2 * (0.04 + 0.1))
    u_h = invested + distributions + host_post_horizon - forgone

    assert p.investor[0] == pytest.approx(u_k, rel=1e-12)
    assert p.host[0] == pytest.approx(u_h, rel=1e-12)
    parts = p.parts
    assert parts["investor_tariff_savings_usd_bn"][0] == pytest.approx(savings, rel=1e-12)
    assert parts["investor_returns_usd_bn"][0] == pytest.approx(returns, rel=1e-12)
    assert parts["investor_cash_cost_usd_bn"][0] == pytest.approx(cash_cost, rel=1e-12)
    assert parts["investor_post_horizon_usd_bn"][0] == pytest.approx(post_horizon, rel=1e-12)
    assert parts["investor_stress_penalty_usd_bn"][0] == pytest.approx(penalty, rel=1e-12)
    assert parts["investor_excess_over_capacity_pv_usd_bn"][0] == pytest.approx(2.0, rel=1e-12)
    assert parts["host_capital_spillover_usd_bn"][0] == pytest.approx(invested, rel=1e-12)
    assert parts["host_distributions_value_usd_bn"][0] == pytest.approx(distributions, rel=1e-12)
    assert parts["host_post_horizon_usd_bn"][0] == pytest.approx(host_post_horizon, rel=1e-12)
    assert parts["host_revenue_forgone_usd_bn"][0] == pytest.approx(forgone, rel=1e-12)
    assert p.any_over_capacity.tolist() == [True]
    assert p.investor_surplus[0] == pytest.approx(u_k) and p.host_surplus[0] == pytest.approx(u_h)


def test_hard_treatment_flags_instead_of_charging_and_terminal_values_can_be_left_out():
    p = _run(_equity_vehicle(), treatment="hard", terminal=False)
    u_k = (TAU / 1.05 + TAU * 0.9 / 1.05 ** 2) + (0.35 / 1.05 + 0.35 / 1.05 ** 2) - 10.0
    u_h = W_CASH * 10.0 + (0.35 / 1.04 + 0.35 / 1.04 ** 2) - (RHO / 1.04 + RHO * 0.9 / 1.04 ** 2)
    assert p.investor[0] == pytest.approx(u_k, rel=1e-12)
    assert p.host[0] == pytest.approx(u_h, rel=1e-12)
    assert p.parts["investor_stress_penalty_usd_bn"][0] == 0.0
    assert p.any_over_capacity.tolist() == [True]
    # Under capacity nothing is flagged and the penalty treatment charges nothing either.
    q = _run(_equity_vehicle(), treatment="penalty", terminal=False, capacity=10.0)
    assert q.any_over_capacity.tolist() == [False]
    assert q.investor[0] == pytest.approx(u_k, rel=1e-12)


def test_recoup_inside_the_horizon_switches_the_split():
    # Yield 0.8 on 10: 8 distributed each year. Year 0: the investor takes 0.75 x 8 = 6
    # (4 still to recoup). Year 1: 4 / 0.75 = 16/3 of the 8 recoups it, the other
    # 8 - 16/3 = 8/3 is split 25 %: investor 4 + 2/3, host 8 - 14/3 = 10/3.
    p = _run(_equity_vehicle(yield_rate=0.8, before=0.75, after=0.25), terminal=False, capacity=10.0)
    returns = 6.0 / 1.05 + (4.0 + 2.0 / 3.0) / 1.05 ** 2
    distributions = 2.0 / 1.04 + (10.0 / 3.0) / 1.04 ** 2
    assert p.parts["investor_returns_usd_bn"][0] == pytest.approx(returns, rel=1e-12)
    assert p.parts["host_distributions_value_usd_bn"][0] == pytest.approx(distributions, rel=1e-12)
    # With terminal values, the last year's flows continue forever.
    t = _run(_equity_vehicle(yield_rate=0.8, before=0.75, after=0.25), capacity=10.0)
    assert t.parts["investor_post_horizon_usd_bn"][0] == pytest.approx((14 / 3) / 0.05 / 1.05 ** 2, rel=1e-12)
    assert t.parts["host_post_horizon_usd_bn"][0] == pytest.approx((10 / 3) / 0.04 / 1.04 ** 2, rel=1e-12)


def test_guarantee_and_loan_are_valued_by_the_host_on_exposure_and_disbursement():
    # A guarantee on 10 issued in 2026 (tenor 5, 2 % called a year, half lost, 1 % fee) and
    # a loan of 6 disbursed in 2027 (5 % interest, 1 grace year: interest only in 2027).
    g = Tranche("guarantees", "guarantee", 10.0, Upfront(2026), GuaranteeTerms(0.02, 0.5, 5, 0.01), "borrowing")
    loan = Tranche("loan", "loan", 6.0, Upfront(2027), LoanTerms(0.05, 3, 1, 0.0, 0.0), "borrowing")
    vehicle = InvestmentVehicle((g, loan), ProfitShare(0.5, 0.1), 2026, 2027, DK)
    values = {"cash_equity": W_CASH, "company_fdi": 0.5, "loan": 0.25, "guarantee": 0.1}
    p = _run(vehicle, terminal=False, host_values=values)
    calls = [0.5 * 0.02 * 10.0, 0.5 * 0.02 * 0.98 * 10.0]     # paid at the start of each year
    fees = [0.01 * 10.0, 0.01 * 0.98 * 10.0]                  # earned at the end of each year
    out = [calls[0], calls[1] + 6.0]
    back = [fees[0], fees[1] + 0.05 * 6.0]
    cash_cost = out[0] + out[1] / 1.05
    returns = back[0] / 1.05 + back[1] / 1.05 ** 2
    savings = TAU / 1.05 + TAU * 0.9 / 1.05 ** 2
    assert p.parts["investor_cash_cost_usd_bn"][0] == pytest.approx(cash_cost, rel=1e-12)
    assert p.parts["investor_returns_usd_bn"][0] == pytest.approx(returns, rel=1e-12)
    assert p.investor[0] == pytest.approx(savings + returns - cash_cost, rel=1e-12)   # under capacity: no penalty
    invested = 0.1 * 10.0 + 0.25 * 6.0 / 1.04          # exposure issued, then the loan a year later
    forgone = RHO / 1.04 + RHO * 0.9 / 1.04 ** 2
    assert p.parts["host_capital_spillover_usd_bn"][0] == pytest.approx(invested, rel=1e-12)
    assert p.host[0] == pytest.approx(invested - forgone, rel=1e-12)      # no profit-shared tranche


def test_payoffs_are_vectorised_over_draws():
    rates = np.array([0.03, 0.05, 0.08])
    many = _run(_equity_vehicle(discount=rates), n=3)
    for i, d in enumerate(rates):
        one = _run(_equity_vehicle(discount=float(d)))
        assert many.investor[i] == pytest.approx(one.investor[0], rel=1e-12)
        assert many.host[i] == pytest.approx(one.host[0], rel=1e-12)
    assert len({round(x, 9) for x in many.investor}) == 3


@pytest.mark.parametrize("years", [1, 2, 7, 40])
def test_relief_with_its_tail_is_the_whole_geometric_series(years):
    # A constant relief a, withdrawn with probability p a year, at discount rate d:
    # sum_{k>=0} a (1-p)^k / (1+d)^(k+1) = a / (d + p), whatever the horizon.
    d = np.array([[0.04], [0.07]])
    pv = relief_value(5.0, 0.1, d, years, tail=True)
    assert pv == pytest.approx([5.0 / 0.14, 5.0 / 0.17], rel=1e-12)
    no_tail = relief_value(5.0, 0.1, d, years, tail=False)
    expected = [sum(5.0 * 0.9 ** k / (1 + r) ** (k + 1) for k in range(years)) for r in (0.04, 0.07)]
    assert no_tail == pytest.approx(expected, rel=1e-12)


def test_relief_by_year_and_unknown_instruments():
    # Relief given year by year: 1 in 2026, 2 in 2027, no withdrawal, no tail.
    d = np.array([[0.05]])
    assert relief_value(np.array([[1.0, 2.0]]), 0.0, d, 2, tail=False)[0] == pytest.approx(
        1 / 1.05 + 2 / 1.05 ** 2, rel=1e-12)
    with pytest.raises(KeyError, match="cash_equity"):
        _run(_equity_vehicle(), host_values={"loan": 1.0})
    with pytest.raises(ValueError, match="stress"):
        Investor("investor", 0.05, stress="soft")


def test_total_surplus_adds_up_term_by_term():
    """Host + investor payoffs against the total surplus computed by hand.

    One cash-equity tranche of 10 (7 % yield, 50/50 split, never recouped in two
    years). The relief is 3 a year on the investor's exports, of which its
    exporters keep 40 % (1.2) and US importers 60 % (1.8); the host forgoes the
    3 of revenue. 2025, the year before the pledge starts, had relief of 1 (0.4
    kept by exporters, 0.6 by importers), counted in full on 1 January 2026.
    With one discount rate the tariff terms are transfers and cancel, and the
    distributions add up to the projects' gross distributions: the surplus is
    what the capital earns, minus its cost, plus the spillover of the capital
    formed in the host (0.22 a dollar), minus the stress penalty."""
    d, w = 0.05, 0.22
    vehicle = _equity_vehicle(discount=d)
    flows = build_cash_flows(vehicle, 1)
    st = stress(_position(), flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
    investor = Investor("investor", d, 0.0, True, stress="penalty", stress_penalty_share=KAPPA)
    host = Host("host", d, 0.0, True, value_share={"cash_equity": w, "company_fdi": 0.22, "loan": 0.22,
                                                   "guarantee": 0.1})
    stream = TariffRelief(1.2, 3.0, P, host_importer_gain_usd_bn=1.8, prior_investor_usd_bn=(0.4,),
                          prior_forgone_usd_bn=(1.0,), prior_importer_usd_bn=(0.6,))
    p = payoffs(flows, st, investor, host, stream)

    def relief(x):       # two years at year ends, surviving 0.9 a year, then the tail
        return x / 1.05 + x * 0.9 / 1.05 ** 2 + x * 0.9 ** 2 / (1.05 ** 2 * (0.05 + 0.1))

    parts = p.parts
    assert parts["investor_tariff_savings_usd_bn"][0] == pytest.approx(relief(1.2) + 0.4, rel=1e-12)
    assert parts["investor_tariff_savings_before_start_usd_bn"][0] == pytest.approx(0.4, rel=1e-12)
    assert parts["host_importer_gain_usd_bn"][0] == pytest.approx(relief(1.8) + 0.6, rel=1e-12)
    assert parts["host_revenue_forgone_usd_bn"][0] == pytest.approx(relief(3.0) + 1.0, rel=1e-12)
    assert parts["host_capital_spillover_usd_bn"][0] == pytest.approx(w * 10.0, rel=1e-12)
    gross = 0.7 / 1.05 + 0.7 / 1.05 ** 2 + 0.7 / 0.05 / 1.05 ** 2      # 0.7 a year, forever
    surplus = gross - 10.0 + w * 10.0 - KAPPA * (10.0 - CAPACITY)
    assert p.investor[0] + p.host[0] == pytest.approx(surplus, rel=1e-12)
    # Term by term: each side's pieces add up to its payoff.
    u_k = (parts["investor_tariff_savings_usd_bn"] + parts["investor_returns_usd_bn"]
           - parts["investor_cash_cost_usd_bn"] + parts["investor_post_horizon_usd_bn"]
           - parts["investor_stress_penalty_usd_bn"])
    u_h = (parts["host_distributions_value_usd_bn"] + parts["host_post_horizon_usd_bn"]
           + parts["host_capital_spillover_usd_bn"] + parts["host_importer_gain_usd_bn"]
           - parts["host_revenue_forgone_usd_bn"])
    assert p.investor[0] == pytest.approx(u_k[0], rel=1e-12) and p.host[0] == pytest.approx(u_h[0], rel=1e-12)


def test_the_all_upfront_demand_no_longer_counts_the_principal():
    """The host's payoff from the US's all-cash demand is its share of the returns, the
    spillover and the importers' share of the relief, less the revenue forgone: far below
    the USD 350 bn principal it used to count in full (issue: +671 bn)."""
    from tradepact import params
    from tradepact.studies.assess import assess
    s = assess(["us_kr_2025/us_initial"])["us_initial"]
    h = s.headline
    d = params("assumptions.negotiation.host.discount_rate").at("2025-11-14")
    w = params("assumptions.negotiation.host.cash_equity_spillover_share").at("2025-11-14")
    calls = s.annual["equity_calls_usd_bn"].to_numpy()
    pv_calls = (calls / (1 + d) ** np.arange(len(calls))).sum()       # calls at the start of each year
    assert calls.sum() == pytest.approx(350.0)
    assert h["host_capital_spillover_usd_bn"] == pytest.approx(w * pv_calls, rel=1e-9)
    assert h["deal_npv_host_usd_bn"] == pytest.approx(
        h["host_distributions_value_usd_bn"] + h["host_capital_spillover_usd_bn"] + h["host_importer_gain_usd_bn"]
        - h["host_revenue_forgone_usd_bn"] + h["host_post_horizon_usd_bn"], rel=1e-9)
    # The principal itself is no longer in it: the old payoff (principal at full value) was
    # PV(calls) higher, minus this spillover.
    assert h["deal_npv_host_usd_bn"] < 671 - (1 - w) * pv_calls + 1.0
