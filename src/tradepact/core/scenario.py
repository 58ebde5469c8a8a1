"""Scenarios: a pledge design plus an overlay on the shipped parameters.

A scenario file (YAML, validated strictly; ``tradepact schema`` prints its
JSON Schema) says how a pledge is implemented — its tranches, the profit
split, the years modelled — and may override any shipped parameter over a
date range (``parameters:``, OpenFisca/PolicyEngine style). Numbers are
either literals or references to cited parameters, ``{param: PATH}``,
optionally multiplied by further parameters or numbers (``times: [...]``).

A scenario can start from another (``base:``, a shipped name such as
``us_kr_2025/final`` or a path relative to the file). The child's keys
replace the base's, with two merges: ``parameters`` are merged path by path,
and ``tranches`` are matched by ``name`` — a tranche with a known name
updates that tranche (its ``terms`` key by key, other keys wholesale), a new
name adds a tranche, and ``remove: true`` drops one.

Overlay semantics: ``PATH: VALUE`` replaces the parameter on every date;
``PATH: {"2026-01-01": V}`` from that date on; ``PATH: {"2026-01-01.2028-01-01": V}``
over the half-open range only, after which the shipped value resumes.
Ranges of one path may not overlap. The whole overlay is validated before
any parameter is changed.

Validation (one place per rule; the bounds live in :mod:`.limits`): every
number is finite and never a boolean or a string; years and dates lie in
the documented range; tranche names are unique within a file; ``remove:``
takes a real boolean; a ``base:`` chain is at most ``MAX_BASE_CHAIN`` long.
Errors after a merge name the file and line that wrote the value (the child
or a base), and a tranche by its name. ``base:`` and empirical ``file:``
paths resolve relative to the file naming them and may not leave its folder
tree (symlinks resolved) unless the folder is allowed (:func:`allow_paths`,
``--allow-path``); the reading and merging of files lives in :mod:`.scenario_files`.

This module is longer than 400 lines: it is the whole scenario format (one
pydantic model per documented key, the JSON Schema's source) and its loader.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (
    BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Strict, Tag, ValidationError, create_model,
    field_validator, model_validator,
)

from . import limits

from .dates import MIN_DATE, Interval
from .instruments import ALL_TERMS, Funding, Instrument
from .errors import Location, ParameterError, ScenarioError, with_value
from .parameters import Parameter, ParameterNode
from .references import Reference
from .scenario_files import (  # noqa: F401 - re-exported: the scenario API
    TrancheLocation, _check_tranches, _kind, _merge, _own_tranches, allow_paths, checked_path, dotted, locate_in,
)
from .yamlfast import load_package_yaml
from .yamlio import LineDict, load_yaml_file, validation_error

SCENARIO_ROOT = Path(__file__).resolve().parent.parent / "scenarios"

_NAME = r"^[a-z0-9_]+(/[a-z0-9_]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


#: A finite number written as a number (not a boolean, not a string).
Real = Annotated[float, Strict()]
#: A whole number written as a number (not a boolean, not a string, not 2.0).
Whole = Annotated[int, Strict()]
#: A real boolean (``true``/``false``, not ``"false"``, ``yes`` or 1).
Flag = Annotated[bool, Strict()]
#: A calendar year in the documented range.
YearInt = Annotated[int, Strict(), Field(ge=limits.YEAR_MIN, le=limits.YEAR_MAX)]


def _iso_date(v: Any) -> Any:
    """An ISO date written as text (never an integer read as Unix seconds), in range."""
    if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
        day = v
    elif isinstance(v, str):
        try:
            day = _dt.date.fromisoformat(v.strip())
        except ValueError:
            raise ValueError("an ISO date YYYY-MM-DD") from None
    else:
        raise ValueError("an ISO date YYYY-MM-DD written as text (not a number)")
    if not limits.YEAR_MIN <= day.year <= limits.YEAR_MAX:
        raise ValueError(f"a date from {limits.YEAR_MIN}-01-01 to {limits.YEAR_MAX}-12-31")
    return day


#: An ISO date in the documented range.
IsoDate = Annotated[_dt.date, BeforeValidator(_iso_date)]


class ParamRef(_Strict):
    """A number taken from a cited parameter, optionally multiplied."""

    param: str = Field(min_length=1, max_length=300,
                       description="Dotted parameter path, e.g. deals.us_kr_2025.cash.amount_usd_bn")
    times: list[Union[str, Real]] = Field(
        default_factory=list, max_length=16, description="Further factors: parameter paths or numbers")


Number = Union[Real, ParamRef]
Year = Union[YearInt, ParamRef]


class UpfrontSpec(_Strict):
    kind: Literal["upfront"]
    year: Year | None = Field(None, description="Calendar year; default: the scenario's start year")


class CappedAnnualSpec(_Strict):
    kind: Literal["capped_annual"]
    cap_usd_bn: Number = Field(description="Most that can move in one calendar year, USD bn")
    start_year: Year | None = Field(None, description="First year; default: the scenario's start year")


class ExplicitSpec(_Strict):
    kind: Literal["explicit"]
    amounts_usd_bn: dict[YearInt, Annotated[Real, Field(ge=0)]] = Field(
        description="USD bn by calendar year; must add up to the tranche amount")


class SelectionWindowSpec(_Strict):
    kind: Literal["selection_window"]
    deadline: Union[IsoDate, ParamRef] = Field(description="Project-selection deadline")
    funding_lag_business_days: Union[
        Annotated[Whole, Field(ge=0, le=limits.MAX_FUNDING_LAG_BUSINESS_DAYS)], ParamRef] = Field(
        0, description="Business days to fund a selected project")
    start_year: Year | None = Field(None, description="First year; default: the scenario's start year")


ScheduleSpec = Annotated[
    Union[UpfrontSpec, CappedAnnualSpec, ExplicitSpec, SelectionWindowSpec],
    Field(discriminator="kind")]


#: Instrument terms; each defaults to a cited parameter (``INSTRUMENTS[...].term_paths``).
TermsSpec = create_model(
    "TermsSpec", __base__=_Strict, __doc__="Instrument terms; each defaults to a cited assumption parameter.",
    **{t: (Optional[Number], None) for t in ALL_TERMS})


class TrancheSpec(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str | None = None
    instrument: Instrument
    amount_usd_bn: Number
    schedule: ScheduleSpec
    funding: Funding | None = Field(
        None, description="Who pays: reserves (FX authorities), borrowing (state institutions "
                          "raising USD abroad) or corporate. Default: reserves for cash_equity, "
                          "borrowing for loan and guarantee, corporate for company_fdi")
    terms: TermsSpec = Field(default_factory=TermsSpec)


class ProfitSplitSpec(_Strict):
    investor_share_before_recoup: Number
    investor_share_after_recoup: Number


Scalar = Union[Flag, Whole, Real, str]
OverlayValue = Union[Scalar, dict[str, Union[Scalar, None]]]


# ---------------------------------------------------------------- uncertainty
def _literal(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


class _TruncatableSpec(_Strict):
    truncate: tuple[Real, Real] | None = Field(
        None, description="Truncate to [low, high] on purpose (inverse-CDF sampling). Without it, "
                          "a distribution that puts more than 0.1 % of its mass outside the "
                          "parameter's unit range is an error; a smaller tail is truncated")

    def _check_truncate(self) -> None:
        if self.truncate is not None and not self.truncate[0] < self.truncate[1]:
            raise ValueError(f"truncate: [low, high] with low below high (found "
                             f"[{self.truncate[0]:g}, {self.truncate[1]:g}])")


def _positive(v: Any, what: str) -> Any:
    x = _literal(v)
    if x is not None and not x > 0:
        raise ValueError(f"{what} above 0")
    return v


class NormalDistSpec(_TruncatableSpec):
    """Normal: mean and standard deviation of the parameter."""

    dist: Literal["normal"]
    mean: Number | None = Field(None, description="Default: the parameter's value on as_of")
    sd: Number = Field(description="Standard deviation, above 0")

    @field_validator("sd")
    @classmethod
    def _sd(cls, v: Any) -> Any:
        return _positive(v, "a standard deviation sd")

    @model_validator(mode="after")
    def _valid(self) -> "NormalDistSpec":
        self._check_truncate()
        return self


class LognormalDistSpec(_TruncatableSpec):
    """Lognormal: mean and standard deviation of the parameter itself (not of its log)."""

    dist: Literal["lognormal"]
    mean: Number | None = Field(None, description="Mean, above 0. Default: the parameter's value on as_of")
    sd: Number = Field(description="Standard deviation, above 0")

    @field_validator("sd")
    @classmethod
    def _sd(cls, v: Any) -> Any:
        return _positive(v, "a standard deviation sd")

    @field_validator("mean")
    @classmethod
    def _mean(cls, v: Any) -> Any:
        return _positive(v, "a lognormal mean")

    @model_validator(mode="after")
    def _valid(self) -> "LognormalDistSpec":
        self._check_truncate()
        return self


class UniformDistSpec(_Strict):
    dist: Literal["uniform"]
    low: Number
    high: Number

    @model_validator(mode="after")
    def _valid(self) -> "UniformDistSpec":
        lo, hi = _literal(self.low), _literal(self.high)
        if lo is not None and hi is not None and not lo < hi:
            raise ValueError(f"low below high (bounds reversed or equal: low {lo:g}, high {hi:g})")
        return self


class TriangularDistSpec(_Strict):
    dist: Literal["triangular"]
    low: Number
    mode: Number | None = Field(None, description="Default: the parameter's value on as_of")
    high: Number

    @model_validator(mode="after")
    def _valid(self) -> "TriangularDistSpec":
        lo, mode, hi = _literal(self.low), _literal(self.mode), _literal(self.high)
        if lo is not None and hi is not None and not lo < hi:
            raise ValueError(f"low below high (bounds reversed or equal: low {lo:g}, high {hi:g})")
        if mode is not None and lo is not None and hi is not None and not lo <= mode <= hi:
            raise ValueError(f"a mode from low ({lo:g}) to high ({hi:g}) (found {mode:g})")
        return self


class EmpiricalDistSpec(_Strict):
    """Resample observed values from a file (CSV or NumPy .npy), relative to the scenario file."""

    dist: Literal["empirical"]
    file: str = Field(min_length=1, description="CSV or .npy path, relative to the scenario file")
    column: str | None = Field(None, description="CSV column (needed if the file has several)")


DISTRIBUTION_FAMILIES = ("normal", "lognormal", "uniform", "triangular", "empirical")


def _family_tag(v: Any) -> str | None:
    # Tags are bracketed so that error locations drop them (core.yamlio strips
    # union noise), leaving 'uncertainty.PATH.FIELD'.
    return f"[{v.get('dist')}]" if isinstance(v, dict) and v.get("dist") in DISTRIBUTION_FAMILIES \
        else None


DistributionSpec = Annotated[
    Union[Annotated[NormalDistSpec, Tag("[normal]")], Annotated[LognormalDistSpec, Tag("[lognormal]")],
          Annotated[UniformDistSpec, Tag("[uniform]")],
          Annotated[TriangularDistSpec, Tag("[triangular]")],
          Annotated[EmpiricalDistSpec, Tag("[empirical]")]],
    Discriminator(_family_tag, custom_error_type="unknown_distribution",
                  custom_error_message="a mapping whose 'dist' is a known family: "
                                       + ", ".join(DISTRIBUTION_FAMILIES))]


class CorrelationSpec(_Strict):
    """Correlation of two uncertain parameters (Gaussian copula)."""

    between: list[str] = Field(min_length=2, max_length=2,
                               description="Two parameter paths that carry a distribution")
    rho: Real = Field(gt=-1, lt=1, description="Correlation of their normal scores, strictly "
                                                "between -1 and 1")

    @model_validator(mode="after")
    def _distinct(self) -> "CorrelationSpec":
        if self.between[0] == self.between[1]:
            raise ValueError("a correlation needs two different parameter paths")
        return self


class TariffsSpec(_Strict):
    """The tariff regimes the deal is valued between (named regimes of the
    shipped tariff measures; see ``tradepact tariffs regimes``)."""

    with_deal: str = Field("enacted", min_length=1, description="Regime with the deal in force")
    without_deal: str = Field("no_kor_deal", min_length=1,
                              description="Counterfactual regime: the tariffs the investor's exports "
                                          "would pay without the deal")
    method: Literal["legal", "additive"] = Field(
        "legal", description="Stacking of authorities: the legal rules, or all additive (sensitivity)")
    response: Flag = Field(
        False, description="Let import volumes respond to the rates (partial equilibrium) instead of "
                           "holding them at the shipped trade table's values")


class ScenarioSpec(_Strict):
    """A pledge design and parameter overlay (the documented scenario format)."""

    name: str = Field(pattern=_NAME, description="Identifier, e.g. us_kr_2025/final")
    title: str = Field(min_length=1)
    description: str = ""
    status: Literal["signed", "proposal", "counterfactual", "user"] = "user"
    base: str | None = Field(None, description="Scenario this one starts from")
    as_of: IsoDate = Field(description="Date on which every parameter is read")
    investor: str = Field("KOR", pattern=r"^[A-Z]{3}$")
    host: str = Field("USA", pattern=r"^[A-Z]{3}$")
    investor_macro: str = Field("kr.macro", description="Parameter folder of the investor economy")
    start_year: Year = Field(default_factory=lambda: ParamRef(param="assumptions.vehicle.start_year"))
    horizon_end_year: Year = Field(
        default_factory=lambda: ParamRef(param="assumptions.vehicle.horizon_end_year"))
    discount_rate: Number = Field(
        default_factory=lambda: ParamRef(param="assumptions.vehicle.investor_discount_rate"))
    profit_split: ProfitSplitSpec
    tranches: list[TrancheSpec] = Field(min_length=1, max_length=1000)
    parameters: dict[str, OverlayValue] = Field(default_factory=dict)
    tariffs: TariffsSpec = Field(default_factory=TariffsSpec,
                                 description="Tariff regimes with and without the deal")
    uncertainty: dict[str, DistributionSpec] = Field(
        default_factory=dict,
        description="Distributions of parameters for Monte Carlo (`tradepact simulate`), by "
                    "parameter path; a child scenario's uncertainty replaces its base's")
    correlations: list[CorrelationSpec] = Field(
        default_factory=list, description="Correlations between uncertain parameters")


@dataclass(frozen=True)
class Scenario:
    """A validated scenario and where it came from."""

    spec: ScenarioSpec
    source: str
    raw: Any
    own: Any  # the file's own data (for line numbers of the user's keys)

    @property
    def name(self) -> str:
        return self.spec.name

    @classmethod
    def load(cls, item: "str | Path | Scenario") -> "Scenario":
        """A scenario from a shipped name (``us_kr_2025/final``), a file path or an
        already loaded object."""
        if isinstance(item, Scenario):
            return item
        text = str(item)
        if _shipped_path(text) is not None and not text.endswith((".yaml", ".yml")):
            return shipped_scenario(text)
        return load_scenario(Path(text))

    def locate(self, loc: tuple[Any, ...]) -> Location:
        """Where the value at ``loc`` (a path into the merged scenario) was
        written: the file (this one or a base) and line, and the field as
        written there, a tranche also by its name."""
        return locate_in(self.raw if self.raw is not None else self.own, loc, self.source)

    def reference(self, field: str) -> Reference:
        return Reference(title=f"Scenario {self.spec.name}: {self.spec.title}",
                         href=source_href(self.source), publisher="tradepact scenario file",
                         date=self.spec.as_of, pinpoint=field, kind="scenario")

    def apply_overlay(self, tree: ParameterNode) -> ParameterNode:
        """The parameter tree with this scenario's overrides (all-or-nothing)."""
        changed: list[Parameter] = []
        for path, spec in self.spec.parameters.items():
            loc = self.locate(("parameters", path))
            try:
                param = tree.parameter(path)
            except ParameterError as exc:
                raise ScenarioError(str(exc).split(": ", 1)[-1], location=loc) from None
            items = spec.items() if isinstance(spec, dict) else [(None, spec)]
            ranges: list[tuple[Interval, Any]] = []
            for key, value in items:
                if key is None:
                    interval = Interval(MIN_DATE)
                else:
                    try:
                        interval = Interval.parse(key)
                    except ValueError as exc:
                        raise with_value(f"bad date range: {exc}", location=loc, value=key,
                                         expected="'YYYY-MM-DD' or 'START.STOP' (STOP exclusive)",
                                         cls=ScenarioError) from None
                    ends = [interval.start] + ([interval.stop] if interval.stop is not None else [])
                    if any(not limits.YEAR_MIN <= d.year <= limits.YEAR_MAX for d in ends):
                        raise with_value("date out of range", location=loc, value=key,
                                         expected=f"dates from {limits.YEAR_MIN} to {limits.YEAR_MAX}",
                                         cls=ScenarioError)
                param.check_value(value, loc)
                ranges.append((interval, value))
            ranges.sort(key=lambda r: r[0].start)
            for (a, _), (b, _) in zip(ranges, ranges[1:]):
                if a.overlaps(b):
                    raise with_value("date ranges overlap", location=loc, value=f"{a} and {b}",
                                     expected="ranges that do not overlap", cls=ScenarioError)
            for interval, value in ranges:
                param = param.overridden(interval, value, self.reference(f"parameters.{path}"),
                                         note=f"set by scenario {self.spec.name}")
            changed.append(param)
        for param in changed:
            tree = tree.replace_parameter(param)
        return tree


