"""Pareto front, frontier solver and proposal positions against brute force and direct evaluation."""

import numpy as np
import pytest

from tradepact.studies.assess import evaluate
from tradepact.core.scenario import Scenario
load = Scenario.load
from tradepact.core.parameters import ParameterReader
from tradepact.negotiation.parties import ReliefStream as TariffRelief
from tradepact.negotiation.design import DIMENSIONS, DesignSpace, evaluate_designs
from tradepact.negotiation.frontier import pareto_front, solve_frontier
from tradepact.studies.zopa import find_zopa, template_from_scenario
from tradepact.resolve import resolve


def brute_front(a, b, ok=None):
    """Indices of non-dominated points by comparing every pair (O(n^2)); of identical
    non-dominated points the first is kept."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = np.ones(a.size, bool) if ok is None else np.asarray(ok, bool)
    ok = ok & np.isfinite(a) & np.isfinite(b)
    keep = []
    for i in np.flatnonzero(ok):
        others = ok.copy()
        others[i] = False
        ge = others & (a >= a[i]) & (b >= b[i])
        if np.any(ge & ((a > a[i]) | (b > b[i]))):
            continue                                      # strictly dominated
        if np.any(ge[:i] & (a[:i] == a[i]) & (b[:i] == b[i])):
            continue                                      # an identical point came first
        keep.append(i)
    return np.array(keep, dtype=int)


# ---------------------------------------------------------------- pareto_front
@pytest.mark.parametrize("seed", range(6))
def test_pareto_front_matches_pairwise_dominance(seed):
    rng = np.random.default_rng(seed)
    n = 400
    if seed % 2:      # coarse integer values: many ties and exact duplicates
        a, b = rng.integers(0, 12, n).astype(float), rng.integers(0, 12, n).astype(float)
    else:             # a trade-off cloud
        a = rng.normal(size=n)
        b = -a + rng.normal(scale=0.5, size=n)
    a[rng.choice(n, 5, replace=False)] = np.nan
    mask = rng.random(n) < 0.7
    for m in (None, mask):
        got = pareto_front(a, b, m)
        want = brute_front(a, b, m)
        assert set(got.tolist()) == set(want.tolist())
        assert np.all(np.diff(a[got]) >= 0)               # sorted by the first payoff
        assert np.all(np.diff(b[got]) <= 0)               # ... so the second falls along it


def test_pareto_front_edge_cases():
    assert pareto_front(np.array([]), np.array([])).size == 0
    assert pareto_front(np.array([1.0, 2.0]), np.array([1.0, 2.0]), np.array([False, False])).size == 0
    assert pareto_front(np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 1.0])).tolist() == [0]


# ---------------------------------------------------------------- frontier vs brute force
# Three free dimensions, one of which (the cap) decides feasibility: reserve-funded
# calls above the USD 20 bn capacity are over capacity, so not acceptable to the investor.
FIXED = {"years": 3.0, "guarantee_share": 1 / 3, "investor_share_after_recoup": 0.1}
SPACE = DesignSpace({"cash_share": (0.0, 1.0), "annual_cap_usd_bn": (10.0, 30.0),
                     "investor_share_before_recoup": (0.0, 1.0)}, FIXED)
SMALL = {"cash_share": [0.0, 0.5, 1.0], "annual_cap_usd_bn": [10.0, 20.0, 30.0],
         "investor_share_before_recoup": [0.0, 0.5, 1.0]}
#: Stated tolerance: 1 % of the range of host payoffs over the feasible dense grid.
TOLERANCE_SHARE = 0.01


@pytest.fixture(scope="module")
def brute():
    """Every design of a dense 5 x 5 x 5 grid of the space, priced, and its front by pairwise dominance."""
    template = template_from_scenario(load("us_kr_2025/final"))
    dense = SPACE.grid(points=5)
    pay = evaluate_designs(template, dense)
    ok = pay.feasible(template.investor)
    front = brute_front(pay.investor, pay.host, ok)
    tol = TOLERANCE_SHARE * float(np.ptp(pay.host[ok]))
    return template, dense, pay, ok, front, tol


def test_dense_grid_has_both_feasible_and_infeasible_designs(brute):
    template, dense, pay, ok, front, _ = brute
    over = dense["annual_cap_usd_bn"] > 20 + 1e-9
    cash = dense["cash_share"] > 0
    # Calls above the capacity make a design infeasible, at or below it they do not.
    assert not ok[over & cash].any() and ok[~over].all()
    assert 5 < front.size < ok.sum()


def test_solver_frontier_weakly_dominates_every_brute_force_frontier_design(brute):
    template, dense, pay, ok, front, tol = brute
    small_pay = evaluate_designs(template, SPACE.grid(SMALL))
    points = solve_frontier(template, SPACE, targets=pay.investor[front], start=SPACE.grid(SMALL),
                            start_payoffs=small_pay, maxiter=40)
    assert len(points) == front.size
    a = np.array([p.investor for p in points])
    h = np.array([p.host for p in points])
    for i in front:
        # Some solver point gives the investor at least as much and the host at most tol less.
        best = np.max(np.where(a >= pay.investor[i] - 1e-9, h, -np.inf))
        assert best >= pay.host[i] - tol, (pay.investor[i], pay.host[i], best)
    # Each solver point is feasible when priced again, inside the bounds, with the fixed values kept.
    again = evaluate_designs(template, {d: np.array([p.design[d] for p in points]) for d in DIMENSIONS})
    assert again.feasible(template.investor).all()
    np.testing.assert_allclose(again.investor, a, rtol=1e-12)
    for p in points:
        for d, (lo, hi) in SPACE.bounds.items():
            assert lo <= p.design[d] <= hi
        for d, v in FIXED.items():
            assert p.design[d] == v


def test_find_zopa_frontier_against_brute_force(brute):
    template, dense, pay, ok, front, tol = brute
    zone = find_zopa("us_kr_2025/final", space=SPACE, grid=SMALL, refine=4, maxiter=30)
    assert zone.feasible.size == 27
    # The grid frontier is the pairwise-dominance front of the small grid's feasible designs.
    zp = zone.payoffs
    assert set(zone.frontier.tolist()) == set(brute_front(zp.investor, zp.host, zone.feasible).tolist())
    points = zone.frontier_points()
    refined = [p for p in points if p.source == "optimiser"]
    assert refined
    for p in refined:
        # No feasible dense design beats an optimiser point by more than tol for both sides.
        beats = ok & (pay.investor > p.investor + tol) & (pay.host > p.host + tol)
        assert not beats.any(), (p.investor, p.host)
    # Grid and optimiser points together are mutually non-dominated.
    a, b = np.array([p.investor for p in points]), np.array([p.host for p in points])
    assert brute_front(a, b).size == len(points)
    # The zone: feasible grid designs giving both sides their reservation values.
    vk, vh = zone.investor_reservation, zone.host_reservation
    by_hand = zone.feasible & (zp.investor >= vk) & (zp.host >= vh)
    assert np.array_equal(zone.in_zone, by_hand)
    # The Nash point maximises the product of gains over the zone's frontier points.
    inside = [p for p in points if p.investor >= vk and p.host >= vh]
    best = max(inside, key=lambda p: (p.investor - vk) * (p.host - vh))
    assert zone.nash.investor == best.investor and zone.nash.host == best.host


# ---------------------------------------------------------------- proposals
PROPOSALS = ("us_kr_2025/us_initial", "us_kr_2025/us_october", "us_kr_2025/kr_october", "us_kr_2025/final")
NEGOTIATION = "assumptions.negotiation"


def _direct_payoffs(name, relief):
    """Both payoffs of a scenario written out from its own engine outcome (cash flows,
    NPV, stress) and a constant relief stream, by the formulas of docs/negotiation.md."""
    sc = load(name)
    r = resolve(sc)
    out = evaluate(r)
    reader = ParameterReader(r.tree, sc.spec.as_of)
    dk = float(np.asarray(r.vehicle.discount_rate).reshape(-1)[0])
    dh = reader.number(f"{NEGOTIATION}.host.discount_rate")
    p = relief.annual_withdrawal_probability
    ann = {k: np.asarray(v, float)[0] for k, v in out.annual.items()}
    T = ann["cash_outflow_usd_bn"].size
    k = np.arange(T)
    # A constant relief a withdrawn with probability p: sum_k a (1-p)^k/(1+d)^(k+1) = a/(d+p).
    u_k = (relief.investor_savings_usd_bn / (dk + p) + float(out.value.npv[0])
           + float(out.value.terminal_value[0]))
    w = {i: reader.number(f"{NEGOTIATION}.host.{i}_spillover_share")
         for i in ("cash_equity", "company_fdi", "loan", "guarantee")}
    start = (1 + dh) ** -k
    received = (w["cash_equity"] * ann["equity_calls_usd_bn"] + w["company_fdi"] * ann["company_fdi_usd_bn"]
                + w["loan"] * ann["loan_disbursements_usd_bn"]
                + w["guarantee"] * ann["guarantee_exposure_issued_usd_bn"])
    host_dist = ann["host_distributions_usd_bn"]
    u_h = ((received * start).sum() + (host_dist * start / (1 + dh)).sum()
           + host_dist[-1] / dh / (1 + dh) ** T - relief.host_revenue_forgone_usd_bn / (dh + p))
    over = bool(np.asarray(out.stress.over_capacity).any())
    return u_k, u_h, over


def test_each_proposal_sits_where_its_own_scenario_puts_it():
    relief = TariffRelief(9.0, 11.0, 0.1, source="test: constant stream")
    zone = find_zopa("us_kr_2025/final", space=DesignSpace({"cash_share": (0.0, 1.0)}, {
        "annual_cap_usd_bn": 20.0, "years": 3.0, "guarantee_share": 1 / 3, "investor_share_before_recoup": 0.5,
        "investor_share_after_recoup": 0.1}), grid={"cash_share": [0.0, 0.5, 1.0]}, proposals=PROPOSALS,
        relief=relief, refine=0)
    assert [p.name for p in zone.proposals] == list(PROPOSALS)
    for pos in zone.proposals:
        u_k, u_h, over = _direct_payoffs(pos.name, relief)
        assert pos.investor == pytest.approx(u_k, rel=1e-9, abs=1e-9), pos.name
        assert pos.host == pytest.approx(u_h, rel=1e-9, abs=1e-9), pos.name
        assert pos.over_capacity_probability == float(over)
        assert pos.feasible == (not over)
        assert pos.in_zone == (not over and u_k >= zone.investor_reservation and u_h >= zone.host_reservation)
    names = {p.name: p for p in zone.proposals}
    assert not names["us_kr_2025/us_october"].feasible            # USD 25 bn a year > the 20 bn capacity
    assert names["us_kr_2025/final"].feasible


def test_proposal_positions_with_draws_are_the_mean_of_their_own_simulation():
    from tradepact.studies.simulate import simulate
    zone = find_zopa("us_kr_2025/final", space=DesignSpace({"cash_share": (0.4, 0.6)}, {
        "annual_cap_usd_bn": 20.0, "years": 3.0, "guarantee_share": 1 / 3, "investor_share_before_recoup": 0.5,
        "investor_share_after_recoup": 0.1}), grid={"cash_share": [0.4, 0.6]},
        proposals=("us_kr_2025/final", "us_kr_2025/kr_october"), n_draws=64, seed=3,
        uncertainty_from="us_kr_2025/final_uncertain", refine=0)
    for pos in zone.proposals:
        sim = simulate(pos.name, 64, seed=3, uncertainty_from="us_kr_2025/final_uncertain")
        assert pos.investor == pytest.approx(sim.headline["deal_npv_investor_usd_bn"].mean(), rel=1e-9)
        assert pos.host == pytest.approx(sim.headline["deal_npv_host_usd_bn"].mean(), rel=1e-9)
        assert pos.over_capacity_probability == pytest.approx(sim.probabilities["any_year_over_capacity"])


def test_optimisers_side_by_side_take_the_path_each_takes_alone():
    """The ε optimisers run side by side, one engine call per generation for all of
    them; a plain loop of ``differential_evolution`` calls, each pricing its own
    population, finds the same designs to the last bit."""
    from scipy.optimize import differential_evolution
    template = template_from_scenario(load("us_kr_2025/final"))
    start = SPACE.grid(SMALL)
    start_pay = evaluate_designs(template, start)
    ok0 = start_pay.feasible(template.investor)
    targets = np.quantile(start_pay.investor[ok0], [0.2, 0.5, 0.8])
    got = solve_frontier(template, SPACE, targets=targets, start=start, start_payoffs=start_pay, seed=3, maxiter=6)

    free = SPACE.free
    lo = np.array([SPACE.bounds[d][0] for d in free])
    hi = np.array([SPACE.bounds[d][1] for d in free])
    X0 = SPACE.to_matrix(start)
    rng = np.random.default_rng(3)
    size = max(5, 8 * len(free))
    want = []
    for j, eps in enumerate(targets):
        init = rng.uniform(lo, hi, size=(size, len(free)))
        cand = np.flatnonzero(ok0 & (start_pay.investor >= eps))
        best = cand[np.argsort(-start_pay.host[cand])][: size // 2]
        init[: best.size] = X0[best]

        def f(xt, eps=eps):
            p = evaluate_designs(template, SPACE.from_matrix(np.clip(np.atleast_2d(xt.T), lo, hi)))
            ok, short = p.feasible(template.investor), np.maximum(eps - p.investor, 0.0)
            return np.where(ok & (short <= 0), -p.host, 1e6 + 1e3 * short + 1e6 * (~ok))
        res = differential_evolution(f, list(zip(lo, hi)), init=init, vectorized=True, polish=False, maxiter=6,
                                     tol=1e-8, seed=3 + j, updating="deferred")
        x = np.clip(res.x, lo, hi)
        p = evaluate_designs(template, SPACE.from_matrix(x[None, :]))
        if p.feasible(template.investor)[0] and p.investor[0] >= eps - 1e-9:
            want.append((p.investor[0], p.host[0], x))
    assert len(got) == len(want) == 3
    for g, (inv, host, x) in zip(got, want):
        assert (g.investor, g.host) == (inv, host)
        assert [g.design[d] for d in free] == list(x)
