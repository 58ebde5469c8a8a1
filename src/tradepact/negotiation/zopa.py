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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import Location, ScenarioError, with_value
from ..core.parameters import ParameterNode, ParameterReader, default_parameters
from ..core.scenario import Scenario
from ..macro.shocks import ShockSpec
from ..macro.stress import MacroPosition, stress
from ..vehicle.cashflows import build_cash_flows
from ..vehicle.instruments import (
    DEFAULT_FUNDING, CappedAnnual, EquityTerms, FdiTerms, GuaranteeTerms, InvestmentVehicle, LoanTerms,
    ProfitShare, SelectionWindow, Tranche,
)
from .parties import Host, Investor, StressTreatment, TariffRelief, payoffs

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


# ---------------------------------------------------------------- template
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
    relief: TariffRelief
    n_draws: int = 1

    @property
    def n_years(self) -> int:
        return self.last_year - self.first_year + 1


def template_from_scenario(scenario: Scenario, tree: ParameterNode | None = None, *,
                           draws: Mapping[str, np.ndarray] | None = None, stress_treatment: StressTreatment = "hard",
                           relief: TariffRelief | None = None) -> DesignTemplate:
    """The design template of a base scenario (point values, or ``draws``)."""
    from ..assess import parties_of
    from ..resolve import TERM_DEFAULTS, resolve
    d = dict(draws or {})
    base_tree = tree if tree is not None else default_parameters()
    n = max([1] + [np.asarray(v).size for v in d.values()])
    r = resolve(scenario, base_tree, draws=d)
    veh = r.vehicle
    terms: dict[str, Any] = {}
    funding: dict[str, str] = {}
    for tr in veh.tranches:
        terms.setdefault(tr.instrument, tr.terms)
        funding.setdefault(tr.instrument, tr.funding)
    reader = ParameterReader(r.tree, scenario.spec.as_of)
    classes = {"cash_equity": EquityTerms, "company_fdi": FdiTerms, "loan": LoanTerms,
               "guarantee": GuaranteeTerms}
    for inst, defaults in TERM_DEFAULTS.items():
        if inst not in terms:
            terms[inst] = classes[inst](**{k: d.get(p, reader.number(p)) for k, p in defaults.items()})
            funding[inst] = DEFAULT_FUNDING[inst]
    fdi = reader.number("assumptions.instruments.shipbuilding.company_fdi_share")
    loan = reader.number("assumptions.instruments.shipbuilding.ship_finance_share")
    pledge = float(sum(float(np.asarray(t.amount_usd_bn).reshape(-1)[0]) for t in veh.tranches))
    parties = parties_of(r, stress_treatment=stress_treatment, relief=relief)
    return DesignTemplate(scenario.name, pledge, veh.first_year, veh.last_year, veh.first_year,
                          veh.discount_rate, terms, funding, fdi / (fdi + loan) if fdi + loan > 0 else 0.5,
                          r.position, parties.investor, parties.host, parties.relief, n)


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
        flows = build_cash_flows(vehicle)
        pos = _tile_obj(template.position, b - a, n)
        st = stress(pos, flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
        inv = dataclasses.replace(_tile_obj(template.investor, b - a, n), discount_rate=vehicle.discount_rate)
        host = _tile_obj(template.host, b - a, n)
        relief = _tile_obj(template.relief, b - a, n)
        p = payoffs(flows, st, inv, host, relief)
        k = b - a
        uk[a:b] = p.investor.reshape(k, n).sum(axis=1)
        uh[a:b] = p.host.reshape(k, n).sum(axis=1)
        over[a:b] = np.broadcast_to(p.any_over_capacity, (k * n,)).reshape(k, n).sum(axis=1)
        fits[a:b] = fit
    return uk, uh, over, fits


def evaluate_designs(template: DesignTemplate, designs: Mapping[str, np.ndarray]) -> DesignPayoffs:
    """Payoffs of every design, expected over the template's draws."""
    uk, uh, over, fits = _sums(template, designs)
    n = template.n_draws
    return DesignPayoffs(uk / n, uh / n, over / n, fits, n)


# ---------------------------------------------------------------- frontier
def pareto_front(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices of the points not dominated when maximising both ``a`` and ``b``.

    A point is dominated if another is at least as good in both and better in
    one; of identical points the first is kept. Sorted by ``a`` ascending.
    O(m log m): sort by ``a`` descending (ties: ``b`` descending) and keep each
    point whose ``b`` beats every point before it.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    idx = np.arange(a.size) if mask is None else np.flatnonzero(mask)
    idx = idx[np.isfinite(a[idx]) & np.isfinite(b[idx])]
    if idx.size == 0:
        return idx
    order = idx[np.lexsort((-b[idx], -a[idx]))]
    bs = b[order]
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(bs)[:-1]))
    keep = order[bs > best_before]
    return keep[np.argsort(a[keep], kind="stable")]


