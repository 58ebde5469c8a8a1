r"""Each side's payoff from a deal, as a present value against no deal.

The two parties are the **investor** (the country that pledges, Korea) and the
**host** (the country that receives the investment and cuts its tariffs, the
US). Both payoffs are in USD bn, present values at 1 January of the first
modelled year :math:`t_0`, measured against *no deal* (the pre-deal tariffs
stay, no pledge is paid), which is worth 0 to both by construction. Every
input may be a float or a ``(n,)`` draw array; the formulas are vectorised
over the leading axis (draws, or designs × draws). See
``docs/negotiation.md`` for the formulas written out; in short, with
:math:`k = t - t_0`, survival of the relief :math:`s_k = (1-p)^k`,
investor discount factors :math:`D^K` and host discount factors :math:`D^H`
(start-of-year for outflows, end-of-year for inflows):

.. math::

    U_K = \underbrace{\sum_k s_k\, \iota\, \tau_k\, D^K_{k+1}}_{\text{tariff savings}}
        + \underbrace{\sum_k \mathit{in}_k D^K_{k+1} - \mathit{out}_k D^K_k}_{\text{share of returns} - \text{cash cost}}
        + TV_K - \kappa \sum_k \max(0, R^{out}_k - \bar c_k)\, D^K_k

.. math::

    U_H = \underbrace{\sum_i w_i \sum_k I_{i,k} D^H_k}_{\text{investment received}}
        + \underbrace{\sum_k h_k D^H_{k+1} + TV_H}_{\text{share of returns}}
        - \underbrace{\sum_k s_k\, \rho_k\, D^H_{k+1}}_{\text{tariff revenue forgone}}

:math:`\tau_k` is the tariff relief of year :math:`k` (the fall in the
investor's tariff bill from the tariff engine, :func:`relief_stream`),
:math:`\iota` the share of it that accrues to the investor's exporters,
:math:`\rho_k` the host's revenue forgone, :math:`I_{i,k}` the investment of
kind :math:`i` landing in the host (cash-equity calls, company FDI, loans
disbursed, guarantee exposure issued) and :math:`w_i` what the host counts a
dollar of it as worth, :math:`h_k` the host's share of distributions,
:math:`R^{out}_k` the investor's reserve-funded outflow and :math:`\bar c_k`
its USD supply capacity. :math:`TV` are post-horizon values (a level
perpetuity of the last year's net flows; for the relief, the tail of the
survival-weighted series). Under the **hard** treatment of FX stress
(:math:`\kappa` unused) a design with any year over capacity is not
acceptable to the investor; under **penalty** it costs :math:`\kappa` per
excess dollar.

The tariff relief is an explicit input (:class:`ReliefStream`), so that the
payoffs do not depend on how it is computed; :func:`relief_stream` builds it
from the tariff engine's annual figures for the scenario's two regimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..core.instruments import INSTRUMENTS
from ..macro.stress import StressResult
from ..tariffs.relief import TariffRelief as EngineRelief
from ..vehicle.cashflows import CashFlowSchedule, Draws, col

StressTreatment = Literal["hard", "penalty"]
# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class ReliefStream:
    """The tariff relief a deal buys, USD bn per year.

    ``investor_savings_usd_bn`` is the part of the fall in the investor's
    tariff bill that reaches its exporters (incidence-weighted by sector),
    ``host_importer_gain_usd_bn`` the rest, which US importers and consumers
    keep, and ``host_revenue_forgone_usd_bn`` the host's tariff revenue
    forgone; each may be a float, a ``(n,)`` draw array, a ``(n_years,)`` or
    ``(1, n_years)`` row by year, or ``(n, n_years)``. The relief of year
    ``k`` (counting from the first modelled year) counts with probability
    ``(1 - annual_withdrawal_probability) ** k`` that it has not been withdrawn.

    ``prior_*`` are the same figures for the deal's years before the first
    modelled year (e.g. 2025 for a pledge modelled from 2026), oldest first:
    they happened, so they count in full, carried to the first modelled year
    at each side's discount rate (see :func:`prior_value`).
    """

    investor_savings_usd_bn: Draws
    host_revenue_forgone_usd_bn: Draws
    annual_withdrawal_probability: Draws = 0.0
    source: str = "given"
    host_importer_gain_usd_bn: Draws = 0.0
    prior_investor_usd_bn: tuple[float, ...] | np.ndarray = ()
    prior_forgone_usd_bn: tuple[float, ...] | np.ndarray = ()
    prior_importer_usd_bn: tuple[float, ...] | np.ndarray = ()


@dataclass(frozen=True)
class Party:
    """A side of the deal: its discount rate and reservation value (USD bn, PV)."""

    name: str
    discount_rate: Draws
    reservation_value_usd_bn: Draws = 0.0
    include_terminal_value: bool = True


@dataclass(frozen=True)
class Investor(Party):
    """The pledging side. ``stress``: ``hard`` (no year over capacity; with draws, at
    most ``max_over_capacity_probability`` of them) or ``penalty`` (cost
    ``stress_penalty_share`` per dollar of reserve-funded outflow above capacity)."""

    stress: StressTreatment = "hard"
    stress_penalty_share: Draws = 0.0
    max_over_capacity_probability: float = 0.0

    def __post_init__(self) -> None:
        if self.stress not in ("hard", "penalty"):
            raise ValueError(f"stress must be 'hard' or 'penalty', not {self.stress!r}")


@dataclass(frozen=True)
class Host(Party):
    """The receiving side; ``value_share[instrument]`` is the spillover share: what
    the host economy gains from a dollar of that kind of capital formed in it
    beyond the capital's own returns (which it counts through its share of the
    distributions), never the principal itself."""

    value_share: dict[str, Draws] = field(default_factory=lambda: {
        "cash_equity": 0.0, "company_fdi": 0.0, "loan": 0.0, "guarantee": 0.0})


# ---------------------------------------------------------------- results
@dataclass(frozen=True)
class Payoffs:
    """Per-row payoffs (``(n,)`` arrays) and their parts, USD bn PV."""

    investor: np.ndarray
    host: np.ndarray
    parts: dict[str, np.ndarray]
    any_over_capacity: np.ndarray
    investor_reservation: np.ndarray
    host_reservation: np.ndarray

    @property
    def investor_surplus(self) -> np.ndarray:
        return self.investor - self.investor_reservation

    @property
    def host_surplus(self) -> np.ndarray:
        return self.host - self.host_reservation


# ---------------------------------------------------------------- formulas
def _grid(x: Draws, n: int, T: int) -> np.ndarray:
    """``x`` as an ``(n, T)`` array (scalar, ``(n,)``, ``(T,)``, ``(1, T)`` or ``(n, T)``)."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        return np.full((n, T), float(a))
    if a.ndim == 1:
        if a.shape[0] == n and n != T:
            return np.broadcast_to(a[:, None], (n, T))
        if a.shape[0] == T and n != T:
            return np.broadcast_to(a[None, :], (n, T))
        if a.shape[0] == n:          # n == T: a draw array (the documented default)
            return np.broadcast_to(a[:, None], (n, T))
        raise ValueError(f"a relief array of length {a.shape[0]} fits neither {n} rows nor {T} years")
    if a.ndim == 2 and a.shape[1] == T and a.shape[0] in (1, n):
        return np.broadcast_to(a, (n, T))
    raise ValueError(f"relief array of shape {a.shape} does not broadcast to ({n}, {T})")


