"""Scenario(s) → :class:`~tradepact.results.Assessment`.

``assess`` runs the pledge engine, values it and stresses the investor's
external position for each scenario, then packs tables, headline figures and
the provenance of every input into one :class:`Assessment`. ``evaluate``
returns the per-draw engine outcome that Monte Carlo work builds on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable

import numpy as np

from .core.parameters import ParameterNode
from .core.scenario import Scenario, load_scenario, shipped_scenario, shipped_scenarios
from .macro.stress import StressResult, stress
from .resolve import ResolvedScenario, resolve
from .results import Assessment, ScenarioAssessment
from .vehicle.cashflows import CashFlowSchedule, build_cash_flows
from .vehicle.valuation import VehicleResult

DEFAULT_SCENARIOS = ("us_kr_2025/us_initial", "us_kr_2025/us_october", "us_kr_2025/kr_october",
                     "us_kr_2025/final")


@dataclass(frozen=True)
class Outcome:
    """Engine results of one scenario for every draw."""

    resolved: ResolvedScenario
    flows: CashFlowSchedule
    value: VehicleResult
    stress: StressResult

    @property
    def years(self) -> np.ndarray:
        return self.flows.years

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
            "cash_outflow_krw_tn": s.outflow_krw_tn,
        }

    @cached_property
    def headline(self) -> dict[str, np.ndarray]:
        """Headline figures, each ``(n_draws,)``."""
        v, s, f = self.value, self.stress, self.flows
        veh = self.resolved.vehicle
        n = f.n_draws
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
        }


def evaluate(resolved: ResolvedScenario) -> Outcome:
    """Run the pledge engine, its valuation and the macro stress."""
    flows = build_cash_flows(resolved.vehicle, resolved.n_draws)
    value = VehicleResult.of(flows)
    st = stress(resolved.position, flows.reserve_out, flows.reserve_in, flows.cash_out,
                flows.years)
    return Outcome(resolved, flows, value, st)


def load(item: str | Path | Scenario) -> Scenario:
    """A scenario from a shipped name, a file path or an already loaded object."""
    if isinstance(item, Scenario):
        return item
    text = str(item)
    if text in shipped_scenarios():
        return shipped_scenario(text)
    return load_scenario(Path(text))


def assess(scenarios: Iterable[str | Path | Scenario] = DEFAULT_SCENARIOS, *,
           parameters: ParameterNode | None = None) -> Assessment:
    """Assess scenarios side by side (default: the four shipped US–Korea ones)."""
    results = []
    for item in scenarios:
        sc = load(item)
        outcome = evaluate(resolve(sc, parameters))
        results.append(ScenarioAssessment.from_outcome(outcome))
    return Assessment(tuple(results))

