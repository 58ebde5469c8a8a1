"""Code tables shipped as CSV under ``policy/codes/`` (never inline in YAML).

* ``partners.csv``: ISO 3166 alpha-3 code, name, US Census country code
  (where verified), kind (``country`` or ``aggregate``: ``EUN`` the EU-27,
  ``ROW`` rest of world, used by aggregate tables).
* ``partner_groups.csv``: named partner groups (``EU27``, ``USMCA``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from ..core.errors import InputFileError, Location, did_you_mean, with_value

CODES_ROOT = Path(__file__).resolve().parent.parent / "policy" / "codes"


def read_code_csv(path: Path, required: tuple[str, ...]) -> pl.DataFrame:
    """Read a code table as text, checking its columns."""
    try:
        df = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.ComputeError) as exc:
        raise InputFileError(f"cannot be read ({exc.__class__.__name__})",
                             location=Location(str(path))) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise with_value("column is missing", location=Location(str(path), 1, missing[0]),
                         value=df.columns, expected="columns " + ", ".join(required),
                         cls=InputFileError)
    return df.with_columns(pl.col(c).fill_null("") for c in df.columns)


@dataclass(frozen=True)
class PartnerTable:
    """ISO alpha-3 partners, their groups and US Census codes."""

    partners: pl.DataFrame           # iso3, name, census_code, kind
    groups: dict[str, frozenset[str]]
    source: str

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.partners["iso3"].to_list())

    def name(self, iso3: str) -> str:
        hit = self.partners.filter(pl.col("iso3") == iso3)
        return hit["name"][0] if hit.height else iso3

    def census_to_iso3(self) -> dict[str, str]:
        sub = self.partners.filter(pl.col("census_code") != "")
        return dict(zip(sub["census_code"].to_list(), sub["iso3"].to_list()))

    def check(self, code: str, *, where: Location) -> str:
        c = code.strip().upper()
        if c not in self.codes:
            raise with_value("unknown partner", location=where, value=code,
                             expected="an ISO 3166 alpha-3 code listed in policy/codes/partners.csv"
                                      + did_you_mean(c, self.codes), cls=InputFileError)
        return c

    def group(self, name: str, *, where: Location) -> frozenset[str]:
        if name not in self.groups:
            raise with_value("unknown partner group", location=where, value=name,
                             expected="one of " + ", ".join(sorted(self.groups)),
                             cls=InputFileError)
        return self.groups[name]


@lru_cache(maxsize=4)
def load_partner_table(root: Path = CODES_ROOT) -> PartnerTable:
    p = root / "partners.csv"
    partners = read_code_csv(p, ("iso3", "name", "census_code", "kind"))
    dup = partners.filter(pl.col("iso3").is_duplicated())
    if dup.height:
        raise with_value("duplicate partner code", location=Location(str(p), None, "iso3"),
                         value=dup["iso3"][0], expected="each code once", cls=InputFileError)
    g = read_code_csv(root / "partner_groups.csv", ("group", "iso3"))
    known = set(partners["iso3"].to_list())
    groups: dict[str, set[str]] = {}
    for grp, iso in zip(g["group"].to_list(), g["iso3"].to_list()):
        if iso not in known:
            raise with_value("group member is not a known partner",
                             location=Location(str(root / "partner_groups.csv"), None, "iso3"),
                             value=iso, expected="a code from partners.csv", cls=InputFileError)
        groups.setdefault(grp, set()).add(iso)
    return PartnerTable(partners, {k: frozenset(v) for k, v in groups.items()}, str(p))
