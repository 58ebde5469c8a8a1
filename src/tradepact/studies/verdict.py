"""The verdict study: scenario(s) → :class:`~tradepact.results.verdict.Verdict`.

For each scenario:

1. the point estimate: the scenario resolved at its point values and run
   through the engines (:func:`tradepact.studies.assess.evaluate`); each
   side's payoff against no deal, and the years whose reserve-funded outflow
   exceeds the stated USD supply capacity (the "no adverse shock" test);
2. ``P(better off)``: a Monte Carlo of ``n_draws`` (default: the size of
   ``tradepact simulate``) through :func:`tradepact.studies.simulate.simulate`,
   with the scenario's own uncertainty or the shipped
   ``us_kr_2025/final_uncertain``;
3. the tornado: each uncertain parameter the scenario reads is set to the
   5th and then the 95th percentile of its marginal distribution, the others
   staying at their point values, and the scenario is resolved again (both
   ends at once, as two draws); the payoffs at the two ends give the bar.
   The widest bars are the drivers.

The verdict on a shipped scenario with the shipped parameters is kept in the
disk cache (:func:`tradepact.studies.cache.cached_object`), keyed by the
package's content hash (code, parameters, scenarios, data), the scenario,
the uncertainty applied, the draws, the seed and the numeric stack, so any
change recomputes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from ..core.errors import ParameterError
from ..core.parameters import ParameterNode, default_parameters
from ..core.scenario import Scenario
from ..resolve import resolve
from ..results.verdict import ScenarioVerdict, SideVerdict, Swing, Verdict
from .assess import DEFAULT_SCENARIOS, Outcome, evaluate
from .cache import cached_object, results_key
from .uncertainty import DEFAULT_UNCERTAINTY

#: Draws behind P(better off): the default of ``tradepact simulate``.
DEFAULT_DRAWS = 10_000
#: Percentiles of each marginal at the two ends of a tornado bar.
SWING_QUANTILES = (0.05, 0.95)


def _holder(sc: Scenario, uncertainty_from: Scenario | str | Path | None) -> Scenario | None:
    """The scenario whose uncertainty applies: the scenario's own, else ``uncertainty_from``."""
    if sc.spec.uncertainty or uncertainty_from is None:
        return None
    return Scenario.load(uncertainty_from)


def _label(tree: ParameterNode, path: str) -> str:
    """Plain label of a parameter: its label, else its description's first clause."""
    try:
        p = tree.parameter(path)
    except ParameterError:
        return path
    text = p.label or p.description or path
    text = text.strip().split(". ")[0].rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def tornado(sc: Scenario, tree: ParameterNode, holder: Scenario | None) -> tuple[Swing, ...]:
    """One-at-a-time swings of every uncertain parameter the scenario reads."""
    from .uncertainty import load_uncertainty
    model = load_uncertainty(sc, tree, holder)
    used = {i.path: i for i in model.inputs if i.used}
    out = []
    for path, marginal in zip(model.shock.paths, model.shock.marginals):
        if path not in used:
            continue
        lo, hi = (float(v) for v in marginal.ppf(np.asarray(SWING_QUANTILES, float)))
        # Both ends in one resolve: two draws of the one parameter (rows are independent).
        p = evaluate(resolve(sc, tree, draws={path: np.array([lo, hi])})).payoffs
        inv, host = np.broadcast_to(p.investor, (2,)), np.broadcast_to(p.host, (2,))
        ends = [(float(inv[0]), float(host[0])), (float(inv[1]), float(host[1]))]
        info = used[path]
        out.append(Swing(path, _label(tree, path), info.unit, float(info.point_value), lo, hi,
                         f"p{SWING_QUANTILES[0] * 100:g}/p{SWING_QUANTILES[1] * 100:g}",
                         ends[0][0], ends[1][0], ends[0][1], ends[1][1]))
    return tuple(out)