@dataclass(frozen=True)
class FrontierPoint:
    """A design and its payoffs (USD bn, PV)."""

    design: dict[str, float]
    investor: float
    host: float
    source: str = "grid"

    def to_dict(self) -> dict[str, Any]:
        return {**{k: float(v) for k, v in self.design.items()}, "investor_payoff_usd_bn": self.investor,
                "host_payoff_usd_bn": self.host, "source": self.source}


def solve_frontier(template: DesignTemplate, space: DesignSpace, *, targets: Sequence[float],
                   start: Mapping[str, np.ndarray] | None = None, start_payoffs: DesignPayoffs | None = None,
                   seed: int = 0, maxiter: int = 40, popsize: int = 8) -> list[FrontierPoint]:
    r"""Refine the frontier: for each ε in ``targets``, the design that maximises the
    host's payoff subject to the investor's payoff :math:`\ge \varepsilon` and
    feasibility, by ``scipy.optimize.differential_evolution`` (vectorised: one
    engine call per generation). The best feasible grid designs for each ε seed
    the initial population, and the method keeps the best feasible point, so
    each result is at least as good as the grid's."""
    from scipy.optimize import differential_evolution
    free = space.free
    if not free:
        return []
    lo = np.array([space.bounds[d][0] for d in free])
    hi = np.array([space.bounds[d][1] for d in free])
    X0 = space.to_matrix(start) if start is not None else None
    big = 1e6

    def energy(eps: float) -> Callable[[np.ndarray], np.ndarray]:
        def f(xt: np.ndarray) -> np.ndarray:
            x = np.clip(np.atleast_2d(xt.T), lo, hi)
            p = evaluate_designs(template, space.from_matrix(x))
            ok = p.feasible(template.investor)
            short = np.maximum(eps - p.investor, 0.0)
            return np.where(ok & (short <= 0), -p.host, big + 1e3 * short + big * (~ok))
        return f

    out: list[FrontierPoint] = []
    rng = np.random.default_rng(seed)
    size = max(5, popsize * len(free))
    for j, eps in enumerate(targets):
        init = rng.uniform(lo, hi, size=(size, len(free)))
        if X0 is not None and start_payoffs is not None:
            ok = start_payoffs.feasible(template.investor) & (start_payoffs.investor >= eps)
            cand = np.flatnonzero(ok)
            if cand.size:
                best = cand[np.argsort(-start_payoffs.host[cand])][: size // 2]
                init[: best.size] = X0[best]
        if np.any(hi - lo <= 0):
            span = hi - lo
            bounds = [(a, b if b > a else a + 1e-12) for a, b in zip(lo, hi)]
            init = np.clip(init, lo, lo + np.maximum(span, 1e-12))
        else:
            bounds = list(zip(lo, hi))
        res = differential_evolution(energy(float(eps)), bounds, init=init, vectorized=True, polish=False,
                                     maxiter=maxiter, tol=1e-8, seed=seed + j, updating="deferred")
        x = np.clip(res.x, lo, hi)
        p = evaluate_designs(template, space.from_matrix(x[None, :]))
        if p.feasible(template.investor)[0] and p.investor[0] >= eps - 1e-9:
            out.append(FrontierPoint({d: float(v[0]) for d, v in space.from_matrix(x[None, :]).items()},
                                     float(p.investor[0]), float(p.host[0]), "optimiser"))
    return out


# ---------------------------------------------------------------- proposals
@dataclass(frozen=True)
class ProposalPosition:
    """Where a shipped proposal lies against the zone and the frontier."""

    name: str
    title: str
    design: dict[str, float]
    investor: float
    host: float
    over_capacity_probability: float
    feasible: bool
    in_zone: bool
    dominated_by_frontier: bool
    equal_gain_to_frontier: float
    host_gain_at_same_investor_payoff: float
    investor_gain_at_same_host_payoff: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: a figure or design coordinate that does not exist (``nan``) becomes ``None``."""
        def clean(v: Any) -> Any:
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            return None if isinstance(v, float) and not np.isfinite(v) else v
        return clean(dataclasses.asdict(self))


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


def proposal_payoffs(scenario: Scenario, tree: ParameterNode | None, shock: ShockSpec | None, n_draws: int,
                     seed: int, stress_treatment: StressTreatment, relief: TariffRelief | None
                     ) -> tuple[float, float, float, dict[str, float]]:
    """Expected payoffs of one scenario (over the same draws as the designs)."""
    from ..assess import evaluate
    from ..resolve import resolve
    draws = shock.draw(n_draws, seed) if (shock is not None and shock.k and n_draws > 1) else {}
    n = max(1, n_draws if draws else 1)
    base_tree = tree if tree is not None else default_parameters()
    r = resolve(scenario, base_tree, draws=draws)
    p = evaluate(r, stress_treatment=stress_treatment, relief=relief).payoffs
    return (float(np.mean(p.investor)), float(np.mean(p.host)),
            float(np.mean(np.broadcast_to(p.any_over_capacity, (n,)))), design_of(r.vehicle))


# ---------------------------------------------------------------- zone
@dataclass(frozen=True)
class ZoneOfAgreement:
    """Designs priced on a grid, the zone of possible agreement, the frontier
    (grid and optimiser points) and where each proposal lies."""

    base: str
    space: DesignSpace
    designs: dict[str, np.ndarray] = field(repr=False)
    payoffs: DesignPayoffs = field(repr=False)
    investor: Investor = field(repr=False)
    host: Host = field(repr=False)
    relief_source: str = ""
    n_draws: int = 1
    seed: int = 0
    refined: tuple[FrontierPoint, ...] = ()
    proposals: tuple[ProposalPosition, ...] = ()

    @property
    def investor_reservation(self) -> float:
        return float(np.mean(self.investor.reservation_value_usd_bn))

    @property
    def host_reservation(self) -> float:
        return float(np.mean(self.host.reservation_value_usd_bn))

    @cached_property
    def feasible(self) -> np.ndarray:
        return self.payoffs.feasible(self.investor)

    @cached_property
    def in_zone(self) -> np.ndarray:
        """Feasible designs that give both sides at least their reservation value."""
        return (self.feasible & (self.payoffs.investor >= self.investor_reservation)
                & (self.payoffs.host >= self.host_reservation))

    @cached_property
    def frontier(self) -> np.ndarray:
        """Grid indices of the Pareto frontier of the feasible designs (by investor payoff)."""
        return pareto_front(self.payoffs.investor, self.payoffs.host, self.feasible)

    def frontier_points(self, *, zone_only: bool = False) -> list[FrontierPoint]:
        """Grid frontier and optimiser points, filtered again for dominance."""
        pts = [FrontierPoint({d: float(self.designs[d][i]) for d in DIMENSIONS}, float(self.payoffs.investor[i]),
                             float(self.payoffs.host[i]), "grid") for i in self.frontier]
        pts += list(self.refined)
        if not pts:
            return []
        a = np.array([p.investor for p in pts])
        b = np.array([p.host for p in pts])
        keep = pareto_front(a, b)
        out = [pts[i] for i in keep]
        if zone_only:
            out = [p for p in out if p.investor >= self.investor_reservation and p.host >= self.host_reservation]
        return out

    def frontier_frame(self, *, zone_only: bool = False) -> pd.DataFrame:
        return pd.DataFrame([p.to_dict() for p in self.frontier_points(zone_only=zone_only)])

    @cached_property
    def nash(self) -> FrontierPoint | None:
        """The Nash bargaining solution: the frontier point maximising the product
        of both sides' gains over their reservation values."""
        pts = self.frontier_points(zone_only=True)
        if not pts:
            return None
        prod = [(p.investor - self.investor_reservation) * (p.host - self.host_reservation) for p in pts]
        return pts[int(np.argmax(prod))]

    def proposals_frame(self) -> pd.DataFrame:
        return pd.DataFrame([p.to_dict() for p in self.proposals])

    def to_dict(self) -> dict[str, Any]:
        from .. import __version__
        nash = self.nash
        return {
            "tradepact_version": __version__, "base": self.base, "n_draws": self.n_draws, "seed": self.seed,
            "stress": self.investor.stress, "tariff_relief": self.relief_source,
            "reservation_values_usd_bn": {"investor": self.investor_reservation, "host": self.host_reservation},
            "design_space": {"bounds": {k: list(v) for k, v in self.space.bounds.items()},
                             "fixed": dict(self.space.fixed)},
            "grid": {"designs": int(self.feasible.size), "feasible": int(self.feasible.sum()),
                     "in_zone": int(self.in_zone.sum())},
            "frontier": [p.to_dict() for p in self.frontier_points()],
            "nash_bargaining_solution": nash.to_dict() if nash else None,
            "proposals": [p.to_dict() for p in self.proposals],
        }

    @property
    def summary(self) -> str:
        lines = [f"Zone of possible agreement around {self.base}: {int(self.in_zone.sum()):,} of "
                 f"{self.feasible.size:,} designs ({int(self.feasible.sum()):,} feasible)"]
        lines.append(self.frontier_frame().to_string(float_format=lambda v: f"{v:,.2f}"))
        if self.proposals:
            lines.append(self.proposals_frame()[["name", "investor", "host", "in_zone",
                                                 "equal_gain_to_frontier"]].to_string())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary


def find_zopa(base: Scenario | str | Path = "us_kr_2025/final", *, space: DesignSpace | None = None,
              grid: Mapping[str, Sequence[float]] | None = None, proposals: Iterable[Scenario | str | Path] = (),
              n_draws: int = 0, seed: int = 0, uncertainty_from: Scenario | str | Path | None = None,
              tree: ParameterNode | None = None, stress_treatment: StressTreatment = "hard",
              relief: TariffRelief | None = None, refine: int = 8, maxiter: int = 40,
              workers: int | None = 1, scheduler: str | None = None, client: Any = None,
              processes: bool = True, chunk_draws: int = 256,
              progress: Callable[[int, int], None] | None = None) -> ZoneOfAgreement:
    """Price a grid of designs around ``base``, find the zone and the frontier,
    refine the frontier with ``refine`` optimiser points, and place ``proposals``.

    With ``n_draws > 1`` payoffs are expected values over draws of the base
    scenario's uncertainty (or of ``uncertainty_from``), chunked over draws
    (``chunk_draws``) on the chosen executor (in process, a Dask LocalCluster
    with ``workers``, or ``scheduler``); results are identical on any executor.
    """
    from ..assess import load
    from ..macro.montecarlo import uncertainty_model
    from ..scale import chunk_ranges, map_chunks
    sc = load(base)
    space = space or DesignSpace()
    designs = space.grid(grid)
    shock = None
    if n_draws and n_draws > 1:
        holder = load(uncertainty_from) if uncertainty_from is not None else None
        if holder is None and not sc.spec.uncertainty:
            raise with_value("the base scenario has no uncertainty to draw from", location=Location(
                sc.source, None, "uncertainty"), value=sc.name,
                expected="a base with an 'uncertainty' block, or uncertainty_from / --uncertainty", cls=ScenarioError)
        shock = uncertainty_model(sc, tree, uncertainty_from=holder).shock
        plan = _SweepPlan(sc, tree, shock, int(seed), stress_treatment, relief, designs)
        parts = map_chunks(_sweep_chunk, plan, chunk_ranges(int(n_draws), int(chunk_draws)), workers=workers,
                           scheduler=scheduler, client=client, processes=processes,
                           rows_per_item=designs["cash_share"].size * 40, progress=progress)
        uk = sum(p[0] for p in parts) / n_draws
        uh = sum(p[1] for p in parts) / n_draws
        over = sum(p[2] for p in parts) / n_draws
        pay = DesignPayoffs(uk, uh, over, parts[0][3], int(n_draws))
        # The optimiser works on the first OPTIMISER_DRAWS draws; its points are
        # then priced again on all of them.
        template = template_from_scenario(sc, tree, draws=shock.draw(min(n_draws, OPTIMISER_DRAWS), seed),
                                          stress_treatment=stress_treatment, relief=relief)
    else:
        template = template_from_scenario(sc, tree, stress_treatment=stress_treatment, relief=relief)
        pay = evaluate_designs(template, designs)
        if progress is not None:
            progress(1, 1)
    zone = ZoneOfAgreement(sc.name, space, designs, pay, template.investor, template.host,
                           template.relief.source, int(max(n_draws, 1)), int(seed))
    refined: list[FrontierPoint] = []
    if refine and zone.feasible.any():
        front = zone.frontier_points(zone_only=True) or zone.frontier_points()
        lo = max(zone.investor_reservation, min(p.investor for p in front))
        hi = max(p.investor for p in front)
        targets = np.linspace(lo, hi, refine) if hi > lo else [lo]
        start_pay = pay if template.n_draws == pay.n_draws else evaluate_designs(template, designs)
        refined = solve_frontier(template, space, targets=targets, start=designs, start_payoffs=start_pay,
                                 seed=seed, maxiter=maxiter)
        if refined and template.n_draws != pay.n_draws:
            refined = _reprice(refined, space, sc, tree, shock, int(n_draws), int(seed), stress_treatment,
                               relief, zone)
    positions = []
    for item in proposals:
        p_sc = load(item)
        uk, uh, po, coords = proposal_payoffs(p_sc, tree, shock, int(n_draws), int(seed), stress_treatment, relief)
        positions.append((p_sc, uk, uh, po, coords))
    zone = dataclasses.replace(zone, refined=tuple(refined))
    front = zone.frontier_points()
    fa = np.array([p.investor for p in front]) if front else np.zeros(0)
    fb = np.array([p.host for p in front]) if front else np.zeros(0)
    out = []
    for p_sc, uk, uh, po, coords in positions:
        limit = template.investor.max_over_capacity_probability if n_draws > 1 else 0.0
        feasible = (po <= limit + 1e-12) if template.investor.stress == "hard" else True
        in_zone = bool(feasible and uk >= zone.investor_reservation and uh >= zone.host_reservation)
        gain = float(np.max(np.minimum(fa - uk, fb - uh))) if fa.size else float("nan")
        same_k = fb[fa >= uk - 1e-9]
        same_h = fa[fb >= uh - 1e-9]
        out.append(ProposalPosition(
            p_sc.name, p_sc.spec.title, coords, uk, uh, po, bool(feasible), in_zone, bool(gain > 1e-6), gain,
            float(same_k.max() - uh) if same_k.size else float("nan"),
            float(same_h.max() - uk) if same_h.size else float("nan")))
    return dataclasses.replace(zone, proposals=tuple(out))


def _reprice(points: list[FrontierPoint], space: DesignSpace, sc: Scenario, tree: ParameterNode | None,
             shock: ShockSpec, n_draws: int, seed: int, stress_treatment: StressTreatment,
             relief: TariffRelief | None, zone: ZoneOfAgreement) -> list[FrontierPoint]:
    """Optimiser points priced on all draws; those no longer feasible are dropped."""
    from ..scale import chunk_ranges
    designs = {d: np.array([p.design[d] for p in points]) for d in DIMENSIONS}
    plan = _SweepPlan(sc, tree, shock, seed, stress_treatment, relief, designs)
    parts = [_sweep_chunk(plan, a, b) for a, b in chunk_ranges(n_draws, 256)]
    pay = DesignPayoffs(sum(p[0] for p in parts) / n_draws, sum(p[1] for p in parts) / n_draws,
                        sum(p[2] for p in parts) / n_draws, parts[0][3], n_draws)
    ok = pay.feasible(zone.investor)
    return [FrontierPoint(p.design, float(pay.investor[i]), float(pay.host[i]), "optimiser")
            for i, p in enumerate(points) if ok[i]]


@dataclass(frozen=True)
class _SweepPlan:
    scenario: Scenario
    tree: ParameterNode | None
    shock: ShockSpec
    seed: int
    stress_treatment: str
    relief: Any
    designs: dict[str, np.ndarray]


def _sweep_chunk(plan: _SweepPlan, start: int, stop: int) -> tuple[np.ndarray, ...]:
    """Sums over draws ``[start, stop)`` of each design's payoffs (designs × draws rows)."""
    draws = plan.shock.sample(plan.seed, start, stop)
    template = template_from_scenario(plan.scenario, plan.tree, draws=draws,
                                      stress_treatment=plan.stress_treatment, relief=plan.relief)
    return _sums(template, plan.designs)


__all__ = ["DEFAULT_BOUNDS", "DEFAULT_GRID", "DIMENSIONS", "DesignPayoffs", "DesignSpace", "DesignTemplate",
           "FrontierPoint", "ProposalPosition", "ZoneOfAgreement", "design_of", "design_vehicle",
           "evaluate_designs", "find_zopa", "pareto_front", "proposal_payoffs", "solve_frontier",
           "template_from_scenario"]
