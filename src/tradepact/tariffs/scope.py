"""Product and partner scopes: named HS-prefix groups and ISO partner sets → boolean masks.

Product groups live in ``policy/codes/hs_groups.csv`` (``group, hs_prefix``)
with one line per group in ``hs_group_defs.csv`` (``group, basis,
description``); sectors for reporting in ``sectors.csv``. A product code
*matches* a group when it starts with one of the group's prefixes. A code
shorter than a prefix that starts with it (HS6 ``850760`` against the HS10
prefix ``8507600010``) is only *partly* covered: it does not match, and
:func:`partial_overlaps` reports such cases so that coarse data never
silently claims or drops coverage.

Masks are computed once per distinct code (a few thousand at most), never
per row.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator

from ..core.errors import InputFileError, Location, did_you_mean, with_value
from ..io.codes import PartnerTable

ISO3 = r"^[A-Z]{3}$"


class ProductScope(BaseModel):
    """Which products a measure covers: ``all`` or named groups, minus ``except_groups``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    all: bool = False
    groups: tuple[str, ...] = ()
    except_groups: tuple[str, ...] = ()

    @field_validator("groups", "except_groups", mode="before")
    @classmethod
    def _tuple(cls, v: object) -> object:
        return tuple(v) if isinstance(v, list) else v

    def model_post_init(self, _ctx: object) -> None:
        if self.all == bool(self.groups):
            raise ValueError("give either 'all: true' or a list of 'groups', not both or neither")

    @property
    def specificity(self) -> int:
        return 1 if self.all else 2


