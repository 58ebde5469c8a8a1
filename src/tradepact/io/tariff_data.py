"""Loaders of the tariff files shipped in ``policy/`` (measures, regimes, code
tables, the column-1 schedule, the trade table). The tariff engine itself
reads no file: these build its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import polars as pl
from pydantic import ValidationError

from ..core.dates import Interval
from ..core.errors import InputFileError, Location, ParameterError, with_value
from ..core.references import Reference
from ..core.yamlio import LineList, load_yaml_file, validation_error
from ..tariffs.measures import (
    MeasureSet, Regime, TariffMeasure, TariffSystem, _MeasureFile, _SourcesFile, _SystemFile,
)
from ..tariffs.scope import HSGroups, ListEntry
from .codes import CODES_ROOT, PartnerTable, load_partner_table, read_code_csv
from .frame import ImportFrame
from .hts import Column1Schedule

POLICY = Path(__file__).resolve().parent.parent / "policy"
TARIFF_ROOT = POLICY / "us" / "tariffs"
MEASURES_ROOT = TARIFF_ROOT / "_measures"
EXCERPT = POLICY / "codes" / "hts_col1_excerpt.csv"
TRADE_ROOT = POLICY / "trade"
TRADE_TABLE = TRADE_ROOT / "us_imports_2024_by_sector.csv"


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
                    {k: tuple(v) for k, v in sec.items()}, labels, str(gfile), _product_lists())


def _product_lists() -> dict[str, tuple[ListEntry, ...]]:
    """The product lists of the shipped data, if built (``make data``)."""
    path = Path(__file__).resolve().parent.parent / "data" / "product_lists.parquet"
    if not path.is_file():
        return {}
    try:
        df = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputFileError(f"cannot be read ({exc.__class__.__name__})", location=Location(str(path)),
                             expected="the product lists built by make data") from None
    out: dict[str, list[ListEntry]] = {}
    cols = [c for c in ("list", "hts_prefix", "share", "valid_from", "valid_until") if c in df.columns]
    for row in df.select(cols).iter_rows(named=True):
        share = row.get("share")
        out.setdefault(row["list"], []).append(ListEntry(
            row["hts_prefix"], 1.0 if share is None else float(share), row.get("valid_from"), row.get("valid_until")))
    return {k: tuple(v) for k, v in out.items()}


def _load_sources(path: Path) -> dict[str, Reference]:
    data = load_yaml_file(path)
    try:
        spec = _SourcesFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, str(path), ParameterError) from None
    return dict(spec.sources)


def _check_measure(m: TariffMeasure, loc: Location, groups: HSGroups, partners: PartnerTable,
                   sources: Mapping[str, Reference]) -> None:
    for g in m.product_scope.groups + m.product_scope.except_groups:
        groups.check(g, loc)
    for c in m.partner_scope.include + m.partner_scope.exclude:
        partners.check(c, where=loc)
    for g in m.partner_scope.groups + m.partner_scope.except_groups:
        partners.group(g, where=loc)
    for key in m.cite:
        if key not in sources:
            raise with_value("unknown source key in 'cite'", location=loc, value=key,
                             expected="a key of _measures/_sources.yaml", cls=ParameterError)


def load_measures(root: Path = MEASURES_ROOT, *, groups: HSGroups | None = None,
                  partners: PartnerTable | None = None) -> MeasureSet:
    """Read every measure file under ``root`` strictly (located errors)."""
    groups = groups or load_hs_groups()
    partners = partners or load_partner_table()
    sources = _load_sources(root / "_sources.yaml")
    measures: list[TariffMeasure] = []
    where: dict[str, Location] = {}
    for path in sorted(root.rglob("*.yaml")):
        if path.name.startswith("_") or path.name == "index.yaml":
            continue
        src = str(path)
        data = load_yaml_file(path)
        try:
            spec = _MeasureFile.model_validate(data)
        except ValidationError as exc:
            raise validation_error(exc, data, src, ParameterError) from None
        items: LineList = data["measures"]
        for i in range(len(spec.measures)):
            raw = items[i]
            line = items.lines[i] if i < len(items.lines) else None
            try:
                m = TariffMeasure.model_validate(raw)
            except ValidationError as exc:
                raise validation_error(exc, raw, src, ParameterError,
                                       prefix=("measures", i)) from None
            loc = Location(src, line, f"measures[{i}] ({m.id})")
            if m.id in where:
                raise with_value("duplicate measure id", location=loc, value=m.id,
                                 expected=f"a unique id (first defined at {where[m.id]})",
                                 cls=ParameterError)
            _check_measure(m, loc, groups, partners, sources)
            measures.append(m)
            where[m.id] = loc
    if not measures:
        raise ParameterError("no tariff measure found", location=Location(str(root)),
                             expected="YAML files with a 'measures' list")
    return MeasureSet(tuple(measures), sources, where)


def load_tariff_system(root: Path = TARIFF_ROOT) -> TariffSystem:
    """Measures, regimes and coverage shipped with the package (or under ``root``)."""
    groups = load_hs_groups()
    partners = load_partner_table()
    measures = load_measures(root / "_measures", groups=groups, partners=partners)
    sys_path = root / "_measures" / "_system.yaml"
    data = load_yaml_file(sys_path)
    try:
        spec = _SystemFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, data, str(sys_path), ParameterError) from None
    try:
        coverage = Interval(spec.coverage["start"], spec.coverage["stop"])
    except (KeyError, ValueError) as exc:
        raise ParameterError(f"coverage needs 'start' and 'stop' ({exc})",
                             location=Location(str(sys_path), None, "coverage")) from None
    regimes = {name: Regime(name, r.description, tuple(r.enable), tuple(r.disable), r.overrides)
               for name, r in spec.regimes.items()}
    defaults = [n for n, r in spec.regimes.items() if r.default]
    if len(defaults) != 1:
        raise with_value("exactly one regime must be the default", location=Location(str(sys_path), None,
                         "regimes"), value=defaults, expected="one regime with 'default: true'",
                         cls=ParameterError)
    for r in regimes.values():  # validate every regime now, not at first use
        measures.with_regime(r)
    return TariffSystem(measures, regimes, defaults[0], coverage, spec.coverage_note, groups, partners)


_SYSTEM: TariffSystem | None = None


def default_tariff_system() -> TariffSystem:
    """The shipped measures and regimes (loaded once)."""
    global _SYSTEM
    if _SYSTEM is None:
        _SYSTEM = load_tariff_system()
    return _SYSTEM


def default_schedule() -> Column1Schedule:
    """The small cited HTS excerpt shipped with the package (representative lines)."""
    return Column1Schedule.from_excerpt_csv(EXCERPT)


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


