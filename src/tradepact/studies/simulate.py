r"""The Monte Carlo study: the distribution of outcomes of a pledge design.

:func:`simulate`

1. loads the scenario and its joint distribution (:mod:`.uncertainty`);
2. draws every input up front, chunk by chunk, from independent
   ``SeedSequence`` streams (reproducible by ``seed``, identical however the
   work is chunked or distributed, see :mod:`.scale`);
3. runs each chunk through the same engines as ``assess``
   (:func:`tradepact.resolve.resolve` with ``draws``, then
   :func:`tradepact.studies.assess.evaluate`), along the leading draw axis;
4. summarises each chunk as it is done (:class:`~tradepact.results.simulation.StreamSummary`):
   in process, the fused kernel writes into buffers reused from chunk to
   chunk; on Dask, once the first chunks (run here) have set the sketches'
   grids, each worker summarises its chunk and sends back bin counts and
   moments, merged here in draw order (bit-identical to one process);
5. returns a :class:`~tradepact.results.SimulationResult`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import Location, TradepactError, with_value
from ..core.parameters import ParameterNode, ParameterUse
from ..resolve.measures import policy_parameters
from ..core.scenario import Scenario
from ..macro.shocks import ShockSpec
from ..resolve import resolve
from ..results.simulation import SimulationResult, SimulationSet, StreamSummary
from .assess import evaluate
from .scale import chunk_ranges, dask_client, map_chunks
from .uncertainty import DEFAULT_UNCERTAINTY, load_uncertainty

#: Draws per chunk: large enough to amortise resolving the scenario once per
#: chunk (the fused kernel works one draw at a time, so chunk size does not
#: matter for its cache use); about 0.3 GB of working memory per chunk.
DEFAULT_CHUNK = 65_536
#: Annual series kept per draw (for fan charts).
FAN_SERIES = ("reserves_usd_bn", "cash_outflow_usd_bn", "reserve_funded_outflow_usd_bn")


# ---------------------------------------------------------------- simulation
#: Draws up to which every draw's inputs and figures are kept (exact quantiles,
#: ``frame()``); above it the run keeps moments, counts and sketches only.
KEEP_DRAWS_MAX = 262_144
#: Chunks mapped per round on Dask (per worker): the main process holds at most
#: this many chunks' results; in process, each chunk is summarised as it is done.
_ROUND = 2
#: Rounds of chunks summarised on the workers are this many times longer (a
#: chunk's summary is a few MB: the main process holds at most a round of them).
_ROUND_SUMMARISED = 4


@dataclass(frozen=True)
class _Plan:
    """Everything a chunk needs (pickled once to each worker)."""

    scenario: Scenario
    tree: ParameterNode | None
    shock: ShockSpec
    seed: int
    relief: Any
    stress: str
    keep_annual: tuple[str, ...]
    fan: tuple[str, ...] = ()


#: The relief stream without its withdrawal probability, and the mean annual
#: tariff savings, per (engine result, years, incidence): the same in every
#: draw, computed once per run in each process instead of in every chunk.
_RELIEF: dict[tuple, tuple[Any, Any, float]] = {}
#: Headline figures of the NumPy path, in its order, per scenario (one point evaluation).
_KEYS: dict[tuple[str, int], tuple[str, ...]] = {}


def _relief_of(resolved: Any, relief: Any) -> tuple[Any, float]:
    """The chunk's relief stream (``relief`` if given) and the mean annual tariff savings."""
    from .assess import stream_of, tariff_relief_of
    rel = tariff_relief_of(resolved)
    years = tuple(int(y) for y in resolved.vehicle.years)
    p = resolved.parties
    inc = dict(p.incidence) if isinstance(p.incidence, dict) else {"default": p.incidence}
    shared = all(np.ndim(v) == 0 for v in inc.values())
    key = (id(rel), years, tuple(sorted((k, float(v)) for k, v in inc.items()))) if shared else None
    hit = _RELIEF.get(key) if key is not None else None
    if hit is None or hit[0] is not rel:
        base = stream_of(dataclasses.replace(resolved, parties=dataclasses.replace(p, withdrawal=0.0)))
        per_year = float(np.mean(rel.series("tariff_savings_usd_bn", np.asarray(years), partner=rel.partner)))
        hit = (rel, base, per_year)
        if key is not None:
            if len(_RELIEF) > 32:
                _RELIEF.clear()
            _RELIEF[key] = hit
    stream = relief if relief is not None else dataclasses.replace(hit[1],
                                                                   annual_withdrawal_probability=p.withdrawal)
    return stream, hit[2]


