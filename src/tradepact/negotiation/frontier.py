r"""The Pareto frontier of priced designs and its refinement by an optimiser.

:func:`pareto_front` keeps the designs no other beats for one side without
hurting the other; :func:`solve_frontier` refines it by an ε-constraint method
(for each investor payoff level ε, maximise the host's payoff subject to
:math:`U_K \ge \varepsilon` and feasibility) solved with SciPy's differential
evolution; :func:`place_proposal` measures where a proposal lies against the
frontier. Pure: no file is read, nothing is printed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .design import DesignPayoffs, DesignSpace, DesignTemplate, evaluate_designs

def pareto_front(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices of the points not dominated when maximising both ``a`` and ``b``.

    A point is dominated if another is at least as good in both and better in
    one; of identical points the first is kept. Sorted by ``a`` ascending.
    O(m log m): sort by ``a`` descending (ties: ``b`` descending) and keep each
    point whose ``b`` beats every point before it.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    idx = np.arange(a.size) if mask is None else np.flatnonzero(mask)
    idx = idx[np.isfinite(a[idx]) & np.isfinite(b[idx])]
    if idx.size == 0:
        return idx
    order = idx[np.lexsort((-b[idx], -a[idx]))]
    bs = b[order]
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(bs)[:-1]))
    keep = order[bs > best_before]
    return keep[np.argsort(a[keep], kind="stable")]


@dataclass(frozen=True)
class FrontierPoint:
    """A design and its payoffs (USD bn, PV)."""

    design: dict[str, float]
    investor: float
    host: float
    source: str = "grid"

    def to_dict(self) -> dict[str, Any]:
        return {**{k: float(v) for k, v in self.design.items()}, "investor_payoff_usd_bn": self.investor,
                "host_payoff_usd_bn": self.host, "source": self.source}


class _Lockstep:
    """Prices the populations of several optimisers running side by side (one thread
    each) in one engine call per generation: each waits until every optimiser
    still running has handed in its population. The engine prices each design
    on its own row, so an optimiser sees exactly the values it would alone."""

    def __init__(self, n: int, price: Callable[[np.ndarray], tuple[np.ndarray, ...]]) -> None:
        self._cv = threading.Condition()
        self._running = n
        self._pending: dict[int, np.ndarray] = {}
        self._ready: dict[int, Any] = {}
        self._price = price

    def __call__(self, who: int, x: np.ndarray) -> tuple[np.ndarray, ...]:
        with self._cv:
            self._pending[who] = x
            self._flush_if_complete()
            while who not in self._ready:
                self._cv.wait()
            out = self._ready.pop(who)
        if isinstance(out, BaseException):
            raise out
        return out

    def finished(self) -> None:
        """An optimiser has stopped (converged, or failed): stop waiting for it."""
        with self._cv:
            self._running -= 1
            self._flush_if_complete()

    def _flush_if_complete(self) -> None:
        if not self._pending or len(self._pending) < self._running:
            return
        who = sorted(self._pending)
        xs = [self._pending.pop(w) for w in who]
        try:
            priced = self._price(np.concatenate(xs))
            cuts = np.cumsum([len(x) for x in xs])[:-1]
            parts = [np.split(a, cuts) for a in priced]
            for i, w in enumerate(who):
                self._ready[w] = tuple(p[i] for p in parts)
        except BaseException as exc:  # noqa: BLE001 - handed to every waiting optimiser
            for w in who:
                self._ready[w] = exc
        self._cv.notify_all()


def solve_frontier(template: DesignTemplate, space: DesignSpace, *, targets: Sequence[float],
                   start: Mapping[str, np.ndarray] | None = None, start_payoffs: DesignPayoffs | None = None,
                   seed: int = 0, maxiter: int = 40, popsize: int = 8) -> list[FrontierPoint]:
    r"""Refine the frontier: for each ε in ``targets``, the design that maximises the
    host's payoff subject to the investor's payoff :math:`\ge \varepsilon` and
    feasibility, by ``scipy.optimize.differential_evolution`` (vectorised: one
    engine call per generation). The best feasible grid designs for each ε seed
    the initial population, and the method keeps the best feasible point, so
    each result is at least as good as the grid's.

    The optimisers for the ε run side by side and each generation of all of
    them is priced in one engine call (:class:`_Lockstep`); each optimiser's
    path is the one it takes alone."""
    from scipy.optimize import differential_evolution
    free = space.free
    if not free or len(targets) == 0:
        return []
    lo = np.array([space.bounds[d][0] for d in free])
    hi = np.array([space.bounds[d][1] for d in free])
    X0 = space.to_matrix(start) if start is not None else None
    big = 1e6

    def price(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = evaluate_designs(template, space.from_matrix(x))
        return p.investor, p.host, p.feasible(template.investor)

    lockstep = _Lockstep(len(targets), price)

    def energy(j: int, eps: float) -> Callable[[np.ndarray], np.ndarray]:
        def f(xt: np.ndarray) -> np.ndarray:
            inv, host, ok = lockstep(j, np.clip(np.atleast_2d(xt.T), lo, hi))
            short = np.maximum(eps - inv, 0.0)
            return np.where(ok & (short <= 0), -host, big + 1e3 * short + big * (~ok))
        return f

    rng = np.random.default_rng(seed)
    size = max(5, popsize * len(free))
    jobs = []
    for j, eps in enumerate(targets):
        init = rng.uniform(lo, hi, size=(size, len(free)))
        if X0 is not None and start_payoffs is not None:
            ok = start_payoffs.feasible(template.investor) & (start_payoffs.investor >= eps)
            cand = np.flatnonzero(ok)
            if cand.size:
                best = cand[np.argsort(-start_payoffs.host[cand])][: size // 2]
                init[: best.size] = X0[best]
        if np.any(hi - lo <= 0):
            span = hi - lo
            bounds = [(a, b if b > a else a + 1e-12) for a, b in zip(lo, hi)]
            init = np.clip(init, lo, lo + np.maximum(span, 1e-12))
        else:
            bounds = list(zip(lo, hi))
        jobs.append((j, float(eps), bounds, init))
    found: dict[int, Any] = {}

    def run(j: int, eps: float, bounds: list, init: np.ndarray) -> None:
        try:
            found[j] = differential_evolution(energy(j, eps), bounds, init=init, vectorized=True, polish=False,
                                              maxiter=maxiter, tol=1e-8, seed=seed + j, updating="deferred")
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the caller's thread
            found[j] = exc
        finally:
            lockstep.finished()

    threads = [threading.Thread(target=run, args=job, name=f"tradepact-frontier-{job[0]}", daemon=True)
               for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for j in range(len(jobs)):
        if isinstance(found[j], BaseException):
            raise found[j]
    x = np.clip(np.array([found[j].x for j in range(len(jobs))]), lo, hi)
    inv, host, ok = price(x)
    designs = space.from_matrix(x)
    return [FrontierPoint({d: float(v[j]) for d, v in designs.items()}, float(inv[j]), float(host[j]), "optimiser")
            for j, (_, eps, _, _) in enumerate(jobs) if ok[j] and inv[j] >= eps - 1e-9]


# ---------------------------------------------------------------- proposals
@dataclass(frozen=True)
class ProposalPosition:
    """Where a shipped proposal lies against the zone and the frontier."""

    name: str
    title: str
    design: dict[str, float]
    investor: float
    host: float
    over_capacity_probability: float
    feasible: bool
    in_zone: bool
    dominated_by_frontier: bool
    equal_gain_to_frontier: float
    host_gain_at_same_investor_payoff: float
    investor_gain_at_same_host_payoff: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: a figure or design coordinate that does not exist (``nan``) becomes ``None``."""
        def clean(v: Any) -> Any:
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            return None if isinstance(v, float) and not np.isfinite(v) else v
        return clean(dataclasses.asdict(self))




