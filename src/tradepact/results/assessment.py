"""Results of the assessment study: :class:`Assessment` and its per-scenario parts.

Every interface (CLI table, JSON, HTML report, CSV/Excel, the web app)
renders these objects and computes nothing of its own (see
:mod:`tradepact.results.base` for the shared contract).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import __version__
from ..core.instruments import describe_schedule
from ..core.lazy import LazyModule
from ..core.parameters import ParameterUse
from .base import Result, ResultSet, provenance_frame, records

pd = LazyModule("pandas")

#: Headline figures: key -> (label, unit, format); interfaces format with the third.
HEADLINE: dict[str, tuple[str, str, str]] = {
    "pledge_usd_bn": ("Pledge", "USD bn", "{:,.0f}"),
    "cash_pledge_usd_bn": ("Cash (equity) pledge", "USD bn", "{:,.0f}"),
    "peak_annual_cash_outflow_usd_bn": ("Peak annual cash outflow", "USD bn", "{:,.1f}"),
    "peak_annual_reserve_funded_outflow_usd_bn": ("Peak annual outflow from reserves", "USD bn", "{:,.1f}"),
    "years_to_disburse": ("Years to disburse", "years", "{:.0f}"),
    "investor_npv_usd_bn": ("Investor NPV (horizon)", "USD bn", "{:,.1f}"),
    "investor_npv_public_usd_bn": ("Investor NPV, state-funded part", "USD bn", "{:,.1f}"),
    "investor_terminal_value_usd_bn": ("Post-horizon value (perpetuity)", "USD bn", "{:,.1f}"),
    "investor_irr": ("Investor IRR (horizon)", "fraction", "{:.2%}"),
    "recoup_year": ("Year investor recoups its cash (all tranches)", "year", "{:.0f}"),
    "profit_split_switch_year": ("Year equity split switches to after-recoup", "year", "{:.0f}"),
    "host_distributions_usd_bn": ("Host's share of distributions", "USD bn", "{:,.1f}"),
    "max_outflow_to_reserve_income": ("Max outflow / reserve income", "ratio", "{:.2f}"),
    "max_outflow_to_current_account": ("Max outflow / current account", "ratio", "{:.2f}"),
    "max_outflow_to_reserves": ("Max outflow / reserves", "ratio", "{:.3f}"),
    "max_outflow_to_gdp": ("Max outflow / GDP", "ratio", "{:.3f}"),
    "years_over_capacity": ("Years reserve outflow exceeds capacity", "years", "{:.0f}"),
    "min_reserves_usd_bn": ("Lowest reserves", "USD bn", "{:,.1f}"),
    "reserves_gap_end_usd_bn": ("Reserves below baseline at horizon end", "USD bn", "{:,.1f}"),
    "tariff_savings_usd_bn_per_year": ("Tariff savings a year (mean over horizon)", "USD bn", "{:,.2f}"),
    "investor_tariff_savings_usd_bn": ("Investor tariff savings (PV, after incidence and withdrawal)",
                                       "USD bn", "{:,.1f}"),
    "host_revenue_forgone_usd_bn": ("Host tariff revenue forgone (PV)", "USD bn", "{:,.1f}"),
    "investor_tariff_savings_before_start_usd_bn": ("of which before the pledge starts (2025, counted in full)",
                                                    "USD bn", "{:,.1f}"),
    "host_distributions_value_usd_bn": ("Host's share of distributions (PV, within the horizon)", "USD bn",
                                        "{:,.1f}"),
    "host_capital_spillover_usd_bn": ("Host spillover from capital formed (PV)", "USD bn", "{:,.1f}"),
    "host_importer_gain_usd_bn": ("Relief kept by US importers (PV)", "USD bn", "{:,.1f}"),
    "deal_npv_investor_usd_bn": ("Deal NPV for the investor (vs no deal)", "USD bn", "{:,.1f}"),
    "deal_npv_host_usd_bn": ("Deal NPV for the host (vs no deal)", "USD bn", "{:,.1f}"),
}
_INT_KEYS = {"years_to_disburse", "recoup_year", "profit_split_switch_year", "years_over_capacity"}


def _scalar(key: str, x: Any) -> Any:
    v = float(np.asarray(x).reshape(-1)[0])
    if np.isnan(v):
        return None
    return int(round(v)) if key in _INT_KEYS else v


@dataclass(frozen=True)
class TrancheSummary:
    name: str
    instrument: str
    funding: str
    amount_usd_bn: float
    schedule: str


@dataclass(frozen=True)
class ScenarioAssessment(Result):
    """One scenario's results: headline figures, annual table, provenance."""

    SCHEMA = "scenario_assessment/1"

    name: str
    title: str
    status: str
    description: str
    as_of: _dt.date
    source: str
    headline: dict[str, Any]
    annual: pd.DataFrame
    tranches: tuple[TrancheSummary, ...]
    sources: tuple[ParameterUse, ...] = field(repr=False)
    tariffs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(), repr=False)
    tariff_regimes: tuple[str, str] = ("", "")
    #: Zero-argument function giving the effective rates over time (costly: the
    #: whole HS10 table priced interval by interval), called on first use only.
    timeline_of: Any = field(default=None, repr=False, compare=False)
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def rate_timeline(self) -> pd.DataFrame:
        """Effective tariff rates by partner and sector, interval by interval, with and
        without the deal (see :func:`tradepact.tariffs.rate_timeline`); computed the
        first time it is asked for (the report and the exported tables ask)."""
        if "timeline" not in self._memo:
            self._memo["timeline"] = self.timeline_of() if self.timeline_of is not None else pd.DataFrame()
        return self._memo["timeline"]

    @classmethod
    def from_outcome(cls, outcome: Any, draw: int = 0) -> "ScenarioAssessment":
        """One draw of a :class:`tradepact.studies.assess.Outcome` (the studies build
        results; a result never imports a study)."""
        sc = outcome.resolved.scenario
        headline = {k: _scalar(k, v[draw]) for k, v in outcome.headline.items()}
        data: dict[str, Any] = {"year": outcome.years.astype(int)}
        for key, arr in outcome.annual.items():
            row = arr[draw]
            data[key] = row.astype(bool) if arr.dtype == bool else row.astype(float)
        tranches = tuple(TrancheSummary(
            t.name, t.instrument, t.funding, float(np.asarray(t.amount_usd_bn).reshape(-1)[draw]),
            describe_schedule(t.schedule)) for t in outcome.resolved.vehicle.tranches)
        return cls(sc.name, sc.spec.title, sc.spec.status, sc.spec.description, sc.spec.as_of,
                   sc.source, headline, pd.DataFrame(data), tranches, outcome.provenance,
                   outcome.relief.frame, outcome.relief.regimes, lambda: outcome.rate_timeline)

    def to_dict(self) -> dict[str, Any]:
        annual = [{k: (None if isinstance(v, float) and np.isnan(v) else v)
                   for k, v in row.items()} for row in records(self.annual)]
        for row in annual:
            row["year"] = int(row["year"])
            row["over_capacity"] = bool(row["over_capacity"])
        return {
            "name": self.name, "title": self.title, "status": self.status,
            "description": self.description, "as_of": self.as_of.isoformat(),
            "headline": self.headline, "annual": annual,
            "tranches": [vars(t) for t in self.tranches],
            "tariffs": {"regimes": {"with_deal": self.tariff_regimes[0], "without_deal": self.tariff_regimes[1]},
                        "rows": [{**r, "year": int(r["year"])} for r in records(self.tariffs)]},
            "provenance": [u.to_dict() for u in self.sources],
        }

    def tariff_sectors(self, year: int) -> pd.DataFrame:
        """The investor's tariff bill with and without the deal and the savings,
        by sector, in ``year`` (rows: sectors, ``all`` last)."""
        f = self.tariffs
        items = ["tariff_bill_without_deal_usd_bn", "tariff_bill_with_deal_usd_bn", "tariff_savings_usd_bn"]
        sel = f[(f["year"] == year) & f["item"].isin(items) & (f["partner"] != "ALL")]
        table = sel.pivot_table(index="sector", columns="item", values="value")[items]
        table = table.sort_values(items[0], ascending=False, kind="stable")
        order = [s for s in table.index if s != "all"] + (["all"] if "all" in table.index else [])
        return table.loc[order]

    def tariff_years(self, last_year: int | None = None) -> pd.DataFrame:
        """The investor's bill, savings (with each automaker's part) and the
        host's revenue forgone by year (columns are the tariff items), with a
        ``basis`` column: ``projected`` if any of the year's rates is."""
        f = self.tariffs[self.tariffs["sector"].isin(["all", "cars_and_parts"])
                         & ~self.tariffs["item"].str.startswith("etr_")]
        if last_year is not None:
            f = f[f["year"] <= last_year]
        wide = f.pivot_table(index="year", columns="item", values="value")
        wide["basis"] = f.groupby("year")["basis"].agg(lambda b: "projected" if (b == "projected").any() else "in_force")
        return wide

    @property
    def disclosure_years(self) -> list[int]:
        """Years for which an automaker disclosed its tariff cost."""
        f = self.tariffs
        return sorted(int(y) for y in f.loc[f["item"].str.endswith("_disclosed_tariff_cost_usd_bn"), "year"].unique())

    def firm_tariffs(self, year: int) -> pd.DataFrame:
        """Each automaker's modelled tariff bill and savings in ``year`` beside the
        cost it disclosed for that year (NaN if none)."""
        f = self.tariffs[(self.tariffs["year"] == year) & (self.tariffs["sector"] == "cars_and_parts")]
        rows = {}
        for item, value in zip(f["item"], f["value"]):
            for suffix, col in (("_tariff_bill_with_deal_usd_bn", "modelled_bill_usd_bn"),
                                ("_tariff_savings_usd_bn", "modelled_savings_usd_bn"),
                                ("_disclosed_tariff_cost_usd_bn", "disclosed_cost_usd_bn")):
                if item.endswith(suffix):
                    rows.setdefault(item[: -len(suffix)], {})[col] = value
        return pd.DataFrame.from_dict(rows, orient="index",
                                      columns=["modelled_bill_usd_bn", "modelled_savings_usd_bn",
                                               "disclosed_cost_usd_bn"])

    def provenance(self) -> pd.DataFrame:
        """Every input: parameter path, date, value, unit, status and source."""
        return provenance_frame(self.sources, scenario=self.name)

    def frame(self) -> pd.DataFrame:
        """The annual table (one row per modelled year)."""
        return self.annual

    def compare(self) -> pd.DataFrame:
        """Headline figures with their labels and units (one column: this scenario)."""
        return _headline_table([self])

    def summary(self) -> str:
        return f"{self.name}: {self.title}\n" + self.compare().to_string()


