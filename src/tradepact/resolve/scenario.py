"""Scenario + parameters → engine inputs, recording where every number came from.

The :mod:`tradepact.resolve` package is the only reader of parameters. It turns the scenario format
into engine objects (the vehicle, the investor's macro position, both
parties' payoff terms, the tariff engine's inputs) and reads every number
through a :class:`ParameterReader` (shipped or overridden parameters) or from
the scenario file itself; both are recorded as
:class:`~tradepact.core.parameters.ParameterUse` so an assessment can cite
each input. :mod:`tradepact.resolve.uncertainty` reads the distributions of a scenario's
uncertain parameters the same way.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import limits
from ..core.errors import ParameterError, ScenarioError, ScheduleError, TradepactError, with_value
from ..core.instruments import INSTRUMENTS, Terms
from ..core.parameters import ParameterNode, ParameterReader, ParameterUse
from ..core.scenario import (
    CappedAnnualSpec, dotted, ExplicitSpec, ParamRef, Scenario, SelectionWindowSpec, TrancheSpec,
    UpfrontSpec,
)
from ..macro.stress import MacroPosition
from ..negotiation.parties import Host, Investor, PartyInputs, StressTreatment
from ..tariffs.relief import ReliefInputs
from ..vehicle.cashflows import disburse
from ..vehicle.instruments import (
    CappedAnnual, Explicit, InvestmentVehicle, ProfitShare, Schedule, SelectionWindow, Tranche, Upfront,
)
from .measures import measure_paths_in, policy_parameters
from .tariffs import relief_inputs

#: (lowest, highest, what is expected) for fields by name.
_RANGES: dict[str, tuple[float, float, str]] = {
    "amount_usd_bn": (0, np.inf, "an amount of 0 or more (USD bn)"),
    "cap_usd_bn": (1e-12, np.inf, "a cap above 0 (USD bn per year)"),
    "investor_share_before_recoup": (0, 1, "a share from 0 to 1"),
    "investor_share_after_recoup": (0, 1, "a share from 0 to 1"),
    "discount_rate": (-0.99, 1, "an annual rate from -0.99 to 1 (a fraction, not a percent)"),
    "cash_yield_rate": (-1, 1, "an annual rate from -1 to 1 (a fraction)"),
    "interest_rate": (-1, 1, "an annual rate from -1 to 1 (a fraction)"),
    "fee_rate": (0, 1, "an annual rate from 0 to 1 (a fraction)"),
    "tenor_years": (1e-12, 100, "a tenor above 0 years"),
    "grace_years": (0, 100, "0 or more years"),
    "annual_default_probability": (0, 1, "a probability from 0 to 1"),
    "annual_call_probability": (0, 1, "a probability from 0 to 1"),
    "loss_given_default_share": (0, 1, "a share from 0 to 1"),
    "loss_given_call_share": (0, 1, "a share from 0 to 1"),
    "start_year": (limits.YEAR_MIN, limits.YEAR_MAX, limits.year_range_text()),
    "horizon_end_year": (limits.YEAR_MIN, limits.YEAR_MAX, limits.year_range_text()),
    "year": (limits.YEAR_MIN, limits.YEAR_MAX, limits.year_range_text()),
    "funding_lag_business_days": (0, limits.MAX_FUNDING_LAG_BUSINESS_DAYS,
                                  f"0 to {limits.MAX_FUNDING_LAG_BUSINESS_DAYS} business days"),
    "fx_reserves_usd_bn": (1e-9, np.inf, "reserves above 0 (USD bn; the stress ratios divide by them)"),
}

#: Investor-economy inputs read once, on the scenario's ``as_of`` date (starting levels).
MACRO_LEVELS = ("fx_reserves_usd_bn", "reserve_income_usd_bn")
#: Inputs read for each modelled year (see ``ParameterReader.series``); the exchange
#: rate is the folder's ``exchange_rate_<ccy>_per_usd``.
MACRO_SERIES = ("current_account_usd_bn", "gdp_usd_bn", "usd_supply_capacity_usd_bn")

NEGOTIATION = "assumptions.negotiation"
#: Parameters of both sides' payoffs (see ``docs/negotiation.md``).
PARTY_PATHS = {
    "withdrawal": f"{NEGOTIATION}.tariff_relief.annual_withdrawal_probability",
    "investor_reservation": f"{NEGOTIATION}.investor.reservation_value_usd_bn",
    "stress_penalty": f"{NEGOTIATION}.investor.stress_penalty_share",
    "max_over_capacity": f"{NEGOTIATION}.investor.max_over_capacity_probability",
    "host_reservation": f"{NEGOTIATION}.host.reservation_value_usd_bn",
    "host_discount": f"{NEGOTIATION}.host.discount_rate",
}
#: Exporter incidence of the relief by sector (``<sector>_share`` and ``default_share``).
INCIDENCE = f"{NEGOTIATION}.tariff_relief.exporter_incidence"
#: How the design space splits the non-cash part that is not guarantees.
SHIPBUILDING = "assumptions.instruments.shipbuilding"


@dataclass(frozen=True)
class DesignDefaults:
    """What a design around this scenario takes from parameters: each
    instrument's terms and funding, and the company-FDI share of the part
    that is neither cash nor guarantees (the rest is loans)."""

    terms: Mapping[str, Terms]
    funding: Mapping[str, str]
    fdi_share_of_rest: float


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario turned into engine inputs, with the provenance of each."""

    scenario: Scenario
    vehicle: InvestmentVehicle
    position: MacroPosition
    provenance: tuple[ParameterUse, ...]
    tree: ParameterNode
    tariffs: ReliefInputs
    parties: PartyInputs
    design: DesignDefaults
    draws: Mapping[str, np.ndarray] = field(default_factory=dict)
    #: Draws of tariff-measure parameters (``us.tariffs.<authority>.<id>.<field>``): the
    #: relief varies by draw (see :func:`tradepact.studies.assess.stream_of`).
    tariff_draws: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_draws(self) -> int:
        return max([1] + [np.asarray(v).size for v in self.draws.values()])

    @property
    def name(self) -> str:
        return self.scenario.name