def scenario_verdict(scenario: Scenario | str | Path, *, n_draws: int = DEFAULT_DRAWS, seed: int = 0,
                     uncertainty_from: Scenario | str | Path | None = DEFAULT_UNCERTAINTY,
                     with_tornado: bool = True, tree: ParameterNode | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     outcome: Outcome | None = None) -> ScenarioVerdict:
    """The verdict on one scenario. ``n_draws=0`` skips the Monte Carlo (no
    P(better off)); ``with_tornado=False`` skips the swings (no drivers);
    ``outcome`` is the scenario's point outcome when the caller has it."""
    sc = Scenario.load(scenario)
    base_tree = tree if tree is not None else default_parameters()
    if outcome is None:
        outcome = evaluate(resolve(sc, base_tree))
    pay = outcome.payoffs
    annual = outcome.annual
    years = tuple(int(y) for y in outcome.years)
    reserve_out = tuple(float(x) for x in np.asarray(annual["reserve_funded_outflow_usd_bn"])[0])
    capacity = tuple(float(x) for x in np.broadcast_to(annual["usd_supply_capacity_usd_bn"],
                                                        (1, len(years)))[0])
    over = np.asarray(annual["over_capacity"])[0].astype(bool)
    failing = tuple(y for y, o in zip(years, over) if o)
    holder = _holder(sc, uncertainty_from)
    has_uncertainty = bool(sc.spec.uncertainty) or holder is not None
    p_inv = p_host = se_inv = se_host = p_over = None
    source = ""
    if n_draws and has_uncertainty:
        from .simulate import simulate
        sim = simulate(sc, int(n_draws), int(seed), tree=tree, uncertainty_from=holder, keep_annual=(),
                       progress=progress)
        probs, errs = sim.probabilities, sim.probability_standard_errors()
        p_inv, se_inv = probs["investor_better_off_than_no_deal"], errs["investor_better_off_than_no_deal"]
        p_host, se_host = probs["host_better_off_than_no_deal"], errs["host_better_off_than_no_deal"]
        p_over = probs["any_year_over_capacity"]
        source = sim.uncertainty.source
    swings = tornado(sc, base_tree, holder) if (with_tornado and has_uncertainty) else ()
    r = outcome.resolved
    inv = SideVerdict("investor", sc.spec.investor, float(np.mean(pay.investor)), p_inv, se_inv)
    host = SideVerdict("host", sc.spec.host, float(np.mean(pay.host)), p_host, se_host)
    return ScenarioVerdict(sc.name, sc.spec.title, inv, host, years, reserve_out, capacity, failing, p_over,
                           swings, int(n_draws) if p_inv is not None else 0, int(seed), source, r.provenance)


def verdict(scenarios: Iterable[Scenario | str | Path] = DEFAULT_SCENARIOS, *, n_draws: int = DEFAULT_DRAWS,
            seed: int = 0, uncertainty_from: Scenario | str | Path | None = DEFAULT_UNCERTAINTY,
            with_tornado: bool = True, tree: ParameterNode | None = None,
            outcomes: Sequence[Outcome] | None = None, cache: bool = True) -> Verdict:
    """Verdicts of several scenarios, with the same seed (common random numbers).
    ``outcomes``: the scenarios' point outcomes (in order) when the caller has
    them (e.g. from :func:`tradepact.studies.assess.evaluate_scenarios`);
    ``cache=False`` bypasses the disk cache (each scenario's verdict is an
    entry of its own, so other sets of scenarios reuse it)."""
    loaded = [Scenario.load(s) for s in scenarios]
    needed = uncertainty_from is not None and any(not s.spec.uncertainty for s in loaded)
    holder = Scenario.load(uncertainty_from) if needed else None
    outs: Sequence[Outcome | None] = outcomes if outcomes is not None else [None] * len(loaded)
    found = []
    for sc, outcome in zip(loaded, outs, strict=True):
        def compute(sc: Scenario = sc, outcome: Outcome | None = outcome) -> ScenarioVerdict:
            return scenario_verdict(sc, n_draws=n_draws, seed=seed, uncertainty_from=holder,
                                    with_tornado=with_tornado, tree=tree, outcome=outcome)
        key = _cache_key(sc, holder, n_draws, seed, with_tornado) if (cache and tree is None) else None
        found.append(compute() if key is None else cached_object(key, compute))
    return Verdict(tuple(found))


def _cache_key(scenario: Scenario, holder: Scenario | None, n_draws: int, seed: int,
               with_tornado: bool) -> str | None:
    """The disk cache's key of a scenario's verdict, or None when an input lies
    outside the package (a user's scenario file: its contents, its base and
    the files it reads are not all covered by the package's hash, so it is
    not cached)."""
    from ..core.yamlfast import PACKAGE_ROOT
    root = str(PACKAGE_ROOT) + "/"
    if any(not str(Path(s.source).resolve()).startswith(root) for s in (scenario, holder) if s is not None):
        return None

    def spec(s: Scenario | None) -> str | None:
        return s.spec.model_dump_json(warnings=False) if s is not None else None
    return results_key("verdict", {"scenario": spec(scenario), "uncertainty": spec(holder),
                                   "n_draws": int(n_draws), "seed": int(seed), "tornado": bool(with_tornado)})


__all__ = ["DEFAULT_DRAWS", "DEFAULT_UNCERTAINTY", "SWING_QUANTILES", "scenario_verdict", "tornado", "verdict"]
