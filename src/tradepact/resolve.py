"""Scenario + parameters → engine inputs, recording where every number came from.

This is the only place that turns the scenario format into engine objects.
Every number the engines receive is read through a :class:`ParameterReader`
(shipped or overridden parameters) or taken from the scenario file itself;
both are recorded as :class:`~tradepact.core.parameters.ParameterUse` so an
assessment can cite each input.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .core.errors import ParameterError, ScenarioError, ScheduleError, with_value
from .core.parameters import ParameterNode, ParameterReader, ParameterUse, default_parameters
from .core.scenario import (
    CappedAnnualSpec, dotted, ExplicitSpec, ParamRef, Scenario, SelectionWindowSpec, TrancheSpec,
    UpfrontSpec,
)
from .macro.stress import MacroPosition
from .tariffs.data import TradeTable, firm_inputs
from .tariffs.relief import ReliefInputs, shipped_relief, shipped_tariff_data
from .vehicle.cashflows import disburse
from .vehicle.instruments import (
    DEFAULT_FUNDING, CappedAnnual, EquityTerms, Explicit, FdiTerms, GuaranteeTerms, InvestmentVehicle, LoanTerms,
    ProfitShare, Schedule, SelectionWindow, Tranche, Upfront,
)

#: Terms each instrument takes, with the parameter each defaults to.
TERM_DEFAULTS: dict[str, dict[str, str]] = {
    "cash_equity": {"cash_yield_rate": "assumptions.vehicle.project_cash_yield_rate"},
    "company_fdi": {"cash_yield_rate": "assumptions.instruments.company_fdi.cash_yield_rate"},
    "loan": {k: f"assumptions.instruments.loan.{k}" for k in (
        "interest_rate", "tenor_years", "grace_years", "annual_default_probability",
        "loss_given_default_share")},
    "guarantee": {k: f"assumptions.instruments.guarantee.{k}" for k in (
        "annual_call_probability", "loss_given_call_share", "tenor_years", "fee_rate")},
}
_TERMS_CLASS = {"cash_equity": EquityTerms, "company_fdi": FdiTerms, "loan": LoanTerms,
                "guarantee": GuaranteeTerms}

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
}

#: Investor-economy inputs read once, on the scenario's ``as_of`` date (starting levels).
MACRO_LEVELS = ("fx_reserves_usd_bn", "reserve_income_usd_bn")
#: Inputs read for each modelled year (see ``ParameterReader.series``).
MACRO_SERIES = ("current_account_usd_bn", "gdp_usd_bn", "exchange_rate_krw_per_usd",
                "usd_supply_capacity_usd_bn")


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario turned into engine inputs, with the provenance of each."""

    scenario: Scenario
    vehicle: InvestmentVehicle
    position: MacroPosition
    provenance: tuple[ParameterUse, ...]
    tree: ParameterNode
    tariffs: ReliefInputs
    draws: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_draws(self) -> int:
        return max([1] + [np.asarray(v).size for v in self.draws.values()])

    @property
    def name(self) -> str:
        return self.scenario.name


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

    def number(self, value: Any, loc: tuple[Any, ...], *, integer: bool = False) -> Any:
        field = str(loc[-1])
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
        rng = _RANGES.get(field)
        arr = np.asarray(out, dtype=float)
        if rng is not None and (np.any(arr < rng[0]) or np.any(arr > rng[1]) or np.any(np.isnan(arr))):
            bad = float(arr[(arr < rng[0]) | (arr > rng[1]) | np.isnan(arr)].flat[0]) if arr.ndim else float(arr)
            raise with_value("value out of range", location=self.sc.locate(loc), value=bad,
                             expected=rng[2], cls=ScenarioError)
        if integer:
            if arr.ndim or float(arr) != int(arr):
                raise with_value("expected a whole year", location=self.sc.locate(loc), value=out,
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
                return self.reader.date(value.param)
            except (ParameterError, ValueError) as exc:
                raise ScenarioError(str(exc), location=self.sc.locate(loc + ("param",))) from None
        self.literals.append(ParameterUse(
            f"scenario:{self.sc.name}:{dotted(loc)}", self.sc.spec.as_of, value.isoformat(), "date",
            self.sc.spec.as_of, "assumption", "set in the scenario file",
            (self.sc.reference(dotted(loc)),)))
        return value

    def tariffs(self) -> tuple[ReliefInputs, TradeTable]:
        """The tariff engine's inputs: the scenario's two regimes, the shipped
        measures and trade table, and the automakers' parameters."""
        spec = self.sc.spec.tariffs
        system, _, table = shipped_tariff_data()
        for key in ("with_deal", "without_deal"):
            name = getattr(spec, key)
            if name not in system.regimes:
                raise with_value("unknown tariff regime", location=self.sc.locate(("tariffs", key)), value=name,
                                 expected="one of " + ", ".join(sorted(system.regimes)), cls=ScenarioError)
        partner = self.sc.spec.investor
        if partner not in set(table.imports.data["partner"].unique().to_list()):
            raise with_value("the shipped trade table has no exports of the investor",
                             location=self.sc.locate(("investor",)), value=partner,
                             expected="a partner of the shipped trade table, e.g. KOR", cls=ScenarioError)
        shares, costs = firm_inputs(self.reader)
        inputs = shipped_relief(spec.with_deal, spec.without_deal, partner, tuple(sorted(shares.items())),
                                tuple(sorted(costs.items())), spec.response, spec.method)
        return inputs, table

    def schedule(self, spec: Any, loc: tuple[Any, ...], start_year: int) -> Schedule:
        def year(v: Any, key: str) -> int:
            return start_year if v is None else self.number(v, loc + (key,), integer=True)
        if isinstance(spec, UpfrontSpec):
            return Upfront(year(spec.year, "year"))
        if isinstance(spec, CappedAnnualSpec):
            return CappedAnnual(year(spec.start_year, "start_year"),
                                self.number(spec.cap_usd_bn, loc + ("cap_usd_bn",)))
        if isinstance(spec, ExplicitSpec):
            return Explicit(tuple(sorted((int(y), float(a)) for y, a in spec.amounts_usd_bn.items())))
        if isinstance(spec, SelectionWindowSpec):
            lag = spec.funding_lag_business_days
            lag_n = self.number(lag, loc + ("funding_lag_business_days",), integer=True)
            return SelectionWindow(year(spec.start_year, "start_year"),
                                   self.date(spec.deadline, loc + ("deadline",)), lag_n)
        raise TypeError(spec)  # pragma: no cover

    def tranche(self, t: TrancheSpec, i: int, start_year: int, years: np.ndarray) -> Tranche:
        loc = ("tranches", i)
        amount = self.number(t.amount_usd_bn, loc + ("amount_usd_bn",))
        defaults = TERM_DEFAULTS[t.instrument]
        given = {k: v for k, v in t.terms.model_dump(exclude_none=True).items()}
        for key in given:
            if key not in defaults:
                raise with_value(f"term does not apply to instrument '{t.instrument}'",
                                 location=self.sc.locate(loc + ("terms", key)), value=key,
                                 expected="one of " + ", ".join(defaults), cls=ScenarioError)
        terms = {}
        for key, path in defaults.items():
            spec_value = getattr(t.terms, key)
            value = spec_value if spec_value is not None else ParamRef(param=path)
            terms[key] = self.number(value, loc + ("terms", key))
        schedule = self.schedule(t.schedule, loc + ("schedule",), start_year)
        if isinstance(t.schedule, ExplicitSpec) and not isinstance(amount, np.ndarray):
            total = sum(t.schedule.amounts_usd_bn.values())
            if abs(total - amount) > 1e-6 * max(1.0, abs(amount)):
                raise with_value(f"explicit amounts add up to {total:g}, not the tranche amount "
                                 f"{amount:g}", location=self.sc.locate(loc + ("schedule", "amounts_usd_bn")),
                                 value=total, expected=f"amounts adding up to {amount:g} USD bn",
                                 cls=ScheduleError)
        try:
            disburse(schedule, amount, years, np.asarray(amount).size)
        except ScheduleError as exc:
            raise ScheduleError(str(exc), location=self.sc.locate(loc + ("schedule",))) from None
        funding = t.funding or DEFAULT_FUNDING[t.instrument]
        return Tranche(t.name, t.instrument, amount, schedule, _TERMS_CLASS[t.instrument](**terms),
                       funding)


def resolve(scenario: Scenario, tree: ParameterNode | None = None, *,
            draws: dict[str, Any] | None = None) -> ResolvedScenario:
    """Build the engine inputs of a scenario.

    ``draws`` maps parameter paths to ``(n_draws,)`` arrays that replace the
    parameter's value (Monte Carlo); everything else is read on ``as_of``.
    The engines return ``n_draws`` rows whichever inputs the draws touch.
    """
    base_tree = tree if tree is not None else default_parameters()
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
    macro = {f: r.number(ParamRef(param=f"{spec.investor_macro}.{f}"), ("investor_macro", f))
             for f in MACRO_LEVELS}
    for f in MACRO_SERIES:
        macro[f] = r.series(f"{spec.investor_macro}.{f}", years, ("investor_macro", f))
    position = MacroPosition(**macro)
    tariffs, table = r.tariffs()
    provenance = r.reader.uses + tuple(r.literals) + tariffs.provenance(table)
    return ResolvedScenario(scenario, vehicle, position, provenance, tree, tariffs, dict(draws or {}))

