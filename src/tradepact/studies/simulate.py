r"""The Monte Carlo study: the distribution of outcomes of a pledge design.

:func:`simulate`

1. loads the scenario and the file that declares its uncertainty (and the
   values of any empirical distribution), then reads and validates the joint
   distribution (:func:`tradepact.resolve.uncertainty.uncertainty_model`);
2. draws every input up front, chunk by chunk, from independent
   ``SeedSequence`` streams (reproducible by ``seed``, identical however the
   work is chunked or distributed, see :mod:`.scale`);
3. runs each chunk through the same engines as ``assess``
   (:func:`tradepact.resolve.resolve` with ``draws``, then
   :func:`tradepact.studies.assess.evaluate`), along the leading draw axis;
4. returns a :class:`~tradepact.results.SimulationResult`.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputFileError, Location, ScenarioError, TradepactError, with_value
from ..core.parameters import ParameterNode, ParameterUse
from ..resolve.measures import policy_parameters
from ..core.scenario import SCENARIO_ROOT, EmpiricalDistSpec, Scenario
from ..core.yamlio import load_yaml_file
from ..macro.shocks import ShockSpec
from ..resolve import resolve
from ..resolve.uncertainty import uncertainty_model
from ..results.simulation import SimulationResult, SimulationSet, StreamSummary
from .assess import evaluate
from .scale import chunk_ranges, dask_client, map_chunks

#: Largest file of empirical values read.
EMPIRICAL_MAX_BYTES = 200_000_000
#: Draws per chunk: large enough to amortise resolving the scenario once per
#: chunk (the fused kernel works one draw at a time, so chunk size does not
#: matter for its cache use); about 0.3 GB of working memory per chunk.
DEFAULT_CHUNK = 65_536
#: Annual series kept per draw (for fan charts).
FAN_SERIES = ("reserves_usd_bn", "cash_outflow_usd_bn", "reserve_funded_outflow_usd_bn")
#: The shipped uncertainty that ``tradepact simulate`` applies to scenarios without their own.
DEFAULT_UNCERTAINTY = "us_kr_2025/final_uncertain"


def _declaring_file(scenario: Scenario) -> tuple[Path | None, Any]:
    """The file of the base chain whose ``uncertainty`` the scenario uses, and its data."""
    path: Path | None = Path(scenario.source)
    seen: set[str] = set()
    while path is not None and path.is_file() and str(path.resolve()) not in seen:
        seen.add(str(path.resolve()))
        data = load_yaml_file(path)
        if not isinstance(data, dict):
            break
        if "uncertainty" in data or "correlations" in data:
            return path, data
        base = data.get("base")
        if not isinstance(base, str):
            break
        path = (path.parent / base) if base.endswith((".yaml", ".yml")) else (SCENARIO_ROOT / f"{base}.yaml")
    return (Path(scenario.source) if Path(scenario.source).is_file() else None), scenario.own


def _load_empirical(spec: EmpiricalDistSpec, base_dir: Path | None, where: Location,
                    declaring: Path | None = None) -> np.ndarray:
    """Values of an empirical distribution. The path resolves relative to the
    declaring scenario file and may not leave its folder (``--allow-path``);
    errors name the file and the problem, never the file's contents."""
    from ..core.scenario import checked_path
    if declaring is not None:
        p = checked_path(spec.file, declaring, where, "empirical draws")
    else:
        p = Path(spec.file)
        if not p.is_absolute() and base_dir is not None:
            p = base_dir / p
    if not p.is_file():
        raise with_value("empirical draws: file not found", location=where, value=spec.file,
                         expected=f"a CSV or .npy file relative to {base_dir or 'the scenario file'}",
                         cls=InputFileError)
    if p.stat().st_size > EMPIRICAL_MAX_BYTES:
        raise InputFileError(f"empirical draws: {p.name} is larger than {EMPIRICAL_MAX_BYTES // 10**6} MB",
                             location=where, expected="a smaller file of observed values")
    try:
        if p.suffix.lower() == ".npy":
            if spec.column is not None:
                raise with_value("a .npy file has no columns", location=where, value=spec.column,
                                 expected="no 'column' key for a .npy file", cls=ScenarioError)
            arr = np.load(p, allow_pickle=False)
            if arr.ndim == 2 and 1 in arr.shape:
                arr = arr.reshape(-1)
            if arr.ndim != 1:
                raise with_value("empirical draws: the array is not one-dimensional", location=where,
                                 value=list(arr.shape), expected="a 1-D array of values", cls=InputFileError)
            values = arr.astype(float)
        elif p.suffix.lower() in (".csv", ".txt"):
            frame = pd.read_csv(p)
            if spec.column is None:
                if frame.shape[1] != 1:
                    raise ScenarioError(f"empirical draws: {p.name} has {frame.shape[1]} columns",
                                        location=where, expected="a 'column' key naming one of them")
                series = frame.iloc[:, 0]
            else:
                if spec.column not in frame.columns:
                    raise with_value(f"empirical draws: {p.name} has no such column", location=where,
                                     value=spec.column, expected="the name of a column in the file's header",
                                     cls=ScenarioError)
                series = frame[spec.column]
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            if np.isnan(values).any():
                row = int(np.flatnonzero(np.isnan(values))[0]) + 2
                raise InputFileError(f"empirical draws: {p.name} has a value that is not a number "
                                     f"(data row {row - 1}, line {row})", location=where,
                                     expected="numbers only")
        else:
            raise with_value("empirical draws: unknown file type", location=where, value=p.name,
                             expected="a .csv or .npy file", cls=InputFileError)
    except TradepactError:
        raise
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputFileError(f"empirical draws: cannot read {p.name} ({exc.__class__.__name__})",
                             location=where, expected="a readable CSV or .npy file") from None
    if values.size < 2 or not np.all(np.isfinite(values)):
        raise with_value("empirical draws need at least 2 finite values", location=where,
                         value=int(values.size), expected="a file of 2 or more finite numbers",
                         cls=InputFileError)
    return values


