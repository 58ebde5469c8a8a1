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

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, field_validator

from ..core.errors import InputFileError, Location, did_you_mean, with_value
from ..io.codes import CODES_ROOT, PartnerTable, read_code_csv

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
class HSGroups:
    """Named HS-prefix groups (and sectors) read from the code tables."""

    prefixes: dict[str, tuple[str, ...]]
    descriptions: dict[str, tuple[str, str]]      # group -> (basis, description)
    sectors: dict[str, tuple[str, ...]]
    sector_labels: dict[str, str]
    source: str

    def check(self, name: str, where: Location) -> None:
        if name not in self.prefixes:
            raise with_value("unknown product group", location=where, value=name,
                             expected="a group defined in policy/codes/hs_groups.csv"
                                      + did_you_mean(name, self.prefixes), cls=InputFileError)

    def mask(self, group: str, codes: np.ndarray) -> np.ndarray:
        """Boolean mask over distinct product codes: code starts with a group prefix."""
        out = np.zeros(len(codes), dtype=bool)
        for prefix in self.prefixes[group]:
            out |= np.char.startswith(codes, prefix)
        return out

    def scope_mask(self, scope: ProductScope, codes: np.ndarray) -> np.ndarray:
        m = np.ones(len(codes), dtype=bool) if scope.all else np.zeros(len(codes), dtype=bool)
        for g in scope.groups:
            m |= self.mask(g, codes)
        for g in scope.except_groups:
            m &= ~self.mask(g, codes)
        return m

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
            for p in self.prefixes[g]:
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


@lru_cache(maxsize=4)
def load_hs_groups(root: Path = CODES_ROOT) -> HSGroups:
    """Read ``hs_groups.csv``, ``hs_group_defs.csv`` and ``sectors.csv`` strictly."""
    gfile = root / "hs_groups.csv"
    groups = read_code_csv(gfile, ("group", "hs_prefix"))
    defs = read_code_csv(root / "hs_group_defs.csv", ("group", "basis", "description"))
    sectors = read_code_csv(root / "sectors.csv", ("sector", "hs_prefix", "label"))
    for df, path in ((groups, gfile), (sectors, root / "sectors.csv")):
        bad = df.filter(~pl.col("hs_prefix").str.contains(r"^\d{2}(\d{2}){0,4}$"))
        if bad.height:
            raise with_value("malformed HS prefix", location=Location(str(path), None, "hs_prefix"),
                             value=bad["hs_prefix"][0], expected="2, 4, 6, 8 or 10 digits",
                             cls=InputFileError)
    prefixes: dict[str, list[str]] = {}
    for g, p in zip(groups["group"].to_list(), groups["hs_prefix"].to_list()):
        prefixes.setdefault(g, []).append(p)
    desc = {g: (b, d) for g, b, d in zip(defs["group"].to_list(), defs["basis"].to_list(),
                                          defs["description"].to_list())}
    undefined = sorted(set(prefixes) - set(desc))
    unused = sorted(set(desc) - set(prefixes))
    if undefined or unused:
        raise with_value("hs_groups.csv and hs_group_defs.csv disagree",
                         location=Location(str(root / "hs_group_defs.csv"), None, "group"),
                         value=(undefined or unused)[0],
                         expected="every group listed in both files", cls=InputFileError)
    sec: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for s, p, lab in zip(sectors["sector"].to_list(), sectors["hs_prefix"].to_list(),
                         sectors["label"].to_list()):
        sec.setdefault(s, []).append(p)
        labels[s] = lab
    labels.setdefault("other", "All other goods")
    return HSGroups({k: tuple(v) for k, v in prefixes.items()}, desc,
                    {k: tuple(v) for k, v in sec.items()}, labels, str(gfile))


SECTORS_ORDER = ("cars", "car_parts", "steel", "machinery", "semiconductors", "batteries",
                 "pharmaceuticals", "ships", "petroleum_products", "other")

__all__ = ["ProductScope", "PartnerScope", "HSGroups", "partner_mask", "load_hs_groups",
           "SECTORS_ORDER", "ISO3"]
