r"""The design space of a pledge, the zone of possible agreement and the Pareto frontier.

A **design** is a point :math:`x` of six numbers (:data:`DIMENSIONS`):

``cash_share``
    share :math:`s_c` of the pledge :math:`P` paid as cash equity;
``annual_cap_usd_bn``
    the most cash called in a calendar year, :math:`c` (cash is called at the
    cap from the start year, as in the shipped scenarios, so it takes
    :math:`\lceil s_c P / c \rceil` years);
``years``
    the years :math:`y` over which the non-cash part is committed (issued
    evenly, the last year taking the remainder);
``guarantee_share``
    share :math:`g` of the non-cash part :math:`(1-s_c)P` issued as credit
    guarantees; the rest is split between company FDI and ship-finance loans
    as in the base scenario's assumptions;
``investor_share_before_recoup``, ``investor_share_after_recoup``
    the investor's share of distributions before and after it recoups.

Terms of each instrument, the horizon, the pledge and the investor's macro
position come from a base scenario (``us_kr_2025/final`` by default). Designs
are laid on the engines' leading axis, so thousands are priced in one call
(:func:`evaluate_designs`); with uncertain inputs, every design meets the same
draws (common random numbers) and payoffs are expected values.

A design is **feasible** if its schedule fits the horizon and it meets the
investor's stress treatment (hard: no year over capacity, or with draws at
most the accepted probability of one). The **zone of possible agreement** is
the feasible designs that give each side at least its reservation value; the
**Pareto frontier** is the feasible designs that no other feasible design
beats for one side without hurting the other. The grid frontier is then
refined by an ε-constraint method solved with SciPy's differential evolution
(:func:`solve_frontier`): for each investor payoff level ε, maximise the
host's payoff subject to :math:`U_K \ge \varepsilon` and feasibility.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import Location, with_value
from ..macro.stress import MacroPosition, stress
from . import kernel
from ..vehicle.cashflows import build_cash_flows
from ..vehicle.instruments import (
    CappedAnnual, InvestmentVehicle, ProfitShare, SelectionWindow, Tranche,
)
from .parties import Host, Investor, ReliefStream, payoffs

DIMENSIONS: tuple[str, ...] = ("cash_share", "annual_cap_usd_bn", "years", "guarantee_share",
                               "investor_share_before_recoup", "investor_share_after_recoup")
LABELS: dict[str, str] = {
    "cash_share": "cash share of the pledge", "annual_cap_usd_bn": "annual cash cap (USD bn)",
    "years": "years to commit the non-cash part", "guarantee_share": "guarantee share of the non-cash part",
    "investor_share_before_recoup": "investor share before recoup",
    "investor_share_after_recoup": "investor share after recoup",
}
#: Default search box: from Korea's summer draft (about 5 % equity) to the US's
#: all-cash demand (about USD 110 bn a year over the selection window), and any split.
DEFAULT_BOUNDS: dict[str, tuple[float, float]] = {
    "cash_share": (0.0, 1.0), "annual_cap_usd_bn": (5.0, 120.0), "years": (1.0, 10.0),
    "guarantee_share": (0.0, 1.0), "investor_share_before_recoup": (0.0, 1.0),
    "investor_share_after_recoup": (0.0, 1.0),
}
#: Default grid (19,800 designs), denser where the 2025 positions lie.
DEFAULT_GRID: dict[str, tuple[float, ...]] = {
    "cash_share": tuple(np.round(np.linspace(0, 1, 11), 10)),
    "annual_cap_usd_bn": (5, 10, 15, 20, 25, 30, 40, 60, 90, 120),
    "years": (1, 3, 6),
    "guarantee_share": (0.0, 0.5, 1.0),
    "investor_share_before_recoup": (0.1, 0.3, 0.5, 0.7, 0.9),
    "investor_share_after_recoup": (0.0, 0.1, 0.3, 0.5),
}
#: Rows (designs × draws) per engine call.
ROWS_PER_CALL = 16_384
#: Draws the frontier optimiser works on when payoffs are expected values.
OPTIMISER_DRAWS = 128
_EPS = 1e-9


# ---------------------------------------------------------------- space
@dataclass(frozen=True)
class DesignSpace:
    """Bounds of the free dimensions and values of the fixed ones."""

    bounds: Mapping[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_BOUNDS))
    fixed: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for d in list(self.bounds) + list(self.fixed):
            if d not in DIMENSIONS:
                raise with_value("unknown design dimension", location=Location(field="design"), value=d,
                                 expected="one of " + ", ".join(DIMENSIONS))
        both = set(self.bounds) & set(self.fixed)
        if both:
            raise with_value("a dimension is both free and fixed", location=Location(field="design"),
                             value=sorted(both), expected="each dimension either bounded or fixed")
        missing = [d for d in DIMENSIONS if d not in self.bounds and d not in self.fixed]
        if missing:
            raise with_value("design dimensions without bounds or a value", location=Location(field="design"),
                             value=missing, expected="bounds or a fixed value for each")
        for d, (lo, hi) in self.bounds.items():
            if not lo <= hi:
                raise with_value("design bounds reversed", location=Location(field=d), value=[lo, hi],
                                 expected="low <= high")
            _check_dim(d, np.array([lo, hi]))
        for d, v in self.fixed.items():
            _check_dim(d, np.array([v]))

    @property
    def free(self) -> tuple[str, ...]:
        return tuple(d for d in DIMENSIONS if d in self.bounds)

    def grid(self, values: Mapping[str, Sequence[float]] | None = None,
             points: int | None = None) -> dict[str, np.ndarray]:
        """A full-factorial grid: per free dimension the given values, else
        :data:`DEFAULT_GRID` values inside the bounds, else ``points`` evenly spaced."""
        axes = []
        for d in self.free:
            lo, hi = self.bounds[d]
            if values and d in values:
                v = np.asarray(values[d], float)
            elif points is not None:
                v = np.linspace(lo, hi, points)
            else:
                v = np.asarray([x for x in DEFAULT_GRID[d] if lo - _EPS <= x <= hi + _EPS], float)
                if v.size == 0:
                    v = np.linspace(lo, hi, 3)
            if np.any(v < lo - _EPS) or np.any(v > hi + _EPS):
                raise with_value("grid values outside the bounds", location=Location(field=d),
                                 value=v.tolist(), expected=f"values from {lo:g} to {hi:g}")
            axes.append(np.unique(v))
        mesh = np.meshgrid(*axes, indexing="ij") if axes else []
        m = int(np.prod([a.size for a in axes])) if axes else 1
        out = {d: g.reshape(-1) for d, g in zip(self.free, mesh)}
        for d, v in self.fixed.items():
            out[d] = np.full(m, float(v))
        return {d: out[d] for d in DIMENSIONS}

    def to_matrix(self, designs: Mapping[str, np.ndarray]) -> np.ndarray:
        """Free dimensions as an ``(m, k)`` matrix."""
        return np.column_stack([np.asarray(designs[d], float) for d in self.free])

    def from_matrix(self, x: np.ndarray) -> dict[str, np.ndarray]:
        x = np.atleast_2d(x)
        out = {d: x[:, i] for i, d in enumerate(self.free)}
        for d, v in self.fixed.items():
            out[d] = np.full(x.shape[0], float(v))
        return {d: out[d] for d in DIMENSIONS}


def _check_dim(d: str, v: np.ndarray) -> None:
    if d in ("cash_share", "guarantee_share", "investor_share_before_recoup", "investor_share_after_recoup"):
        if np.any(v < 0) or np.any(v > 1):
            raise with_value("a share outside [0, 1]", location=Location(field=d), value=v.tolist(),
                             expected="shares from 0 to 1")
    elif np.any(v <= 0):
        raise with_value("a cap or a number of years of 0 or less", location=Location(field=d),
                         value=v.tolist(), expected="values above 0")


@dataclass(frozen=True)
class DesignTemplate:
    """What a design leaves unchanged: terms, horizon, pledge, position, parties."""

    name: str
    pledge_usd_bn: float
    first_year: int
    last_year: int
    start_year: int
    discount_rate: Any
    terms: dict[str, Any]
    funding: dict[str, str]
    fdi_share_of_rest: float
    position: MacroPosition
    investor: Investor
    host: Host
    relief: ReliefStream
    n_draws: int = 1

    @property
    def n_years(self) -> int:
        return self.last_year - self.first_year + 1


# ---------------------------------------------------------------- evaluation
def _rows(x: Any, m: int, n: int) -> Any:
    """Per-draw input (scalar, ``(n,)``, ``(1, T)`` or ``(n, T)``) laid out for m designs × n draws."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0 or a.size == 1 and a.ndim == 1:
        return float(a.reshape(-1)[0])
    if a.ndim == 1:
        return np.tile(a, m) if a.size == n else a      # per draw; else a by-year row
    if a.shape[0] == 1:
        return a
    return np.tile(a, (m, 1))


