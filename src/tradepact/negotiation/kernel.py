r"""One fused, compiled pass per draw: cash flows, waterfall, value, IRR, stress, payoffs.

The NumPy engines (:mod:`tradepact.vehicle.cashflows`, :mod:`tradepact.vehicle.valuation`,
:mod:`tradepact.macro.stress`, :mod:`tradepact.negotiation.parties`) build
every intermediate as an ``(n_draws, n_years)`` array and walk it several
times. This module computes the same figures with **one loop over the years
of each draw**, keeping a draw's years in a few scratch rows that stay in
cache, compiled by numba. The formulas are exactly those of the engines
(see their docstrings); :func:`reference` runs the engines themselves and
returns the same figures, and the tests hold the two equal to 1e-12.

Layout of the inputs (:class:`FusedInputs`, built by :func:`prepare`): every
per-draw array has a leading axis of 1 (the same in every draw) or ``n``;
year grids are ``(1 or n, 1 or T)``. Disbursement schedules are computed
once with :func:`~tradepact.vehicle.cashflows.disburse` (a shared schedule is
one row) and the kernel convolves only their non-zero years with the loan
and guarantee kernels of each draw.

What does not vary by draw is computed once: the kernel keeps the last draw's
discount factors, relief survival, loan amortisation shares and everything
that follows from the disbursement schedules alone (outflows by funding,
paid-in capital, cumulative issues, the host's value of them), and lays them
out again only when their inputs change. With shared schedules and rates
that is once per chunk; with drawn ones, every draw, as before.

numba is optional (``pip install 'tradepact[fast]'``): without it
:data:`AVAILABLE` is false and callers use :func:`reference`. The module
reads no files and prints nothing.

IRR: the same safeguarded Newton as :func:`~tradepact.vehicle.valuation.irr`
on (-0.99, 1), started from an estimate of the rate (``_irr_guess``) and run
to full precision; the engine stops at a 1e-10 step, so the two agree to
about 1e-10 where the engine stops early, and to 1e-12 elsewhere.

Why this module is longer than 400 lines: the compiled loop, the layout it reads
(:func:`prepare`) and the reference it is tested against (:func:`reference`)
must change together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScheduleError
from ..vehicle.cashflows import _draws_of, _schedule_draws, disburse, draw_count
from ..vehicle.instruments import EquityTerms, FdiTerms, GuaranteeTerms, InvestmentVehicle, LoanTerms

try:  # numba is the optional extra 'fast'
    import numba as _nb
    AVAILABLE = True
except ImportError:  # pragma: no cover - exercised without the extra
    _nb = None
    AVAILABLE = False

EQUITY, LOAN, GUARANTEE, FDI = 0, 1, 2, 3
_EPS = 1e-9
_TOL = 1e-9

#: Figures of the kernel, in the order of its output columns.
FIGURES: tuple[str, ...] = (
    "peak_annual_cash_outflow_usd_bn", "peak_annual_reserve_funded_outflow_usd_bn", "years_to_disburse",
    "investor_npv_usd_bn", "investor_npv_public_usd_bn", "investor_terminal_value_usd_bn", "investor_irr",
    "recoup_year", "profit_split_switch_year", "host_distributions_usd_bn", "max_outflow_to_reserve_income",
    "max_outflow_to_current_account", "max_outflow_to_reserves", "max_outflow_to_gdp", "years_over_capacity",
    "min_reserves_usd_bn", "reserves_gap_end_usd_bn", "deal_npv_investor_usd_bn", "deal_npv_host_usd_bn",
    "investor_surplus_usd_bn", "host_surplus_usd_bn",
    # the terms of both payoffs, in the order of negotiation.parties.payoffs
    "investor_tariff_savings_usd_bn", "investor_tariff_savings_before_start_usd_bn", "investor_returns_usd_bn",
    "investor_cash_cost_usd_bn", "investor_post_horizon_usd_bn", "investor_stress_penalty_usd_bn",
    "investor_excess_over_capacity_pv_usd_bn", "host_distributions_value_usd_bn", "host_post_horizon_usd_bn",
    "host_capital_spillover_usd_bn", "host_importer_gain_usd_bn", "host_revenue_forgone_usd_bn",
    "peak_annual_cash_outflow_lcu_tn", "total_cash_outflow_lcu_tn",
)
#: The payoffs' terms among FIGURES.
PAYOFF_PARTS: tuple[str, ...] = FIGURES[21:33]
#: Annual series the kernel can keep (or stream), ``(n, T)`` each.
ANNUAL: tuple[str, ...] = ("cash_outflow_usd_bn", "reserve_funded_outflow_usd_bn", "reserves_usd_bn",
                           "investor_distributions_usd_bn", "host_distributions_usd_bn",
                           "baseline_reserves_usd_bn")


@dataclass(frozen=True)
class FusedInputs:
    """Everything the kernel reads, as float arrays (see the module docstring)."""

    years: np.ndarray          # (T,)
    kind: np.ndarray           # (k,) instrument codes
    reserve: np.ndarray        # (k,) 1 if funded from reserves
    public: np.ndarray         # (k,) 1 if funded by the state (reserves or borrowing)
    on_issued: np.ndarray      # (k,) 1 if what lands in the host is the issued amount, not the cash out
    issued: np.ndarray         # (k, 1 or n, T)
    terms: np.ndarray          # (k, 5, 1 or n)
    host_weight: np.ndarray    # (k, 1 or n)
    share_before: np.ndarray   # (1 or n,)
    share_after: np.ndarray
    vehicle_rate: np.ndarray
    reserves0: np.ndarray
    income0: np.ndarray
    capacity: np.ndarray       # (1 or n, 1 or T)
    current_account: np.ndarray
    gdp: np.ndarray
    fx: np.ndarray
    investor_rate: np.ndarray
    host_rate: np.ndarray
    penalty_share: np.ndarray
    investor_reservation: np.ndarray
    host_reservation: np.ndarray
    savings: np.ndarray        # (1 or n, 1 or T)
    forgone: np.ndarray
    importer: np.ndarray
    withdrawal: np.ndarray
    prior_savings: np.ndarray  # (1 or n,) PV of the relief's years before the first modelled year
    prior_forgone: np.ndarray
    prior_importer: np.ndarray
    flags: np.ndarray          # int64: include TV investor, include TV host, penalty treatment
    n: int


def _vec(x: Any) -> np.ndarray:
    """A number or ``(n,)`` draws as a contiguous float vector (length 1 or n)."""
    a = np.asarray(x, dtype=float)
    if a.ndim > 1:
        raise ValueError(f"expected a number or a draw vector, got shape {a.shape}")
    return np.ascontiguousarray(a.reshape(-1))


def _grid(x: Any, n: int, T: int) -> np.ndarray:
    """A per-draw or per-year input as ``(1 or n, 1 or T)`` (no copy to the full grid).

    Follows the engines' reading: a 1-D array is per draw when its length is
    ``n`` and by year when it is ``T`` (per draw when both)."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        return a.reshape(1, 1)
    if a.ndim == 1:
        if a.shape[0] == n or a.shape[0] == 1:
            return np.ascontiguousarray(a.reshape(-1, 1))
        if a.shape[0] == T:
            return np.ascontiguousarray(a.reshape(1, -1))
        raise ValueError(f"an array of length {a.shape[0]} fits neither {n} draws nor {T} years")
    if a.ndim == 2 and a.shape[0] in (1, n) and a.shape[1] in (1, T):
        return np.ascontiguousarray(a)
    raise ValueError(f"array of shape {a.shape} does not broadcast to ({n}, {T})")