def load_uncertainty(scenario: Scenario, tree: ParameterNode | None = None,
                     holder: Scenario | None = None):
    """The validated joint distribution of ``scenario``'s uncertain inputs
    (those of ``holder`` if given), with the declaring file and any empirical
    values read here."""
    src = holder or scenario
    file, data = _declaring_file(src)
    empirical = {}
    for path, dist in src.spec.uncertainty.items():
        if isinstance(dist, EmpiricalDistSpec):
            from ..core.yamlio import line_of
            where = Location(str(file or src.source), line_of(data, ("uncertainty", path, "file")) if data else None,
                             f"uncertainty.{path}.file")
            empirical[path] = _load_empirical(dist, file.parent if file is not None else None, where, file)
    return uncertainty_model(scenario, tree, uncertainty_from=holder, declared_in=(file, data),
                             empirical=empirical)


# ---------------------------------------------------------------- simulation
#: Draws up to which every draw's inputs and figures are kept (exact quantiles,
#: ``frame()``); above it the run keeps moments, counts and sketches only.
KEEP_DRAWS_MAX = 262_144
#: Chunks mapped per round on Dask (per worker): the main process holds at most
#: this many chunks' results; in process, each chunk is summarised as it is done.
_ROUND = 2


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


def _fused_chunk(plan: _Plan, resolved: Any, m: int, tree: ParameterNode) -> dict[str, Any] | None:
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
    figures, annual, over = kernel.evaluate(veh, resolved.position, p.investor, p.host, stream, m, series)
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


def run_chunk(plan: _Plan, start: int, stop: int) -> dict[str, Any]:
    """Draws ``[start, stop)``: inputs, headline figures, kept annual series and
    the fan-chart series ``(m, n_years)`` to stream."""
    m = stop - start
    draws = plan.shock.sample(plan.seed, start, stop) if plan.shock.k else {}
    tree = plan.tree if plan.tree is not None else policy_parameters()
    try:
        resolved = resolve(plan.scenario, tree, draws=draws, stress=plan.stress)
    except TradepactError as exc:
        raise type(exc)(f"{exc} (a Monte Carlo draw in {start}-{stop - 1} made an input invalid: "
                        "narrow or truncate its distribution)") from None
    fused = _fused_chunk(plan, resolved, m, tree)
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
            summary = StreamSummary(part["headline"], streamed, len(part["years"]), not keep)
            first = {k: part[k] for k in ("years", "provenance", "relief_source")}
        summary.update(part["headline"], part["over_capacity_any"], part["fan"])
        if keep:
            headline.append(part["headline"])
            inputs.append(part["inputs"])
            over.append(part["over_capacity_any"])
        if kept:
            annual.append(part["annual"])

    dask = client is not None or bool(scheduler) or (workers is not None and workers > 1 and len(ranges) > 1)
    total = int(n_draws)
    with contextlib.ExitStack() as stack:
        if dask and client is None:
            client = stack.enter_context(dask_client(workers=None if scheduler else min(workers or 1, len(ranges)),
                                                     scheduler=scheduler, processes=processes))
        done = 0
        per_round = _ROUND * max(1, len(client.scheduler_info().get("workers", {})) if dask else 1) if dask else 1
        for a in range(0, len(ranges), per_round):
            batch = ranges[a:a + per_round]
            step = (lambda d, _t, base=done: progress(base + d, total)) if progress is not None else None
            for part in map_chunks(run_chunk, plan, batch, workers=1, client=client if dask else None,
                                   rows_per_item=model.n_years, progress=step):
                consume(part)
            done += sum(b - a_ for a_, b in batch)

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
