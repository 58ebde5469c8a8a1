r"""Monte Carlo: the distribution of outcomes of a pledge design.

A scenario's ``uncertainty:`` block gives parameters distributions and its
``correlations:`` block ties them with a Gaussian copula (format in the README,
section "Writing a scenario", and ``docs/negotiation.md`` section 4). :func:`simulate` then

1. validates every distribution against its parameter (path, unit, range)
   and builds a :class:`~tradepact.macro.shocks.ShockSpec`;
2. draws every input up front, chunk by chunk, from independent
   ``SeedSequence`` streams (reproducible by ``seed``, identical however the
   work is chunked or distributed, see :mod:`tradepact.scale`);
3. runs each chunk through the same vectorised engines as ``assess``
   (:func:`tradepact.resolve.resolve` with ``draws``, then
   :func:`tradepact.assess.evaluate`) and the negotiation payoffs
   (:mod:`tradepact.negotiation.parties`), along the leading draw axis;
4. returns a :class:`SimulationResult`: every headline figure per draw, the
   reserves path and annual outflows per draw and year, quantiles, fan-chart
   bands and probabilities (recouping within the horizon, any year over
   capacity, each side better off than without a deal).

Draws respect each parameter's unit: a bounded family (uniform, triangular,
empirical) must lie inside the unit's range, and an unbounded one (normal,
lognormal) is sampled *truncated* to it by the inverse CDF; if more than
:data:`MAX_TAIL` of its mass lies outside, that is an error unless the
scenario asks for the truncation with ``truncate: [low, high]``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputFileError, Location, ParameterError, ScenarioError, TradepactError, with_value
from ..core.parameters import Parameter, ParameterNode, ParameterReader, ParameterUse, default_parameters
from ..core.references import Reference
from ..core.scenario import (
    SCENARIO_ROOT, EmpiricalDistSpec, LognormalDistSpec, NormalDistSpec, ParamRef, Scenario,
    TriangularDistSpec, UniformDistSpec, dotted,
)
from ..core.yamlio import line_of, load_yaml_file
from .shocks import Empirical, LogNormal, Marginal, Normal, ShockSpec, Triangular, Uniform

#: Largest share of an unbounded distribution's mass that may fall outside the
#: parameter's unit range and be truncated silently.
MAX_TAIL = 1e-3
#: Draws per chunk: small enough to stay in cache, large enough to amortise overhead.
DEFAULT_CHUNK = 8192
#: Quantiles of the fan charts.
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Annual series kept per draw (for fan charts).
FAN_SERIES = ("reserves_usd_bn", "cash_outflow_usd_bn", "reserve_funded_outflow_usd_bn")
#: The shipped uncertainty that ``tradepact simulate`` applies to scenarios without their own.
DEFAULT_UNCERTAINTY = "us_kr_2025/final_uncertain"

#: Range of values each unit allows (lowest, highest); units not listed take no distribution.
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "usd_bn": (-np.inf, np.inf),
    "usd_bn_per_year": (-np.inf, np.inf),
    "krw_per_usd": (0.0, np.inf),
    "fraction": (0.0, 1.0),
    "fraction_per_year": (-1.0, 1.0),
    "years": (0.0, np.inf),
}


# ---------------------------------------------------------------- validation
@dataclass(frozen=True)
class UncertainInput:
    """One parameter that carries a distribution."""

    path: str
    family: str
    parameters: dict[str, float]
    point_value: float
    unit: str
    truncated_to: tuple[float, float] | None
    used: bool

    def describe(self) -> str:
        args = ", ".join(f"{k} {v:g}" for k, v in self.parameters.items())
        trunc = (f", truncated to [{self.truncated_to[0]:g}, {self.truncated_to[1]:g}]"
                 if self.truncated_to else "")
        return f"{self.family}({args}){trunc}"


@dataclass(frozen=True)
class UncertaintyModel:
    """A validated joint distribution of a scenario's uncertain parameters."""

    shock: ShockSpec
    inputs: tuple[UncertainInput, ...]
    source: str
    provenance: tuple[ParameterUse, ...]
    n_years: int = 40

    @property
    def paths(self) -> tuple[str, ...]:
        return self.shock.paths

    @property
    def unused(self) -> tuple[str, ...]:
        return tuple(i.path for i in self.inputs if not i.used)


