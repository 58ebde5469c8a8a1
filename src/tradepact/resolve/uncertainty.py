"""Read a scenario's uncertainty: distributions of parameters, validated against them.

A scenario's ``uncertainty:`` block gives parameters distributions and its
``correlations:`` block ties them with a Gaussian copula (format in the README,
section "Writing a scenario", and ``docs/negotiation.md`` section 4).
:func:`uncertainty_model` validates every distribution against its parameter
(path, unit, range) and builds a :class:`~tradepact.macro.shocks.ShockSpec`.

Draws respect each parameter's unit: a bounded family (uniform, triangular,
empirical) must lie inside the unit's range, and an unbounded one (normal,
lognormal) is sampled *truncated* to it by the inverse CDF; if more than
:data:`MAX_TAIL` of its mass lies outside, that is an error unless the
scenario asks for the truncation with ``truncate: [low, high]``.
Empirical values are read by the study (a file read) and passed in.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import Location, ParameterError, ScenarioError, with_value
from ..core.parameters import Parameter, ParameterNode, ParameterReader, ParameterUse
from .measures import policy_parameters
from ..core.references import Reference
from ..core.scenario import (
    EmpiricalDistSpec, LognormalDistSpec, NormalDistSpec, ParamRef, Scenario,
    TriangularDistSpec, UniformDistSpec, dotted, source_href,
)
from ..core.units import UNITS
from ..core.yamlio import line_of
from ..macro.shocks import Empirical, LogNormal, Marginal, Normal, ShockSpec, Triangular, Uniform

#: Largest share of an unbounded distribution's mass that may fall outside the
#: parameter's unit range and be truncated silently.
MAX_TAIL = 1e-3
#: Range of values each unit allows (lowest, highest); units not listed take no distribution.
UNIT_RANGES: dict[str, tuple[float, float]] = {u.name: u.range for u in UNITS.values() if u.range is not None}

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


def _scenario_literal(scenario_name: str, source: str, as_of: _dt.date, field_path: str,
                      value: float) -> ParameterUse:
    ref = Reference(title=f"Scenario {scenario_name}", href=source_href(source),
                    publisher="tradepact scenario file", date=as_of, pinpoint=field_path, kind="scenario")
    return ParameterUse(f"scenario:{scenario_name}:{field_path}", as_of, value, "", as_of, "assumption",
                        "set in the scenario file", (ref,))


def used_paths(scenario: Scenario, tree: ParameterNode | None = None) -> set[str]:
    """Parameter paths a scenario's assessment and payoffs read."""
    return _used_and_years(scenario, tree)[0]


def _used_and_years(scenario: Scenario, tree: ParameterNode | None) -> tuple[set[str], int]:
    from . import party_paths, resolve
    r = resolve(scenario, tree)
    return {u.path for u in r.provenance} | set(party_paths()), len(r.vehicle.years)


def uncertainty_model(scenario: Scenario, tree: ParameterNode | None = None, *,
                      uncertainty_from: Scenario | None = None,
                      declared_in: tuple[Path | None, Any] | None = None,
                      empirical: Mapping[str, np.ndarray] | None = None) -> UncertaintyModel:
    """Validate the uncertainty a scenario uses and build its joint distribution.

    ``uncertainty_from`` takes the ``uncertainty``/``correlations`` of another
    scenario (centres and ``{param: ...}`` references are still read in
    ``scenario``'s own parameters). Errors name the file, line and parameter path.
    """
    holder = uncertainty_from or scenario
    spec = holder.spec
    file, data = declared_in if declared_in is not None else (
        (Path(holder.source) if Path(holder.source).is_file() else None), holder.own)
    where = _Locator(str(file) if file is not None else holder.source, data)
    base_tree = tree if tree is not None else policy_parameters()
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
        if uncertainty_from is not None and path not in used:
            # Another scenario's uncertainty on a parameter this one does not read (e.g. another
            # investor's macro figures): reported as unused, not drawn.
            inputs.append(UncertainInput(path, dist.dist, {}, float("nan"), param.unit, None, False))
            continue
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
                if not empirical or path not in empirical:
                    raise with_value("empirical draws: the values were not read", location=where(loc + ("file",)),
                                     value=dist.file, expected="a study that reads the file first", cls=ScenarioError)
                values = np.asarray(empirical[path], float)
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
        skipped = {i.path for i in inputs if not i.used and i.path not in index}
        if any(p in skipped for p in c.between):
            continue                     # a correlation with a parameter this scenario does not draw
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
    return UNITS[param.unit].expected