def _stack_rows(parts: list[np.ndarray], n: int) -> np.ndarray:
    """Stack arrays whose leading axis is 1 or n: one row if all are shared."""
    rows = max(p.shape[0] for p in parts)
    if rows == 1:
        return np.stack(parts)
    return np.stack([np.broadcast_to(p, (n,) + p.shape[1:]) for p in parts])


def _terms_row(terms: Any) -> list[Any]:
    if isinstance(terms, EquityTerms):
        return [terms.cash_yield_rate, 0, 0, 0, 0]
    if isinstance(terms, FdiTerms):
        return [terms.cash_yield_rate, 0, 0, 0, 0]
    if isinstance(terms, LoanTerms):
        return [terms.annual_default_probability, terms.interest_rate, terms.grace_years, terms.tenor_years,
                terms.loss_given_default_share]
    if isinstance(terms, GuaranteeTerms):
        return [terms.annual_call_probability, terms.loss_given_call_share, terms.tenor_years, terms.fee_rate, 0]
    raise TypeError(terms)  # pragma: no cover


_KIND = {EquityTerms: EQUITY, LoanTerms: LOAN, GuaranteeTerms: GUARANTEE, FdiTerms: FDI}


def prepare(vehicle: InvestmentVehicle, position: Any, investor: Any, host: Any, relief: Any,
            n_draws: int = 1) -> FusedInputs:
    """Lay out a vehicle, the investor's macro position, both parties and a
    relief stream for :func:`run` (the same objects :func:`reference` takes).

    Raises the engines' :class:`~tradepact.core.errors.ScheduleError` for
    schedules and loan terms they reject."""
    from ..core.instruments import INSTRUMENTS
    from .parties import prior_value
    years = vehicle.years
    T = len(years)
    ps = vehicle.profit_share
    counts = {draw_count(ps.investor_share_before_recoup, ps.investor_share_after_recoup, vehicle.discount_rate)}
    counts |= {_draws_of(tr) for tr in vehicle.tranches}
    if len((counts | {n_draws}) - {1}) > 1:
        raise ValueError(f"draw arrays disagree in length: {sorted((counts | {n_draws}) - {1})}")
    n = max(counts | {n_draws})
    issued, terms, weights = [], [], []
    for tr in vehicle.tranches:
        try:
            issued.append(disburse(tr.schedule, tr.amount_usd_bn, years, _schedule_draws(tr)))
        except ScheduleError as exc:
            raise ScheduleError(f"tranche '{tr.name}': {exc}") from None
        if isinstance(tr.terms, LoanTerms) and np.any(_vec(tr.terms.tenor_years) <= _vec(tr.terms.grace_years)):
            raise ScheduleError(f"tranche '{tr.name}': a loan's tenor must be longer than its grace period",
                                expected="tenor_years > grace_years")
        terms.append(np.stack([np.broadcast_to(_vec(v), (draw_count(*_terms_row(tr.terms)),))
                               for v in _terms_row(tr.terms)]))
        w = host.value_share.get(tr.instrument)
        if w is None:
            raise KeyError(f"the host has no value share for instrument {tr.instrument!r}")
        weights.append(_vec(w))
    k = len(vehicle.tranches)
    return FusedInputs(
        years=years.astype(float),
        kind=np.array([_KIND[type(tr.terms)] for tr in vehicle.tranches], dtype=np.int64),
        reserve=np.array([tr.funding == "reserves" for tr in vehicle.tranches], dtype=np.int64),
        public=np.array([tr.funding in ("reserves", "borrowing") for tr in vehicle.tranches], dtype=np.int64),
        on_issued=np.array([INSTRUMENTS[tr.instrument].lands_in_host == "issued" for tr in vehicle.tranches],
                           dtype=np.int64),
        issued=np.ascontiguousarray(_stack_rows(issued, n)) if k else np.zeros((0, 1, T)),
        terms=np.ascontiguousarray(_stack_rows([t.T for t in terms], n).transpose(0, 2, 1)) if k
        else np.zeros((0, 5, 1)),
        host_weight=np.ascontiguousarray(_stack_rows(weights, n)) if k else np.zeros((0, 1)),
        share_before=_vec(ps.investor_share_before_recoup), share_after=_vec(ps.investor_share_after_recoup),
        vehicle_rate=_vec(vehicle.discount_rate),
        reserves0=_vec(position.fx_reserves_usd_bn), income0=_vec(position.reserve_income_usd_bn),
        capacity=_grid(position.usd_supply_capacity_usd_bn, n, T),
        current_account=_grid(position.current_account_usd_bn, n, T),
        gdp=_grid(position.gdp_usd_bn, n, T), fx=_grid(position.exchange_rate_lcu_per_usd, n, T),
        investor_rate=_vec(investor.discount_rate), host_rate=_vec(host.discount_rate),
        penalty_share=_vec(investor.stress_penalty_share),
        investor_reservation=_vec(investor.reservation_value_usd_bn),
        host_reservation=_vec(host.reservation_value_usd_bn),
        savings=_grid(relief.investor_savings_usd_bn, n, T), forgone=_grid(relief.host_revenue_forgone_usd_bn, n, T),
        importer=_grid(relief.host_importer_gain_usd_bn, n, T),
        withdrawal=_vec(relief.annual_withdrawal_probability),
        prior_savings=prior_value(relief.prior_investor_usd_bn, _vec(investor.discount_rate)[:, None]),
        prior_forgone=prior_value(relief.prior_forgone_usd_bn, _vec(host.discount_rate)[:, None]),
        prior_importer=prior_value(relief.prior_importer_usd_bn, _vec(host.discount_rate)[:, None]),
        flags=np.array([investor.include_terminal_value, host.include_terminal_value,
                        investor.stress == "penalty"], dtype=np.int64),
        n=n,
    )


