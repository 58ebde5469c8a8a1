r""""No adverse shock": the pledge's outflows against the investor's external position.

Inputs (:class:`MacroPosition`) are the investor economy's FX reserves, the
income they earn, its current-account surplus, GDP and exchange rate, and the
annual USD supply the authorities said they can provide without market strain
(the *capacity*). Reserves and reserve income are starting levels; the
capacity, current account, GDP and exchange rate may change by year (a
scenario can assume a future value) and are otherwise held at their latest
published level.

Reserves path (USD bn), year :math:`t` after the reference level :math:`R_0`:

.. math::

    R_t = R_{t-1}\,(1 + y) - S^{out}_t + S^{in}_t,
    \qquad y = \frac{\text{reserve income}}{R_0},

where :math:`S^{out}` is the outflow the FX authorities pay from reserves
or reserve income (tranches funded by ``reserves``; state borrowing abroad
and company investment do not draw on reserves) and :math:`S^{in}` what
those tranches pay back, assumed repatriated into reserves. Without the pledge reserves would grow at
:math:`y` (income retained, no other flows), which gives the baseline path.

Ratios per year: reserve-funded outflow ÷ reserve income of the year
(:math:`y R_{t-1}`), all pledge outflow ÷ current-account surplus and ÷ GDP,
reserve-funded outflow ÷ reserves at the start of the year, and whether the
reserve-funded outflow exceeds the capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..core.arrays import Draws, col

_TOL = 1e-9


@dataclass(frozen=True)
class MacroPosition:
    """The investor economy.

    Reserves and reserve income are starting levels (floats or ``(n,)`` draws).
    The other fields may also vary by year: a ``(1, n_years)`` or
    ``(n, n_years)`` array.
    """

    fx_reserves_usd_bn: Draws
    reserve_income_usd_bn: Draws
    current_account_usd_bn: Draws
    gdp_usd_bn: Draws
    exchange_rate_lcu_per_usd: Draws
    usd_supply_capacity_usd_bn: Draws
    currency: str = "KRW"


@dataclass(frozen=True)
class StressResult:
    """Per-year stress indicators, ``(n_draws, n_years)`` arrays unless stated."""

    years: np.ndarray
    start_reserves: np.ndarray
    reserves: np.ndarray
    baseline_reserves: np.ndarray
    reserve_income: np.ndarray
    reserve_out: np.ndarray
    total_out: np.ndarray
    capacity: np.ndarray
    current_account: np.ndarray
    gdp: np.ndarray
    exchange_rate: np.ndarray
    currency: str = "KRW"

    @cached_property
    def outflow_to_reserve_income(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.reserve_income > 0, self.reserve_out / self.reserve_income, np.nan)

    @cached_property
    def outflow_to_current_account(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.current_account > 0, self.total_out / self.current_account, np.nan)

    @cached_property
    def outflow_to_gdp(self) -> np.ndarray:
        return self.total_out / self.gdp

    @cached_property
    def outflow_to_reserves(self) -> np.ndarray:
        return self.reserve_out / self.start_reserves

    @cached_property
    def over_capacity(self) -> np.ndarray:
        return self.reserve_out > self.capacity + _TOL

    @cached_property
    def years_over_capacity(self) -> np.ndarray:
        return self.over_capacity.sum(axis=1)

    @cached_property
    def max_outflow_to_reserve_income(self) -> np.ndarray:
        return np.nanmax(self.outflow_to_reserve_income, axis=1)

    @cached_property
    def min_reserves(self) -> np.ndarray:
        return self.reserves.min(axis=1)

    @cached_property
    def outflow_lcu_tn(self) -> np.ndarray:
        """All pledge outflow converted at the year's exchange rate, trillions of
        the investor's currency (``currency``)."""
        return self.total_out * self.exchange_rate / 1000.0


def stress(position: MacroPosition, reserve_out: np.ndarray, reserve_in: np.ndarray,
           total_out: np.ndarray, years: np.ndarray) -> StressResult:
    """Run the reserves path and the coverage ratios for each draw."""
    n, T = reserve_out.shape
    r0 = col(position.fx_reserves_usd_bn, n)[:, 0]
    income0 = col(position.reserve_income_usd_bn, n)[:, 0]
    y = np.where(r0 > 0, income0 / np.where(r0 > 0, r0, 1.0), 0.0)
    out_t = np.ascontiguousarray(np.broadcast_to(reserve_out, (n, T)).T)   # rows are years
    in_t = np.ascontiguousarray(np.broadcast_to(reserve_in, (n, T)).T)
    reserves, start, baseline, income = (np.empty((T, n)) for _ in range(4))
    prev, prev_base = r0, r0
    for t in range(T):
        start[t] = prev
        income[t] = y * prev
        prev = prev * (1 + y) - out_t[t] + in_t[t]
        prev_base = prev_base * (1 + y)
        reserves[t] = prev
        baseline[t] = prev_base
    reserves, start, baseline, income = reserves.T, start.T, baseline.T, income.T
    def grid(x: Draws) -> np.ndarray:
        a = np.asarray(x, dtype=float)
        return np.broadcast_to(a, (n, T)) if a.ndim == 2 else col(a, n) * np.ones((1, T))

    return StressResult(
        years=years, start_reserves=start, reserves=reserves, baseline_reserves=baseline, reserve_income=income,
        reserve_out=reserve_out, total_out=total_out,
        capacity=grid(position.usd_supply_capacity_usd_bn),
        current_account=grid(position.current_account_usd_bn),
        gdp=grid(position.gdp_usd_bn),
        exchange_rate=grid(position.exchange_rate_lcu_per_usd), currency=position.currency,
    )