def _powers(base: np.ndarray, T: int) -> np.ndarray:
    """``base ** k`` for ``k = 0..T-1``: one row when ``base`` (an ``(n, 1)``
    column) is the same in every draw, else a cumulative product per draw."""
    if base.shape[0] == 1 or np.all(base == base[0, 0]):
        return float(base[0, 0]) ** np.arange(T, dtype=float)[None, :]
    out = np.empty((base.shape[0], T))
    out[:, 0] = 1.0
    out[:, 1:] = base
    return np.cumprod(out, axis=1)


def _factors(rate: np.ndarray, T: int) -> tuple[np.ndarray, np.ndarray]:
    """Discount factors at the start and at the end of each year."""
    start = _powers(1 / (1 + rate), T)
    return start, start / (1 + rate)


def _perpetuity(last: np.ndarray, rate: np.ndarray, T: int) -> np.ndarray:
    """PV at t0 of ``last`` a year forever from year T on (paid at year ends)."""
    d = rate[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, last / np.where(d > 0, d, 1.0) / (1 + d) ** T, 0.0)


def relief_value(annual: Draws, withdrawal: Draws, rate: np.ndarray, T: int, *,
                 tail: bool) -> np.ndarray:
    r"""PV of a relief stream: :math:`\sum_k a_k (1-p)^k / (1+d)^{k+1}`, plus if
    ``tail`` the years after the horizon at the last year's level,
    :math:`a_{T-1} (1-p)^T / ((1+d)^T (d+p))`."""
    n = rate.shape[0]
    a = _grid(annual, n, T)
    p = col(withdrawal, n)
    survive = _powers(1 - p, T)
    _, end = _factors(rate, T)
    pv = (a * survive * end).sum(axis=1)
    if tail:
        d, pp = rate[:, 0], p[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            rest = np.where(d + pp > 0, a[:, -1] * (1 - pp) ** T / ((1 + d) ** T * (d + pp)), np.nan)
        pv = pv + rest
    return pv


def prior_value(amounts: Sequence[float] | np.ndarray, rate: np.ndarray) -> np.ndarray:
    """PV at 1 January of the first modelled year of amounts paid at the end of
    each of the years before it (oldest first; a ``(k,)`` sequence, or ``(n, k)``
    by draw): the last is paid that very day (factor 1), the one before a year
    earlier (factor ``1 + d``), and so on."""
    n = rate.shape[0]
    a = np.atleast_2d(np.asarray(amounts, float))
    out = np.zeros(n)
    k = a.shape[1] if a.size else 0
    for j in range(k):
        out = out + a[:, k - 1 - j] * (1 + rate[:, 0]) ** j
    return out


def payoffs(flows: CashFlowSchedule, stress: StressResult, investor: Investor, host: Host,
            relief: ReliefStream) -> Payoffs:
    """Both sides' payoffs for every row of ``flows`` (see the module docstring)."""
    n, T = flows.cash_out.shape
    dk = col(investor.discount_rate, n)
    dh = col(host.discount_rate, n)
    k_start, k_end = _factors(dk, T)
    h_start, h_end = _factors(dh, T)

    # Investor: tariff savings + its returns - cash cost (+ post-horizon) - stress.
    savings = relief_value(relief.investor_savings_usd_bn, relief.annual_withdrawal_probability,
                           dk, T, tail=investor.include_terminal_value)
    savings_prior = prior_value(relief.prior_investor_usd_bn, dk)
    out, back = flows.cash_out, flows.cash_in
    cash_cost = (out * k_start).sum(axis=1)
    returns = (back * k_end).sum(axis=1)
    tv_k = (_perpetuity(back[:, -1] - out[:, -1], dk, T) if investor.include_terminal_value
            else np.zeros(n))
    excess = np.maximum(stress.reserve_out - stress.capacity, 0.0)
    excess = np.where(stress.over_capacity, excess, 0.0)
    excess_pv = (excess * k_start).sum(axis=1)
    penalty = (col(investor.stress_penalty_share, n)[:, 0] * excess_pv
               if investor.stress == "penalty" else np.zeros(n))
    u_k = savings + savings_prior + returns - cash_cost + tv_k - penalty

    # Host: its share of the distributions + the spillover of the capital formed in it
    # + what its importers keep of the relief - the tariff revenue it forgoes.
    spill = np.zeros(n)
    for tf in flows.tranches:
        w = host.value_share.get(tf.instrument)
        if w is None:
            raise KeyError(f"the host has no spillover share for instrument {tf.instrument!r}")
        amount = tf.issued if INSTRUMENTS[tf.instrument].lands_in_host == "issued" else tf.cash_out
        spill = spill + col(w, n)[:, 0] * (amount * h_start).sum(axis=1)
    dist = (flows.host_distributions * h_end).sum(axis=1)
    tv_h = (_perpetuity(flows.host_distributions[:, -1], dh, T) if host.include_terminal_value
            else np.zeros(n))
    forgone = relief_value(relief.host_revenue_forgone_usd_bn, relief.annual_withdrawal_probability,
                           dh, T, tail=host.include_terminal_value) + prior_value(relief.prior_forgone_usd_bn, dh)
    importers = relief_value(relief.host_importer_gain_usd_bn, relief.annual_withdrawal_probability,
                             dh, T, tail=host.include_terminal_value) + prior_value(relief.prior_importer_usd_bn, dh)
    u_h = dist + tv_h + spill + importers - forgone

    parts = {
        "investor_tariff_savings_usd_bn": savings + savings_prior,
        "investor_tariff_savings_before_start_usd_bn": savings_prior,
        "investor_returns_usd_bn": returns,
        "investor_cash_cost_usd_bn": cash_cost,
        "investor_post_horizon_usd_bn": tv_k,
        "investor_stress_penalty_usd_bn": penalty,
        "investor_excess_over_capacity_pv_usd_bn": excess_pv,
        "host_distributions_value_usd_bn": dist,
        "host_post_horizon_usd_bn": tv_h,
        "host_capital_spillover_usd_bn": spill,
        "host_importer_gain_usd_bn": importers,
        "host_revenue_forgone_usd_bn": forgone,
    }
    return Payoffs(u_k, u_h, parts, stress.over_capacity.any(axis=1),
                   col(investor.reservation_value_usd_bn, n)[:, 0].copy(),
                   col(host.reservation_value_usd_bn, n)[:, 0].copy())


# ---------------------------------------------------------------- inputs of both sides
@dataclass(frozen=True)
class PartyInputs:
    """Both sides and the terms that turn the tariff engine's figures into a
    relief stream (read from parameters by :mod:`tradepact.resolve`)."""

    investor: Investor
    host: Host
    incidence: Mapping[str, Draws] = field(default_factory=lambda: {"default": 1.0})
    withdrawal: Draws = 0.0


def relief_stream(relief: EngineRelief, years: np.ndarray, incidence: Mapping[str, Draws],
                  withdrawal: Draws) -> ReliefStream:
    """The tariff engine's annual figures as the payoffs' relief stream.

    The fall in the investor's tariff bill in each year is split by sector:
    ``incidence[sector]`` of it (``incidence["default"]`` for sectors not
    named) reaches the investor's exporters, the rest stays with US importers.
    The host forgoes its tariff revenue on all partners of the trade data
    (the same figure with static volumes). Years of the relief before the
    first modelled year (from the first year the tariff engine covers) are
    kept apart in the ``prior_*`` fields; the relief survives each later year
    with probability ``1 - withdrawal``.
    """
    first = int(years[0])
    prior = [y for y in relief.years if y < first]
    span = np.array(prior + [int(y) for y in years])
    total = relief.series("tariff_savings_usd_bn", span, partner=relief.partner)
    forgone = relief.series("us_revenue_forgone_usd_bn", span)
    if np.isnan(total).any() or np.isnan(forgone).any():
        raise ValueError("the tariff relief does not cover every modelled year")
    sectors = relief.sectors("tariff_savings_usd_bn")
    default = np.asarray(incidence["default"], float)
    reach = np.zeros((max(default.size, *(np.asarray(v).size for v in incidence.values())), len(span)))
    for sector in sectors:
        part = np.nan_to_num(relief.series("tariff_savings_usd_bn", span, partner=relief.partner, sector=sector))
        share = np.asarray(incidence.get(sector, default), float).reshape(-1, 1)
        reach = reach + share * part[None, :]
    importer = total[None, :] - reach
    k = len(prior)
    rows = reach.shape[0]
    inv = reach[:, k:] if rows > 1 else reach[:, k:]
    imp = importer[:, k:]
    return ReliefStream(inv, forgone[None, k:], withdrawal,
                        source=f"tariff engine: regime {relief.regimes[0]} against {relief.regimes[1]}",
                        host_importer_gain_usd_bn=imp,
                        prior_investor_usd_bn=tuple(float(x) for x in reach[0, :k]),
                        prior_forgone_usd_bn=tuple(float(x) for x in forgone[:k]),
                        prior_importer_usd_bn=tuple(float(x) for x in importer[0, :k]))


__all__ = ["Host", "Investor", "Party", "PartyInputs", "Payoffs", "ReliefStream", "payoffs", "prior_value",
           "relief_stream", "relief_value"]
