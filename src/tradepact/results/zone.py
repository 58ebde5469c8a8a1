"""Result of the negotiation study: the :class:`ZoneOfAgreement` around a base scenario.

The designs priced on a grid, which are feasible and in the zone of possible
agreement, the Pareto frontier (grid and optimiser points), the Nash
bargaining point and where each proposal lies (maths in
:mod:`tradepact.negotiation.frontier`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..core.lazy import LazyModule
from ..core.parameters import ParameterUse
from ..negotiation.design import DIMENSIONS, DesignPayoffs, DesignSpace
from ..negotiation.frontier import FrontierPoint, ProposalPosition, pareto_front
from ..negotiation.parties import Host, Investor
from .base import Result, provenance_frame

pd = LazyModule("pandas")


@dataclass(frozen=True)
class ZoneOfAgreement(Result):
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
    sources: tuple[ParameterUse, ...] = field(default=(), repr=False)
    assessment: Any = field(default=None, repr=False)

    SCHEMA = "zone_of_agreement/1"

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
            "schema": self.SCHEMA, "tradepact_version": __version__, "base": self.base, "n_draws": self.n_draws, "seed": self.seed,
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

    def frame(self) -> pd.DataFrame:
        """Every priced design with both payoffs and whether it is feasible, in the zone, on the frontier."""
        out = pd.DataFrame({d: np.asarray(v, float) for d, v in self.designs.items()})
        out["investor_payoff_usd_bn"] = self.payoffs.investor
        out["host_payoff_usd_bn"] = self.payoffs.host
        out["feasible"] = self.feasible
        out["in_zone"] = self.in_zone
        out["on_frontier"] = False
        out.loc[self.frontier, "on_frontier"] = True
        return out

    def compare(self) -> pd.DataFrame:
        """Each proposal's payoffs against the frontier, then the Nash bargaining
        point of the frontier (rows), in USD bn PV against no deal."""
        cols = ["investor", "host", "feasible", "in_zone", "equal_gain_to_frontier"]
        frame = self.proposals_frame()
        out = (frame.set_index("name")[cols] if not frame.empty
               else pd.DataFrame(columns=cols, index=pd.Index([], name="name")))
        nash = self.nash
        if nash is not None:
            out.loc["Nash bargaining point"] = [nash.investor, nash.host, True, True, 0.0]
        out["unit"] = "USD bn (PV against no deal)"
        return out

    def provenance(self) -> pd.DataFrame:
        return provenance_frame(self.sources, scenario=self.base)

    def summary(self) -> str:
        lines = [f"Zone of possible agreement around {self.base}: {int(self.in_zone.sum()):,} of "
                 f"{self.feasible.size:,} designs ({int(self.feasible.sum()):,} feasible)"]
        lines.append(self.frontier_frame().to_string(float_format=lambda v: f"{v:,.2f}"))
        if self.proposals:
            lines.append(self.proposals_frame()[["name", "investor", "host", "in_zone",
                                                 "equal_gain_to_frontier"]].to_string())
        return "\n".join(lines)



