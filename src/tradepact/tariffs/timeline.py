"""Effective tariff rates over time: one step per interval between measure breakpoints.

:func:`rate_timeline` is a pure function (no file reading, no printing) for
the report's rate timeline chart: for each half-open interval ``[start,
stop)`` between consecutive breakpoints of a regime's measures, the
trade-weighted effective tariff rate (duties / customs value) of each partner
× sector of a trade table and of each partner over all its sectors. Rates are
constant within an interval (:meth:`TariffEngine.intervals` cuts at every date
a measure starts or ends), so each interval is priced once, on its first day,
by the engine (:meth:`TariffEngine.apply` and :meth:`TariffResult.etr`).
See ``docs/tariffs.md`` (Rate timeline).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pandas as pd
import polars as pl

from ..core.dates import date_field
from ..core.errors import Location, with_value
from ..io.frame import ImportFrame, polars_to_pandas
from ..io.hts import Column1Schedule
from .engine import TariffEngine
from .measures import MeasureSet, TariffError, TariffSystem
from .relief import year_flows

COLUMNS = ("start", "stop", "regime", "case", "partner", "sector", "etr", "duty_usd_bn",
           "customs_value_usd_bn")


def _date(value: _dt.date | str, name: str) -> _dt.date:
    return date_field(value, name, cls=TariffError)


def rate_timeline(with_deal: MeasureSet, trade: ImportFrame, *, system: TariffSystem,
                  schedule: Column1Schedule, start: _dt.date, stop: _dt.date,
                  partners: Sequence[str] | None = None, method: str = "legal",
                  without_deal: MeasureSet | None = None) -> pd.DataFrame:
    """Effective tariff rates by partner and sector over ``[start, stop)``, as steps.

    Returns a tidy pandas DataFrame, one row per interval × case × partner ×
    sector, with columns

    * ``start``, ``stop`` — the interval ``[start, stop)`` (datetime64); the
      intervals of each case tile ``[start, stop)`` without gap or overlap and
      are cut at every breakpoint of the case's regime (and on 1 January of
      any year whose trade flows the table holds, where the weights change);
    * ``regime`` — the name of the measure set; ``case`` — ``with_deal`` or
      ``without_deal`` (the counterfactual, only when ``without_deal`` is given);
    * ``partner``, ``sector`` — each sector of the table (``sectors.csv``) and
      ``all`` (the partner's whole table);
    * ``etr`` — duties / customs value, a fraction; NaN where the cell's
      customs value is 0 (no trade to weight, so no rate);
    * ``duty_usd_bn``, ``customs_value_usd_bn`` — the duties at the interval's
      rates on the table's annual values, and those values (USD bn per year).

    The weights of an interval are the table's flows for the interval's first
    year if present, otherwise for the latest earlier year (as in
    :func:`tariff_relief`); a start before every year of the table is an error.
    ``partners`` restricts the partners (each must be in the table). A
    ``start`` or ``stop`` outside the covered range of the measures is an
    error, never a silent zero. ``frame.attrs["warnings"]`` lists HS codes only
    partly covered by a measure's product group.
    """
    a0, b0 = _date(start, "start"), _date(stop, "stop")
    cases = [("with_deal", with_deal)] + ([("without_deal", without_deal)] if without_deal is not None else [])
    engines = [(case, TariffEngine(system, schedule, regime=ms, method=method)) for case, ms in cases]
    first = engines[0][1]
    first.check_date(a0)
    cov = system.coverage
    if cov.stop is not None and b0 > cov.stop:
        last = cov.stop - _dt.timedelta(days=1)
        raise with_value("stop is after the range the tariff measures cover",
                         location=Location(field="stop"), value=b0.isoformat(),
                         expected=f"a stop date up to {cov.stop.isoformat()} (the period is half-open: "
                                  f"its last day, stop - 1, must be on or before {last.isoformat()})",
                         cls=TariffError)
    data = trade.data
    if partners is not None:
        wanted = list(dict.fromkeys(partners))
        first.check_partners(wanted)
        have = set(data["partner"].unique().to_list())
        missing = [p for p in wanted if p not in have]
        if missing:
            raise with_value("the trade table has no flows from this partner",
                             location=Location(trade.source, None, "partner"), value=missing[0],
                             expected="partners present in the table: " + ", ".join(sorted(have)),
                             cls=TariffError)
        data = data.filter(pl.col("partner").is_in(wanted))
    table = ImportFrame(data, trade.source)
    cuts = [_dt.date(p, 1, 1) for p in table.periods]

    # rates depend on (product, partner) only: price the distinct pairs, not the rows
    collapsed: dict[int, pl.DataFrame] = {}

    def flows(year: int) -> pl.DataFrame:
        if year not in collapsed:
            collapsed[year] = (year_flows(table, year).group_by("product", "partner")
                               .agg(pl.col("customs_value").sum()).sort("product", "partner"))
        return collapsed[year]

    chunks: list[pl.DataFrame] = []
    warnings: list[str] = []
    for case, engine in engines:
        for a, b in engine.intervals(a0, b0, cuts=cuts, partners=table.data["partner"].unique().to_list()):
            result = engine.apply(flows(a.year), a)
            warnings += [w for w in result.warnings if w not in warnings]
            by_sector = result.etr(["partner", "sector"]).select(
                "partner", pl.col("sector").cast(pl.Utf8), "customs_value", "duty")
            by_partner = result.etr("partner").select(
                "partner", pl.lit("all").alias("sector"), "customs_value", "duty")
            chunks.append(pl.concat([by_sector, by_partner]).with_columns(
                pl.lit(a).alias("start"), pl.lit(b).alias("stop"),
                pl.lit(engine.measures.regime).alias("regime"), pl.lit(case).alias("case")))
    out = pl.concat(chunks).with_columns(
        pl.when(pl.col("customs_value") > 0).then(pl.col("duty") / pl.col("customs_value"))
        .otherwise(None).alias("etr"),
        (pl.col("duty") * 1e-9).alias("duty_usd_bn"),
        (pl.col("customs_value") * 1e-9).alias("customs_value_usd_bn"),
    ).sort("case", "partner", "sector", "start").select(COLUMNS)
    frame = polars_to_pandas(out)
    for col in ("start", "stop"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame.attrs["warnings"] = tuple(warnings)
    return frame