def _headline_keys(plan: _Plan, tree: ParameterNode) -> tuple[str, ...]:
    """The headline figures the NumPy path returns, in its order (one point evaluation)."""
    key = (plan.scenario.name, id(tree))
    if key not in _KEYS:
        out = evaluate(resolve(plan.scenario, tree, stress=plan.stress), relief=plan.relief)
        ccy = out.resolved.position.currency.lower()
        _KEYS[key] = tuple(out.headline) + (f"peak_annual_cash_outflow_{ccy}_tn", f"total_cash_outflow_{ccy}_tn")
    return _KEYS[key]


def _fused_chunk(plan: _Plan, resolved: Any, m: int, tree: ParameterNode,
                 work: dict | None = None) -> dict[str, Any] | None:
    """The chunk through the fused kernel (:mod:`tradepact.negotiation.kernel`), or
    ``None`` when numba is missing, a tariff measure is drawn (the relief then
    differs by draw, which the kernel's one shared stream cannot carry), or a
    kept series or a headline figure is not one the kernel computes."""
    from ..negotiation import kernel
    series = tuple(dict.fromkeys(plan.keep_annual + plan.fan))
    if not kernel.AVAILABLE or resolved.tariff_draws or any(k not in kernel.ANNUAL for k in series):
        return None
    veh, p = resolved.vehicle, resolved.parties
    ccy = resolved.position.currency.lower()
    lcu = {f"peak_annual_cash_outflow_{ccy}_tn": "peak_annual_cash_outflow_lcu_tn",
           f"total_cash_outflow_{ccy}_tn": "total_cash_outflow_lcu_tn"}
    special = {"pledge_usd_bn", "cash_pledge_usd_bn", "tariff_savings_usd_bn_per_year"}
    keys = _headline_keys(plan, tree)
    if any(k not in kernel.FIGURES and k not in special and k not in lcu for k in keys):
        return None
    stream, per_year = _relief_of(resolved, plan.relief)
    figures, annual, over = kernel.evaluate(veh, resolved.position, p.investor, p.host, stream, m, series, work)
    amounts = [np.broadcast_to(np.asarray(t.amount_usd_bn, float), (m,)) for t in veh.tranches]
    zero = np.zeros(m)
    extra = {
        "pledge_usd_bn": sum(amounts, zero),
        "cash_pledge_usd_bn": sum((a for a, t in zip(amounts, veh.tranches) if t.instrument == "cash_equity"), zero),
        "tariff_savings_usd_bn_per_year": np.full(m, per_year),
    }
    headline = {k: extra[k] if k in extra else figures[lcu.get(k, k)] for k in keys}
    return {"headline": headline, "annual": {k: annual[k] for k in plan.keep_annual},
            "fan": {k: annual[k] for k in plan.fan}, "over_capacity_any": over,
            "years": veh.years, "relief_source": stream.source}


def run_chunk(plan: _Plan, start: int, stop: int, work: dict | None = None) -> dict[str, Any]:
    """Draws ``[start, stop)``: inputs, headline figures, kept annual series and
    the fan-chart series ``(m, n_years)`` to stream.

    ``work``: buffers the fused kernel writes into and reuses (see
    :func:`tradepact.negotiation.kernel.run`): the chunk's arrays are then
    only valid until the next chunk run with the same ``work``."""
    m = stop - start
    draws = plan.shock.sample(plan.seed, start, stop) if plan.shock.k else {}
    tree = plan.tree if plan.tree is not None else policy_parameters()
    try:
        resolved = resolve(plan.scenario, tree, draws=draws, stress=plan.stress)
    except TradepactError as exc:
        raise type(exc)(f"{exc} (a Monte Carlo draw in {start}-{stop - 1} made an input invalid: "
                        "narrow or truncate its distribution)") from None
    fused = _fused_chunk(plan, resolved, m, tree, work)
    if fused is not None:
        return {"inputs": draws, **fused, "provenance": resolved.provenance}
    # The NumPy engines (without numba, or for series the kernel does not keep).
    out = evaluate(resolved, relief=plan.relief)
    pay = out.payoffs
    headline = {k: np.broadcast_to(np.asarray(v, float), (m,)).copy() for k, v in out.headline.items()}
    ccy = resolved.position.currency.lower()
    lcu = np.broadcast_to(out.annual[f"cash_outflow_{ccy}_tn"], (m, len(out.years)))
    headline[f"peak_annual_cash_outflow_{ccy}_tn"] = lcu.max(axis=1)
    headline[f"total_cash_outflow_{ccy}_tn"] = lcu.sum(axis=1)
    annual = {k: np.broadcast_to(np.asarray(out.annual[k], float), (m, len(out.years))).copy()
              for k in plan.keep_annual}
    fan = {k: np.broadcast_to(np.asarray(out.annual[k], float), (m, len(out.years))) for k in plan.fan}
    return {"inputs": draws, "headline": headline, "annual": annual, "fan": fan,
            "over_capacity_any": np.broadcast_to(pay.any_over_capacity, (m,)).copy(),
            "years": out.years, "provenance": resolved.provenance,
            "relief_source": out.stream.source}


