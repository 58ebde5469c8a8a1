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
from ..core.yamlfast import cached_build
from ..core.yamlfast import load_package_yaml as load_yaml_file
from ..core.yamlio import LineList, validation_error
from ..tariffs.measures import (
    MeasureSet, Regime, TariffMeasure, TariffSystem, _MeasureFile, _SourcesFile, _SystemFile,
)
from ..tariffs.scope import HSGroups, ProductList
from ..io.codes import CODES_ROOT, PartnerTable, load_partner_table, read_code_csv
from ..io.frame import ImportFrame
from ..io.hts import Column1Schedule

POLICY = Path(__file__).resolve().parent.parent / "policy"
TARIFF_ROOT = POLICY / "us" / "tariffs"
MEASURES_ROOT = TARIFF_ROOT / "_measures"


@lru_cache(maxsize=4)
def load_hs_groups(root: Path = CODES_ROOT) -> HSGroups:
    """Read ``hs_groups.csv``, ``hs_group_defs.csv`` and ``sectors.csv`` strictly."""
    gfile = root / "hs_groups.csv"
    groups = read_code_csv(gfile, ("group", "hs_prefix"))
    defs = read_code_csv(root / "hs_group_defs.csv", ("group", "basis", "description"))
    sectors = read_code_csv(root / "sectors.csv", ("sector", "naics_prefix", "label"))
    for df, path in ((groups, gfile),):
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
    for s, p, lab in zip(sectors["sector"].to_list(), sectors["naics_prefix"].to_list(),
                         sectors["label"].to_list()):
        sec.setdefault(s, []).append(p)
        labels[s] = lab
    labels.setdefault("other", "All other goods")
    sectors_t = {k: tuple(v) for k, v in sec.items()}
    return HSGroups({k: tuple(v) for k, v in prefixes.items()}, desc, sectors_t, labels, str(gfile),
                    _product_lists(), _sector_codes(sectors_t))


def _sector_codes(sectors: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """HTS10 -> sector through the shipped HS10 → NAICS concordance (longest NAICS prefix wins)."""
    from ..io.shipped import concordance
    conc = concordance().select("hs10", "naics6")
    out: dict[str, str] = {}
    for length in sorted({len(p) for ps in sectors.values() for p in ps}, reverse=True):
        rules = pl.DataFrame({"prefix": [p for ps in sectors.values() for p in ps if len(p) == length],
                              "sector": [s for s, ps in sectors.items() for p in ps if len(p) == length]})
        hit = conc.with_columns(pl.col("naics6").str.slice(0, length).alias("prefix")).join(rules, on="prefix")
        for code, sec in zip(hit["hs10"].to_list(), hit["sector"].to_list()):
            out.setdefault(code, sec)
    return out


def _product_lists() -> dict[str, ProductList]:
    """The product lists of the shipped data (``make data``), by name."""
    from ..io.shipped import product_lists
    df = product_lists()
    out = {}
    for (name,), part in df.partition_by("list", as_dict=True).items():
        out[name] = ProductList(part["hts_prefix"].to_numpy().astype(str),
                                part["share"].fill_null(1.0).to_numpy().astype(float),
                                part["valid_from"].to_numpy().astype("datetime64[D]"),
                                part["valid_until"].to_numpy().astype("datetime64[D]"))
    return out


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
    """The shipped measures and regimes (loaded once; kept in the disk cache by
    the package's content hash, see :func:`tradepact.core.yamlfast.cached_build`)."""
    global _SYSTEM
    if _SYSTEM is None:
        _SYSTEM = cached_build("tariff-system", load_tariff_system)
    return _SYSTEM


@lru_cache(maxsize=1)
def default_schedule() -> Column1Schedule:
    """The HTS column-1 schedule over time, from the shipped data (``make data``:
    the 2025 basic edition and the 2025-2026 revisions)."""
    from ..io.shipped import DATA_ROOT, hts_lines, hts_special
    return Column1Schedule.from_dated(hts_lines(), hts_special(), source=str(DATA_ROOT / "hts.parquet"))


#: The reference behind the shipped trade data (US Census imports for consumption).
CENSUS_2024 = Reference(
    title="U.S. imports for consumption by HS10 and country, 2024 (CON_VAL_YR, CAL_DUT_YR)",
    href="https://api.census.gov/data/timeseries/intltrade/imports/hs", publisher="US Census Bureau",
    date=None, accessed="2026-12-01", kind="data",
    pinpoint="time=2024-12 (year to date), COMM_LVL=HS10; 51 partners incl. the EU aggregate (0003); "
             "via tradewartracker/trade-war-redux-2025 (see data/manifest.json)")


@dataclass(frozen=True)
class TradeTable:
    """The shipped 2024 trade data: imports by HTS10 × partner, with partner totals for provenance."""

    imports: ImportFrame
    cells: pl.DataFrame            # partner, sector, customs_value_usd_bn, calculated_duty_usd_bn, status, source, note
    sources: dict[str, Reference]
    year: int
    duty: pl.DataFrame | None = None   # product, partner, calculated_duty (USD): the Census's own duty

    def reference(self, partner: str, sector: str = "all") -> Reference:
        return self.sources["census_2024"]


#: Aggregates in the data and the members they overlap (never added together).
AGGREGATES = {"EUN": "EU27"}


@lru_cache(maxsize=1)
def load_trade_table(*, year: int = 2024) -> TradeTable:
    """US imports for consumption in 2024 by HTS10 and partner (ISO alpha-3; ``EUN`` is the
    EU aggregate, which overlaps the member states that have their own rows, e.g. ``SVK``)."""
    from ..io.shipped import DATA_ROOT, imports_2024
    df = imports_2024()
    flows = df.select(pl.col("hs10").alias("product"), "partner", pl.lit(year).alias("period"),
                      pl.col("customs_value_usd").alias("customs_value"))
    duty = df.select(pl.col("hs10").alias("product"), "partner",
                     pl.col("calculated_duty_usd").alias("calculated_duty"))
    cells = (df.group_by("partner").agg((pl.col("customs_value_usd").sum() * 1e-9).alias("customs_value_usd_bn"),
                                        (pl.col("calculated_duty_usd").sum() * 1e-9).alias("calculated_duty_usd_bn"),
                                        pl.len().alias("lines"))
             .with_columns(pl.lit("all").alias("sector"), pl.lit("reported").alias("status"),
                           pl.lit("census_2024").alias("source"),
                           pl.format("{} HTS10 lines", pl.col("lines")).alias("note"))
             .sort("partner"))
    return TradeTable(ImportFrame.from_polars(flows, source=str(DATA_ROOT / "imports_2024.parquet")), cells,
                      {"census_2024": CENSUS_2024}, year, duty)