# ---------------------------------------------------------------- the kernel
def _kernel_py(years, kind, reserve, public, on_issued, issued, terms, host_weight, sb_a, sa_a, dv_a, r0_a,
               inc_a, cap_g, ca_g, gdp_g, fx_g, dk_a, dh_a, pen_a, resk_a, resh_a, sav_g, forg_g, imp_g, pw_a,
               prk_a, prf_a, pri_a, flags, n, annual_codes, out, annual, over_any):  # pragma: no cover - compiled by numba
    T = years.shape[0]
    k = kind.shape[0]
    nan = np.nan
    out_all = np.empty(T); in_all = np.empty(T); out_res = np.empty(T); in_res = np.empty(T)
    out_pub = np.empty(T); in_pub = np.empty(T); sched = np.empty(T); capital = np.empty(T)
    gross = np.empty(T); eq_res = np.empty(T); eq_pub = np.empty(T); inv = np.empty(T); hd = np.empty(T)
    reserves = np.empty(T); baseline = np.empty(T); kern = np.empty(T); kern2 = np.empty(T)
    kst = np.empty(T); ken = np.empty(T); hst = np.empty(T); hen = np.empty(T)
    vst = np.empty(T); ven = np.empty(T); surv = np.empty(T); flows = np.empty(T + 1); calls = np.empty(T)
    conv2 = np.empty(T); dflows = np.empty(T + 1)
    b_out = np.empty(T); b_sched = np.empty(T); b_res = np.empty(T); b_pub = np.empty(T); b_cap = np.empty(T)
    acc_i = np.empty(k); cum_i = np.empty((k, T)); rem_i = np.empty((k, T + 1))
    last_g = np.zeros(k); last_tenor = np.zeros(k)
    tv_k_on, tv_h_on, penalty_on = flags[0] != 0, flags[1] != 0, flags[2] != 0
    last_dv = last_dk = last_dh = last_pw = 0.0
    for d in range(n):
        # discount factors: start of year k = q**k, end = start / (1 + rate)
        dv = dv_a[d if dv_a.shape[0] > 1 else 0]
        dk = dk_a[d if dk_a.shape[0] > 1 else 0]
        dh = dh_a[d if dh_a.shape[0] > 1 else 0]
        pw = pw_a[d if pw_a.shape[0] > 1 else 0]
        # the discount factors and the relief's survival, again only when their rates change
        disc_new = d == 0 or not (dv == last_dv and dk == last_dk and dh == last_dh)
        if disc_new:
            qk, qh, qv = 1.0 / (1.0 + dk), 1.0 / (1.0 + dh), 1.0 / (1.0 + dv)
            for t in range(T):
                vst[t] = 1.0 if t == 0 else vst[t - 1] * qv
                ven[t] = vst[t] / (1.0 + dv)
                kst[t] = 1.0 if t == 0 else kst[t - 1] * qk
                ken[t] = kst[t] / (1.0 + dk)
                hst[t] = 1.0 if t == 0 else hst[t - 1] * qh
                hen[t] = hst[t] / (1.0 + dh)
            last_dv, last_dk, last_dh = dv, dk, dh
        if d == 0 or not pw == last_pw:
            for t in range(T):
                surv[t] = 1.0 if t == 0 else surv[t - 1] * (1.0 - pw)
            last_pw = pw
        # ---- tranches: what depends only on the disbursement schedules (and the
        # host's discount factors) is laid out again only when they change: every
        # draw when schedules are drawn, once per chunk when they are shared
        if d == 0 or issued.shape[1] > 1 or disc_new:
            ri = d if issued.shape[1] > 1 else 0
            for t in range(T):
                b_out[t] = 0.0; b_sched[t] = 0.0; b_res[t] = 0.0; b_pub[t] = 0.0; b_cap[t] = 0.0
            for i in range(k):
                kd = kind[i]
                acc = 0.0
                if kd != GUARANTEE or on_issued[i] != 0:    # else: the calls (added per draw)
                    for t in range(T):
                        acc += issued[i, ri, t] * hst[t]
                acc_i[i] = acc
                if kd == GUARANTEE:
                    continue
                res, pub = reserve[i] != 0, public[i] != 0
                cum = 0.0
                for t in range(T):
                    a = issued[i, ri, t]
                    cum += a
                    cum_i[i, t] = cum
                    b_out[t] += a; b_sched[t] += a
                    if res:
                        b_res[t] += a
                    if pub:
                        b_pub[t] += a
                    if kd == EQUITY:
                        b_cap[t] += cum
        for t in range(T):
            out_all[t] = b_out[t]; sched[t] = b_sched[t]; out_res[t] = b_res[t]; out_pub[t] = b_pub[t]
            capital[t] = b_cap[t]
            in_all[t] = 0.0; in_res[t] = 0.0; in_pub[t] = 0.0; gross[t] = 0.0; eq_res[t] = 0.0; eq_pub[t] = 0.0
        host_invest = 0.0
        for i in range(k):
            ri = d if issued.shape[1] > 1 else 0
            pi = d if terms.shape[2] > 1 else 0
            w = host_weight[i, d if host_weight.shape[1] > 1 else 0]
            res, pub, kd = reserve[i] != 0, public[i] != 0, kind[i]
            acc = acc_i[i]
            if kd == EQUITY or kd == FDI:               # yields on the capital paid in so far:
                y = terms[i, 0, pi]                     # equity's go through the waterfall, FDI's straight in
                tot, rs, pb = (gross, eq_res, eq_pub) if kd == EQUITY else (in_all, in_res, in_pub)
                for t in range(T):
                    tot[t] += y * cum_i[i, t]
                if res:
                    for t in range(T):
                        rs[t] += y * cum_i[i, t]
                if pub:
                    for t in range(T):
                        pb[t] += y * cum_i[i, t]
                host_invest += w * acc
                continue
            p = terms[i, 0, pi]
            if kd == LOAN:
                r, g, tenor, lgd = terms[i, 1, pi], terms[i, 2, pi], terms[i, 3, pi], terms[i, 4, pi]
                if d == 0 or not (g == last_g[i] and tenor == last_tenor[i]):
                    m = tenor - g                       # the share of principal outstanding, by age
                    for a in range(T + 1):
                        rem_i[i, a] = 1 - min(max(a - g, 0.0), m) / m
                    last_g[i], last_tenor[i] = g, tenor
                paying = (1 - p) * r + (1 - lgd) * p
                s = 1.0
                for a in range(T):
                    rem = rem_i[i, a]
                    kern[a] = s * (paying * rem + (1 - p) * (rem - rem_i[i, a + 1]))
                    s *= 1 - p
            else:
                lgc, tenor, fee = terms[i, 1, pi], terms[i, 2, pi], terms[i, 3, pi]
                s = 1.0
                for a in range(T):
                    o = s * min(max(tenor - a, 0.0), 1.0)
                    kern[a] = lgc * p * o
                    kern2[a] = fee * o
                    s *= 1 - p
            # the schedule's non-zero years convolved with the kernels (tight loops),
            # then added to the flows of this tranche's funding in one pass
            for t in range(T):
                calls[t] = 0.0
                conv2[t] = 0.0
            for si in range(T):
                a = issued[i, ri, si]
                if a == 0.0:
                    continue
                if kd == LOAN:
                    for t in range(si, T):
                        calls[t] += a * kern[t - si]
                else:
                    for t in range(si, T):
                        calls[t] += a * kern[t - si]
                        conv2[t] += a * kern2[t - si]
            if kd == LOAN:              # calls: the loan's receipts
                for t in range(T):
                    in_all[t] += calls[t]
                if res:
                    for t in range(T):
                        in_res[t] += calls[t]
                if pub:
                    for t in range(T):
                        in_pub[t] += calls[t]
            else:                       # calls out, fees (conv2) in
                for t in range(T):
                    out_all[t] += calls[t]; in_all[t] += conv2[t]
                if res:
                    for t in range(T):
                        out_res[t] += calls[t]; in_res[t] += conv2[t]
                if pub:
                    for t in range(T):
                        out_pub[t] += calls[t]; in_pub[t] += conv2[t]
            if kd == GUARANTEE and on_issued[i] == 0:
                for t in range(T):
                    acc += calls[t] * hst[t]
            host_invest += w * acc
        # ---- waterfall
        sb = sb_a[d if sb_a.shape[0] > 1 else 0]
        sa = sa_a[d if sa_a.shape[0] > 1 else 0]
        cum = 0.0
        switch = nan
        total_capital = capital[T - 1]
        for t in range(T):
            dist = gross[t]
            remaining = capital[t] - cum
            if not remaining > _EPS:
                share = sa * dist
            else:
                before = sb * dist
                if before > remaining:
                    needed = remaining / sb if sb > 0 else np.inf
                    share = remaining + sa * (dist - needed)
                else:
                    share = before
            inv[t] = share
            cum += share
            if np.isnan(switch) and total_capital > _EPS and cum >= total_capital - _EPS:
                switch = years[t]
            hd[t] = dist - share
            in_all[t] += share
            if gross[t] > 0:
                if eq_res[t] != 0.0:
                    in_res[t] += share * (eq_res[t] / gross[t])
                if eq_pub[t] != 0.0:
                    in_pub[t] += share * (eq_pub[t] / gross[t])
        # ---- value, recoup, stress, payoffs: one pass over the years
        r0 = r0_a[d if r0_a.shape[0] > 1 else 0]
        inc0 = inc_a[d if inc_a.shape[0] > 1 else 0]
        yld = inc0 / r0 if r0 > 0 else 0.0
        npv = 0.0; npv_pub = 0.0; cum_out = 0.0; cum_in = 0.0
        peak = -np.inf; peak_res = -np.inf; first_s = -1; last_s = -1
        m_ri = nan; m_ca = nan; m_res = -np.inf; m_gdp = -np.inf; n_over = 0
        min_res = np.inf; peak_lcu = -np.inf; tot_lcu = 0.0; hd_sum = 0.0
        sav_pv = 0.0; forg_pv = 0.0; imp_pv = 0.0; cash_cost = 0.0; returns = 0.0; excess_pv = 0.0; dist_pv = 0.0
        prev = r0; base = r0
        nan_res = False; nan_gdp = False; nan_min = False
        for t in range(T):
            o, b, ro = out_all[t], in_all[t], out_res[t]
            npv += b * ven[t] - o * vst[t]
            npv_pub += in_pub[t] * ven[t] - out_pub[t] * vst[t]
            peak = max(peak, o); peak_res = max(peak_res, ro)
            if sched[t] > _EPS:
                if first_s < 0:
                    first_s = t
                last_s = t
            start = prev
            income = yld * prev
            prev = prev * (1 + yld) - ro + in_res[t]
            base = base * (1 + yld)
            reserves[t] = prev; baseline[t] = base
            if income > 0:
                v = ro / income
                if np.isnan(m_ri) or v > m_ri:
                    m_ri = v
            ca = ca_g[d if ca_g.shape[0] > 1 else 0, t if ca_g.shape[1] > 1 else 0]
            if ca > 0:
                v = o / ca
                if np.isnan(m_ca) or v > m_ca:
                    m_ca = v
            v = ro / start
            if np.isnan(v):
                nan_res = True
            elif v > m_res:
                m_res = v
            v = o / gdp_g[d if gdp_g.shape[0] > 1 else 0, t if gdp_g.shape[1] > 1 else 0]
            if np.isnan(v):
                nan_gdp = True
            elif v > m_gdp:
                m_gdp = v
            if np.isnan(prev):
                nan_min = True
            elif prev < min_res:
                min_res = prev
            cap = cap_g[d if cap_g.shape[0] > 1 else 0, t if cap_g.shape[1] > 1 else 0]
            if ro > cap + _TOL:
                n_over += 1
                excess_pv += max(ro - cap, 0.0) * kst[t]
            lcu = o * fx_g[d if fx_g.shape[0] > 1 else 0, t if fx_g.shape[1] > 1 else 0] / 1000.0
            peak_lcu = max(peak_lcu, lcu); tot_lcu += lcu
            hd_sum += hd[t]
            sav_pv += sav_g[d if sav_g.shape[0] > 1 else 0, t if sav_g.shape[1] > 1 else 0] * surv[t] * ken[t]
            forg_pv += forg_g[d if forg_g.shape[0] > 1 else 0, t if forg_g.shape[1] > 1 else 0] * surv[t] * hen[t]
            imp_pv += imp_g[d if imp_g.shape[0] > 1 else 0, t if imp_g.shape[1] > 1 else 0] * surv[t] * hen[t]
            cash_cost += o * kst[t]
            returns += b * ken[t]
            dist_pv += hd[t] * hen[t]
        # recoup: first year cumulative receipts reach the cumulative outflow, once all is out
        recoup = nan
        total_out = 0.0
        for t in range(T):
            total_out += out_all[t]
        for t in range(T):
            cum_out += out_all[t]; cum_in += in_all[t]
            if cum_in >= cum_out - _EPS and total_out > _EPS and cum_out >= total_out - _EPS:
                recoup = years[t]
                break
        # IRR: safeguarded Newton on (-0.99, 1) (valuation.irr, per draw)
        for t in range(T + 1):
            flows[t] = 0.0
        for t in range(T):
            flows[t] -= out_all[t]
            flows[t + 1] += in_all[t]
        irr = nan
        lo, hi = -0.99, 1.0
        f_lo, f_hi = _npv_pair(flows, lo, hi)
        if np.sign(f_lo) != np.sign(f_hi):
            r = _irr_guess(flows)
            for kk in range(T + 1):
                dflows[kk] = kk * flows[kk]
            polish = False
            for _ in range(200):
                x = 1 / (1 + r)
                pv, dpv = _npv_slope(flows, dflows, x)
                if pv == 0.0:            # r is the root
                    break
                slope = -dpv * x
                if np.sign(pv) == np.sign(f_lo):
                    lo, f_lo = r, pv
                else:
                    hi = r
                newton = r - pv / slope if slope != 0 else np.nan
                took = np.isfinite(newton) and newton > lo and newton < hi
                nxt = newton if took else (lo + hi) / 2
                # to full precision (the reference's tolerance, 1e-10, would leave
                # a draw's IRR depending on how long the others in its chunk take):
                # Newton converges quadratically, so one more Newton step after a
                # step under 1e-8 lands within rounding of the root
                step = abs(nxt - r)
                scale = max(1.0, abs(r))
                stop = step <= 1e-15 * scale or (polish and took)
                polish = took and step <= 1e-8 * scale
                r = nxt
                if stop:
                    break
            irr = r
        # terminal values and the relief's tail
        last_net = in_all[T - 1] - out_all[T - 1]
        tv_vehicle = last_net / dv / (1 + dv) ** float(T) if dv > 0 else nan
        tv_k = (last_net / dk / (1 + dk) ** float(T) if dk > 0 else 0.0) if tv_k_on else 0.0
        tv_h = (hd[T - 1] / dh / (1 + dh) ** float(T) if dh > 0 else 0.0) if tv_h_on else 0.0
        if tv_k_on:
            a_last = sav_g[d if sav_g.shape[0] > 1 else 0, T - 1 if sav_g.shape[1] > 1 else 0]
            sav_pv += (a_last * (1 - pw) ** float(T) / ((1 + dk) ** float(T) * (dk + pw))) if dk + pw > 0 else nan
        if tv_h_on:
            a_last = forg_g[d if forg_g.shape[0] > 1 else 0, T - 1 if forg_g.shape[1] > 1 else 0]
            forg_pv += (a_last * (1 - pw) ** float(T) / ((1 + dh) ** float(T) * (dh + pw))) if dh + pw > 0 else nan
            a_last = imp_g[d if imp_g.shape[0] > 1 else 0, T - 1 if imp_g.shape[1] > 1 else 0]
            imp_pv += (a_last * (1 - pw) ** float(T) / ((1 + dh) ** float(T) * (dh + pw))) if dh + pw > 0 else nan
        sav_prior = prk_a[d if prk_a.shape[0] > 1 else 0]
        sav_pv += sav_prior
        forg_pv += prf_a[d if prf_a.shape[0] > 1 else 0]
        imp_pv += pri_a[d if pri_a.shape[0] > 1 else 0]
        penalty = pen_a[d if pen_a.shape[0] > 1 else 0] * excess_pv if penalty_on else 0.0
        u_k = sav_pv + returns - cash_cost + tv_k - penalty
        u_h = dist_pv + tv_h + host_invest + imp_pv - forg_pv
        out[0, d] = peak; out[1, d] = peak_res
        out[2, d] = float(years[last_s] - years[first_s] + 1) if first_s >= 0 else 0.0
        out[3, d] = npv; out[4, d] = npv_pub; out[5, d] = tv_vehicle; out[6, d] = irr; out[7, d] = recoup
        out[8, d] = switch; out[9, d] = hd_sum; out[10, d] = m_ri; out[11, d] = m_ca
        out[12, d] = nan if nan_res else m_res
        out[13, d] = nan if nan_gdp else m_gdp
        out[14, d] = float(n_over)
        out[15, d] = nan if nan_min else min_res
        out[16, d] = baseline[T - 1] - reserves[T - 1]
        out[17, d] = u_k; out[18, d] = u_h
        out[19, d] = u_k - resk_a[d if resk_a.shape[0] > 1 else 0]
        out[20, d] = u_h - resh_a[d if resh_a.shape[0] > 1 else 0]
        out[21, d] = sav_pv; out[22, d] = sav_prior; out[23, d] = returns; out[24, d] = cash_cost
        out[25, d] = tv_k; out[26, d] = penalty; out[27, d] = excess_pv; out[28, d] = dist_pv
        out[29, d] = tv_h; out[30, d] = host_invest; out[31, d] = imp_pv; out[32, d] = forg_pv
        out[33, d] = peak_lcu; out[34, d] = tot_lcu
        over_any[d] = n_over > 0
        for j in range(annual_codes.shape[0]):
            c = annual_codes[j]
            for t in range(T):
                if c == 0:
                    annual[j, d, t] = out_all[t]
                elif c == 1:
                    annual[j, d, t] = out_res[t]
                elif c == 2:
                    annual[j, d, t] = reserves[t]
                elif c == 3:
                    annual[j, d, t] = in_all[t]
                elif c == 4:
                    annual[j, d, t] = hd[t]
                else:
                    annual[j, d, t] = baseline[t]


