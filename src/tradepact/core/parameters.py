"""Dated, cited parameters: one small YAML file per parameter.

File format (one form only, checked strictly)::

    description: What the number is and how the model uses it.
    metadata:
      unit: usd_bn            # one of tradepact.core.units.UNITS
      label: FX reserves      # optional short label
    values:
      2025-11-05:             # ISO date from which the value holds
        value: 428.82         # a value of the declared unit, or null (ends)
        status: reported      # official | reported | derived | assumption
        note: ...             # required for derived (the formula) and assumption (why)
        reference:            # at least one
          - title: ...
            href: https://...
            publisher: ...
            date: 2025-11-05
            pinpoint: where in the text the figure is

Values are a step function of the date: ``Parameter.at(d)`` returns the
latest value dated on or before ``d``. Dates must be in ascending order and
unique. ``index.yaml`` in a folder documents that folder (``description``,
optional ``documentation``). The folder tree is the parameter namespace:
``policy/kr/macro/fx_reserves_usd_bn.yaml`` is ``kr.macro.fx_reserves_usd_bn``.

This module is longer than 400 lines on purpose: the file schema, the
strict loader and the dated tree are one contract (a value's date, status
and reference are checked where they are read), kept together so it reads
in one place.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .dates import Date, Interval, parse_date
from .errors import Location, ParameterError, with_value
from .references import Reference
from .units import UNITS, units_for_name
from .yamlfast import cached_build
from .yamlfast import load_package_yaml as load_yaml_file
from .yamlio import LineDict, validation_error

Status = Literal["official", "reported", "derived", "assumption"]
Scalar = float | int | bool | str

POLICY_ROOT = Path(__file__).resolve().parent.parent / "policy"


# ---------------------------------------------------------------- file schema
class _ValueEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float | int | bool | str | None
    status: Status = "reported"
    note: str | None = None
    reference: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _note_required(self) -> "_ValueEntry":
        if self.status in ("derived", "assumption") and not self.note:
            raise ValueError(f"a value with status '{self.status}' needs a 'note' "
                             "(the formula for derived values, the rationale for assumptions)")
        return self


class EvidenceLink(BaseModel):
    """One claim kind a parameter corresponds to (``metadata.evidence``).

    ``tradepact evidence check`` holds the parameter against the stored
    claims of this ``kind`` about this ``partner`` (and ``scope``, when
    given). ``role: proposal`` marks a negotiating position (under
    ``proposals.*``); ``proposal_of`` names who proposed it. ``tolerance``
    is absolute in the claim unit (``0.5``) or relative (``"1%"``); without
    it values must agree within 0.5 %. ``complement: true`` means the
    parameter is one minus the claim (Korea's profit share against the
    host's share that reports give). ``window_days`` sets how long before
    the value's start a report still counts (0 for monthly statistics).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["pledge_total", "cash_total", "cash_annual", "non_cash_total", "shipbuilding",
                  "tariff_rate", "profit_share_host", "duration", "fx_reserves", "exchange_rate",
                  "fx_swap"]
    partner: str = Field(pattern=r"^(?:[A-Z]{3}|EU)$")
    scope: str | None = None
    role: Literal["final", "proposal"] = "final"
    tolerance: float | str | None = None
    proposal_of: Literal["USA", "KOR"] | None = None
    complement: bool = False
    #: Days before the value's start from which reports count (default: the checker's).
    window_days: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _tolerance_form(self) -> "EvidenceLink":
        tol = self.tolerance
        if isinstance(tol, str) and not (tol.endswith("%") and tol[:-1].replace(".", "", 1).isdigit()):
            raise ValueError("tolerance must be a number (absolute) or a percentage such as '1%'")
        if isinstance(tol, (int, float)) and tol < 0:
            raise ValueError("tolerance must not be negative")
        if self.proposal_of is not None and self.role != "proposal":
            raise ValueError("proposal_of is only for role: proposal")
        return self

    def within(self, claimed: float, value: float) -> bool:
        """Whether a claimed value agrees with the parameter's ``value``."""
        tol = self.tolerance
        if isinstance(tol, str):
            return abs(claimed - value) <= float(tol[:-1]) / 100 * max(abs(value), abs(claimed))
        if tol is not None:
            return abs(claimed - value) <= tol
        return abs(claimed - value) <= max(1e-9, 0.005 * max(abs(value), abs(claimed)))