def source_href(source: str) -> str:
    """A citation address for a scenario file: ``tradepact:scenarios/...`` for shipped ones."""
    p = Path(source)
    try:
        return "tradepact:scenarios/" + p.resolve().relative_to(SCENARIO_ROOT).as_posix()
    except ValueError:
        return p.resolve().as_uri() if p.is_absolute() or p.exists() else "file:" + source


def _has(data: Any, loc: tuple[Any, ...]) -> bool:
    node = data
    for p in loc:
        if isinstance(node, dict) and p in node:
            node = node[p]
        elif isinstance(node, list) and isinstance(p, int) and p < len(node):
            node = node[p]
        else:
            return False
    return True


# ---------------------------------------------------------------- loading
def shipped_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package."""
    return sorted(p.relative_to(SCENARIO_ROOT).with_suffix("").as_posix()
                  for p in SCENARIO_ROOT.rglob("*.yaml"))


def _shipped_path(name: str) -> Path | None:
    p = SCENARIO_ROOT / f"{name}.yaml"
    return p if p.is_file() else None


def _load_file(path: Path) -> Any:
    """A scenario file's data: a shipped one through the package's fast reader, any
    other through the bounded reader of users' files."""
    try:
        shipped = path.resolve().is_relative_to(SCENARIO_ROOT)
    except (OSError, ValueError):      # a name the system cannot resolve: the reader says why
        shipped = False
    return load_package_yaml(path) if shipped else load_yaml_file(path)