def place_proposal(name: str, title: str, design: dict[str, float], investor_payoff: float, host_payoff: float,
                   over_capacity_probability: float, frontier_investor: np.ndarray, frontier_host: np.ndarray, *,
                   investor: Any, reservations: tuple[float, float], limit: float) -> ProposalPosition:
    """Where a proposal's payoffs lie against the zone and the frontier.

    Feasible under the hard stress treatment when its probability of a year
    over capacity is at most ``limit``; in the zone when also at least both
    reservation values; the *equal gain to the frontier* is the largest
    :math:`g` such that a frontier point gives both sides at least :math:`g`
    more (positive: the proposal is dominated)."""
    fa, fb = np.asarray(frontier_investor, float), np.asarray(frontier_host, float)
    uk, uh = investor_payoff, host_payoff
    feasible = (over_capacity_probability <= limit + 1e-12) if investor.stress == "hard" else True
    in_zone = bool(feasible and uk >= reservations[0] and uh >= reservations[1])
    gain = float(np.max(np.minimum(fa - uk, fb - uh))) if fa.size else float("nan")
    same_k = fb[fa >= uk - 1e-9]
    same_h = fa[fb >= uh - 1e-9]
    return ProposalPosition(name, title, design, uk, uh, over_capacity_probability, bool(feasible), in_zone,
                            bool(gain > 1e-6), gain, float(same_k.max() - uh) if same_k.size else float("nan"),
                            float(same_h.max() - uk) if same_h.size else float("nan"))
