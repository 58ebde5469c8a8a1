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


@dataclass(frozen=True, eq=False)
class ProductList:
    """A shipped product list: one HS prefix per row, each with the share of the
    trade under it that the list covers and its membership window
    ``[valid_from, valid_until)`` (``NaT``: open)."""

    prefixes: np.ndarray                  # str
    shares: np.ndarray                    # float
    valid_from: np.ndarray                # datetime64[D], NaT = always
    valid_until: np.ndarray               # datetime64[D], NaT = open

    @classmethod
    def of(cls, prefixes: Sequence[str]) -> "ProductList":
        n = len(prefixes)
        nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        return cls(np.asarray(list(prefixes), dtype=str), np.ones(n), nat, nat.copy())

    def live(self, on: _dt.date | None) -> tuple[np.ndarray, np.ndarray]:
        """(prefixes, shares) in force on ``on`` (all if None)."""
        if on is None:
            return self.prefixes, self.shares
        d = np.datetime64(on, "D")
        ok = (np.isnat(self.valid_from) | (self.valid_from <= d)) & (np.isnat(self.valid_until) | (d < self.valid_until))
        return self.prefixes[ok], self.shares[ok]


@dataclass(frozen=True)
class HSGroups:
    """Named HS-prefix groups: small hand groups from ``policy/codes`` and the
    product lists of the shipped data (``data/product_lists.parquet``), one
    namespace. A list entry may hold only over a window ``[valid_from,
    valid_until)`` and cover a ``share`` of the trade under its prefix (e.g. the
    qualifying share of a semiconductor line)."""

    prefixes: dict[str, tuple[str, ...]]
    descriptions: dict[str, tuple[str, str]]      # group -> (basis, description)
    sectors: dict[str, tuple[str, ...]]           # sector -> NAICS prefixes
    sector_labels: dict[str, str]
    source: str
    lists: dict[str, ProductList] = field(default_factory=dict)
    sector_codes: dict[str, str] = field(default_factory=dict)   # HTS10 -> sector

    def check(self, name: str, where: Location) -> None:
        if name not in self.prefixes and name not in self.lists:
            raise with_value("unknown product group", location=where, value=name,
                             expected="a group of policy/codes/hs_groups.csv or a product list of the shipped "
                                      "data (data/LISTS.md)"
                                      + did_you_mean(name, list(self.prefixes) + list(self.lists)),
                             cls=InputFileError)

    def change_dates(self, group: str) -> set[_dt.date]:
        """Dates on which a product list gains or loses a line."""
        lst = self.lists.get(group)
        if lst is None:
            return set()
        cache = self.__dict__.setdefault("_change_cache", {})
        if group not in cache:
            d = np.concatenate([lst.valid_from[~np.isnat(lst.valid_from)], lst.valid_until[~np.isnat(lst.valid_until)]])
            cache[group] = {x.astype(object) for x in np.unique(d)}
        return cache[group]

    def _window(self, group: str, on: _dt.date | None) -> int:
        """Which stretch between the list's change dates ``on`` falls in (a cache key)."""
        if on is None:
            return -1
        return sum(1 for c in self.change_dates(group) if c <= on)

    def entries(self, group: str, on: _dt.date | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The group's (prefixes, shares) in force on ``on`` (all if ``on`` is None)."""
        lst = self.lists.get(group)
        if lst is None:
            lst = ProductList.of(self.prefixes[group])
        return lst.live(on)

    def shares(self, group: str, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        """Share of each code's trade the group covers (0 where no prefix matches;
        the largest share where several do). Prefixes are matched length by length:
        truncating every code to L characters turns a prefix test into a sorted lookup."""
        codes = np.asarray(codes, dtype=str)
        out = np.zeros(len(codes))
        prefixes, shares = self.entries(group, on)
        if len(prefixes) == 0 or len(codes) == 0:
            return out
        lengths = np.char.str_len(prefixes)
        code_len = np.char.str_len(codes)
        for length in np.unique(lengths):
            sel = lengths == length
            keys, vals = prefixes[sel], shares[sel]
            order = np.lexsort((-vals, keys))          # the largest share first among equal prefixes
            keys, vals = keys[order].astype(f"<U{length}"), vals[order]
            cut = codes.astype(f"<U{length}")
            pos = np.minimum(np.searchsorted(keys, cut), len(keys) - 1)
            hit = (keys[pos] == cut) & (code_len >= length)
            out = np.where(hit, np.maximum(out, vals[pos]), out)
        return out

    def mask(self, group: str, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        """Boolean mask over distinct product codes: code starts with a group prefix."""
        return self.shares(group, codes, on) > 0

    def scope_shares(self, scope: ProductScope, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        """Share of each code's trade a product scope covers (1 for ``all``); cached
        per scope, set of codes and stretch of the lists' membership windows."""
        codes = np.asarray(codes, dtype=str)
        key = (scope, len(codes), hash(codes.tobytes()),
               tuple(self._window(g, on) for g in scope.groups + scope.except_groups))
        cache = self.__dict__.setdefault("_shares_cache", {})
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[key] = self._scope_shares(scope, codes, on)
        return cache[key]

    def _scope_shares(self, scope: ProductScope, codes: np.ndarray, on: _dt.date | None) -> np.ndarray:
        m = np.ones(len(codes)) if scope.all else np.zeros(len(codes))
        for g in scope.groups:
            m = np.maximum(m, self.shares(g, codes, on))
        for g in scope.except_groups:
            m = m * (1.0 - self.shares(g, codes, on))
        return m

    def scope_mask(self, scope: ProductScope, codes: np.ndarray, on: _dt.date | None = None) -> np.ndarray:
        return self.scope_shares(scope, codes, on) > 0

    def sector_of(self, codes: Sequence[str]) -> np.ndarray:
        """Sector of each code from the published HS → NAICS concordance grouped by
        ``policy/codes/sectors.csv``; a code shorter than HTS10 takes the sector of
        the lines under it when they agree, else ``other``; unknown codes ``other``."""
        arr = [str(c) for c in codes]
        out = np.full(len(arr), "other", dtype=object)
        for i, c in enumerate(arr):
            sec = self.sector_codes.get(c)
            if sec is None and len(c) < 10:
                under = {v for k, v in self.sector_codes.items() if k.startswith(c)}
                sec = under.pop() if len(under) == 1 else None
            if sec is not None:
                out[i] = sec
        return out

    def partial_overlaps(self, codes: Sequence[str], groups: Sequence[str]) -> list[tuple[str, str]]:
        """(code, group) pairs where the code is shorter than a prefix that starts with it
        (coarse data only partly covered by a group; HTS10 codes never are)."""
        short = sorted({c for c in codes if len(c) < 10})
        if not short:
            return []
        found = set()
        for g in set(groups):
            prefixes = self.entries(g)[0].tolist()
            for c in short:
                if any(len(c) < len(p) and p.startswith(c) for p in prefixes):
                    found.add((c, g))
        return sorted(found)


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

__all__ = ["ProductScope", "PartnerScope", "HSGroups", "ProductList", "partner_mask",
           "SECTORS_ORDER", "ISO3"]