def _tile_obj(obj: Any, m: int, n: int) -> Any:
    """A frozen dataclass whose numeric fields are laid out for m designs × n draws."""
    changes = {}
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, (int, float, np.ndarray)) and not isinstance(v, bool):
            changes[f.name] = _rows(v, m, n)
        elif isinstance(v, dict):
            changes[f.name] = {k: _rows(x, m, n) for k, x in v.items()}
    return dataclasses.replace(obj, **changes)


def design_vehicle(template: DesignTemplate, designs: Mapping[str, np.ndarray]) -> tuple[InvestmentVehicle, np.ndarray]:
    """The vehicle of ``m`` designs × the template's ``n`` draws (design-major rows),
    and which designs have a schedule that fits the horizon."""
    m = np.asarray(designs["cash_share"]).size
    n = template.n_draws
    x = {d: np.repeat(np.asarray(designs[d], float), n) for d in DIMENSIONS}
    P = template.pledge_usd_bn
    cash = P * x["cash_share"]
    avail = template.last_year - template.start_year + 1
    cap = x["annual_cap_usd_bn"]
    fits = (cash <= cap * avail + 1e-9) & (x["years"] <= avail)
    cap = np.where(fits, cap, np.maximum(cash / avail, 1e-6) * (1 + 1e-9))
    rest = P - cash
    guar = rest * x["guarantee_share"]
    fdi = (rest - guar) * template.fdi_share_of_rest
    loan = rest - guar - fdi
    years = np.minimum(x["years"], avail)

    def spread(amount: np.ndarray) -> CappedAnnual:
        return CappedAnnual(template.start_year, np.maximum(amount / years, 1e-9))

    t = {k: _tile_obj(v, m, n) for k, v in template.terms.items()}
    tranches = (
        Tranche("cash", "cash_equity", cash, CappedAnnual(template.start_year, cap), t["cash_equity"],
                template.funding["cash_equity"]),
        Tranche("guarantees", "guarantee", guar, spread(guar), t["guarantee"], template.funding["guarantee"]),
        Tranche("company_fdi", "company_fdi", fdi, spread(fdi), t["company_fdi"], template.funding["company_fdi"]),
        Tranche("loans", "loan", loan, spread(loan), t["loan"], template.funding["loan"]),
    )
    vehicle = InvestmentVehicle(tranches, ProfitShare(x["investor_share_before_recoup"],
                                                      x["investor_share_after_recoup"]),
                                template.first_year, template.last_year, _rows(template.discount_rate, m, n))
    return vehicle, fits.reshape(m, n)[:, 0]