class _Locator:
    """Locations inside the file that declares the uncertainty."""

    def __init__(self, source: str, data: Any):
        self.source, self.data = source, data

    def __call__(self, loc: tuple[Any, ...]) -> Location:
        return Location(self.source, line_of(self.data, loc) if self.data is not None else None,
                        dotted(loc))


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


def _scenario_literal(scenario_name: str, source: str, as_of: _dt.date, field_path: str,
                      value: float) -> ParameterUse:
    ref = Reference(title=f"Scenario {scenario_name}", href=_href(source),
                    publisher="tradepact scenario file", date=as_of, pinpoint=field_path, kind="scenario")
    return ParameterUse(f"scenario:{scenario_name}:{field_path}", as_of, value, "", as_of, "assumption",
                        "set in the scenario file", (ref,))


def _href(source: str) -> str:
    p = Path(source)
    try:
        return "tradepact:scenarios/" + p.resolve().relative_to(SCENARIO_ROOT).as_posix()
    except ValueError:
        return p.resolve().as_uri() if p.exists() else "file:" + source


def used_paths(scenario: Scenario, tree: ParameterNode | None = None) -> set[str]:
    """Parameter paths a scenario's assessment and payoffs read."""
    return _used_and_years(scenario, tree)[0]


def _used_and_years(scenario: Scenario, tree: ParameterNode | None) -> tuple[set[str], int]:
    from ..negotiation.parties import party_paths
    from ..resolve import resolve
    r = resolve(scenario, tree)
    return {u.path for u in r.provenance} | set(party_paths()), len(r.vehicle.years)