def _headline_table(scenarios: list[ScenarioAssessment], keys: list[str] | None = None) -> pd.DataFrame:
    keys = keys or list(HEADLINE)
    data = {s.name: [s.headline.get(k) for k in keys] for s in scenarios}
    out = pd.DataFrame(data, index=pd.Index(keys, name="figure"), dtype=float)
    out.insert(0, "unit", [HEADLINE[k][1] for k in keys])
    out.insert(0, "label", [HEADLINE[k][0] for k in keys])
    return out


@dataclass(frozen=True)
class Assessment(ResultSet[ScenarioAssessment]):
    """Scenarios assessed side by side (``a["final"]`` finds ``us_kr_2025/final``)."""

    SCHEMA = "assessment/1"
    scenarios: tuple[ScenarioAssessment, ...]
    version: str = __version__

    @property
    def items(self) -> tuple[ScenarioAssessment, ...]:
        return self.scenarios

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract: ``{"schema", "tradepact_version", "scenarios": [...]}``."""
        return {"schema": self.SCHEMA, "tradepact_version": self.version,
                "scenarios": [s.to_dict() for s in self.scenarios]}

    def frame(self) -> pd.DataFrame:
        """The annual tables stacked (tidy: scenario × year)."""
        return self.annual_frame()

    def provenance(self) -> pd.DataFrame:
        return pd.concat([s.provenance() for s in self.scenarios], ignore_index=True)

    def headline_frame(self) -> pd.DataFrame:
        """Headline figures, one column per scenario."""
        return pd.DataFrame({s.name: s.headline for s in self.scenarios})

    def annual_frame(self) -> pd.DataFrame:
        """Annual tables stacked, with a ``scenario`` column (tidy: scenario × year)."""
        return pd.concat([s.annual.assign(scenario=s.name) for s in self.scenarios],
                         ignore_index=True)[["scenario"] + list(self.scenarios[0].annual.columns)]

    def tariff_groups(self) -> list[tuple[tuple[str, str], list[ScenarioAssessment]]]:
        """Scenarios grouped by their pair of tariff regimes (with, without the deal):
        scenarios in one group share all their tariff figures."""
        groups: dict[tuple[str, str], list[ScenarioAssessment]] = {}
        for s in self.scenarios:
            groups.setdefault(s.tariff_regimes, []).append(s)
        return list(groups.items())

    def timeline_frame(self) -> pd.DataFrame:
        """Effective tariff rates over time for every regime the scenarios use
        (scenarios that share their regimes share their rows)."""
        frames = [s.rate_timeline for s in self.scenarios]
        return pd.concat(frames, ignore_index=True).drop_duplicates(
            subset=["regime", "case", "start", "partner", "sector"], ignore_index=True)

    def tariffs_frame(self) -> pd.DataFrame:
        """The tariff engine's figures stacked, with a ``scenario`` column (tidy)."""
        return pd.concat([s.tariffs.assign(scenario=s.name) for s in self.scenarios], ignore_index=True)[
            ["scenario"] + list(self.scenarios[0].tariffs.columns)]

    def compare(self, keys: list[str] | None = None) -> pd.DataFrame:
        """Headline figures side by side: rows are figures (with ``label`` and
        ``unit``), one numeric column per scenario; a figure that does not
        exist (no IRR, never recouped) is NaN."""
        return _headline_table(list(self.scenarios), keys)

    def summary(self) -> str:
        return self.compare().to_string()