def _read_raw(path: Path, chain: tuple[str, ...] = ()) -> LineDict:
    """The file's data with its base chain merged in (not yet validated)."""
    source = str(path)
    data = _load_file(path)
    if not isinstance(data, LineDict):
        raise ScenarioError("a scenario file must be a mapping of keys to values",
                            location=Location(source), expected="keys such as name, title, tranches")
    _check_tranches(data, source)
    _own_tranches(data, source)
    base = data.get("base")
    if base is None:
        return data
    where = Location(source, data.lines.get("base"), "base")
    if not isinstance(base, str) or not base.strip():
        raise with_value("'base' must name a scenario", location=where,
                         value=_kind(base),
                         expected="a shipped scenario name or a .yaml path", cls=ScenarioError)
    if len(chain) >= limits.MAX_BASE_CHAIN:
        raise with_value(f"the chain of bases is longer than {limits.MAX_BASE_CHAIN} files", location=where,
                         value=base, expected=f"at most {limits.MAX_BASE_CHAIN} scenarios in a base chain",
                         cls=ScenarioError)
    if base.endswith((".yaml", ".yml")):
        base_path: Path | None = checked_path(base, path, where, "base")
    else:
        base_path = _shipped_path(base) if len(base) < 200 and re.match(_NAME, base) else None
    if base_path is None or not base_path.is_file():
        raise with_value("unknown base scenario", location=where,
                         value=base, expected="one of " + ", ".join(shipped_scenarios())
                         + " or an existing .yaml path", cls=ScenarioError)
    key = str(base_path.resolve())
    if key in chain:
        raise with_value("scenario bases form a cycle", location=where,
                         value=base, expected="a chain of bases without repeats", cls=ScenarioError)
    return _merge(_read_raw(base_path, chain + (key,)), data, source)