def uncertainty_model(scenario: Scenario, tree: ParameterNode | None = None, *,
                      uncertainty_from: Scenario | None = None) -> UncertaintyModel:
    """Validate the uncertainty a scenario uses and build its joint distribution.

    ``uncertainty_from`` takes the ``uncertainty``/``correlations`` of another
    scenario (centres and ``{param: ...}`` references are still read in
    ``scenario``'s own parameters). Errors name the file, line and parameter path.
    """
    holder = uncertainty_from or scenario
    spec = holder.spec
    file, data = _declaring_file(holder)
    where = _Locator(str(file) if file is not None else holder.source, data)
    base_tree = tree if tree is not None else default_parameters()
    scen_tree = scenario.apply_overlay(base_tree)
    reader = ParameterReader(scen_tree, scenario.spec.as_of)
    used, n_years = _used_and_years(scenario, base_tree)
    literals: list[ParameterUse] = []

    def number(value: Any, loc: tuple[Any, ...]) -> float:
        if isinstance(value, ParamRef):
            try:
                out = reader.number(value.param)
                for i, f in enumerate(value.times):
                    out *= reader.number(f) if isinstance(f, str) else float(f)
            except ParameterError as exc:
                raise ScenarioError(str(exc).split(": ", 1)[-1], location=where(loc + ("param",))) from None
            return float(out)
        literals.append(_scenario_literal(holder.name, str(file or holder.source), holder.spec.as_of,
                                          dotted(loc), float(value)))
        return float(value)

    paths: list[str] = []
    marginals: list[Marginal] = []
    inputs: list[UncertainInput] = []
    for path, dist in spec.uncertainty.items():
        loc = ("uncertainty", path)
        try:
            param = scen_tree.parameter(path)
        except ParameterError as exc:
            raise ScenarioError(str(exc).split(": ", 1)[-1], location=where(loc)) from None
        if param.unit not in UNIT_RANGES:
            raise with_value(f"parameter '{path}' is in unit '{param.unit}' and cannot carry a "
                             "distribution", location=where(loc), value=param.unit,
                             expected="a numeric parameter in " + ", ".join(UNIT_RANGES)
                                      + " (years, whole numbers, dates and flags are fixed)",
                             cls=ScenarioError)
        try:
            point = reader.number(path)
        except ParameterError as exc:
            raise ScenarioError(str(exc).split(": ", 1)[-1], location=where(loc)) from None
        unit_lo, unit_hi = UNIT_RANGES[param.unit]
        truncated: tuple[float, float] | None = None
        args: dict[str, float]
        try:
            if isinstance(dist, (NormalDistSpec, LognormalDistSpec)):
                mean = point if dist.mean is None else number(dist.mean, loc + ("mean",))
                sd = number(dist.sd, loc + ("sd",))
                if not sd > 0:
                    raise with_value("the standard deviation must be above 0", location=where(loc + ("sd",)),
                                     value=sd, expected="a positive sd", cls=ScenarioError)
                args = {"mean": mean, "sd": sd}
                m: Any = Normal(mean, sd) if isinstance(dist, NormalDistSpec) else LogNormal(mean, sd)
                if dist.truncate is not None:
                    lo, hi = dist.truncate
                    if lo < unit_lo or hi > unit_hi:
                        raise with_value(f"truncation bounds leave the range of unit '{param.unit}'",
                                         location=where(loc + ("truncate",)), value=[lo, hi],
                                         expected=f"bounds from {unit_lo:g} to {unit_hi:g}", cls=ScenarioError)
                    m = m.truncated(lo, hi)
                    truncated = (lo, hi)
                else:
                    tail = m.untruncated_mass_outside(unit_lo, unit_hi)
                    if tail > MAX_TAIL:
                        raise with_value(
                            f"this {dist.dist} puts {tail:.2%} of its probability outside the range "
                            f"[{unit_lo:g}, {unit_hi:g}] of unit '{param.unit}'", location=where(loc),
                            value=args, expected="a narrower distribution, or 'truncate: [low, high]' "
                                                 "to truncate it on purpose", cls=ScenarioError)
                    if np.isfinite(unit_lo) or np.isfinite(unit_hi):
                        lo_eff = max(unit_lo, m.support[0])
                        hi_eff = min(unit_hi, m.support[1])
                        if (lo_eff, hi_eff) != tuple(m.support):
                            m = m.truncated(lo_eff, hi_eff)
                            truncated = (lo_eff, hi_eff)
            elif isinstance(dist, UniformDistSpec):
                lo, hi = number(dist.low, loc + ("low",)), number(dist.high, loc + ("high",))
                args = {"low": lo, "high": hi}
                m = Uniform(lo, hi)
            elif isinstance(dist, TriangularDistSpec):
                lo, hi = number(dist.low, loc + ("low",)), number(dist.high, loc + ("high",))
                mode = point if dist.mode is None else number(dist.mode, loc + ("mode",))
                args = {"low": lo, "mode": mode, "high": hi}
                m = Triangular(lo, mode, hi)
            elif isinstance(dist, EmpiricalDistSpec):
                values = _load_empirical(dist, file.parent if file is not None else None,
                                         where(loc + ("file",)))
                m = Empirical(values)
                args = {"n_values": float(values.size), "mean": float(values.mean())}
            else:  # pragma: no cover
                raise TypeError(dist)
        except ValueError as exc:
            raise with_value("invalid distribution", location=where(loc), value=dist.dist,
                             expected=str(exc), cls=ScenarioError) from None
        lo_s, hi_s = m.support
        if lo_s < unit_lo or hi_s > unit_hi:
            raise with_value(f"the {dist.dist} distribution reaches outside the range of unit "
                             f"'{param.unit}' of parameter '{path}'", location=where(loc),
                             value=[lo_s, hi_s], expected=f"values from {unit_lo:g} to {unit_hi:g} "
                                                         f"({_unit_expected(param)})", cls=ScenarioError)
        for end in (lo_s, hi_s):
            if np.isfinite(end):
                param.check_value(float(end), where(loc))
        paths.append(path)
        marginals.append(m)
        inputs.append(UncertainInput(path, dist.dist, args, point, param.unit, truncated, path in used))

    corr = np.eye(len(paths))
    index = {p: i for i, p in enumerate(paths)}
    seen: dict[tuple[int, int], int] = {}
    for j, c in enumerate(spec.correlations):
        cloc = ("correlations", j)
        ids = []
        for q, p in enumerate(c.between):
            if p not in index:
                raise with_value("a correlation names a parameter without a distribution",
                                 location=where(cloc + ("between", q)), value=p,
                                 expected="a path listed under 'uncertainty': " + (", ".join(paths) or "none"),
                                 cls=ScenarioError)
            ids.append(index[p])
        key = (min(ids), max(ids))
        if key in seen:
            raise with_value("the same pair is correlated twice", location=where(cloc), value=c.between,
                             expected="one correlation per pair of parameters", cls=ScenarioError)
        seen[key] = j
        literals.append(_scenario_literal(holder.name, str(file or holder.source), holder.spec.as_of,
                                          dotted(cloc + ("rho",)), c.rho))
        corr[ids[0], ids[1]] = corr[ids[1], ids[0]] = c.rho
    try:
        shock = ShockSpec(tuple(paths), tuple(marginals), corr)
    except ValueError as exc:
        raise with_value("the correlations cannot hold together", location=where(("correlations",)),
                         value=[[c.between[0], c.between[1], c.rho] for c in spec.correlations],
                         expected=str(exc).replace("the correlations are not jointly possible ", "a set that "
                                                   "is jointly possible ") + "; weaken some of them",
                         cls=ScenarioError) from None
    return UncertaintyModel(shock, tuple(inputs), str(file or holder.source),
                            reader.uses + tuple(literals), n_years)