def party_paths() -> tuple[str, ...]:
    """Every parameter path the payoffs read (they may carry a distribution)."""
    inc = tuple(p.path for p in policy_parameters().get(INCIDENCE).walk())
    return tuple(PARTY_PATHS.values()) + inc + tuple(s.host_value_path for s in INSTRUMENTS.values())


class _Resolver:
    def __init__(self, scenario: Scenario, tree: ParameterNode, draws: dict[str, Any] | None):
        self.sc = scenario
        self.reader = ParameterReader(tree, scenario.spec.as_of)
        self.literals: list[ParameterUse] = []
        self.draws = draws or {}

    def _param(self, path: str, loc: tuple[Any, ...]) -> Any:
        try:
            value = self.reader.number(path)
        except ParameterError as exc:
            raise ScenarioError(str(exc).split(": ", 1)[-1] if exc.location and not exc.location.file
                                else str(exc), location=self.sc.locate(loc)) from None
        return self.draws.get(path, value)

    def param(self, path: str) -> Any:
        """A parameter's value on ``as_of`` (or its draws)."""
        return self._param(path, ("parameters", path))

    def number(self, value: Any, loc: tuple[Any, ...], *, integer: bool = False) -> Any:
        """A literal or referenced number, finite and in its field's range; a bad
        value is blamed on where it was written (the scenario's own ``parameters:``
        if it overrides the referenced parameter)."""
        field_name = str(loc[-1])
        blame = loc
        if isinstance(value, ParamRef) and value.param in self.sc.spec.parameters:
            blame = ("parameters", value.param)
        if isinstance(value, ParamRef):
            out = self._param(value.param, loc + ("param",))
            for i, factor in enumerate(value.times):
                out = out * (self._param(factor, loc + ("times", i)) if isinstance(factor, str)
                             else float(factor))
        else:
            out = value
            where = dotted(loc)
            self.literals.append(ParameterUse(
                f"scenario:{self.sc.name}:{where}", self.sc.spec.as_of, value, "", self.sc.spec.as_of,
                "assumption", "set in the scenario file", (self.sc.reference(where),)))
        rng = _RANGES.get(field_name)
        try:
            arr = np.asarray(out, dtype=float)
        except (TypeError, ValueError, OverflowError):
            raise with_value("not a number", location=self.sc.locate(blame), value=str(out)[:40],
                             expected=rng[2] if rng else "a finite number", cls=ScenarioError) from None
        lo, hi, expected = rng if rng is not None else (-np.inf, np.inf, "a finite number")
        with np.errstate(invalid="ignore"):
            bad_mask = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
        if np.any(bad_mask):
            bad = float(arr[bad_mask].flat[0]) if arr.ndim else float(arr)
            raise with_value("value out of range" if np.isfinite(bad) else "a number that is not finite",
                             location=self.sc.locate(blame), value=bad, expected=expected, cls=ScenarioError)
        if integer:
            if arr.ndim or float(arr) != int(arr):
                raise with_value("expected a whole year", location=self.sc.locate(blame),
                                 value=out if arr.ndim == 0 else f"{arr.size} draws",
                                 expected="a calendar year such as 2026", cls=ScenarioError)
            return int(arr)
        return out if isinstance(out, np.ndarray) else float(out)

    def series(self, path: str, years: np.ndarray, loc: tuple[Any, ...]) -> Any:
        """A ``(1, n_years)`` row of yearly values, or the ``(n,)`` draws if drawn."""
        if path in self.draws:
            self._param(path, loc)
            return self.draws[path]
        try:
            return np.asarray(self.reader.series(path, years))[None, :]
        except ParameterError as exc:
            raise ScenarioError(str(exc), location=self.sc.locate(loc)) from None

    def date(self, value: Any, loc: tuple[Any, ...]) -> _dt.date:
        if isinstance(value, ParamRef):
            try:
                day = self.reader.date(value.param)
            except (ParameterError, ValueError) as exc:
                raise ScenarioError(str(exc), location=self.sc.locate(loc + ("param",))) from None
            if not limits.YEAR_MIN <= day.year <= limits.YEAR_MAX:
                raise with_value("date out of range", location=self.sc.locate(loc + ("param",)),
                                 value=day.isoformat(), expected=f"a date from {limits.YEAR_MIN} to "
                                 f"{limits.YEAR_MAX}", cls=ScenarioError)
            return day
        if not limits.YEAR_MIN <= value.year <= limits.YEAR_MAX:
            raise with_value("date out of range", location=self.sc.locate(loc), value=value.isoformat(),
                             expected=f"a date from {limits.YEAR_MIN} to {limits.YEAR_MAX}", cls=ScenarioError)
        self.literals.append(ParameterUse(
            f"scenario:{self.sc.name}:{dotted(loc)}", self.sc.spec.as_of, value.isoformat(), "date",
            self.sc.spec.as_of, "assumption", "set in the scenario file",
            (self.sc.reference(dotted(loc)),)))
        return value

    def schedule(self, spec: Any, loc: tuple[Any, ...], start_year: int) -> Schedule:
        def year(v: Any, key: str) -> int:
            return start_year if v is None else self.number(v, loc + (key,), integer=True)
        if isinstance(spec, UpfrontSpec):
            return Upfront(year(spec.year, "year"))
        if isinstance(spec, CappedAnnualSpec):
            return CappedAnnual(year(spec.start_year, "start_year"),
                                self.number(spec.cap_usd_bn, loc + ("cap_usd_bn",)))
        if isinstance(spec, ExplicitSpec):
            for y, a in spec.amounts_usd_bn.items():
                self.number(int(y), loc + ("amounts_usd_bn", y, "year"), integer=True)
            return Explicit(tuple(sorted((int(y), float(a)) for y, a in spec.amounts_usd_bn.items())))
        if isinstance(spec, SelectionWindowSpec):
            lag = spec.funding_lag_business_days
            lag_n = self.number(lag, loc + ("funding_lag_business_days",), integer=True)
            return SelectionWindow(year(spec.start_year, "start_year"),
                                   self.date(spec.deadline, loc + ("deadline",)), lag_n)
        raise TypeError(spec)  # pragma: no cover

    def terms(self, instrument: str, given: Any, loc: tuple[Any, ...]) -> Terms:
        """An instrument's terms: the scenario's, else the cited default parameter."""
        spec = INSTRUMENTS[instrument]
        for key in (given.model_dump(exclude_none=True) if given is not None else {}):
            if key not in spec.term_paths:
                raise with_value(f"term does not apply to instrument '{instrument}'",
                                 location=self.sc.locate(loc + ("terms", key)), value=key,
                                 expected="one of " + ", ".join(spec.term_paths), cls=ScenarioError)
        values = {}
        for key, path in spec.term_paths.items():
            v = getattr(given, key, None) if given is not None else None
            values[key] = self.number(v if v is not None else ParamRef(param=path), loc + ("terms", key))
        return spec.terms_class(**values)

    def tranche(self, t: TrancheSpec, i: int, start_year: int, years: np.ndarray) -> Tranche:
        loc = ("tranches", i)
        if len(years) > limits.MAX_HORIZON_YEARS:
            raise with_value("the horizon is too long", location=self.sc.locate(("horizon_end_year",)),
                             value=f"{len(years)} years ({int(years[0])}-{int(years[-1])})",
                             expected=f"at most {limits.MAX_HORIZON_YEARS} modelled years", cls=ScenarioError)
        amount = self.number(t.amount_usd_bn, loc + ("amount_usd_bn",))
        try:
            terms = self.terms(t.instrument, t.terms, loc)
        except TradepactError as exc:
            if exc.location is not None and exc.location.file:
                raise
            raise type(exc)(str(exc), location=self.sc.locate(loc + ("terms",))) from None
        tenor, grace = getattr(terms, "tenor_years", None), getattr(terms, "grace_years", None)
        if tenor is not None and grace is not None and np.any(np.asarray(tenor) <= np.asarray(grace)):
            key = "tenor_years" if t.terms is not None and t.terms.tenor_years is not None else "grace_years"
            raise with_value("a loan's tenor must be longer than its grace period",
                             location=self.sc.locate(loc + ("terms", key)),
                             value=f"tenor {float(np.min(tenor)):g}, grace {float(np.max(grace)):g} years",
                             expected="tenor_years above grace_years", cls=ScenarioError)
        schedule = self.schedule(t.schedule, loc + ("schedule",), start_year)
        if isinstance(t.schedule, ExplicitSpec) and not isinstance(amount, np.ndarray):
            total = sum(t.schedule.amounts_usd_bn.values())
            if abs(total - amount) > 1e-6 * max(1.0, abs(amount)):
                raise with_value(f"explicit amounts add up to {total:g}, not the tranche amount "
                                 f"{amount:g}", location=self.sc.locate(loc + ("schedule", "amounts_usd_bn")),
                                 value=total, expected=f"amounts adding up to {amount:g} USD bn",
                                 cls=ScheduleError)
        try:
            n_rows = max(np.asarray(amount).size, np.asarray(getattr(schedule, "cap_usd_bn", 0.0)).size)
            disburse(schedule, amount, years, n_rows)
        except ScheduleError as exc:
            err = ScheduleError(str(exc), location=self.sc.locate(loc + ("schedule",)))
            err.expected = exc.expected
            raise err from None
        funding = t.funding or INSTRUMENTS[t.instrument].default_funding
        return Tranche(t.name, t.instrument, amount, schedule, terms, funding)

    def parties(self, investor_discount_rate: Any, stress: StressTreatment) -> PartyInputs:
        p = {k: self.param(path) for k, path in PARTY_PATHS.items()}
        investor = Investor("investor", investor_discount_rate, p["investor_reservation"], True, stress=stress,
                            stress_penalty_share=p["stress_penalty"],
                            max_over_capacity_probability=float(np.mean(p["max_over_capacity"])))
        host = Host("host", p["host_discount"], p["host_reservation"], True,
                    value_share={k: self.param(s.host_value_path) for k, s in INSTRUMENTS.items()})
        return PartyInputs(investor, host, self.incidence(), p["withdrawal"])

    def incidence(self) -> dict[str, Any]:
        """Exporter incidence by sector: every ``<sector>_share`` of the node, and ``default``."""
        node = self.reader.tree.get(INCIDENCE)
        out = {}
        for name in node.children:
            if name.endswith("_share"):
                key = name[: -len("_share")]
                out[key] = self.param(f"{INCIDENCE}.{name}")
        return out

    def design(self, vehicle: InvestmentVehicle) -> DesignDefaults:
        """Defaults of designs around this scenario, read apart from the assessment's
        provenance (an instrument the scenario does not use is not its input)."""
        main_reader, main_literals = self.reader, self.literals
        self.reader, self.literals = ParameterReader(main_reader.tree, main_reader.on), []
        try:
            return self._design(vehicle)
        finally:
            self.reader, self.literals = main_reader, main_literals

    def _design(self, vehicle: InvestmentVehicle) -> DesignDefaults:
        terms: dict[str, Terms] = {}
        funding: dict[str, str] = {}
        for tr in vehicle.tranches:
            terms.setdefault(tr.instrument, tr.terms)
            funding.setdefault(tr.instrument, tr.funding)
        for name, spec in INSTRUMENTS.items():
            if name not in terms:
                terms[name] = self.terms(name, None, ("instruments", name))
                funding[name] = spec.default_funding
        fdi = float(np.mean(self.param(f"{SHIPBUILDING}.company_fdi_share")))
        loan = float(np.mean(self.param(f"{SHIPBUILDING}.ship_finance_share")))
        return DesignDefaults(terms, funding, fdi / (fdi + loan) if fdi + loan > 0 else 0.5)

    def macro(self, years: np.ndarray) -> MacroPosition:
        folder = self.sc.spec.investor_macro
        levels = {f: self.number(ParamRef(param=f"{folder}.{f}"), ("investor_macro", f)) for f in MACRO_LEVELS}
        series = {f: self.series(f"{folder}.{f}", years, ("investor_macro", f)) for f in MACRO_SERIES}
        try:
            node = self.reader.tree.get(folder)
        except ParameterError as exc:
            raise ScenarioError(str(exc).split(": ", 1)[-1], location=self.sc.locate(("investor_macro",))) from None
        rates = [p for p in node.walk() if p.path.rsplit(".", 1)[-1].startswith("exchange_rate_")
                 and p.unit.endswith("_per_usd")]
        if len(rates) != 1:
            raise with_value("the investor's macro folder needs exactly one exchange rate parameter",
                             location=self.sc.locate(("investor_macro",)), value=[p.path for p in rates],
                             expected=f"one file {folder}.exchange_rate_<ccy>_per_usd", cls=ScenarioError)
        currency = rates[0].unit.split("_", 1)[0].upper()
        fx = self.series(rates[0].path, years, ("investor_macro", rates[0].path.rsplit(".", 1)[-1]))
        return MacroPosition(**levels, **series, exchange_rate_lcu_per_usd=fx, currency=currency)