#: Output buffers of the fused kernel, one set per thread (see :func:`run_chunk`).
_WORK = threading.local()


def _work() -> dict:
    if not hasattr(_WORK, "buffers"):
        _WORK.buffers = {}
    return _WORK.buffers


def _in_process_chunk(plan: _Plan, start: int, stop: int) -> dict[str, Any]:
    """:func:`run_chunk` into this thread's buffers (consumed before the next chunk runs)."""
    return run_chunk(plan, start, stop, _work())


def summarise_chunk(job: tuple[_Plan, StreamSummary], start: int, stop: int) -> dict[str, Any]:
    """A chunk run and summarised on a worker, on the grids of the summary so far
    (:meth:`~tradepact.results.simulation.StreamSummary.chunk_summary`): a few MB
    go back, not the chunk's draws."""
    plan, summary = job
    part = run_chunk(plan, start, stop, _work())
    return summary.chunk_summary(part["headline"], part["over_capacity_any"], part["fan"])


def simulate(scenario: Scenario | str | Path, n_draws: int = 10_000, seed: int = 0, *,
             tree: ParameterNode | None = None, uncertainty_from: Scenario | str | Path | None = None,
             relief: Any = None, stress: str = "hard", chunk_size: int = DEFAULT_CHUNK,
             keep_annual: Sequence[str] | bool = (), fan: Sequence[str] = FAN_SERIES,
             keep_draws: bool | None = None, workers: int | None = 1,
             scheduler: str | None = None, client: Any = None, processes: bool = True,
             progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Monte Carlo of one scenario: ``n_draws`` draws of its uncertain inputs.

    ``seed`` fixes every draw; results do not depend on ``workers``,
    ``scheduler`` or ``client`` (Dask), only on ``seed`` and ``chunk_size`` —
    and not even on ``chunk_size`` for the draws themselves. ``relief`` (a
    :class:`~tradepact.negotiation.parties.ReliefStream`) replaces the tariff
    relief read from parameters; ``stress`` is the investor's treatment of
    years over capacity in the payoffs (``hard`` or ``penalty``).

    Memory is bounded: chunks are summarised as they arrive. Every draw's
    inputs and figures are kept when ``keep_draws`` (default: up to
    :data:`KEEP_DRAWS_MAX` draws), else quantiles come from a sketch with a
    stated error (:mod:`tradepact.results.sketch`). Annual series are kept
    per draw only for ``keep_annual`` (``True``: the ``fan`` series); the
    ``fan`` series are otherwise streamed into by-year sketches (exact up to
    65,536 draws). Dask runs only when asked (``workers`` > 1, ``scheduler``,
    ``client``); ``workers=None`` runs in process, since streaming keeps one
    process within memory.
    """
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
        raise with_value("the number of draws must be a whole number of 1 or more",
                         location=Location(field="--draws"), value=n_draws, expected="e.g. 10000")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise with_value("the seed must be a whole number of 0 or more", location=Location(field="--seed"),
                         value=seed, expected="e.g. 20251114")
    sc = Scenario.load(scenario)
    holder = Scenario.load(uncertainty_from) if uncertainty_from is not None else None
    model = load_uncertainty(sc, tree, holder)
    kept = tuple(fan) if keep_annual is True else tuple(keep_annual or ())
    keep = int(n_draws) <= KEEP_DRAWS_MAX if keep_draws is None else bool(keep_draws)
    streamed = tuple(k for k in fan if k not in kept)
    plan = _Plan(sc, tree, model.shock, int(seed), relief, stress, kept, streamed)
    ranges = chunk_ranges(int(n_draws), int(chunk_size))
    summary: StreamSummary | None = None
    first: dict[str, Any] | None = None
    headline: list[dict[str, np.ndarray]] = []
    annual: list[dict[str, np.ndarray]] = []
    inputs: list[dict[str, np.ndarray]] = []
    over: list[np.ndarray] = []

    def consume(part: dict[str, Any]) -> None:
        nonlocal summary, first
        if summary is None:
            summary = StreamSummary(part["headline"], streamed, len(part["years"]), not keep, total)
            first = {k: part[k] for k in ("years", "provenance", "relief_source")}
        summary.update(part["headline"], part["over_capacity_any"], part["fan"])
        if keep:         # copies: an in-process chunk's arrays are the kernel's reused buffers
            headline.append({k: np.array(v) for k, v in part["headline"].items()})
            inputs.append(part["inputs"])
            over.append(np.array(part["over_capacity_any"]))
        if kept:
            annual.append({k: np.array(v) for k, v in part["annual"].items()})

    dask = client is not None or bool(scheduler) or (workers is not None and workers > 1 and len(ranges) > 1)
    total = int(n_draws)
    with contextlib.ExitStack() as stack:
        if dask and client is None:
            client = stack.enter_context(dask_client(workers=None if scheduler else min(workers or 1, len(ranges)),
                                                     scheduler=scheduler, processes=processes))
        done = 0
        per_round = _ROUND * max(1, len(client.scheduler_info().get("workers", {}))) if dask else 1
        a = 0
        # Chunks whose draws are needed whole: on the workers (in rounds) when draws
        # or annual series are kept; else in this process until every sketch has
        # its grid (shipping those chunks' draws would cost more than computing them).
        whole = keep or bool(kept)
        while a < len(ranges) and not (dask and not whole and summary is not None and summary.gridded):
            batch = ranges[a:a + (per_round if dask and whole else 1)]
            step = (lambda d, _t, base=done: progress(base + d, total)) if progress is not None else None
            on_workers = dask and whole
            for part in map_chunks(run_chunk if on_workers else _in_process_chunk, plan, batch, workers=1,
                                   client=client if on_workers else None, rows_per_item=model.n_years,
                                   progress=step):
                consume(part)
            done += sum(y - x for x, y in batch)
            a += len(batch)
        # The rest on the workers, each chunk summarised where it ran; merged in draw order.
        for b in range(a, len(ranges), _ROUND_SUMMARISED * per_round):
            batch = ranges[b:b + _ROUND_SUMMARISED * per_round]
            step = (lambda d, _t, base=done: progress(base + d, total)) if progress is not None else None
            for part in map_chunks(summarise_chunk, (plan, summary), batch, workers=1, client=client,
                                   rows_per_item=model.n_years, progress=step):
                summary.merge(part)
            done += sum(y - x for x, y in batch)

    def cat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}

    prov: dict[str, ParameterUse] = {}
    for u in tuple(first["provenance"]) + model.provenance:
        prov.setdefault(f"{u.path}@{u.valid_from}", u)
    return SimulationResult(sc.name, sc.spec.title, sc.source, sc.spec.as_of, int(n_draws), int(seed),
                            first["years"], model, cat(headline), cat(annual), cat(inputs),
                            np.concatenate(over) if over else np.zeros(0, bool), tuple(prov.values()),
                            first["relief_source"], stress, int(chunk_size), summary)


def simulate_many(scenarios: Iterable[Scenario | str | Path], n_draws: int = 10_000, seed: int = 0, *,
                  uncertainty_from: Scenario | str | Path | None = DEFAULT_UNCERTAINTY,
                  with_assessment: bool = False, **kwargs: Any) -> SimulationSet:
    """Simulate scenarios side by side with the same seed. A scenario that
    declares its own ``uncertainty`` uses it; the others take that of
    ``uncertainty_from`` (default: the shipped ``us_kr_2025/final_uncertain``),
    applied around their own point values. Paths a scenario does not read are
    reported as unused, not an error. ``with_assessment`` also assesses the
    scenarios at their point values (for a report)."""
    holder = Scenario.load(uncertainty_from) if uncertainty_from is not None else None
    out = []
    for item in scenarios:
        sc = Scenario.load(item)
        own = bool(sc.spec.uncertainty)
        out.append(simulate(sc, n_draws, seed, uncertainty_from=None if own else holder, **kwargs))
    point = None
    if with_assessment:
        from .assess import assess
        point = assess([Scenario.load(i) for i in scenarios], parameters=kwargs.get("tree"))
    return SimulationSet(tuple(out), point)


__all__ = ["DEFAULT_CHUNK", "DEFAULT_UNCERTAINTY", "FAN_SERIES", "KEEP_DRAWS_MAX", "load_uncertainty", "run_chunk",
           "simulate", "simulate_many"]
