"""The verdict: is each side better off than with no deal, how sure, and why.

A :class:`ScenarioVerdict` answers, for one scenario and each side
(:class:`SideVerdict`):

* the point estimate of its payoff against no deal (the deal NPV of the
  assessment) and whether it is positive;
* ``P(better off)``: the share of Monte Carlo draws whose payoff against no
  deal is 0 or more (``None`` when no simulation was run);
* the three largest drivers, from a tornado of one-at-a-time swings
  (:class:`Swing`): each uncertain parameter set to its 5th and 95th
  percentile while the others stay at their point values;
* the "no adverse shock" test: the years in which reserve-funded outflow
  exceeds the stated USD supply capacity at the point values (it holds when
  there are none), with the share of draws in which some year does;
* one plain sentence.

:class:`Verdict` holds the verdicts of several scenarios side by side.
Figures are computed by :mod:`tradepact.studies.verdict`; this module only
packs and words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..core.parameters import ParameterUse
from .base import Result, ResultSet, provenance_frame

#: Plain names of the parties (ISO alpha-3).
PARTY_NAMES: dict[str, str] = {
    "KOR": "Korea", "USA": "the United States", "JPN": "Japan", "TWN": "Taiwan", "CHE": "Switzerland",
    "EUN": "the EU", "EU": "the EU", "CHN": "China", "MEX": "Mexico", "CAN": "Canada", "DEU": "Germany",
}
#: Sides of a deal, in the order the verdict lists them.
SIDES = ("investor", "host")
#: Drivers listed in the verdict.
TOP_DRIVERS = 3


def party_name(code: str) -> str:
    """Plain name of a party ("Korea" for ``KOR``); the code itself if unknown."""
    return PARTY_NAMES.get(code, code)


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class SideVerdict:
    """One side's answer: payoff against no deal and the probability it is positive."""

    side: str                       # "investor" or "host"
    party: str                      # ISO alpha-3
    deal_npv_usd_bn: float          # point estimate, PV against no deal
    probability_better_off: float | None = None
    probability_standard_error: float | None = None

    @property
    def better_off(self) -> bool:
        return self.deal_npv_usd_bn >= 0

    def to_dict(self) -> dict[str, Any]:
        return {"side": self.side, "party": self.party, "party_name": party_name(self.party),
                "deal_npv_usd_bn": self.deal_npv_usd_bn, "better_off": self.better_off,
                "probability_better_off": self.probability_better_off,
                "probability_standard_error": self.probability_standard_error}


@dataclass(frozen=True)
class Swing:
    """One bar of the tornado: a parameter at its low and high value and both sides' payoffs there."""

    path: str
    label: str
    unit: str
    point_value: float
    low_value: float
    high_value: float
    basis: str                       # how low/high were chosen, e.g. "p5/p95"
    investor_low_usd_bn: float
    investor_high_usd_bn: float
    host_low_usd_bn: float
    host_high_usd_bn: float

    def swing(self, side: str) -> float:
        """Width of the bar: |payoff at high − payoff at low| (USD bn)."""
        lo, hi = self.payoffs(side)
        return abs(hi - lo)

    def payoffs(self, side: str) -> tuple[float, float]:
        if side == "investor":
            return self.investor_low_usd_bn, self.investor_high_usd_bn
        return self.host_low_usd_bn, self.host_high_usd_bn

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "unit": self.unit, "point_value": self.point_value,
                "low_value": self.low_value, "high_value": self.high_value, "basis": self.basis,
                "investor_usd_bn": {"low": self.investor_low_usd_bn, "high": self.investor_high_usd_bn,
                                    "swing": self.swing("investor")},
                "host_usd_bn": {"low": self.host_low_usd_bn, "high": self.host_high_usd_bn,
                                "swing": self.swing("host")}}


