r"""From an :class:`InvestmentVehicle` to dated cash flows, vectorised over draws.

Timing conventions (calendar years; one row per year ``t``)
-----------------------------------------------------------
* **Outflows move at the start of year t**: a capital call, a loan
  disbursement or company investment scheduled for ``t`` is paid on 1 January
  of ``t`` (a conservative reading of "capital calls as projects need cash"
  for the investor's foreign-exchange position). Guarantee calls in ``t`` are
  also counted at the start of ``t``.
* **Inflows arrive at the end of year t**: distributions, interest, principal,
  recoveries and fees for year ``t`` are paid on 31 December of ``t``, on the
  capital outstanding after that year's calls. So 10 contributed in ``t`` at a
  7 % cash yield yields 0.7 on 31 December of ``t``.
* The waterfall compares the investor's cumulative receipts with its capital
  contributed to date; in the year they cross, the part of the distribution
  needed to recoup is split at the before-recoup share and the rest at the
  after-recoup share.

Shapes: every array is ``(n_draws, n_years)``; parameters may be floats or
``(n_draws,)`` arrays. The engine reads no files and prints nothing.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..core.arrays import col, draw_count  # noqa: F401  (re-exported)
from ..core.errors import ScheduleError
from .instruments import (
    CappedAnnual, Draws, EquityTerms, Explicit, FdiTerms, GuaranteeTerms, InvestmentVehicle,
    LoanTerms, Schedule, SelectionWindow, Tranche, Upfront,
)

_EPS = 1e-9


# ---------------------------------------------------------------- schedules
def _year_shares_selection(s: SelectionWindow, years: np.ndarray) -> np.ndarray:
    start = _dt.date(s.start_year, 1, 1)
    end = s.end
    if end <= start:
        raise ScheduleError(
            f"the selection window ends ({end.isoformat()}) before it starts "
            f"({start.isoformat()})", expected="a deadline after 1 January of the start year")
    total = (end - start).days
    shares = np.zeros(len(years))
    for i, y in enumerate(years):
        lo = max(start, _dt.date(int(y), 1, 1))
        hi = min(end, _dt.date(int(y) + 1, 1, 1))
        shares[i] = max((hi - lo).days, 0) / total
    covered = shares.sum()
    if covered < 1 - 1e-12:
        raise ScheduleError(
            f"the selection window runs to {(end - _dt.timedelta(days=1)).isoformat()}, after the last modelled year "
            f"{int(years[-1])}", expected="a window inside the modelled years")
    return shares


def disburse(schedule: Schedule, amount: Draws, years: np.ndarray, n: int) -> np.ndarray:
    """Amounts moved (or exposure issued) each year, shape ``(n, len(years))``."""
    amt = col(amount, n)
    if np.any(amt < 0):
        raise ScheduleError("a tranche amount is negative", expected="an amount of 0 or more")
    first, last = int(years[0]), int(years[-1])
    if isinstance(schedule, Upfront):
        if not first <= schedule.year <= last:
            raise ScheduleError(f"the upfront year {schedule.year} is outside the modelled years "
                                f"{first}-{last}", expected=f"a year from {first} to {last}")
        return amt * (years == schedule.year)[None, :]
    if isinstance(schedule, CappedAnnual):
        cap = col(schedule.cap_usd_bn, n)
        if np.any(cap <= 0):
            raise ScheduleError("an annual cap of zero or less can never disburse the amount",
                                expected="a cap above 0")
        if schedule.start_year < first:
            raise ScheduleError(f"the schedule starts in {schedule.start_year}, before the first "
                                f"modelled year {first}", expected=f"a start year from {first}")
        k = (years - schedule.start_year).astype(float)[None, :]
        n_years = last - schedule.start_year + 1
        if np.any(cap * n_years < amt - _EPS):
            worst = float(np.max(np.ceil(amt / cap - _EPS)))
            raise ScheduleError(
                f"an annual cap of {float(np.min(cap)):g} USD bn disburses "
                f"{float(np.max(amt)):g} USD bn only by {schedule.start_year + int(worst) - 1}, "
                f"after the last modelled year {last}",
                expected="a higher cap, an earlier start or a later horizon")
        paid_before = np.minimum(cap * np.maximum(k, 0), amt)
        return np.where(k >= 0, np.clip(amt - paid_before, 0, cap), 0.0)
    if isinstance(schedule, Explicit):
        given = dict(schedule.amounts_usd_bn)
        outside = [y for y in given if not first <= y <= last]
        if outside:
            raise ScheduleError(f"explicit amounts for years {outside} fall outside the modelled "
                                f"years {first}-{last}", expected=f"years from {first} to {last}")
        total = sum(given.values())
        if total <= 0:
            raise ScheduleError("explicit amounts add up to zero", expected="positive amounts")
        shares = np.array([given.get(int(y), 0.0) for y in years]) / total
        return amt * shares[None, :]
    if isinstance(schedule, SelectionWindow):
        return amt * _year_shares_selection(schedule, years)[None, :]
    raise TypeError(f"unknown schedule {schedule!r}")  # pragma: no cover


# ---------------------------------------------------------------- flows
def _convolve(issued: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``out[:, t] = sum_s issued[:, s] * kernel[:, t - s]`` (per draw).

    The sum runs over the non-zero entries of a side shared by all draws (one
    row) when there is one: a disbursement schedule moves cash in a few years,
    a loan's receipts stop at its tenor. Only when both sides vary by draw
    does it run over every lag. Plain element-wise sums, not a matrix product:
    BLAS may sum in another order with another number of threads, and results
    must not depend on the process that computes them.
    """
    T = issued.shape[1]
    out = np.zeros((max(issued.shape[0], kernel.shape[0]), T))
    if issued.shape[0] == 1:
        for s in np.flatnonzero(issued[0]):
            out[:, s:] += issued[0, s] * kernel[:, :T - s]
        return out
    lags = np.flatnonzero(kernel[0]) if kernel.shape[0] == 1 else np.flatnonzero(np.any(kernel, axis=0))
    for a in lags:
        out[:, a:] += issued[:, :T - a] * kernel[:, a:a + 1]
    return out