@dataclass(frozen=True)
class DesignPayoffs:
    """Payoffs of ``m`` designs (expected over draws when there are several)."""

    investor: np.ndarray
    host: np.ndarray
    over_capacity_probability: np.ndarray
    schedule_fits: np.ndarray
    n_draws: int

    def feasible(self, investor: Investor) -> np.ndarray:
        ok = self.schedule_fits.copy()
        if investor.stress == "hard":
            limit = investor.max_over_capacity_probability if self.n_draws > 1 else 0.0
            ok &= self.over_capacity_probability <= limit + 1e-12
        return ok


def _sums(template: DesignTemplate, designs: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Sums over the template's draws of (U_K, U_H, any over capacity) per design, and fits."""
    m = np.asarray(designs["cash_share"]).size
    n = template.n_draws
    uk, uh, over = np.zeros(m), np.zeros(m), np.zeros(m)
    fits = np.zeros(m, bool)
    block = max(1, ROWS_PER_CALL // n)
    for a in range(0, m, block):
        b = min(a + block, m)
        part = {d: np.asarray(designs[d], float)[a:b] for d in DIMENSIONS}
        vehicle, fit = design_vehicle(template, part)
        pos = _tile_obj(template.position, b - a, n)
        inv = dataclasses.replace(_tile_obj(template.investor, b - a, n), discount_rate=vehicle.discount_rate)
        host = _tile_obj(template.host, b - a, n)
        relief = _tile_obj(template.relief, b - a, n)
        k = b - a
        if kernel.AVAILABLE:     # one compiled pass per row (same figures as the engines below)
            figs, _, any_over = kernel.run(kernel.prepare(vehicle, pos, inv, host, relief, k * n))
            p_inv, p_host = figs["deal_npv_investor_usd_bn"], figs["deal_npv_host_usd_bn"]
        else:
            flows = build_cash_flows(vehicle)
            st = stress(pos, flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
            p = payoffs(flows, st, inv, host, relief)
            p_inv, p_host, any_over = p.investor, p.host, p.any_over_capacity
        uk[a:b] = p_inv.reshape(k, n).sum(axis=1)
        uh[a:b] = p_host.reshape(k, n).sum(axis=1)
        over[a:b] = np.broadcast_to(any_over, (k * n,)).reshape(k, n).sum(axis=1)
        fits[a:b] = fit
    return uk, uh, over, fits


def evaluate_designs(template: DesignTemplate, designs: Mapping[str, np.ndarray]) -> DesignPayoffs:
    """Payoffs of every design, expected over the template's draws."""
    uk, uh, over, fits = _sums(template, designs)
    n = template.n_draws
    return DesignPayoffs(uk / n, uh / n, over / n, fits, n)


def design_of(vehicle: InvestmentVehicle) -> dict[str, float]:
    """Design coordinates of an existing vehicle (for display: proposals are
    priced by their own scenarios, not by these coordinates)."""
    amt = {tr.name: float(np.asarray(tr.amount_usd_bn).reshape(-1)[0]) for tr in vehicle.tranches}
    total = sum(amt.values()) or 1.0
    cash = sum(a for tr, a in zip(vehicle.tranches, amt.values()) if tr.instrument == "cash_equity")
    guar = sum(a for tr, a in zip(vehicle.tranches, amt.values()) if tr.instrument == "guarantee")
    rest = total - cash

    def per_year(tr: Tranche, a: float) -> tuple[float, float]:
        s = tr.schedule
        if isinstance(s, CappedAnnual):
            c = float(np.asarray(s.cap_usd_bn).reshape(-1)[0])
            return c, a / c if c > 0 else np.nan
        if isinstance(s, SelectionWindow):
            import datetime as _dt
            yrs = (s.end - _dt.date(s.start_year, 1, 1)).days / 365.25
            return a / yrs, yrs
        return np.nan, np.nan

    cap = years = np.nan
    for tr, a in zip(vehicle.tranches, amt.values()):
        if tr.instrument == "cash_equity" and a > 0:
            cap = per_year(tr, a)[0]
        elif a > 0 and np.isnan(years):
            years = per_year(tr, a)[1]
    ps = vehicle.profit_share
    return {"cash_share": cash / total, "annual_cap_usd_bn": cap, "years": years,
            "guarantee_share": guar / rest if rest > 0 else np.nan,
            "investor_share_before_recoup": float(np.asarray(ps.investor_share_before_recoup).reshape(-1)[0]),
            "investor_share_after_recoup": float(np.asarray(ps.investor_share_after_recoup).reshape(-1)[0])}


