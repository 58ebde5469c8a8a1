"""Loaders for the shipped trade data (these read package files; the engines do not).

* :func:`load_trade_table` — US imports in 2024 from KOR, JPN, the EU (``EUN``),
  MEX and CHN by sector group, each cell with its status (reported, derived,
  not_found) and source, as an :class:`~tradepact.io.ImportFrame` whose
  products are the representative HTS lines listed in the table.
* :func:`load_elasticities` — cited response parameters (CSV, because the
  core units have no "elasticity" unit yet).
* :func:`load_firm_parameters` — the automakers' shares and disclosed costs
  (dated parameters under ``policy/trade/firms``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..core.errors import InputFileError, Location, with_value
from ..core.parameters import ParameterNode, ParameterReader, load_parameters
from ..core.references import Reference
from ..io.codes import read_code_csv
from ..io.frame import ImportFrame

TRADE_ROOT = Path(__file__).resolve().parent.parent / "policy" / "trade"
TRADE_TABLE = TRADE_ROOT / "us_imports_2024_by_sector.csv"
STATUSES = ("reported", "derived", "assumption", "not_found")


@dataclass(frozen=True)
class TradeTable:
    """The shipped sector table: flows, per-cell status and the references behind them."""

    imports: ImportFrame
    cells: pl.DataFrame            # partner, sector, product, customs_value_usd_bn, status, source, note
    sources: dict[str, Reference]
    year: int

    def reference(self, partner: str, sector: str) -> Reference:
        row = self.cells.filter((pl.col("partner") == partner) & (pl.col("sector") == sector))
        return self.sources[row["source"][0]]


def _references(path: Path) -> dict[str, Reference]:
    df = read_code_csv(path, ("source", "title", "href", "publisher", "date", "accessed", "pinpoint", "kind"))
    out: dict[str, Reference] = {}
    for i, row in enumerate(df.iter_rows(named=True)):
        try:
            out[row["source"]] = Reference(
                title=row["title"], href=row["href"], publisher=row["publisher"],
                date=row["date"] or None, accessed=row["accessed"] or None,
                pinpoint=row["pinpoint"], kind=row["kind"])
        except ValueError as exc:
            raise with_value(f"invalid reference ({str(exc).splitlines()[0]})",
                             location=Location(str(path), i + 2, "source"), value=row["source"],
                             expected="title, href, publisher, date or accessed, pinpoint",
                             cls=InputFileError) from None
    return out


def load_trade_table(path: Path = TRADE_TABLE, *, year: int = 2024) -> TradeTable:
    """The shipped 2024 US-imports table (values converted to US dollars)."""
    cells = read_code_csv(path, ("partner", "sector", "product", "customs_value_usd_bn", "status",
                                 "source", "note"))
    sources = _references(path.parent / "trade_sources.csv")
    bad = cells.filter(~pl.col("status").is_in(list(STATUSES)))
    if bad.height:
        raise with_value("unknown status", location=Location(str(path), None, "status"),
                         value=bad["status"][0], expected="one of " + ", ".join(STATUSES),
                         cls=InputFileError)
    bad = cells.filter(~pl.col("source").is_in(list(sources)))
    if bad.height:
        raise with_value("unknown source key", location=Location(str(path), None, "source"),
                         value=bad["source"][0], expected="a key of trade_sources.csv",
                         cls=InputFileError)
    cells = cells.with_columns(pl.col("customs_value_usd_bn").cast(pl.Float64))
    flows = cells.select(
        "product", "partner", pl.lit(year).alias("period"),
        (pl.col("customs_value_usd_bn") * 1e9).alias("customs_value"))
    return TradeTable(ImportFrame.from_polars(flows, source=str(path)), cells, sources, year)


@dataclass(frozen=True)
class Elasticity:
    name: str
    value: float
    low: float
    high: float
    status: str
    note: str
    reference: Reference


def load_elasticities(path: Path = TRADE_ROOT / "elasticities.csv") -> dict[str, Elasticity]:
    df = read_code_csv(path, ("name", "value", "low", "high", "status", "note", "title", "href",
                              "publisher", "date", "accessed", "pinpoint", "kind"))
    out = {}
    for i, r in enumerate(df.iter_rows(named=True)):
        try:
            ref = Reference(title=r["title"], href=r["href"], publisher=r["publisher"],
                            date=r["date"] or None, accessed=r["accessed"] or None,
                            pinpoint=r["pinpoint"], kind=r["kind"])
            v, lo, hi = float(r["value"]), float(r["low"]), float(r["high"])
        except ValueError as exc:
            raise with_value(f"invalid row ({str(exc).splitlines()[0]})",
                             location=Location(str(path), i + 2, "name"), value=r["name"],
                             expected="numbers for value/low/high and a complete reference",
                             cls=InputFileError) from None
        if not lo <= v <= hi:
            raise with_value("value is outside its range", location=Location(str(path), i + 2, "value"),
                             value=v, expected=f"a value from {lo} to {hi}", cls=InputFileError)
        out[r["name"]] = Elasticity(r["name"], v, lo, hi, r["status"], r["note"], ref)
    return out


def load_firm_parameters(root: Path = TRADE_ROOT / "firms") -> ParameterNode:
    """Dated parameters for Hyundai and Kia (shares, disclosed costs)."""
    return load_parameters(root, prefix=FIRMS_PATH)


FIRMS_PATH = "trade.firms"
_FIRM_SHARE = re.compile(r"^([a-z0-9]+)_car_export_share$")
_FIRM_COST = re.compile(r"^([a-z0-9]+)_tariff_cost_(\d{4})_usd_bn$")


def firm_inputs(reader: ParameterReader) -> tuple[dict[str, float], dict[str, tuple[int, float]]]:
    """The automakers' shares of the investor's car exports, read on the
    reader's date, and the tariff costs they disclosed (``{firm: (year, USD
    bn)}``), read on the date of the latest disclosure: a firm reports a
    year's cost after the year, and the figure is a comparison, not an input.

    Firms are found by parameter name under ``trade.firms``:
    ``<firm>_car_export_share`` and ``<firm>_tariff_cost_<year>_usd_bn``.
    """
    shares: dict[str, float] = {}
    costs: dict[str, tuple[int, float]] = {}
    for param in reader.tree.get(FIRMS_PATH).walk():
        leaf = param.path.rsplit(".", 1)[-1]
        if m := _FIRM_SHARE.match(leaf):
            shares[m.group(1)] = reader.number(param.path)
        elif m := _FIRM_COST.match(leaf):
            costs[m.group(1)] = (int(m.group(2)), reader.number(param.path, on=param.values[-1].start))
    return shares, costs
