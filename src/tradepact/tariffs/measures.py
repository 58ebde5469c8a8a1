"""Tariff measures as data: :class:`TariffMeasure`, :class:`MeasureSet`, :class:`Regime`.

A measure is one legal act's effect on one slot of the tariff: an
*authority* (column 1, an FTA preference, IEEPA reciprocal, IEEPA
fentanyl/border, Section 232, Section 301, Section 122) and, within it, a
*program* (``autos``, ``steel``, ``chn`` ...). It says what it does
(``kind``), to which products (named HS groups from ``policy/codes``, never
inline codes), to which partners (ISO alpha-3 codes and named groups),
over which half-open interval ``[legal_effective, ends)``, and where that
comes from (``cite``: keys of ``_sources.yaml``). The engine clock is the
legal effective date; ``announced``, ``signed``, ``published`` and
``implemented`` are kept as metadata (the tracker's timing log, as data).

Kinds
-----
``schedule``    the column-1 general rate from the HTS (authority ``mfn``)
``preference``  an FTA's special rate from the HTS special column, as the
                (non-positive) margin under the general rate, on ``share`` of
                the value (utilisation) (authority ``fta``)
``additive``    ``rate`` added on top of column 1, on ``share`` of the value
``floor``       all-in floor: the slot pays ``max(0, rate − column 1)``, so that
                column 1 + slot = the higher of column 1 or ``rate``
                ("15 % including MFN")
``cap``         all-in cap on the slot: ``min(slot, max(0, rate − column 1))``
``exemption``   removes the slot's duty from ``share`` of the value

Within a slot the *base* measures (schedule, preference, additive, floor)
do not add up: the most specific one in force wins, ranked by ``priority``,
then partner specificity (named countries > groups > everyone), product
specificity (groups > all), then the later legal effective date. Two
measures that tie on all four and overlap are an error. Caps then
exemptions modify the winner. How slots combine across authorities is the
job of :func:`tradepact.tariffs.stacking.apply_stacking`.

Files live under ``policy/us/tariffs/_measures/<authority>/*.yaml`` and are
read by :mod:`tradepact.resolve.tariff_files`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..core.dates import Interval
from ..core.errors import Location, TradepactError, did_you_mean, with_value
from ..core.references import Reference
from ..core.yamlio import LineDict, validation_error
from ..io.codes import PartnerTable
from .scope import HSGroups, PartnerScope, ProductScope

AUTHORITIES: tuple[str, ...] = ("mfn", "fta", "ieepa_recip", "ieepa_fent", "s232", "s301", "s122", "s338")
AUTHORITY_LABELS = {
    "mfn": "Column 1 general (MFN) rate, HTSUS",
    "fta": "FTA preference (special column, HTSUS)",
    "ieepa_recip": "IEEPA reciprocal duty (EO 14257 as amended)",
    "ieepa_fent": "IEEPA fentanyl / border duties (EO 14193, 14194, 14195)",
    "s232": "Section 232 (Trade Expansion Act of 1962)",
    "s301": "Section 301 (Trade Act of 1974), China",
    "s122": "Section 122 (Trade Act of 1974) temporary surcharge",
    "s338": "Section 338 (Tariff Act of 1930), Canada",
}
Kind = Literal["schedule", "preference", "additive", "floor", "cap", "exemption"]
BASE_KINDS = frozenset({"schedule", "preference", "additive", "floor"})


class TariffError(TradepactError):
    """A tariff measure, regime or query is invalid."""


class TariffMeasure(BaseModel):
    """One measure: a kind of change to one slot, over products × partners × time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=3)
    authority: Literal["mfn", "fta", "ieepa_recip", "ieepa_fent", "s232", "s301", "s122", "s338"]
    program: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    kind: Kind
    rate: float | None = Field(default=None, ge=0.0, le=2.0)
    fta_program: str | None = Field(default=None, pattern=r"^[A-Z]{1,2}[+*]?$")
    share: float = Field(default=1.0, ge=0.0, le=1.0)
    product_scope: ProductScope
    partner_scope: PartnerScope
    legal_effective: _dt.date
    ends: _dt.date | None = None
    announced: _dt.date | None = None
    signed: _dt.date | None = None
    published: _dt.date | None = None
    implemented: _dt.date | None = None
    in_effect: bool = True
    status: Literal["official", "reported", "assumption"] = "official"
    note: str | None = None
    priority: int = 0
    cite: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "TariffMeasure":
        needs_rate = self.kind in ("additive", "floor", "cap")
        if needs_rate and self.rate is None:
            raise ValueError(f"a '{self.kind}' measure needs a 'rate' (a fraction such as 0.15)")
        if not needs_rate and self.rate is not None:
            raise ValueError(f"a '{self.kind}' measure takes no 'rate'")
        if self.kind == "schedule" and self.authority != "mfn":
            raise ValueError("kind 'schedule' belongs to authority 'mfn'")
        if self.kind == "preference" and (self.authority != "fta" or not self.fta_program):
            raise ValueError("kind 'preference' belongs to authority 'fta' and needs 'fta_program'")
        if self.kind != "preference" and self.fta_program:
            raise ValueError("only 'preference' measures take 'fta_program'")
        if self.kind in BASE_KINDS and self.program is None and self.authority in ("s232", "ieepa_fent"):
            raise ValueError(f"a {self.authority} measure needs a 'program' (e.g. autos, steel, chn)")
        if self.ends is not None and self.ends <= self.legal_effective:
            raise ValueError("'ends' must be after 'legal_effective' (the interval is [legal_effective, ends))")
        if self.status == "assumption" and not self.note:
            raise ValueError("a measure with status 'assumption' needs a 'note' giving the rationale")
        return self

    @property
    def interval(self) -> Interval:
        return Interval(self.legal_effective, self.ends)

    @property
    def slot(self) -> tuple[str, str]:
        return (self.authority, self.program or "general")

    def active(self, on: _dt.date) -> bool:
        return self.interval.contains(on)

    def rank(self) -> tuple[int, int, int, _dt.date]:
        return (self.priority, self.partner_scope.specificity, self.product_scope.specificity,
                self.legal_effective)