class _Metadata(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str
    label: str | None = None
    evidence: list[EvidenceLink] = Field(default_factory=list)


class _ParameterFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1)
    metadata: _Metadata
    values: dict[str, _ValueEntry] = Field(min_length=1)


class _IndexFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1)
    documentation: str | None = None


# ---------------------------------------------------------------- types
@dataclass(frozen=True)
class DatedValue:
    """A value that holds from ``start`` until the next dated value."""

    start: Date
    value: Scalar | None
    references: tuple[Reference, ...]
    status: Status = "reported"
    note: str | None = None


@dataclass(frozen=True)
class ParameterUse:
    """A record of one parameter read: what a user needs to trace a number."""

    path: str
    date: Date
    value: Scalar | None
    unit: str
    valid_from: Date
    status: Status
    note: str | None
    references: tuple[Reference, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "date": self.date.isoformat(), "value": self.value,
            "unit": self.unit, "valid_from": self.valid_from.isoformat(),
            "status": self.status, "note": self.note,
            "references": [r.model_dump(mode="json", exclude_none=True) for r in self.references],
        }


@dataclass(frozen=True)
class Parameter:
    """A dated, cited value; ``values`` are in ascending date order."""

    path: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]
    label: str | None = None
    file: str | None = None
    #: The claim kinds this parameter corresponds to (see :class:`EvidenceLink`).
    evidence: tuple[EvidenceLink, ...] = ()

    def dated_at(self, day: Date | str) -> DatedValue:
        """The dated value in force on ``day``."""
        d = parse_date(day)
        found = None
        for dv in self.values:
            if dv.start <= d:
                found = dv
            else:
                break
        if found is None or found.value is None:
            first = self.values[0].start.isoformat()
            why = (f"it starts on {first}" if found is None
                   else f"it ended on {found.start.isoformat()}")
            raise ParameterError(
                f"parameter '{self.path}' has no value on {d.isoformat()}: {why}",
                location=Location(self.file), expected=f"a date on or after {first}")
        return found

    def at(self, day: Date | str) -> Scalar:
        """The value in force on ``day``."""
        value = self.dated_at(day).value
        assert value is not None
        return value

    def use(self, day: Date | str) -> ParameterUse:
        d = parse_date(day)
        dv = self.dated_at(d)
        return ParameterUse(self.path, d, dv.value, self.unit, dv.start, dv.status, dv.note,
                            dv.references)

    def known_on(self, day: Date | str) -> "Parameter":
        """This parameter as known on ``day``: later-dated values are dropped,
        except those a scenario set (they are assumptions about the future)."""
        d = parse_date(day)
        kept = tuple(dv for dv in self.values
                     if dv.start <= d or (dv.references and dv.references[0].kind == "scenario"))
        return replace(self, values=kept)

    def check_value(self, value: object, location: Location) -> None:
        """Raise unless ``value`` fits this parameter's unit."""
        unit = UNITS[self.unit]
        if value is not None and not unit.check(value):
            raise with_value(f"value does not fit the unit '{self.unit}' of parameter '{self.path}'",
                             location=location, value=value, expected=unit.expected,
                             cls=ParameterError)

    def overridden(self, interval: Interval, value: Scalar | None, reference: Reference,
                   note: str) -> "Parameter":
        """A copy where ``value`` holds over ``interval`` (half-open).

        After a bounded interval, the value in force before the override
        resumes (PolicyEngine ``Reform.from_dict`` semantics). The new value
        is marked ``assumption`` with ``note`` saying who set it.
        """
        start, stop = interval.start, interval.stop
        out = [dv for dv in self.values if dv.start < start]
        out.append(DatedValue(start, value, (reference,), "assumption", note))
        if stop is not None:
            after = [dv for dv in self.values if dv.start >= stop]
            before = [dv for dv in self.values if dv.start < stop]
            if not after or after[0].start > stop:
                if before:
                    out.append(replace(before[-1], start=stop))
                else:
                    out.append(DatedValue(stop, None, (reference,), "assumption", note))
            out += after
        return replace(self, values=tuple(out))


