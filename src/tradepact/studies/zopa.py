r"""The negotiation study: the zone of possible agreement around a base scenario.

:func:`find_zopa` loads the base scenario and resolves it into a design
template (terms, horizon, pledge, macro position, both parties and the relief
stream; :class:`~tradepact.negotiation.design.DesignTemplate`), prices a grid
of designs on the engines' leading axis (chunked over draws, on Dask when
asked), finds the zone and the frontier, refines it with the optimiser
(:mod:`tradepact.negotiation.frontier`), and places each proposal by pricing
its own scenario. The result is a :class:`~tradepact.results.zone.ZoneOfAgreement`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import Location, ScenarioError, with_value
from ..core.parameters import ParameterNode
from ..resolve.measures import policy_parameters as default_parameters
from ..core.scenario import Scenario
from ..macro.shocks import ShockSpec
from ..negotiation.design import (
    DEFAULT_BOUNDS, DIMENSIONS, DesignPayoffs, DesignSpace, DesignTemplate, _sums, design_of, evaluate_designs,
)
from ..negotiation.frontier import FrontierPoint, place_proposal, solve_frontier
from ..negotiation.parties import ReliefStream, StressTreatment
from ..resolve import ResolvedScenario, resolve
from ..results.zone import ZoneOfAgreement
from .assess import evaluate, stream_of
from .scale import chunk_ranges, map_chunks

#: Draws the frontier optimiser works on when payoffs are expected values.
OPTIMISER_DRAWS = 128


def template_of(r: ResolvedScenario, relief: ReliefStream | None = None) -> DesignTemplate:
    """The design template of a resolved base scenario (its draws, if any)."""
    veh = r.vehicle
    pledge = float(sum(float(np.asarray(t.amount_usd_bn).reshape(-1)[0]) for t in veh.tranches))
    return DesignTemplate(r.name, pledge, veh.first_year, veh.last_year, veh.first_year, veh.discount_rate,
                          dict(r.design.terms), dict(r.design.funding), r.design.fdi_share_of_rest, r.position,
                          r.parties.investor, r.parties.host, relief if relief is not None else stream_of(r),
                          r.n_draws)


def template_from_scenario(scenario: Scenario, tree: ParameterNode | None = None, *,
                           draws: Mapping[str, np.ndarray] | None = None,
                           stress_treatment: StressTreatment = "hard",
                           relief: ReliefStream | None = None) -> DesignTemplate:
    """The design template of a base scenario (point values, or ``draws``)."""
    base_tree = tree if tree is not None else default_parameters()
    return template_of(resolve(scenario, base_tree, draws=dict(draws or {}), stress=stress_treatment), relief)


def proposal_payoffs(scenario: Scenario, tree: ParameterNode | None, shock: ShockSpec | None, n_draws: int,
                     seed: int, stress_treatment: StressTreatment, relief: ReliefStream | None
                     ) -> tuple[float, float, float, dict[str, float]]:
    """Expected payoffs of one scenario (over the same draws as the designs)."""
    draws = shock.draw(n_draws, seed) if (shock is not None and shock.k and n_draws > 1) else {}
    n = max(1, n_draws if draws else 1)
    base_tree = tree if tree is not None else default_parameters()
    r = resolve(scenario, base_tree, draws=draws, stress=stress_treatment)
    p = evaluate(r, relief=relief).payoffs
    return (float(np.mean(p.investor)), float(np.mean(p.host)),
            float(np.mean(np.broadcast_to(p.any_over_capacity, (n,)))), design_of(r.vehicle))


def find_zopa(base: Scenario | str | Path = "us_kr_2025/final", *, space: DesignSpace | None = None,
              fix: Mapping[str, float] | None = None, bounds: Mapping[str, tuple[float, float]] | None = None,
              with_assessment: bool = False,
              grid: Mapping[str, Sequence[float]] | None = None, proposals: Iterable[Scenario | str | Path] = (),
              n_draws: int = 0, seed: int = 0, uncertainty_from: Scenario | str | Path | None = None,
              tree: ParameterNode | None = None, stress_treatment: StressTreatment = "hard",
              relief: ReliefStream | None = None, refine: int = 8, maxiter: int = 40,
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
    from .uncertainty import DEFAULT_UNCERTAINTY, load_uncertainty
    sc = Scenario.load(base)
    if space is None:
        fixed = dict(fix or {})
        # Unknown dimensions are passed on, so that DesignSpace names them in its error.
        space = DesignSpace({**{k: v for k, v in DEFAULT_BOUNDS.items() if k not in fixed}, **dict(bounds or {})},
                            fixed)
    designs = space.grid(grid)
    shock = None
    if n_draws and n_draws > 1:
        if uncertainty_from is None and not sc.spec.uncertainty:
            uncertainty_from = DEFAULT_UNCERTAINTY
        holder = Scenario.load(uncertainty_from) if uncertainty_from is not None else None
        if holder is None and not sc.spec.uncertainty:
            raise with_value("the base scenario has no uncertainty to draw from", location=Location(
                sc.source, None, "uncertainty"), value=sc.name,
                expected="a base with an 'uncertainty' block, or uncertainty_from / --uncertainty", cls=ScenarioError)
        shock = load_uncertainty(sc, tree, holder).shock
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
        resolved = resolve(sc, tree if tree is not None else default_parameters(),
                           draws=shock.draw(min(n_draws, OPTIMISER_DRAWS), seed), stress=stress_treatment)
        template = template_of(resolved, relief)
    else:
        resolved = resolve(sc, tree if tree is not None else default_parameters(), stress=stress_treatment)
        template = template_of(resolved, relief)
        pay = evaluate_designs(template, designs)
        if progress is not None:
            progress(1, 1)
    zone = ZoneOfAgreement(sc.name, space, designs, pay, template.investor, template.host,
                           template.relief.source, int(max(n_draws, 1)), int(seed), sources=resolved.provenance)
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
        p_sc = Scenario.load(item)
        uk, uh, po, coords = proposal_payoffs(p_sc, tree, shock, int(n_draws), int(seed), stress_treatment, relief)
        positions.append((p_sc, uk, uh, po, coords))
    zone = dataclasses.replace(zone, refined=tuple(refined))
    front = zone.frontier_points()
    fa = np.array([p.investor for p in front]) if front else np.zeros(0)
    fb = np.array([p.host for p in front]) if front else np.zeros(0)
    limit = template.investor.max_over_capacity_probability if n_draws > 1 else 0.0
    out = [place_proposal(p_sc.name, p_sc.spec.title, coords, uk, uh, po, fa, fb, investor=template.investor,
                          reservations=(zone.investor_reservation, zone.host_reservation), limit=limit)
           for p_sc, uk, uh, po, coords in positions]
    point = None
    if with_assessment:
        from .assess import assess
        point = assess([p for p, *_ in positions] or [sc], parameters=tree)
    return dataclasses.replace(zone, proposals=tuple(out), assessment=point)


def _reprice(points: list[FrontierPoint], space: DesignSpace, sc: Scenario, tree: ParameterNode | None,
             shock: ShockSpec, n_draws: int, seed: int, stress_treatment: StressTreatment,
             relief: ReliefStream | None, zone: ZoneOfAgreement) -> list[FrontierPoint]:
    """Optimiser points priced on all draws; those no longer feasible are dropped."""
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


__all__ = ["DEFAULT_BOUNDS", "OPTIMISER_DRAWS", "find_zopa", "proposal_payoffs", "template_from_scenario",
           "template_of"]