def _rows(x: Draws) -> np.ndarray:
    """``x`` as a column: ``(1, 1)`` for a number, ``(n, 1)`` for draws (no copy to n rows)."""
    return np.asarray(x, dtype=float).reshape(-1, 1)


def _powers(q: np.ndarray, T: int) -> np.ndarray:
    """``q ** age`` for ages ``0 .. T-1``: ``(rows of q, T)``; by cumulative product for many rows."""
    if q.shape[0] == 1:
        return q ** np.arange(T, dtype=float)[None, :]
    out = np.empty((q.shape[0], T))
    out[:, 0] = 1.0
    np.cumprod(np.broadcast_to(q, (q.shape[0], T - 1)), axis=1, out=out[:, 1:])
    return out


def _loan_kernels(t: LoanTerms, n: int, T: int) -> np.ndarray:
    r"""Receipts per unit lent at each age (0 = the disbursement year).

    With :math:`s_a = (1-p)^a` performing at the start of age :math:`a` and the
    scheduled balance :math:`b_a` (1 through the grace period, then falling
    linearly to 0 at the tenor), age :math:`a` pays interest and principal on
    what performs through the year and recovers :math:`1 - \mathit{lgd}` of
    what defaults: :math:`s_a[((1-p) r + (1-\mathit{lgd}) p)\, b_a + (1-p)(b_a - b_{a+1})]`.
    Shape ``(1, T)`` when every term is shared by the draws, else ``(n, T)``.
    """
    age = np.arange(T, dtype=float)[None, :]
    p, r = _rows(t.annual_default_probability), _rows(t.interest_rate)
    g, tenor = _rows(t.grace_years), _rows(t.tenor_years)
    lgd = _rows(t.loss_given_default_share)
    if np.any(tenor <= g):
        raise ScheduleError("a loan's tenor must be longer than its grace period",
                            expected="tenor_years > grace_years")
    m = tenor - g
    rem = 1 - np.clip(age - g, 0, m) / m                  # scheduled balance at start of age
    rem_next = 1 - np.clip(age + 1 - g, 0, m) / m
    paying = (1 - p) * r + (1 - lgd) * p
    return _powers(1 - p, T) * (paying * rem + (1 - p) * (rem - rem_next))


def _guarantee_kernels(t: GuaranteeTerms, n: int, T: int) -> tuple[np.ndarray, np.ndarray]:
    """(cash paid on calls, fees received) per unit of exposure issued, by age;
    ``(1, T)`` when every term is shared by the draws, else ``(n, T)``."""
    age = np.arange(T, dtype=float)[None, :]
    p, lgc = _rows(t.annual_call_probability), _rows(t.loss_given_call_share)
    tenor, fee = _rows(t.tenor_years), _rows(t.fee_rate)
    alive = np.clip(tenor - age, 0, 1)                   # part of year a covered
    outstanding = _powers(1 - p, T) * alive
    return lgc * p * outstanding, fee * outstanding


