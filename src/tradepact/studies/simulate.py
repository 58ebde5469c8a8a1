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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputFileError, Location, ScenarioError, TradepactError, with_value
from ..core.parameters import ParameterNode, ParameterUse, default_parameters
from ..core.scenario import SCENARIO_ROOT, EmpiricalDistSpec, Scenario
from ..core.yamlio import load_yaml_file
from ..macro.shocks import ShockSpec
from ..resolve import resolve
from ..resolve.uncertainty import uncertainty_model
from ..results.simulation import SimulationResult, SimulationSet
from .assess import evaluate
from .scale import chunk_ranges, map_chunks

#: Draws per chunk: small enough to stay in cache, large enough to amortise overhead.
DEFAULT_CHUNK = 8192
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


def _load_empirical(spec: EmpiricalDistSpec, base_dir: Path | None, where: Location) -> np.ndarray:
    p = Path(spec.file)
    if not p.is_absolute() and base_dir is not None:
        p = base_dir / p
    if not p.is_file():
        raise with_value("empirical draws: file not found", location=where, value=spec.file,
                         expected=f"a CSV or .npy file relative to {base_dir or 'the scenario file'}",
                         cls=InputFileError)
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
                    raise with_value("empirical draws: the CSV has several columns", location=where,
                                     value=list(frame.columns), expected="a 'column' key naming one",
                                     cls=ScenarioError)
                series = frame.iloc[:, 0]
            else:
                if spec.column not in frame.columns:
                    raise with_value("empirical draws: unknown CSV column", location=where,
                                     value=spec.column, expected="one of " + ", ".join(map(str, frame.columns)),
                                     cls=ScenarioError)
                series = frame[spec.column]
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            if np.isnan(values).any():
                bad = series[np.isnan(values)].iloc[0]
                raise with_value(f"empirical draws: {p.name} has a value that is not a number",
                                 location=where, value=bad, expected="numbers only", cls=InputFileError)
        else:
            raise with_value("empirical draws: unknown file type", location=where, value=p.name,
                             expected="a .csv or .npy file", cls=InputFileError)
    except TradepactError:
        raise
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputFileError(f"empirical draws: cannot read {p} ({exc.__class__.__name__}: {exc})",
                             location=where) from None
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
            empirical[path] = _load_empirical(dist, file.parent if file is not None else None, where)
    return uncertainty_model(scenario, tree, uncertainty_from=holder, declared_in=(file, data),
                             empirical=empirical)


# ---------------------------------------------------------------- simulation
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


def run_chunk(plan: _Plan, start: int, stop: int) -> dict[str, Any]:
    """Draws ``[start, stop)``: inputs, headline figures, kept annual series."""
    m = stop - start
    draws = plan.shock.sample(plan.seed, start, stop) if plan.shock.k else {}
    tree = plan.tree if plan.tree is not None else default_parameters()
    try:
        resolved = resolve(plan.scenario, tree, draws=draws, stress=plan.stress)
    except TradepactError as exc:
        raise type(exc)(f"{exc} (a Monte Carlo draw in {start}-{stop - 1} made an input invalid: "
                        "narrow or truncate its distribution)") from None
    out = evaluate(resolved, relief=plan.relief)
    pay = out.payoffs
    headline = {k: np.broadcast_to(np.asarray(v, float), (m,)).copy() for k, v in out.headline.items()}
    ccy = resolved.position.currency.lower()
    lcu = np.broadcast_to(out.annual[f"cash_outflow_{ccy}_tn"], (m, len(out.years)))
    headline[f"peak_annual_cash_outflow_{ccy}_tn"] = lcu.max(axis=1)
    headline[f"total_cash_outflow_{ccy}_tn"] = lcu.sum(axis=1)
    annual = {k: np.broadcast_to(np.asarray(out.annual[k], float), (m, len(out.years))).copy()
              for k in plan.keep_annual}
    return {"inputs": draws, "headline": headline, "annual": annual,
            "over_capacity_any": np.broadcast_to(pay.any_over_capacity, (m,)).copy(),
            "years": out.years, "provenance": resolved.provenance,
            "relief_source": out.stream.source}

def simulate(scenario: Scenario | str | Path, n_draws: int = 10_000, seed: int = 0, *,
             tree: ParameterNode | None = None, uncertainty_from: Scenario | str | Path | None = None,
             relief: Any = None, stress: str = "hard", chunk_size: int = DEFAULT_CHUNK,
             keep_annual: Sequence[str] = FAN_SERIES, workers: int | None = 1,
             scheduler: str | None = None, client: Any = None, processes: bool = True,
             progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Monte Carlo of one scenario: ``n_draws`` draws of its uncertain inputs.

    ``seed`` fixes every draw; results do not depend on ``workers``,
    ``scheduler`` or ``client`` (Dask), only on ``seed`` and ``chunk_size`` —
    and not even on ``chunk_size`` for the draws themselves. ``relief`` (a
    :class:`~tradepact.negotiation.parties.ReliefStream`) replaces the tariff
    relief read from parameters; ``stress`` is the investor's treatment of
    years over capacity in the payoffs (``hard`` or ``penalty``).
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
    plan = _Plan(sc, tree, model.shock, int(seed), relief, stress, tuple(keep_annual))
    ranges = chunk_ranges(int(n_draws), int(chunk_size))
    parts = map_chunks(run_chunk, plan, ranges, workers=workers, scheduler=scheduler, client=client,
                       processes=processes, rows_per_item=model.n_years, progress=progress)
    first = parts[0]
    headline = {k: np.concatenate([p["headline"][k] for p in parts]) for k in first["headline"]}
    annual = {k: np.concatenate([p["annual"][k] for p in parts]) for k in first["annual"]}
    inputs = {k: np.concatenate([p["inputs"][k] for p in parts]) for k in first["inputs"]}
    over = np.concatenate([p["over_capacity_any"] for p in parts])
    prov: dict[str, ParameterUse] = {}
    for u in tuple(first["provenance"]) + model.provenance:
        prov.setdefault(f"{u.path}@{u.valid_from}", u)
    return SimulationResult(sc.name, sc.spec.title, sc.source, sc.spec.as_of, int(n_draws), int(seed),
                            first["years"], model, headline, annual, inputs, over, tuple(prov.values()),
                            first["relief_source"], stress, int(chunk_size))


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


__all__ = ["DEFAULT_CHUNK", "DEFAULT_UNCERTAINTY", "FAN_SERIES", "load_uncertainty", "run_chunk", "simulate",
           "simulate_many"]
