"""The assessment study: scenario(s) → :class:`~tradepact.results.Assessment`.

``assess`` loads each scenario, resolves it into engine inputs, runs the
pledge engine, its valuation, the macro stress, the tariff engine and both
sides' payoffs, then packs tables, headline figures and the provenance of
every input into one :class:`Assessment`. ``evaluate`` returns the per-draw
engine outcome that the Monte Carlo and the design sweep build on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

from ..core.parameters import ParameterNode, ParameterUse
from ..core.scenario import Scenario
from ..macro.stress import StressResult, stress
from ..negotiation.parties import Payoffs, ReliefStream, payoffs, relief_stream
from ..resolve import ResolvedScenario, resolve
from ..results.assessment import Assessment, ScenarioAssessment
from ..tariffs.relief import ReliefInputs, TariffRelief
from ..vehicle.cashflows import CashFlowSchedule, build_cash_flows
from ..vehicle.valuation import VehicleResult
from .cache import cached_columns, cached_frame, inputs_key

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_SCENARIOS = ("us_kr_2025/us_initial", "us_kr_2025/us_october", "us_kr_2025/kr_october",
                     "us_kr_2025/final")


@dataclass(frozen=True)
class Outcome:
    """Engine results of one scenario for every draw."""

    resolved: ResolvedScenario
    flows: CashFlowSchedule
    value: VehicleResult
    stress: StressResult
    relief: TariffRelief
    stream: ReliefStream
    payoffs: Payoffs

    @property
    def years(self) -> np.ndarray:
        return self.flows.years

    @cached_property
    def rate_timeline(self) -> pd.DataFrame:
        return rate_timeline_of(self.resolved)

    @property
    def provenance(self) -> tuple[ParameterUse, ...]:
        """Every input: the scenario's, then the payoffs' parameters not already listed."""
        return self.resolved.provenance

    @cached_property
    def annual(self) -> dict[str, np.ndarray]:
        """Per-year series, each ``(n_draws, n_years)``."""
        f, s = self.flows, self.stress
        out = f.cash_out
        receipts = f.cash_in
        return {
            "cash_outflow_usd_bn": out,
            "reserve_funded_outflow_usd_bn": f.reserve_out,
            "borrowing_funded_outflow_usd_bn": f.by_funding("cash_out", "borrowing"),
            "corporate_outflow_usd_bn": f.by_funding("cash_out", "corporate"),
            "equity_calls_usd_bn": f.by_instrument("cash_out", "cash_equity"),
            "loan_disbursements_usd_bn": f.by_instrument("cash_out", "loan"),
            "guarantee_calls_usd_bn": f.by_instrument("cash_out", "guarantee"),
            "company_fdi_usd_bn": f.by_instrument("cash_out", "company_fdi"),
            "guarantee_exposure_issued_usd_bn": f.by_instrument("issued", "guarantee"),
            "cumulative_cash_outflow_usd_bn": np.cumsum(out, axis=1),
            "investor_distributions_usd_bn": receipts,
            "investor_cumulative_receipts_usd_bn": np.cumsum(receipts, axis=1),
            "vehicle_gross_distributions_usd_bn": f.gross_distributions,
            "host_distributions_usd_bn": f.host_distributions,
            "reserves_usd_bn": s.reserves,
            "baseline_reserves_usd_bn": s.baseline_reserves,
            "reserve_income_usd_bn": s.reserve_income,
            "usd_supply_capacity_usd_bn": s.capacity,
            "outflow_to_reserve_income": s.outflow_to_reserve_income,
            "outflow_to_current_account": s.outflow_to_current_account,
            "outflow_to_reserves": s.outflow_to_reserves,
            "outflow_to_gdp": s.outflow_to_gdp,
            "over_capacity": s.over_capacity,
            f"cash_outflow_{s.currency.lower()}_tn": s.outflow_lcu_tn,
            **self.tariff_annual,
        }

    @cached_property
    def tariff_annual(self) -> dict[str, np.ndarray]:
        """The tariff engine's yearly figures for the investor's exports (the
        same in every draw), each ``(n_draws, n_years)``."""
        r, shape = self.relief, self.flows.cash_out.shape

        def row(item: str, partner: str | None = None, sector: str = "all") -> np.ndarray:
            return np.broadcast_to(r.series(item, self.years, partner=partner, sector=sector), shape)

        out = {
            "tariff_bill_without_deal_usd_bn": row("tariff_bill_without_deal_usd_bn", r.partner),
            "tariff_bill_with_deal_usd_bn": row("tariff_bill_with_deal_usd_bn", r.partner),
            "tariff_savings_usd_bn": row("tariff_savings_usd_bn", r.partner),
            "etr_without_deal": row("etr_without_deal", r.partner),
            "etr_with_deal": row("etr_with_deal", r.partner),
            "us_tariff_revenue_forgone_usd_bn": row("us_revenue_forgone_usd_bn"),
        }
        for firm in self.resolved.tariffs.firm_shares or {}:
            out[f"{firm}_tariff_savings_usd_bn"] = row(f"{firm}_tariff_savings_usd_bn", r.partner, "cars_and_parts")
        return out

    @cached_property
    def headline(self) -> dict[str, np.ndarray]:
        """Headline figures, each ``(n_draws,)``."""
        v, s, f = self.value, self.stress, self.flows
        veh = self.resolved.vehicle
        n = f.n_draws
        parts = {k: np.broadcast_to(a, (n,)) for k, a in self.payoffs.parts.items()}
        amounts = [np.broadcast_to(np.asarray(t.amount_usd_bn, float), (n,)) for t in veh.tranches]
        cash = [a for a, t in zip(amounts, veh.tranches) if t.instrument == "cash_equity"]
        zero = np.zeros(n)
        return {
            "pledge_usd_bn": sum(amounts, zero),
            "cash_pledge_usd_bn": sum(cash, zero),
            "peak_annual_cash_outflow_usd_bn": v.peak_annual_outflow,
            "peak_annual_reserve_funded_outflow_usd_bn": f.reserve_out.max(axis=1),
            "years_to_disburse": v.years_to_disburse,
            "investor_npv_usd_bn": v.npv,
            "investor_npv_public_usd_bn": v.npv_public,
            "investor_terminal_value_usd_bn": v.terminal_value,
            "investor_irr": v.irr,
            "recoup_year": v.recoup_year,
            "profit_split_switch_year": f.switch_year,
            "host_distributions_usd_bn": f.host_distributions.sum(axis=1),
            "max_outflow_to_reserve_income": s.max_outflow_to_reserve_income,
            "max_outflow_to_current_account": np.nanmax(s.outflow_to_current_account, axis=1),
            "max_outflow_to_reserves": s.outflow_to_reserves.max(axis=1),
            "max_outflow_to_gdp": s.outflow_to_gdp.max(axis=1),
            "years_over_capacity": s.years_over_capacity.astype(float),
            "min_reserves_usd_bn": s.min_reserves,
            "reserves_gap_end_usd_bn": s.baseline_reserves[:, -1] - s.reserves[:, -1],
            "tariff_savings_usd_bn_per_year": self.tariff_annual["tariff_savings_usd_bn"].mean(axis=1),
            "deal_npv_investor_usd_bn": np.broadcast_to(self.payoffs.investor, (n,)),
            "deal_npv_host_usd_bn": np.broadcast_to(self.payoffs.host, (n,)),
            "investor_surplus_usd_bn": np.broadcast_to(self.payoffs.investor_surplus, (n,)),
            "host_surplus_usd_bn": np.broadcast_to(self.payoffs.host_surplus, (n,)),
            **parts,        # the terms of both payoffs (present values)
        }


@functools.lru_cache(maxsize=8)
def _relief(inputs: ReliefInputs, years: tuple[int, ...]) -> TariffRelief:
    key = inputs_key("relief", inputs, years)
    computed: list[TariffRelief] = []

    def compute() -> Mapping[str, np.ndarray]:
        computed.append(inputs.run(years))
        return computed[0].columns
    columns = cached_columns(key, compute)
    if computed:
        return computed[0]
    return TariffRelief.from_columns(columns, years, (inputs.with_deal.regime, inputs.without_deal.regime),
                                     inputs.partner)


#: Partners the rate timeline compares the investor with (the charts' competitors).
TIMELINE_PARTNERS = ("KOR", "JPN", "EUN", "MEX", "CHN", "TWN", "CHE")


@functools.lru_cache(maxsize=8)
def _timeline(inputs: ReliefInputs) -> pd.DataFrame:
    from ..tariffs.timeline import rate_timeline
    cov = inputs.system.coverage
    have = set(inputs.trade.data["partner"].unique().to_list())
    partners = [p for p in dict.fromkeys((inputs.partner,) + TIMELINE_PARTNERS) if p in have]
    return cached_frame(inputs_key("timeline", inputs, (str(cov), partners)), lambda: rate_timeline(
        inputs.with_deal, inputs.trade, system=inputs.system, schedule=inputs.schedule, start=cov.start,
        stop=cov.stop, method=inputs.method, without_deal=inputs.without_deal, partners=partners))


def rate_timeline_of(resolved: ResolvedScenario) -> pd.DataFrame:
    """Effective tariff rates by partner and sector over the measures' covered
    range, with and without the deal (one row per interval; see
    :func:`tradepact.tariffs.rate_timeline`)."""
    return _timeline(resolved.tariffs)


def tariff_relief_of(resolved: ResolvedScenario) -> TariffRelief:
    """The tariff engine's annual figures from the first year the tariff
    measures cover (or the scenario's first year, if earlier) to the horizon:
    the years before the pledge starts show what was paid before the deal and
    let firms' disclosed costs be set against the model. Computed once per set
    of inputs and years: Monte Carlo chunks and scenarios that share their
    regimes reuse them."""
    first = min(resolved.tariffs.system.coverage.start.year, resolved.vehicle.first_year)
    return _relief(resolved.tariffs, tuple(range(first, resolved.vehicle.last_year + 1)))


#: Nodes at which the relief is priced when a tariff measure's parameter is drawn.
RELIEF_NODES = 9


def stream_of(resolved: ResolvedScenario) -> ReliefStream:
    """The payoffs' relief stream: the tariff engine's figures over the modelled
    years, at the scenario's incidence and withdrawal probability.

    When a tariff measure's parameter is drawn (e.g. a rate), the relief is
    priced exactly at each distinct drawn value if there are at most
    :data:`RELIEF_NODES`, else at that many evenly spaced values over the
    drawn range and interpolated linearly for each draw (exact at the nodes;
    the relief is piecewise linear in one rate, with kinks where floors bind,
    so between nodes the error is that of a chord). One drawn measure
    parameter at a time."""
    p = resolved.parties
    years = resolved.vehicle.years
    if not resolved.tariff_draws:
        return relief_stream(tariff_relief_of(resolved), years, p.incidence, p.withdrawal)
    from ..resolve.tariffs import relief_variant
    if len(resolved.tariff_draws) > 1:
        raise ValueError("at most one tariff-measure parameter may carry a distribution")
    (path, x), = resolved.tariff_draws.items()
    values = np.unique(x)
    nodes = values if values.size <= RELIEF_NODES else np.linspace(values.min(), values.max(), RELIEF_NODES)
    streams = []
    for v in nodes:
        inputs = relief_variant(resolved.tariffs, {path: float(v)})
        first = min(inputs.system.coverage.start.year, resolved.vehicle.first_year)
        relief = _relief(inputs, tuple(range(first, resolved.vehicle.last_year + 1)))
        streams.append(relief_stream(relief, years, p.incidence, p.withdrawal))

    def interp(field: str) -> np.ndarray:
        rows = np.stack([np.broadcast_to(np.atleast_2d(np.asarray(getattr(s, field), float)),
                                         (1, len(years)))[0] for s in streams])   # nodes x years
        if len(nodes) == 1:
            return np.broadcast_to(rows[0], (x.size, len(years))).copy()
        pos = np.clip(np.searchsorted(nodes, x, side="right") - 1, 0, len(nodes) - 2)
        t = (x - nodes[pos]) / (nodes[pos + 1] - nodes[pos])
        return rows[pos] * (1 - t)[:, None] + rows[pos + 1] * t[:, None]

    def interp_prior(field: str) -> np.ndarray:
        rows = np.array([getattr(s, field) for s in streams], float)                # nodes x prior years
        if rows.size == 0:
            return rows
        if len(nodes) == 1:
            return np.broadcast_to(rows[0], (x.size, rows.shape[1])).copy()
        pos = np.clip(np.searchsorted(nodes, x, side="right") - 1, 0, len(nodes) - 2)
        t = (x - nodes[pos]) / (nodes[pos + 1] - nodes[pos])
        return rows[pos] * (1 - t)[:, None] + rows[pos + 1] * t[:, None]

    base = streams[0]
    return ReliefStream(interp("investor_savings_usd_bn"), interp("host_revenue_forgone_usd_bn"), base.annual_withdrawal_probability,
                        source=base.source + f"; {path} drawn ({len(nodes)} nodes)",
                        host_importer_gain_usd_bn=interp("host_importer_gain_usd_bn"),
                        prior_investor_usd_bn=interp_prior("prior_investor_usd_bn"),
                        prior_forgone_usd_bn=interp_prior("prior_forgone_usd_bn"),
                        prior_importer_usd_bn=interp_prior("prior_importer_usd_bn"))


def evaluate(resolved: ResolvedScenario, *, relief: ReliefStream | None = None) -> Outcome:
    """Run the pledge engine, its valuation, the macro stress, the tariff
    relief and both sides' payoffs (``relief`` replaces the engine's stream)."""
    flows = build_cash_flows(resolved.vehicle, resolved.n_draws)
    value = VehicleResult.of(flows)
    st = stress(resolved.position, flows.reserve_out, flows.reserve_in, flows.cash_out, flows.years)
    stream = relief if relief is not None else stream_of(resolved)
    p = resolved.parties
    pay = payoffs(flows, st, p.investor, p.host, stream)
    return Outcome(resolved, flows, value, st, tariff_relief_of(resolved), stream, pay)


def evaluate_scenarios(scenarios: Iterable[str | Path | Scenario] = DEFAULT_SCENARIOS, *,
                       parameters: ParameterNode | None = None) -> tuple[Outcome, ...]:
    """Each scenario's point outcome (what :func:`assess` tabulates and the
    verdict starts from)."""
    return tuple(evaluate(resolve(Scenario.load(item), parameters)) for item in scenarios)


def assessment_of(outcomes: Iterable[Outcome]) -> Assessment:
    """The assessment of outcomes from :func:`evaluate_scenarios`."""
    return Assessment(tuple(ScenarioAssessment.from_outcome(o) for o in outcomes))


def assess(scenarios: Iterable[str | Path | Scenario] = DEFAULT_SCENARIOS, *,
           parameters: ParameterNode | None = None) -> Assessment:
    """Assess scenarios side by side (default: the four shipped US–Korea ones)."""
    return assessment_of(evaluate_scenarios(scenarios, parameters=parameters))