@dataclass(frozen=True)
class TrancheFlows:
    """One tranche's yearly flows, USD bn: ``(n_draws, n_years)`` each, or
    ``(1, n_years)`` when the tranche's inputs are the same in every draw."""

    name: str
    instrument: str
    funding: str
    issued: np.ndarray      # scheduled disbursement; for guarantees, exposure issued
    cash_out: np.ndarray    # cash leaving the investor country
    cash_in: np.ndarray     # cash received by the investor country


@dataclass(frozen=True)
class CashFlowSchedule:
    """Yearly cash flows of a vehicle, with the profit waterfall applied.

    Attributes are ``(n_draws, n_years)`` arrays in nominal USD bn.
    ``switch_year`` is ``(n_draws,)``: the first year the investor has
    recouped all the profit-shared capital (``nan`` if never in the horizon).
    """

    years: np.ndarray
    tranches: tuple[TrancheFlows, ...]
    gross_distributions: np.ndarray
    host_distributions: np.ndarray
    equity_capital: np.ndarray
    switch_year: np.ndarray
    vehicle: InvestmentVehicle = field(repr=False)

    @property
    def n_draws(self) -> int:
        return self.gross_distributions.shape[0]

    def _sum(self, attr: str, *, funding: tuple[str, ...] | None = None, contingent: bool | None = None,
             instrument: str | None = None) -> np.ndarray:
        parts = [getattr(tf, attr) for tf in self.tranches
                 if (funding is None or tf.funding in funding)
                 and (instrument is None or tf.instrument == instrument)
                 and (contingent is None or (tf.instrument == "guarantee") == contingent)]
        # Shared tranches (one row) are added up on one row, then the per-draw ones on all rows.
        shared = np.zeros((1, self.gross_distributions.shape[1]))
        for a in parts:
            if a.shape[0] == 1:
                shared += a
        out = np.empty(self.gross_distributions.shape)
        out[:] = shared
        for a in parts:
            if a.shape[0] != 1:
                out += a
        return out

    @cached_property
    def cash_out(self) -> np.ndarray:
        """All cash leaving the investor country for the pledge."""
        return self._sum("cash_out")

    @cached_property
    def cash_in(self) -> np.ndarray:
        """All cash the investor country receives back."""
        return self._sum("cash_in")

    @cached_property
    def reserve_out(self) -> np.ndarray:
        """Outflow paid by the FX authorities from reserves or reserve income."""
        return self._sum("cash_out", funding=("reserves",))

    @cached_property
    def reserve_in(self) -> np.ndarray:
        """Receipts of the reserve-funded tranches."""
        return self._sum("cash_in", funding=("reserves",))

    @cached_property
    def public_out(self) -> np.ndarray:
        """Outflow paid by the state: reserves plus state borrowing."""
        return self._sum("cash_out", funding=("reserves", "borrowing"))

    @cached_property
    def public_in(self) -> np.ndarray:
        return self._sum("cash_in", funding=("reserves", "borrowing"))

    def by_funding(self, attr: str, funding: str) -> np.ndarray:
        return self._sum(attr, funding=(funding,))

    @cached_property
    def scheduled(self) -> np.ndarray:
        """Scheduled disbursements (not contingent exposure)."""
        return self._sum("issued", contingent=False)

    def by_instrument(self, attr: str, instrument: str) -> np.ndarray:
        return self._sum(attr, instrument=instrument)