class PartnerScope(BaseModel):
    """Which partners a measure covers: ``all``, named ``groups`` and/or ISO ``include`` codes,
    minus ``exclude`` codes and ``except_groups``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    all: bool = False
    include: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    except_groups: tuple[str, ...] = ()

    @field_validator("include", "groups", "exclude", "except_groups", mode="before")
    @classmethod
    def _tuple(cls, v: object) -> object:
        return tuple(v) if isinstance(v, list) else v

    def model_post_init(self, _ctx: object) -> None:
        if self.all and (self.include or self.groups):
            raise ValueError("'all: true' cannot be combined with 'include' or 'groups'")
        if not (self.all or self.include or self.groups):
            raise ValueError("give 'all: true', 'groups' or 'include'")

    @property
    def specificity(self) -> int:
        """3 for named countries, 2 for groups, 1 for everyone: the more specific wins."""
        return 3 if self.include else 2 if self.groups else 1


@dataclass(frozen=True)
class ListEntry:
    """One prefix of a shipped product list, with its membership window and share."""

    prefix: str
    share: float = 1.0
    valid_from: _dt.date | None = None
    valid_until: _dt.date | None = None


@dataclass(frozen=True)
class HSGroups:
    """Named HS-prefix groups: small hand groups from ``policy/codes`` and the
    product lists of the shipped data (``data/product_lists.parquet``), one
    namespace. A list entry may hold only over a window ``[valid_from,
    valid_until)`` and cover a ``share`` of the trade under its prefix (e.g. the
    qualifying share of a semiconductor line)."""

    prefixes: dict[str, tuple[str, ...]]
    descriptions: dict[str, tuple[str, str]]      # group -> (basis, description)
    sectors: dict[str, tuple[str, ...]]
    sector_labels: dict[str, str]
    source: str
    lists: dict[str, tuple[ListEntry, ...]] = field(default_factory=dict)

    def check(self, name: str, where: Location) -> None:
        if name not in self.prefixes and name not in self.lists:
            raise with_value("unknown product group", location=where, value=name,
                             expected="a group of policy/codes/hs_groups.csv or a product list of the shipped "
                                      "data (data/LISTS.md)"
                                      + did_you_mean(name, list(self.prefixes) + list(self.lists)),
                             cls=InputFileError)

    def entries(self, group: str, on: _dt.date | None = None) -> tuple[ListEntry, ...]:
        """The group's prefixes in force on ``on`` (all if ``on`` is None)."""
        if group in self.lists:
            return tuple(e for e in self.lists[group] if on is None or (
                (e.valid_from is None or e.valid_from <= on) and (e.valid_until is None or on < e.valid_until)))
        return tuple(ListEntry(p) for p in self.prefixes[group])

    def shares(self, group: str, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        """Share of each code's trade the group covers (0 where no prefix matches;
        the largest share where several do). Prefixes are matched length by length:
        truncating every code to L characters turns a prefix test into set membership."""
        out = np.zeros(len(codes))
        by_len: dict[int, dict[str, float]] = {}
        for e in self.entries(group, on):
            d = by_len.setdefault(len(e.prefix), {})
            d[e.prefix] = max(d.get(e.prefix, 0.0), e.share)
        codes = np.asarray(codes, dtype=str)
        for length, table in by_len.items():
            keys = np.array(sorted(table), dtype=f"<U{length}")
            vals = np.array([table[k] for k in keys.tolist()])
            cut = codes.astype(f"<U{length}")
            pos = np.searchsorted(keys, cut)
            pos = np.minimum(pos, len(keys) - 1)
            hit = (keys[pos] == cut) & (np.char.str_len(codes) >= length)
            out = np.where(hit, np.maximum(out, vals[pos]), out)
        return out

    def mask(self, group: str, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        """Boolean mask over distinct product codes: code starts with a group prefix."""
        return self.shares(group, codes, on) > 0

    def scope_shares(self, scope: ProductScope, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        """Share of each code's trade a product scope covers (1 for ``all``)."""
        m = np.ones(len(codes)) if scope.all else np.zeros(len(codes))
        for g in scope.groups:
            m = np.maximum(m, self.shares(g, codes, on))
        for g in scope.except_groups:
            m = m * (1.0 - self.shares(g, codes, on))
        return m

    def scope_mask(self, scope: ProductScope, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        return self.scope_shares(scope, codes, on) > 0

    def sector_of(self, codes: Sequence[str]) -> np.ndarray:
        """Sector of each code by longest matching prefix (``other`` when none)."""
        arr = np.asarray(list(codes), dtype=str)
        best_len = np.zeros(len(arr), dtype=np.int64)
        out = np.full(len(arr), "other", dtype=object)
        for sector, prefixes in self.sectors.items():
            for p in prefixes:
                hit = np.char.startswith(arr, p) & (len(p) > best_len)
                out[hit] = sector
                best_len[hit] = len(p)
        return out

    def partial_overlaps(self, codes: Sequence[str], groups: Sequence[str]) -> list[tuple[str, str]]:
        """(code, group) pairs where the code is shorter than a prefix that starts with it."""
        found = []
        for g in groups:
            for p in (e.prefix for e in self.entries(g)):
                for c in codes:
                    if len(c) < len(p) and p.startswith(c):
                        found.append((c, g))
        return sorted(set(found))


def partner_mask(scope: PartnerScope, partners: np.ndarray, table: PartnerTable) -> np.ndarray:
    """Boolean mask over distinct partner codes."""
    where = Location(table.source)
    members: set[str] = set(scope.include)
    for g in scope.groups:
        members |= table.group(g, where=where)
    excluded: set[str] = set(scope.exclude)
    for g in scope.except_groups:
        excluded |= table.group(g, where=where)
    m = np.ones(len(partners), dtype=bool) if scope.all else np.isin(partners, sorted(members))
    if excluded:
        m &= ~np.isin(partners, sorted(excluded))
    return m


SECTORS_ORDER = ("cars", "car_parts", "steel", "machinery", "semiconductors", "batteries",
                 "pharmaceuticals", "ships", "petroleum_products", "other")

__all__ = ["ProductScope", "PartnerScope", "HSGroups", "ListEntry", "partner_mask",
           "SECTORS_ORDER", "ISO3"]