def load_scenario(path: Path | str) -> Scenario:
    """Load and validate one scenario file (with its base chain)."""
    p = Path(path)
    own = _load_file(p)
    raw = _read_raw(p, (str(p.resolve()),))
    try:
        spec = ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, raw, str(p), ScenarioError,
                               locate=lambda loc: locate_in(raw, loc, str(p))) from None
    return Scenario(spec, str(p), raw, own)


def shipped_scenario(name: str) -> Scenario:
    """A scenario shipped with the package, by name (e.g. ``us_kr_2025/final``)."""
    p = _shipped_path(name)
    if p is None:
        raise with_value("unknown scenario", location=Location(field="scenario"), value=name,
                         expected="one of " + ", ".join(shipped_scenarios()), cls=ScenarioError)
    return load_scenario(p)


def load_scenario_text(text: str, source: str = "<request>", *, allow_files: bool = False) -> Scenario:
    """A scenario from YAML text (a web request, a notebook cell). With
    ``allow_files=False`` the text may name no file: ``base`` only a shipped
    scenario by name, and no ``empirical`` distribution (they read a file)."""
    import re

    from .yamlio import line_of, load_yaml_text
    own = load_yaml_text(text, source)
    if not isinstance(own, LineDict):
        raise ScenarioError("a scenario must be a mapping of keys to values", location=Location(source),
                            expected="keys such as name, title, tranches")
    _check_tranches(own, source)
    _own_tranches(own, source)
    raw: LineDict = own
    base = own.get("base")
    if base is not None:
        where = Location(source, own.lines.get("base"), "base")
        named = isinstance(base, str) and not base.endswith((".yaml", ".yml")) and len(base) < 200 \
            and re.match(_NAME, base) is not None
        base_path = _shipped_path(base) if named else None
        if base_path is None and not allow_files:
            raise with_value("'base' must name a shipped scenario", location=where, value=_kind(base),
                             expected="one of " + ", ".join(shipped_scenarios()) + " (no file paths)",
                             cls=ScenarioError)
        if base_path is None:
            base_path = checked_path(str(base), Path.cwd() / "request.yaml", where, "base")
        raw = _merge(_read_raw(base_path, (str(base_path.resolve()),)), own, source)
    if not allow_files:
        for path, dist in (own.get("uncertainty") or {}).items():
            if isinstance(dist, dict) and (dist.get("dist") == "empirical" or "file" in dist):
                raise with_value("a distribution may not read a file here", location=Location(
                    source, line_of(own, ("uncertainty", path)), f"uncertainty.{path}"), value="empirical",
                    expected="normal, lognormal, uniform or triangular", cls=ScenarioError)
    try:
        spec = ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, raw, source, ScenarioError,
                               locate=lambda loc: locate_in(raw, loc, source)) from None
    return Scenario(spec, source, raw, own)


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario file format."""
    schema = ScenarioSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "tradepact scenario"
    return schema