def _irr_guess_py(flows):  # pragma: no cover - compiled by numba
    """Starting point of Newton: the rate at which the receipts' total, moved
    back by the gap between the flows' mean dates, equals the outlays' total
    (0.05, the engine's start, when that is undefined)."""
    pos = 0.0; neg = 0.0; tpos = 0.0; tneg = 0.0
    for kk in range(flows.shape[0]):
        f = flows[kk]
        if f > 0:
            pos += f; tpos += kk * f
        elif f < 0:
            neg -= f; tneg -= kk * f
    if pos > 0 and neg > 0:
        gap = tpos / pos - tneg / neg
        if gap > 0.5:
            g = (pos / neg) ** (1.0 / gap) - 1.0
            return min(max(g, -0.9), 0.9)
    return 0.05


def _npv_pair_py(flows, r1, r2):  # pragma: no cover - compiled by numba
    """The flows' value at two rates, in one pass (two independent Horner chains)."""
    x1, x2 = 1 / (1 + r1), 1 / (1 + r2)
    p1 = 0.0
    p2 = 0.0
    for kk in range(flows.shape[0] - 1, -1, -1):
        p1 = p1 * x1 + flows[kk]
        p2 = p2 * x2 + flows[kk]
    return p1, p2


def _npv_slope_py(flows, dflows, x):  # pragma: no cover - compiled by numba
    """``sum f_k x^k`` and ``sum k f_k x^k`` (``dflows[k] = k f_k``), each as
    even and odd powers in ``x**2`` (four independent chains: the loop is bound
    by the latency of one multiply-add, not by the work)."""
    y = x * x
    n = flows.shape[0]
    top = n - 1 if (n - 1) % 2 == 0 else n - 2       # highest even power
    pe = 0.0; po = 0.0; de = 0.0; do = 0.0
    for kk in range(top, -1, -2):
        pe = pe * y + flows[kk]
        de = de * y + dflows[kk]
        if kk + 1 < n:
            po = po * y + flows[kk + 1]
            do = do * y + dflows[kk + 1]
    return pe + x * po, de + x * do


