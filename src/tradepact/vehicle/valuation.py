r"""Pricing a :class:`CashFlowSchedule`: NPV, recoup year, IRR.

With outflows at the start of year :math:`t` and inflows at its end
(see :mod:`tradepact.vehicle.cashflows`), the investor's net present value
at 1 January of the first modelled year :math:`t_0` at discount rate
:math:`d` is

.. math::

    \mathrm{NPV} = \sum_t \frac{-\mathit{out}_t}{(1+d)^{t-t_0}}
                 + \sum_t \frac{\mathit{in}_t}{(1+d)^{t-t_0+1}} .

Flows after the last modelled year are left out of the NPV; the terminal
value reports them separately, as a level perpetuity of the last year's net
receipts, :math:`(\mathit{in}_T - \mathit{out}_T) / d`, discounted from the
end of the horizon. The **recoup year** is the first year whose cumulative
receipts reach the cumulative outflow (``nan`` if not within the horizon).
The **IRR** solves NPV = 0 over the horizon's flows (``nan`` where it does
not exist, e.g. receipts never cover outflows).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .cashflows import CashFlowSchedule, col

_EPS = 1e-9


def discount_factors(n_years: int, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start-of-year and end-of-year discount factors, ``(n, n_years)`` each."""
    k = np.arange(n_years, dtype=float)[None, :]
    start = (1 + rate) ** -k
    return start, start / (1 + rate)


def npv(out: np.ndarray, inflow: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """NPV per draw of start-of-year outflows and end-of-year inflows."""
    start, end = discount_factors(out.shape[1], rate)
    return (inflow * end).sum(axis=1) - (out * start).sum(axis=1)


def recoup_year(out: np.ndarray, inflow: np.ndarray, years: np.ndarray) -> np.ndarray:
    """First year cumulative receipts reach cumulative outflow (``nan`` if never)."""
    cum_out = np.cumsum(out, axis=1)
    cum_in = np.cumsum(inflow, axis=1)
    done = (cum_in >= cum_out - _EPS) & (cum_out[:, -1:] > _EPS) & (
        cum_out >= cum_out[:, -1:] - _EPS)
    any_done = done.any(axis=1)
    first = np.argmax(done, axis=1)
    return np.where(any_done, years[first].astype(float), np.nan)


def irr(out: np.ndarray, inflow: np.ndarray, *, tol: float = 1e-10,
        max_iterations: int = 200) -> np.ndarray:
    """Internal rate of return per draw: safeguarded Newton on (-0.99, 1).

    Flows sit on a grid of year starts, ``f_k = inflow_{k-1} - out_k``. Each
    step takes Newton's step when it stays inside the current sign-change
    bracket and bisects otherwise, so it converges for every draw whose NPV
    changes sign on the bracket; other draws get ``nan``.
    """
    n, T = out.shape
    flows = np.zeros((T + 1, n))           # rows are years: contiguous for Horner
    flows[:T] -= np.broadcast_to(out, (n, T)).T
    flows[1:] += np.broadcast_to(inflow, (n, T)).T

    def value_and_slope(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = 1 / (1 + r)
        p, dp = np.zeros(n), np.zeros(n)
        for k in range(T, -1, -1):         # Horner for p(x) = sum f_k x^k and p'(x)
            dp = dp * x + p
            p = p * x + flows[k]
        return p, -dp * x * x              # d/dr = p'(x) dx/dr, dx/dr = -x^2

    lo, hi = np.full(n, -0.99), np.full(n, 1.0)
    f_lo, _ = value_and_slope(lo)
    f_hi, _ = value_and_slope(hi)
    ok = np.sign(f_lo) != np.sign(f_hi)
    r = np.where(ok, 0.05, np.nan)
    for _ in range(max_iterations):
        f, slope = value_and_slope(r)
        left = np.sign(f) == np.sign(f_lo)           # root lies right of r
        lo, f_lo = np.where(left, r, lo), np.where(left, f, f_lo)
        hi = np.where(left, hi, r)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = r - f / slope
        inside = np.isfinite(newton) & (newton > lo) & (newton < hi)
        nxt = np.where(inside, newton, (lo + hi) / 2)
        done = ~ok | (np.abs(nxt - r) < tol) | (f == 0)
        r = np.where(ok, nxt, np.nan)
        if done.all():
            break
    return r


@dataclass(frozen=True)
class VehicleResult:
    """The value of a pledge to the investor, per draw (arrays of shape ``(n,)``)."""

    flows: CashFlowSchedule
    discount_rate: np.ndarray

    @classmethod
    def of(cls, flows: CashFlowSchedule) -> "VehicleResult":
        return cls(flows, col(flows.vehicle.discount_rate, flows.n_draws))

    @cached_property
    def npv(self) -> np.ndarray:
        """Investor NPV of all tranches within the horizon, USD bn."""
        return npv(self.flows.cash_out, self.flows.cash_in, self.discount_rate)

    @cached_property
    def npv_public(self) -> np.ndarray:
        """Investor NPV of the state-funded tranches (reserves and state borrowing)."""
        return npv(self.flows.public_out, self.flows.public_in, self.discount_rate)

    @cached_property
    def terminal_value(self) -> np.ndarray:
        """PV of post-horizon flows if the last year's net receipts continue forever."""
        d = self.discount_rate[:, 0]
        T = self.flows.years.size
        last = self.flows.cash_in[:, -1] - self.flows.cash_out[:, -1]
        with np.errstate(divide="ignore", invalid="ignore"):
            tv = np.where(d > 0, last / np.where(d > 0, d, 1.0) / (1 + d) ** T, np.nan)
        return tv

    @cached_property
    def recoup_year(self) -> np.ndarray:
        return recoup_year(self.flows.cash_out, self.flows.cash_in, self.flows.years)

    @cached_property
    def irr(self) -> np.ndarray:
        return irr(self.flows.cash_out, self.flows.cash_in)

    @cached_property
    def peak_annual_outflow(self) -> np.ndarray:
        return self.flows.cash_out.max(axis=1)

    @cached_property
    def years_to_disburse(self) -> np.ndarray:
        """Years from the first to the last scheduled disbursement, inclusive."""
        moving = self.flows.scheduled > _EPS
        years = self.flows.years
        any_ = moving.any(axis=1)
        first = np.argmax(moving, axis=1)
        last = moving.shape[1] - 1 - np.argmax(moving[:, ::-1], axis=1)
        return np.where(any_, (years[last] - years[first] + 1).astype(float), 0.0)