@dataclass(frozen=True)
class ParameterNode:
    """A folder of parameters; attribute access and dotted paths resolve."""

    path: str
    description: str = ""
    children: Mapping[str, "ParameterNode | Parameter"] = field(default_factory=dict)
    documentation: str | None = None

    def __getattr__(self, name: str) -> "ParameterNode | Parameter":
        children = object.__getattribute__(self, "children")
        if name in children:
            return children[name]
        raise AttributeError(name)

    def get(self, path: str) -> "ParameterNode | Parameter":
        """Resolve a dotted path; an unknown path names the closest ones."""
        node: ParameterNode | Parameter = self
        walked = []
        for part in path.split("."):
            if not isinstance(node, ParameterNode) or part not in node.children:
                here = node.children if isinstance(node, ParameterNode) else {}
                close = difflib.get_close_matches(part, list(here), n=3)
                hint = ", ".join(".".join(walked + [c]) for c in close) if close else (
                    ", ".join(".".join(walked + [c]) for c in sorted(here)[:6]) or "none")
                raise with_value("unknown parameter path", location=Location(field=path),
                                 value=path, expected=f"a known path such as {hint}",
                                 cls=ParameterError)
            node = node.children[part]
            walked.append(part)
        return node

    def parameter(self, path: str) -> Parameter:
        node = self.get(path)
        if not isinstance(node, Parameter):
            raise with_value("path names a folder, not a parameter",
                             location=Location(field=path), value=path,
                             expected="the path of one parameter file", cls=ParameterError)
        return node

    def walk(self) -> Iterator[Parameter]:
        for child in self.children.values():
            if isinstance(child, Parameter):
                yield child
            else:
                yield from child.walk()

    def replace_parameter(self, param: Parameter) -> "ParameterNode":
        """A new tree in which ``param`` (same path) replaces the old one."""
        rel = param.path[len(self.path) + 1:] if self.path else param.path
        head, _, rest = rel.partition(".")
        children = dict(self.children)
        if rest:
            sub = children[head]
            assert isinstance(sub, ParameterNode)
            children[head] = sub.replace_parameter(param)
        else:
            children[head] = param
        return replace(self, children=children)


# ---------------------------------------------------------------- loading
def _load_parameter_file(file: Path, path: str) -> Parameter:
    data = load_yaml_file(file)
    src = str(file)
    if not isinstance(data, LineDict):
        raise ParameterError("a parameter file must be a mapping with description, "
                             "metadata and values", location=Location(src))
    try:
        spec = _ParameterFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, src, ParameterError) from None
    unit_name = spec.metadata.unit
    if unit_name not in UNITS:
        raise with_value("unknown unit", location=Location(src, data["metadata"].lines.get("unit"),
                                                           "metadata.unit"),
                         value=unit_name, expected="one of " + ", ".join(sorted(UNITS)),
                         cls=ParameterError)
    name = path.rsplit(".", 1)[-1]
    allowed = units_for_name(name)
    if allowed is not None and unit_name not in allowed:
        raise with_value(f"unit does not match the parameter name '{name}'",
                         location=Location(src, data["metadata"].lines.get("unit"), "metadata.unit"),
                         value=unit_name, expected="one of " + ", ".join(allowed), cls=ParameterError)
    raw_values: LineDict = data["values"]
    values: list[DatedValue] = []
    previous: Date | None = None
    param = Parameter(path, spec.description, unit_name, (), spec.metadata.label, src,
                      tuple(spec.metadata.evidence))
    for key, entry in spec.values.items():
        line = raw_values.lines.get(key)
        loc = Location(src, line, f"values.{key}")
        try:
            start = parse_date(key)
        except ValueError:
            raise with_value("a values key is not a date", location=loc, value=key,
                             expected="an ISO date (YYYY-MM-DD)", cls=ParameterError) from None
        if previous is not None and start <= previous:
            raise with_value("dates are out of order", location=loc, value=key,
                             expected=f"a date after {previous.isoformat()} "
                                      "(list values in ascending date order)",
                             cls=ParameterError)
        param.check_value(entry.value, Location(src, line, f"values.{key}.value"))
        previous = start
        values.append(DatedValue(start, entry.value, tuple(entry.reference), entry.status, entry.note))
    return replace(param, values=tuple(values))