def _unit_expected(param: Parameter) -> str:
    from ..core.units import UNITS
    return UNITS[param.unit].expected


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
    from ..assess import evaluate
    from ..resolve import resolve
    m = stop - start
    draws = plan.shock.sample(plan.seed, start, stop) if plan.shock.k else {}
    tree = plan.tree if plan.tree is not None else default_parameters()
    try:
        resolved = resolve(plan.scenario, tree, draws=draws)
    except TradepactError as exc:
        raise type(exc)(f"{exc} (a Monte Carlo draw in {start}-{stop - 1} made an input invalid: "
                        "narrow or truncate its distribution)") from None
    out = evaluate(resolved, stress_treatment=plan.stress, relief=plan.relief)
    parties, pay = out.parties, out.payoffs
    headline = {k: np.broadcast_to(np.asarray(v, float), (m,)).copy() for k, v in out.headline.items()}
    krw = np.broadcast_to(out.annual["cash_outflow_krw_tn"], (m, len(out.years)))
    headline["peak_annual_cash_outflow_krw_tn"] = krw.max(axis=1)
    headline["total_cash_outflow_krw_tn"] = krw.sum(axis=1)
    annual = {k: np.broadcast_to(np.asarray(out.annual[k], float), (m, len(out.years))).copy()
              for k in plan.keep_annual}
    return {"inputs": draws, "headline": headline, "annual": annual,
            "over_capacity_any": np.broadcast_to(pay.any_over_capacity, (m,)).copy(),
            "years": out.years, "provenance": resolved.provenance + parties.provenance,
            "relief_source": parties.relief.source}


#: Labels of figures outside the assessment's headline table (``results.HEADLINE``).
PAYOFF_LABELS: dict[str, tuple[str, str]] = {
    "investor_surplus_usd_bn": ("Investor payoff above reservation value", "USD bn"),
    "host_surplus_usd_bn": ("Host payoff above reservation value", "USD bn"),
    "peak_annual_cash_outflow_krw_tn": ("Peak annual cash outflow in won", "KRW tn"),
    "total_cash_outflow_krw_tn": ("Total cash outflow in won (undiscounted)", "KRW tn"),
}
#: Year-valued figures: a missing value means "not within the horizon" and sorts last.
_NEVER_LAST = {"recoup_year", "profit_split_switch_year"}


def _quantile(key: str, x: np.ndarray, q: Sequence[float]) -> np.ndarray:
    x = np.asarray(x, float)
    # "Never" (inf) and "no IRR" (-inf) sort last and first; the empirical quantile
    # (no interpolation) keeps them, where interpolating between two infinities gives nan.
    if key in _NEVER_LAST:
        return np.quantile(np.where(np.isnan(x), np.inf, x), q, method="inverted_cdf")
    if key == "investor_irr":            # no IRR: receipts never cover outflows
        return np.quantile(np.where(np.isnan(x), -np.inf, x), q, method="inverted_cdf")
    if np.isnan(x).all():
        return np.full(len(q), np.nan)
    return np.nanquantile(x, q)