@dataclass(frozen=True)
class ScenarioVerdict(Result):
    """The verdict on one scenario (see the module docstring)."""

    SCHEMA = "scenario_verdict/1"

    name: str
    title: str
    investor: SideVerdict
    host: SideVerdict
    years: tuple[int, ...]
    reserve_funded_outflow_usd_bn: tuple[float, ...]
    capacity_usd_bn: tuple[float, ...]
    failing_years: tuple[int, ...]
    probability_any_year_over_capacity: float | None = None
    tornado: tuple[Swing, ...] = ()
    n_draws: int = 0
    seed: int = 0
    uncertainty_source: str = ""
    sources: tuple[ParameterUse, ...] = field(default=(), repr=False)

    # ------------------------------------------------------------ figures
    @property
    def sides(self) -> tuple[SideVerdict, SideVerdict]:
        return self.investor, self.host

    @property
    def stress_test_holds(self) -> bool:
        """The "no adverse shock" test: no year of reserve-funded outflow above capacity."""
        return not self.failing_years

    def drivers(self, side: str = "investor", n: int = TOP_DRIVERS) -> tuple[Swing, ...]:
        """The ``n`` parameters whose swing moves ``side``'s payoff most (widest first)."""
        ranked = sorted(self.tornado, key=lambda s: s.swing(side), reverse=True)
        return tuple(s for s in ranked[:n] if s.swing(side) > 0)

    # ------------------------------------------------------------ words
    def _side_clause(self, s: SideVerdict) -> str:
        who = party_name(s.party)
        word = "better off" if s.better_off else "worse off"
        text = f"{who} is {word} than with no deal ({s.deal_npv_usd_bn:+,.1f} USD bn in present value"
        if s.probability_better_off is not None:
            text += f"; better off in {s.probability_better_off * 100:.0f} % of {self.n_draws:,} draws"
        return text + ")"

    @property
    def sentence(self) -> str:
        """The verdict in one plain sentence."""
        parts = [self._side_clause(self.investor), self._side_clause(self.host)]
        if self.stress_test_holds:
            cap = max(self.capacity_usd_bn) if self.capacity_usd_bn else float("nan")
            stress = f"the outflow paid from reserves stays within the USD {cap:,.0f} bn a year capacity"
            if self.probability_any_year_over_capacity:
                stress += (f" at the point values (it exceeds a drawn capacity in "
                           f"{self.probability_any_year_over_capacity * 100:.0f} % of draws)")
        else:
            yrs = ", ".join(str(y) for y in self.failing_years)
            stress = f"the outflow paid from reserves exceeds capacity in {yrs}"
        text = f"{_cap_first(parts[0])}, {parts[1]}, and {stress}"
        top = self.drivers("investor", 1)
        if top:
            text += f"; what matters most for {party_name(self.investor.party)} is {top[0].label}"
        return text + "."

    # ------------------------------------------------------------ contract
    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title,
            "sides": {s.side: s.to_dict() for s in self.sides},
            "drivers": {side: [d.path for d in self.drivers(side)] for side in SIDES},
            "tornado": [s.to_dict() for s in self.tornado],
            "stress_test": {"holds": self.stress_test_holds, "failing_years": list(self.failing_years),
                            "probability_any_year_over_capacity": self.probability_any_year_over_capacity,
                            "years": list(self.years),
                            "reserve_funded_outflow_usd_bn": list(self.reserve_funded_outflow_usd_bn),
                            "capacity_usd_bn": list(self.capacity_usd_bn)},
            "n_draws": self.n_draws, "seed": self.seed, "uncertainty_source": self.uncertainty_source,
            "sentence": self.sentence,
        }

    def frame(self) -> pd.DataFrame:
        """The tornado: one row per parameter, both sides' payoffs at its low and high value (USD bn)."""
        rows = []
        for s in self.tornado:
            rows.append({"path": s.path, "label": s.label, "unit": s.unit, "point_value": s.point_value,
                         "low_value": s.low_value, "high_value": s.high_value,
                         "investor_low_usd_bn": s.investor_low_usd_bn, "investor_high_usd_bn": s.investor_high_usd_bn,
                         "investor_swing_usd_bn": s.swing("investor"),
                         "host_low_usd_bn": s.host_low_usd_bn, "host_high_usd_bn": s.host_high_usd_bn,
                         "host_swing_usd_bn": s.swing("host")})
        return pd.DataFrame(rows, columns=["path", "label", "unit", "point_value", "low_value", "high_value",
                                           "investor_low_usd_bn", "investor_high_usd_bn", "investor_swing_usd_bn",
                                           "host_low_usd_bn", "host_high_usd_bn", "host_swing_usd_bn"])

    def compare(self) -> pd.DataFrame:
        """Each side's figures (rows: figures; columns: investor, host; with a ``unit`` column)."""
        data = {s.side: [s.deal_npv_usd_bn, float(s.better_off),
                         s.probability_better_off if s.probability_better_off is not None else float("nan")]
                for s in self.sides}
        out = pd.DataFrame(data, index=pd.Index(["deal_npv_usd_bn", "better_off", "probability_better_off"],
                                                name="figure"))
        out.insert(0, "unit", ["USD bn (PV against no deal)", "1 = yes", "fraction of draws"])
        return out

    def provenance(self) -> pd.DataFrame:
        return provenance_frame(self.sources, scenario=self.name)

    def summary(self) -> str:
        return f"{self.title}: {self.sentence}"


@dataclass(frozen=True)
class Verdict(ResultSet[ScenarioVerdict]):
    """Verdicts of several scenarios (``v["final"]`` finds ``us_kr_2025/final``)."""

    SCHEMA = "verdict/1"
    scenarios: tuple[ScenarioVerdict, ...]

    @property
    def items(self) -> tuple[ScenarioVerdict, ...]:
        return self.scenarios

    def to_dict(self) -> dict[str, Any]:
        from .. import __version__
        return {"schema": self.SCHEMA, "tradepact_version": __version__,
                "scenarios": [s.to_dict() for s in self.scenarios]}

    def frame(self) -> pd.DataFrame:
        """The tornados stacked, with a ``scenario`` column."""
        frames = [s.frame().assign(scenario=s.name) for s in self.scenarios]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def compare(self) -> pd.DataFrame:
        """Both sides' payoff and P(better off), and the stress test, one column per scenario."""
        rows = {}
        for s in self.scenarios:
            rows[s.name] = {
                "investor_deal_npv_usd_bn": s.investor.deal_npv_usd_bn,
                "investor_probability_better_off": _nan(s.investor.probability_better_off),
                "host_deal_npv_usd_bn": s.host.deal_npv_usd_bn,
                "host_probability_better_off": _nan(s.host.probability_better_off),
                "years_over_capacity": float(len(s.failing_years)),
            }
        out = pd.DataFrame(rows)
        out.index.name = "figure"
        out.insert(0, "unit", ["USD bn", "fraction", "USD bn", "fraction", "years"][: len(out.index)])
        return out

    def provenance(self) -> pd.DataFrame:
        return pd.concat([s.provenance() for s in self.scenarios], ignore_index=True)

    def summary(self) -> str:
        return "\n".join(s.summary() for s in self.scenarios)


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


__all__ = ["PARTY_NAMES", "ScenarioVerdict", "SideVerdict", "Swing", "Verdict", "party_name"]