if AVAILABLE:
    _npv_pair = _nb.njit(cache=True, nogil=True, error_model="numpy")(_npv_pair_py)
    _npv_slope = _nb.njit(cache=True, nogil=True, error_model="numpy")(_npv_slope_py)
    _irr_guess = _nb.njit(cache=True, nogil=True, error_model="numpy")(_irr_guess_py)
    _kernel = _nb.njit(cache=True, nogil=True, error_model="numpy")(_kernel_py)
else:  # pragma: no cover
    _npv_pair = _npv_pair_py
    _npv_slope = _npv_slope_py
    _irr_guess = _irr_guess_py
    _kernel = None


def _buffer(work: dict | None, name: str, shape: tuple[int, ...], dtype: Any = float) -> np.ndarray:
    """An output array: ``work``'s if it has one of this shape (written over), else a new one kept there."""
    if work is None:
        return np.empty(shape, dtype=dtype)
    a = work.get(name)
    if a is None or a.shape != shape or a.dtype != dtype:
        a = work[name] = np.empty(shape, dtype=dtype)
    return a


def run(inp: FusedInputs, annual: tuple[str, ...] = (), work: dict | None = None
        ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """The kernel's figures ``{FIGURES[i]: (n,)}``, the requested annual series
    ``{name: (n, T)}`` (names from :data:`ANNUAL`) and whether each draw has a
    year over capacity.

    ``work``: a dict in which the output arrays are kept and reused by the next
    call of the same shape (the returned arrays are then views of them, valid
    until that call): a loop over chunks stops asking the system for fresh,
    zeroed pages every chunk."""
    if not AVAILABLE:
        raise RuntimeError("numba is not installed: use tradepact.vehicle.kernel.reference")
    unknown = [a for a in annual if a not in ANNUAL]
    if unknown:
        raise KeyError(f"the fused kernel does not keep {unknown}; it keeps {', '.join(ANNUAL)}")
    n, T = inp.n, inp.years.shape[0]
    out = _buffer(work, "out", (len(FIGURES), n))     # figure-major: each figure's draws contiguous
    series = _buffer(work, "series", (len(annual), n, T))
    over = _buffer(work, "over", (n,), np.bool_)
    codes = np.array([ANNUAL.index(a) for a in annual], dtype=np.int64)
    _kernel(inp.years, inp.kind, inp.reserve, inp.public, inp.on_issued, inp.issued, inp.terms, inp.host_weight,
            inp.share_before, inp.share_after, inp.vehicle_rate, inp.reserves0, inp.income0, inp.capacity,
            inp.current_account, inp.gdp, inp.fx, inp.investor_rate, inp.host_rate, inp.penalty_share,
            inp.investor_reservation, inp.host_reservation, inp.savings, inp.forgone, inp.importer, inp.withdrawal,
            inp.prior_savings, inp.prior_forgone, inp.prior_importer, inp.flags, n, codes, out, series, over)
    figures = {name: out[i] for i, name in enumerate(FIGURES)}
    return figures, {a: series[j] for j, a in enumerate(annual)}, over


def reference(vehicle: InvestmentVehicle, position: Any, investor: Any, host: Any, relief: Any,
              n_draws: int = 1, annual: tuple[str, ...] = ()) -> tuple[dict[str, np.ndarray],
                                                                        dict[str, np.ndarray], np.ndarray]:
    """The same figures as :func:`run`, by the NumPy engines (the reference the
    kernel is tested against, and the path used without numba)."""
    from ..macro.stress import stress
    from .parties import payoffs
    from ..vehicle.cashflows import build_cash_flows
    from ..vehicle.valuation import VehicleResult

    flows = build_cash_flows(vehicle, n_draws)
    v = VehicleResult.of(flows)
    s = stress(position, flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
    pay = payoffs(flows, s, investor, host, relief)
    n = flows.n_draws
    lcu = np.broadcast_to(s.outflow_lcu_tn, (n, flows.years.size))
    full = {
        "peak_annual_cash_outflow_usd_bn": v.peak_annual_outflow,
        "peak_annual_reserve_funded_outflow_usd_bn": flows.reserve_out.max(axis=1),
        "years_to_disburse": v.years_to_disburse, "investor_npv_usd_bn": v.npv,
        "investor_npv_public_usd_bn": v.npv_public, "investor_terminal_value_usd_bn": v.terminal_value,
        "investor_irr": v.irr, "recoup_year": v.recoup_year, "profit_split_switch_year": flows.switch_year,
        "host_distributions_usd_bn": flows.host_distributions.sum(axis=1),
        "max_outflow_to_reserve_income": s.max_outflow_to_reserve_income,
        "max_outflow_to_current_account": np.nanmax(s.outflow_to_current_account, axis=1),
        "max_outflow_to_reserves": s.outflow_to_reserves.max(axis=1),
        "max_outflow_to_gdp": s.outflow_to_gdp.max(axis=1),
        "years_over_capacity": s.years_over_capacity.astype(float), "min_reserves_usd_bn": s.min_reserves,
        "reserves_gap_end_usd_bn": s.baseline_reserves[:, -1] - s.reserves[:, -1],
        "deal_npv_investor_usd_bn": pay.investor, "deal_npv_host_usd_bn": pay.host,
        "investor_surplus_usd_bn": pay.investor_surplus, "host_surplus_usd_bn": pay.host_surplus,
        **pay.parts,
        "peak_annual_cash_outflow_lcu_tn": lcu.max(axis=1), "total_cash_outflow_lcu_tn": lcu.sum(axis=1),
    }
    figures = {k: np.broadcast_to(np.asarray(full[k], float), (n,)).copy() for k in FIGURES}
    source = {"cash_outflow_usd_bn": flows.cash_out, "reserve_funded_outflow_usd_bn": flows.reserve_out,
              "reserves_usd_bn": s.reserves, "investor_distributions_usd_bn": flows.cash_in,
              "host_distributions_usd_bn": flows.host_distributions,
              "baseline_reserves_usd_bn": s.baseline_reserves}
    series = {a: np.broadcast_to(source[a], (n, flows.years.size)).copy() for a in annual}
    return figures, series, np.broadcast_to(pay.any_over_capacity, (n,)).copy()


def evaluate(vehicle: InvestmentVehicle, position: Any, investor: Any, host: Any, relief: Any,
             n_draws: int = 1, annual: tuple[str, ...] = (), work: dict | None = None
             ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """:func:`run` on :func:`prepare`'s inputs when numba is installed (``work``:
    see :func:`run`), else :func:`reference`."""
    if AVAILABLE:
        return run(prepare(vehicle, position, investor, host, relief, n_draws), annual, work)
    return reference(vehicle, position, investor, host, relief, n_draws, annual)


__all__ = ["ANNUAL", "AVAILABLE", "FIGURES", "FusedInputs", "evaluate", "prepare", "reference", "run"]