def load_parameters(root: Path | str = POLICY_ROOT, *, prefix: str = "") -> ParameterNode:
    """Load a parameter tree from a folder, strictly."""
    root = Path(root)
    description, documentation = "", None
    index = root / "index.yaml"
    if index.exists():
        data = load_yaml_file(index)
        try:
            spec = _IndexFile.model_validate(data)
        except ValidationError as exc:
            raise validation_error(exc, data, str(index), ParameterError) from None
        description, documentation = spec.description, spec.documentation
    children: dict[str, ParameterNode | Parameter] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        child_path = f"{prefix}.{entry.stem}" if prefix else entry.stem
        if entry.is_dir():
            if any(entry.rglob("*.yaml")):
                children[entry.name] = load_parameters(entry, prefix=child_path)
        elif entry.suffix == ".yaml" and entry.name != "index.yaml":
            if entry.stem in children:
                raise ParameterError(f"'{entry.stem}' is both a folder and a parameter file",
                                     location=Location(str(entry)))
            children[entry.stem] = _load_parameter_file(entry, child_path)
        elif entry.suffix in (".yml",):
            raise with_value("parameter files must end in .yaml", location=Location(str(entry)),
                             value=entry.name, expected="the .yaml extension", cls=ParameterError)
    return ParameterNode(prefix, description, children, documentation)


_DEFAULT_TREE: ParameterNode | None = None


def default_parameters() -> ParameterNode:
    """The parameters shipped with the package (loaded once; kept in the disk
    cache by the package's content hash, see :func:`.yamlfast.cached_build`)."""
    global _DEFAULT_TREE
    if _DEFAULT_TREE is None:
        _DEFAULT_TREE = cached_build("parameters", lambda: load_parameters(POLICY_ROOT))
    return _DEFAULT_TREE


class ParameterReader:
    """Reads parameters on one date and records every read for provenance."""

    def __init__(self, tree: ParameterNode, on: Date | str) -> None:
        self.tree = tree
        self.on = parse_date(on)
        self._uses: dict[str, ParameterUse] = {}

    def __call__(self, path: str, *, on: Date | str | None = None) -> Scalar:
        param = self.tree.parameter(path)
        use = param.use(self.on if on is None else on)
        self._uses.setdefault(f"{path}@{use.valid_from.isoformat()}", use)
        assert use.value is not None
        return use.value

    def series(self, path: str, years: Sequence[int]) -> list[float]:
        """A number for each calendar year, read on 1 January of the year (or on
        the reading date, if later) from what is known on the reading date.

        Values dated after the reading date count only if a scenario set them,
        so a scenario can assume a future change but published data never
        leaks in from after the reading date.
        """
        param = self.tree.parameter(path).known_on(self.on)
        out = []
        for year in years:
            day = max(self.on, _dt.date(int(year), 1, 1))
            use = param.use(day)
            self._uses.setdefault(f"{path}@{use.valid_from.isoformat()}", use)
            if isinstance(use.value, bool) or not isinstance(use.value, (int, float)):
                raise with_value("parameter is not a number", location=Location(field=path),
                                 value=use.value, expected="a numeric parameter", cls=ParameterError)
            out.append(float(use.value))
        return out

    def number(self, path: str, *, on: Date | str | None = None) -> float:
        value = self(path, on=on)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise with_value("parameter is not a number", location=Location(field=path),
                             value=value, expected="a numeric parameter", cls=ParameterError)
        return float(value)

    def date(self, path: str, *, on: Date | str | None = None) -> _dt.date:
        return parse_date(self(path, on=on))

    @property
    def uses(self) -> tuple[ParameterUse, ...]:
        return tuple(self._uses.values())