def _waterfall(capital: np.ndarray, dist: np.ndarray, s_before: np.ndarray,
               s_after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Investor's share of each year's distribution and the switch year index.

    Inputs broadcast along the draw axis: shared flows (one row) may meet
    per-draw profit shares and vice versa.
    """
    T = dist.shape[1]
    n = max(capital.shape[0], dist.shape[0], s_before.shape[0], s_after.shape[0])
    cap_t = np.ascontiguousarray(np.broadcast_to(capital, (n, T)).T)   # rows are years
    dist_t = np.ascontiguousarray(np.broadcast_to(dist, (n, T)).T)
    inv = np.empty((T, n))
    cum = np.zeros(n)
    sb = np.broadcast_to(s_before[:, 0], (n,))
    sa = np.broadcast_to(s_after[:, 0], (n,))
    safe_sb = np.where(sb > 0, sb, 1.0)
    switch = np.full(n, np.nan)
    total_capital = cap_t[-1]
    for t in range(T):
        d = dist_t[t]
        remaining = cap_t[t] - cum
        owed = remaining > _EPS
        before = sb * d
        needed = np.where(sb > 0, remaining / safe_sb, np.inf)
        crossing = owed & (before > remaining)
        share = np.where(~owed, sa * d, np.where(crossing, remaining + sa * (d - needed), before))
        inv[t] = share
        cum += share
        hit = np.isnan(switch) & (total_capital > _EPS) & (cum >= total_capital - _EPS)
        switch[hit] = t
    return inv.T, switch


def _cap(tr: Tranche) -> Draws:
    return tr.schedule.cap_usd_bn if isinstance(tr.schedule, CappedAnnual) else 0.0


def _schedule_draws(tr: Tranche) -> int:
    """Draws of what sets the schedule (amount, cap)."""
    return draw_count(tr.amount_usd_bn, _cap(tr))


def _draws_of(tr: Tranche) -> int:
    """Draws of everything that sets the tranche's flows."""
    return draw_count(tr.amount_usd_bn, _cap(tr), *vars(tr.terms).values())


def build_cash_flows(vehicle: InvestmentVehicle, n_draws: int = 1) -> CashFlowSchedule:
    """Yearly cash flows of every tranche and the profit waterfall.

    A tranche whose inputs are the same in every draw is computed once and
    broadcast: its arrays have shape ``(1, n_years)``. Aggregates have the
    full ``(n_draws, n_years)`` shape, where ``n_draws`` is the larger of the
    argument and the draw length of the vehicle's inputs (draws of inputs
    outside the vehicle, e.g. the macro position, still need one row each).
    """
    years = vehicle.years
    T = len(years)
    ps = vehicle.profit_share
    counts = {draw_count(ps.investor_share_before_recoup, ps.investor_share_after_recoup,
                         vehicle.discount_rate)} | {_draws_of(tr) for tr in vehicle.tranches}
    if len((counts | {n_draws}) - {1}) > 1:
        raise ValueError(f"draw arrays disagree in length: {sorted((counts | {n_draws}) - {1})}")
    n = max(counts | {n_draws})
    flows: list[TrancheFlows] = []
    capital = np.zeros((1, T))
    gross = np.zeros((1, T))
    equity: list[tuple[int, np.ndarray]] = []
    for tr in vehicle.tranches:
        k = _draws_of(tr)
        try:
            issued = disburse(tr.schedule, tr.amount_usd_bn, years, _schedule_draws(tr))
        except ScheduleError as exc:
            raise ScheduleError(f"tranche '{tr.name}': {exc}") from None
        zeros = np.zeros((1, T))
        terms = tr.terms
        if isinstance(terms, EquityTerms):
            invested = np.cumsum(issued, axis=1)
            earned = col(terms.cash_yield_rate, k) * invested
            capital = capital + invested
            gross = gross + earned
            equity.append((len(flows), earned))
            flows.append(TrancheFlows(tr.name, tr.instrument, tr.funding, issued, issued, zeros))
        elif isinstance(terms, LoanTerms):
            try:
                back = _convolve(issued, _loan_kernels(terms, k, T))
            except ScheduleError as exc:
                raise ScheduleError(f"tranche '{tr.name}': {exc}") from None
            flows.append(TrancheFlows(tr.name, tr.instrument, tr.funding, issued, issued, back))
        elif isinstance(terms, GuaranteeTerms):
            k_out, k_fee = _guarantee_kernels(terms, k, T)
            flows.append(TrancheFlows(tr.name, tr.instrument, tr.funding, issued,
                                      _convolve(issued, k_out), _convolve(issued, k_fee)))
        elif isinstance(terms, FdiTerms):
            back = col(terms.cash_yield_rate, k) * np.cumsum(issued, axis=1)
            flows.append(TrancheFlows(tr.name, tr.instrument, tr.funding, issued, issued, back))
        else:  # pragma: no cover
            raise TypeError(terms)
    inv, switch_idx = _waterfall(capital, gross, col(ps.investor_share_before_recoup, n),
                                 col(ps.investor_share_after_recoup, n))
    # The investor's waterfall receipts go to equity tranches pro rata to what they earned.
    if len(equity) == 1:
        i, _ = equity[0]
        tf = flows[i]
        flows[i] = TrancheFlows(tf.name, tf.instrument, tf.funding, tf.issued, tf.cash_out, inv)
    else:
        safe = np.where(gross > 0, gross, 1.0)
        for i, earned in equity:
            tf = flows[i]
            flows[i] = TrancheFlows(tf.name, tf.instrument, tf.funding, tf.issued, tf.cash_out,
                                    inv * np.where(gross > 0, earned / safe, 0.0))
    switch_year = np.where(np.isnan(switch_idx), np.nan, years[0] + np.nan_to_num(switch_idx))
    gross_full = np.broadcast_to(gross, (n, T))
    return CashFlowSchedule(years, tuple(flows), gross_full, gross_full - inv,
                            np.broadcast_to(capital, (n, T)), switch_year, vehicle)