class _MeasureFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1)
    measures: list[dict[str, Any]] = Field(min_length=1)


class _SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    sources: dict[str, Reference]


class _RegimeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1)
    enable: list[str] = []
    disable: list[str] = []
    overrides: dict[str, dict[str, Any]] = {}
    default: bool = False


class _SystemFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    coverage: dict[str, _dt.date]
    coverage_note: str
    regimes: dict[str, _RegimeSpec]


@dataclass(frozen=True)
class Regime:
    """A named set of measures: the default set with named ones disabled, enabled or overridden."""

    name: str
    description: str
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasureSet:
    """Validated measures with their references and where each was written."""

    measures: tuple[TariffMeasure, ...]
    sources: Mapping[str, Reference]
    where: Mapping[str, Location]
    regime: str = "enacted"

    def __iter__(self):
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    def get(self, measure_id: str) -> TariffMeasure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise with_value("unknown measure", location=Location(field="measure"), value=measure_id,
                         expected="a measure id" + did_you_mean(measure_id, (m.id for m in self.measures)),
                         cls=TariffError)

    def references(self, m: TariffMeasure) -> tuple[Reference, ...]:
        return tuple(self.sources[k] for k in m.cite)

    def active(self, on: _dt.date) -> list[TariffMeasure]:
        return [m for m in self.measures if m.in_effect and m.active(on)]

    def breakpoints(self) -> list[_dt.date]:
        """Every date on which some measure in force starts or ends (one clock)."""
        out: set[_dt.date] = set()
        for m in self.measures:
            if m.in_effect:
                out.add(m.legal_effective)
                if m.ends is not None:
                    out.add(m.ends)
        return sorted(out)

    def with_regime(self, regime: Regime) -> "MeasureSet":
        """Apply a regime atomically: every id is checked before anything changes."""
        ids = {m.id for m in self.measures}
        for what, names in (("enable", regime.enable), ("disable", regime.disable),
                            ("overrides", tuple(regime.overrides))):
            for name in names:
                if name not in ids:
                    raise with_value(f"regime '{regime.name}' names an unknown measure",
                                     location=Location(field=f"regimes.{regime.name}.{what}"),
                                     value=name, expected="an id defined under _measures/",
                                     cls=TariffError)
        out = []
        for m in self.measures:
            if m.id in regime.enable:
                m = m.model_copy(update={"in_effect": True})
            if m.id in regime.disable:
                m = m.model_copy(update={"in_effect": False})
            if m.id in regime.overrides:
                data = m.model_dump()
                data.update(regime.overrides[m.id])
                try:
                    m = TariffMeasure.model_validate(data)
                except ValidationError as exc:
                    raise validation_error(exc, LineDict(data), f"regime {regime.name}", TariffError,
                                           prefix=("overrides", m.id)) from None
            out.append(m)
        return replace(self, measures=tuple(out), regime=regime.name)


@dataclass(frozen=True)
class TariffSystem:
    """Measures, regimes and code tables: everything the engine needs except the schedule."""

    measures: MeasureSet
    regimes: Mapping[str, Regime]
    default_regime: str
    coverage: Interval
    coverage_note: str
    groups: HSGroups
    partners: PartnerTable

    def regime(self, name: str | None = None) -> MeasureSet:
        key = name or self.default_regime
        if key not in self.regimes:
            raise with_value("unknown tariff regime", location=Location(field="regime"), value=key,
                             expected="one of " + ", ".join(sorted(self.regimes)), cls=TariffError)
        return self.measures.with_regime(self.regimes[key])

    def custom_regime(self, name: str, *, base: str | None = None, enable: Iterable[str] = (),
                      disable: Iterable[str] = (),
                      overrides: Mapping[str, Mapping[str, Any]] | None = None) -> MeasureSet:
        """A regime built in code (same rules as ``_system.yaml``), on top of ``base``."""
        b = self.regimes[base or self.default_regime]
        r = Regime(name, f"custom regime on top of {b.name}", tuple(b.enable) + tuple(enable),
                   tuple(b.disable) + tuple(disable), {**b.overrides, **(overrides or {})})
        return self.measures.with_regime(r)




def affected_partners(a: MeasureSet, b: MeasureSet, partners: PartnerTable,
                      universe: Iterable[str]) -> set[str]:
    """Partners of ``universe`` whose rates can differ between two measure sets:
    those in the partner scope of a measure that is in force in one and not the
    other, or defined differently. Elsewhere both sets give the same rates, so
    comparisons (relief, revenue forgone) need only these partners."""
    from .scope import partner_mask
    import numpy as np
    by_a = {m.id: m for m in a}
    by_b = {m.id: m for m in b}
    changed = []
    for mid in set(by_a) | set(by_b):
        ma, mb = by_a.get(mid), by_b.get(mid)
        if ma is None or mb is None or ma != mb:
            for m in (ma, mb):
                if m is not None and m.in_effect:
                    changed.append(m)
    codes = np.asarray(sorted(set(universe)), dtype=str)
    out: set[str] = set()
    for m in changed:
        out |= set(codes[partner_mask(m.partner_scope, codes, partners)].tolist())
    return out