def _json(v: float) -> float | None:
    v = float(v)
    return None if not np.isfinite(v) else v


def _qname(q: float) -> str:
    return f"p{q * 100:g}"


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of :func:`simulate` for one scenario.

    ``headline``: ``{figure: (n_draws,)}``; ``annual``: ``{series: (n_draws,
    n_years)}`` for the kept series; ``inputs``: ``{parameter path: (n_draws,)}``.
    """

    name: str
    title: str
    source: str
    as_of: _dt.date
    n_draws: int
    seed: int
    years: np.ndarray
    uncertainty: UncertaintyModel
    headline: dict[str, np.ndarray] = field(repr=False)
    annual: dict[str, np.ndarray] = field(repr=False)
    inputs: dict[str, np.ndarray] = field(repr=False)
    over_capacity_any: np.ndarray = field(repr=False)
    provenance: tuple[ParameterUse, ...] = field(repr=False)
    relief_source: str = ""
    stress: str = "hard"
    chunk_size: int = DEFAULT_CHUNK

    def quantiles(self, q: Sequence[float] = (0.05, 0.5, 0.95),
                  keys: Iterable[str] | None = None) -> pd.DataFrame:
        """Quantiles of headline figures (rows) — ``inf`` years mean "never"."""
        keys = list(keys) if keys is not None else list(self.headline)
        data = {k: _quantile(k, self.headline[k], q) for k in keys}
        return pd.DataFrame(data, index=[_qname(x) for x in q]).T

    @cached_property
    def mean(self) -> dict[str, float]:
        return {k: float(np.nanmean(v)) if not np.isnan(v).all() else float("nan")
                for k, v in self.headline.items()}

    def standard_error(self, key: str) -> float:
        """Monte Carlo standard error of the mean of a headline figure."""
        x = self.headline[key][~np.isnan(self.headline[key])]
        return float(x.std(ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")

    @cached_property
    def probabilities(self) -> dict[str, float]:
        h = self.headline
        return {
            "investor_recoups_within_horizon": float(np.mean(np.isfinite(h["recoup_year"]))),
            "equity_recouped_within_horizon": float(np.mean(np.isfinite(h["profit_split_switch_year"]))),
            "any_year_over_capacity": float(np.mean(self.over_capacity_any)),
            "investor_npv_negative": float(np.mean(h["investor_npv_usd_bn"] < 0)),
            "investor_better_off_than_no_deal": float(np.mean(h["investor_surplus_usd_bn"] >= 0)),
            "host_better_off_than_no_deal": float(np.mean(h["host_surplus_usd_bn"] >= 0)),
            "both_better_off": float(np.mean((h["investor_surplus_usd_bn"] >= 0)
                                             & (h["host_surplus_usd_bn"] >= 0))),
        }

    def probability_standard_errors(self) -> dict[str, float]:
        return {k: float(np.sqrt(p * (1 - p) / self.n_draws)) for k, p in self.probabilities.items()}

    def fan(self, key: str, q: Sequence[float] = FAN_QUANTILES) -> pd.DataFrame:
        """Quantiles of an annual series by year (rows: years; columns: p5 … p95)."""
        if key not in self.annual:
            raise KeyError(f"{key!r} was not kept; kept: {', '.join(self.annual)}")
        band = np.quantile(self.annual[key], q, axis=0)
        return pd.DataFrame(band.T, index=pd.Index(self.years.astype(int), name="year"),
                            columns=[_qname(x) for x in q])

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: the drawn inputs and the headline figures."""
        data = {"draw": np.arange(self.n_draws)}
        data.update(self.inputs)
        data.update(self.headline)
        return pd.DataFrame(data)

    def to_dict(self, *, fans: bool = True) -> dict[str, Any]:
        """The JSON contract of ``tradepact simulate --json`` (one scenario)."""
        qs = self.quantiles()
        out: dict[str, Any] = {
            "name": self.name, "title": self.title, "as_of": self.as_of.isoformat(),
            "n_draws": self.n_draws, "seed": self.seed, "chunk_size": self.chunk_size,
            "stress": self.stress, "tariff_relief": self.relief_source,
            "uncertainty_source": self.uncertainty.source,
            "uncertain_parameters": [{"path": i.path, "distribution": i.describe(), "unit": i.unit,
                                      "point_value": i.point_value, "used": i.used}
                                     for i in self.uncertainty.inputs],
            "quantiles": {k: {c: _json(qs.loc[k, c]) for c in qs.columns} for k in qs.index},
            "mean": {k: _json(v) for k, v in self.mean.items()},
            "probabilities": self.probabilities,
            "probability_standard_errors": self.probability_standard_errors(),
        }
        if fans:
            out["annual_quantiles"] = {
                k: {"year": [int(y) for y in self.years],
                    **{c: [_json(x) for x in col] for c, col in self.fan(k).items()}}
                for k in self.annual}
        return out

    @property
    def summary(self) -> str:
        lines = [f"{self.name}: {self.n_draws:,} draws, seed {self.seed}"]
        lines.append(self.quantiles().to_string(float_format=lambda v: f"{v:,.2f}"))
        lines += [f"P({k}) = {v:.3f}" for k, v in self.probabilities.items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        return self.quantiles().to_html()


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
    :class:`~tradepact.negotiation.parties.TariffRelief`) replaces the tariff
    relief read from parameters; ``stress`` is the investor's treatment of
    years over capacity in the payoffs (``hard`` or ``penalty``).
    """
    from ..assess import load
    from ..scale import chunk_ranges, map_chunks
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
        raise with_value("the number of draws must be a whole number of 1 or more",
                         location=Location(field="--draws"), value=n_draws, expected="e.g. 10000")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise with_value("the seed must be a whole number of 0 or more", location=Location(field="--seed"),
                         value=seed, expected="e.g. 20251114")
    sc = load(scenario)
    holder = load(uncertainty_from) if uncertainty_from is not None else None
    model = uncertainty_model(sc, tree, uncertainty_from=holder)
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


@dataclass(frozen=True)
class SimulationSet:
    """Several scenarios simulated with the same seed (common random numbers)."""

    results: tuple[SimulationResult, ...]

    def __getitem__(self, name: str) -> SimulationResult:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.results]

    def to_dict(self, *, fans: bool = True) -> dict[str, Any]:
        from .. import __version__
        return {"tradepact_version": __version__, "simulations": [r.to_dict(fans=fans) for r in self.results]}

    def compare(self, key: str, q: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Quantiles of one figure, one column per scenario."""
        return pd.DataFrame({r.name: r.quantiles(q, [key]).iloc[0] for r in self.results})


def simulate_many(scenarios: Iterable[Scenario | str | Path], n_draws: int = 10_000, seed: int = 0, *,
                  uncertainty_from: Scenario | str | Path | None = DEFAULT_UNCERTAINTY,
                  **kwargs: Any) -> SimulationSet:
    """Simulate scenarios side by side with the same seed. A scenario that
    declares its own ``uncertainty`` uses it; the others take that of
    ``uncertainty_from`` (default: the shipped ``us_kr_2025/final_uncertain``),
    applied around their own point values. Paths a scenario does not read are
    reported as unused, not an error."""
    from ..assess import load
    holder = load(uncertainty_from) if uncertainty_from is not None else None
    out = []
    for item in scenarios:
        sc = load(item)
        own = bool(sc.spec.uncertainty)
        out.append(simulate(sc, n_draws, seed, uncertainty_from=None if own else holder, **kwargs))
    return SimulationSet(tuple(out))


__all__ = ["DEFAULT_UNCERTAINTY", "FAN_QUANTILES", "FAN_SERIES", "MAX_TAIL", "UNIT_RANGES",
           "SimulationResult", "SimulationSet", "UncertainInput", "UncertaintyModel", "run_chunk",
           "simulate", "simulate_many", "uncertainty_model", "used_paths"]