def resolve(scenario: Scenario, tree: ParameterNode | None = None, *,
            draws: dict[str, Any] | None = None, stress: StressTreatment = "hard") -> ResolvedScenario:
    """Build the engine inputs of a scenario.

    ``draws`` maps parameter paths to ``(n_draws,)`` arrays that replace the
    parameter's value (Monte Carlo); everything else is read on ``as_of``.
    The engines return ``n_draws`` rows whichever inputs the draws touch.
    ``stress`` is the investor's treatment of years over capacity in its payoff.
    """
    base_tree = tree if tree is not None else policy_parameters()
    tree = scenario.apply_overlay(base_tree)
    r = _Resolver(scenario, tree, draws)
    spec = scenario.spec
    start = r.number(spec.start_year, ("start_year",), integer=True)
    end = r.number(spec.horizon_end_year, ("horizon_end_year",), integer=True)
    if end < start:
        raise with_value("the horizon ends before it starts", location=scenario.locate(("horizon_end_year",)),
                         value=end, expected=f"a year from {start} on", cls=ScenarioError)
    years = np.arange(start, end + 1)
    tranches = tuple(r.tranche(t, i, start, years) for i, t in enumerate(spec.tranches))
    names = [t.name for t in tranches]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise with_value("tranche names repeat", location=scenario.locate(("tranches",)), value=dupes,
                         expected="a different name for each tranche", cls=ScenarioError)
    split = ProfitShare(
        r.number(spec.profit_split.investor_share_before_recoup,
                 ("profit_split", "investor_share_before_recoup")),
        r.number(spec.profit_split.investor_share_after_recoup,
                 ("profit_split", "investor_share_after_recoup")))
    vehicle = InvestmentVehicle(tranches, split, start, end,
                                r.number(spec.discount_rate, ("discount_rate",)),
                                labels={"investor": spec.investor, "host": spec.host})
    position = r.macro(years)
    parties = r.parties(vehicle.discount_rate, stress)
    design = r.design(vehicle)
    tariffs, trade_uses = relief_inputs(scenario, r.reader, start_year=int(start))
    drawn = {p: np.asarray(v, float) for p, v in (draws or {}).items() if p in measure_paths_in([p])}
    provenance = r.reader.uses + tuple(r.literals) + tariffs.provenance() + trade_uses
    return ResolvedScenario(scenario, vehicle, position, provenance, tree, tariffs, parties, design,
                            dict(draws or {}), drawn)


__all__ = ["DesignDefaults", "ResolvedScenario", "party_paths", "resolve", "PARTY_PATHS"]
