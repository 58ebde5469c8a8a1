"""What the tariff relief is worth: annual tariff bills with and without a deal.

:func:`tariff_relief` is the pure function the assessment calls (no file
reading, no printing). For each calendar year it averages the duties over the
days of the year (each interval between measure breakpoints weighted by its
days), for the regime with the deal and the counterfactual without it, and
returns a tidy table plus the headline ``tariff_savings_usd_bn_per_year``.
See ``docs/tariffs.md`` (Integration) for the contract.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from ..core.errors import Location, with_value
from ..core.parameters import ParameterUse
from ..io.frame import ImportFrame
from ..io.hts import Column1Schedule
from .engine import TariffEngine
from .measures import MeasureSet, TariffError, TariffMeasure, TariffSystem, affected_partners
from .response import ResponseParams, import_response

CAR_SECTORS = ("cars", "car_parts")


#: The columns of a relief table, in order.
COLUMNS = ("year", "item", "partner", "sector", "value", "unit", "basis")


@dataclass(frozen=True)
class TariffRelief:
    """Annual figures (tidy: year × item × partner × sector) and the headline.

    ``columns`` holds the table as NumPy arrays (:data:`COLUMNS`); ``frame`` is
    the same table as a pandas DataFrame, built when first asked for (the
    payoffs read series and never need pandas)."""

    columns: Mapping[str, np.ndarray]
    tariff_savings_usd_bn_per_year: float
    years: tuple[int, ...]
    regimes: tuple[str, str]
    notes: tuple[str, ...] = field(default_factory=tuple)
    partner: str = "KOR"
    #: Series already read (the table never changes; Monte Carlo and the tornado read the same ones often).
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any], years: Sequence[int], regimes: tuple[str, str],
                     partner: str, notes: tuple[str, ...] = ()) -> "TariffRelief":
        """The relief of a table's ``columns`` (the headline is the mean yearly savings)."""
        cols = {c: np.asarray(columns[c], dtype=float if c == "value" else None) for c in COLUMNS}
        total = (cols["item"] == "tariff_savings_usd_bn") & (cols["sector"] == "all")
        head = float(cols["value"][total].mean()) if total.any() else float("nan")
        return cls(cols, head, tuple(years), regimes, tuple(notes), partner)

    @cached_property
    def frame(self) -> Any:
        """The table as a pandas DataFrame (columns :data:`COLUMNS`)."""
        import pandas as pd
        return pd.DataFrame({c: self.columns[c] for c in COLUMNS}, columns=list(COLUMNS))

    def _rows(self, item: str, sector: str | None, partner: str | None) -> np.ndarray:
        c = self.columns
        mask = c["item"] == item
        if sector is not None:
            mask &= c["sector"] == sector
        if partner is not None:
            mask &= c["partner"] == partner
        return mask

    def sectors(self, item: str) -> list[str]:
        """The sectors ``item`` is given for, besides ``all`` (sorted)."""
        return sorted({str(s) for s in self.columns["sector"][self._rows(item, None, None)]} - {"all"})

    def item(self, item: str, *, sector: str = "all", partner: str | None = None) -> Any:
        """``item`` by year as a pandas Series."""
        f = self.frame[self._rows(item, sector, partner)]
        return f.set_index("year")["value"]

    def series(self, item: str, years: Sequence[int], *, sector: str = "all",
               partner: str | None = None) -> np.ndarray:
        """``item`` for each of ``years`` as a float array (NaN where missing)."""
        key = (item, tuple(int(y) for y in years), sector, partner)
        if key not in self._memo:
            rows = self._rows(item, sector, partner)
            have = self.columns["year"][rows].astype(np.int64)
            if np.unique(have).size != have.size:
                raise ValueError(f"the relief table gives {item} ({sector}, {partner}) twice for a year")
            at = dict(zip(have.tolist(), self.columns["value"][rows].tolist()))
            self._memo[key] = np.array([at.get(y, np.nan) for y in key[1]], dtype=float)
        return self._memo[key].copy()


def _year_pieces(engine: TariffEngine, year: int, project: bool,
                 partners: Sequence[str] | None = None) -> list[tuple[_dt.date, float, str]]:
    """(rate date, weight in the year, basis) pieces covering calendar ``year``."""
    cov = engine.system.coverage
    y0, y1 = _dt.date(year, 1, 1), _dt.date(year + 1, 1, 1)
    days = (y1 - y0).days
    if y0 < cov.start:
        raise with_value("year starts before the covered range of the tariff measures",
                         location=Location(field="years"), value=year,
                         expected=f"years from {cov.start.year}", cls=TariffError)
    last = (cov.stop or y1)
    pieces: list[tuple[_dt.date, float, str]] = []
    a, b = y0, min(y1, last)
    if a < b:
        for s, e in engine.intervals(a, b, partners=partners):
            pieces.append((s, (e - s).days / days, "in_force"))
    if y1 > last:
        if not project:
            raise with_value("year extends past the covered range", location=Location(field="years"),
                             value=year, expected=f"years up to {(last - _dt.timedelta(days=1)).year} "
                             "or project_after_coverage=True", cls=TariffError)
        start_proj = max(y0, last)
        pieces.append((last - _dt.timedelta(days=1), (y1 - start_proj).days / days, "projected"))
    return pieces


def year_flows(trade: ImportFrame, year: int) -> pl.DataFrame:
    """Flows for ``year``: that year's rows if present, else the latest earlier year."""
    d = trade.data
    periods = sorted(d["period"].unique().to_list())
    use = [p for p in periods if p <= year]
    if not use:
        raise with_value("no trade data for or before this year", location=Location(trade.source, None, "period"),
                         value=year, expected=f"a year on or after {periods[0]}", cls=TariffError)
    return d.filter(pl.col("period") == use[-1])


def tariff_relief(with_deal: MeasureSet, without_deal: MeasureSet, trade: ImportFrame,
                  years: Sequence[int], *, system: TariffSystem, schedule: Column1Schedule,
                  partner: str = "KOR", firm_shares: Mapping[str, float] | None = None,
                  disclosed_costs_usd_bn: Mapping[str, tuple[int, float]] | None = None,
                  response: ResponseParams | None = None, method: str = "legal",
                  project_after_coverage: bool = True) -> TariffRelief:
    """Korea's (``partner``'s) tariff bill with and without the deal, year by year.

    Returns a :class:`TariffRelief` whose ``frame`` has columns ``year, item,
    partner, sector, value, unit, basis`` and items

    * ``tariff_bill_with_deal_usd_bn`` / ``tariff_bill_without_deal_usd_bn``
      (sector ``all`` and each sector), ``tariff_savings_usd_bn`` (without − with);
    * ``etr_with_deal`` / ``etr_without_deal`` (fractions);
    * ``<firm>_tariff_savings_usd_bn`` and ``<firm>_tariff_bill_with_deal_usd_bn``
      for each firm in ``firm_shares`` (share of the partner's cars and parts),
      and ``<firm>_disclosed_tariff_cost_usd_bn`` in the year it was disclosed for;
    * ``us_revenue_forgone_usd_bn``: US tariff revenue on all partners of the
      table without the deal minus with it;
    * with ``response``: ``export_value_change_usd_bn`` for every partner (the
      deal's trade creation and diversion) and ``trade_diversion_usd_bn``.

    ``basis`` is ``in_force`` when every day of the year lies in the covered
    range, ``projected`` when later days carry the last covered rates forward.
    """
    if not years:
        raise with_value("no years given", location=Location(field="years"), value=list(years),
                         expected="one or more calendar years", cls=TariffError)
    e_with = TariffEngine(system, schedule, regime=with_deal, method=method)
    e_without = TariffEngine(system, schedule, regime=without_deal, method=method)
    data = trade.data
    if partner not in set(data["partner"].unique().to_list()):
        raise with_value("the trade table has no flows from this partner",
                         location=Location(trade.source, None, "partner"), value=partner,
                         expected="a partner present in the table", cls=TariffError)
    rows: list[dict] = []
    shares = dict(firm_shares or {})
    base_date = system.coverage.start

    def add(year, item, value, unit, basis, sector="all", who=partner):
        rows.append({"year": year, "item": item, "partner": who, "sector": sector,
                     "value": float(value), "unit": unit, "basis": basis})

    # Rates differ between the two regimes only for the partners their differing
    # measures name: with static volumes, both bills and the revenue forgone need
    # only those (and the investor). The import response moves every partner's
    # volumes, so it keeps them all.
    universe = data["partner"].unique().to_list()
    keep = ({partner} | affected_partners(with_deal, without_deal, system.partners, universe)
            if response is None else set(universe))
    priced: dict[tuple[str, _dt.date, int], pl.DataFrame] = {}

    def duties(label: str, engine: TariffEngine, d: _dt.date, flows: pl.DataFrame, period: int,
               prods: list[str], parts: list[str], pi: np.ndarray, ci: np.ndarray,
               base_rates: Any) -> pl.DataFrame:
        """Duty, value and diversion by partner × sector at the rates in force on ``d``
        (cached: every projected year prices the same date)."""
        key = (label, d, period)
        if key not in priced:
            g = engine.grid(prods, parts, d)
            f = flows.with_columns(pl.Series("rate1", g.total[pi, ci]))
            if response is not None and base_rates is not None:
                f = f.with_columns(pl.Series("rate0", base_rates.total[pi, ci]))
                r = import_response(f.select("product", "partner", "customs_value", "rate0", "rate1"), response)
                f = f.with_columns(r["customs_value1"].alias("value"), r["diversion"])
            else:
                f = f.with_columns(pl.col("customs_value").alias("value"), pl.lit(0.0).alias("diversion"))
            f = f.with_columns((pl.col("value") * pl.col("rate1")).alias("duty"))
            priced[key] = f.group_by("partner", "sector").agg(pl.col("duty").sum(), pl.col("value").sum(),
                                                             pl.col("diversion").sum())
        return priced[key]

    prepared: dict[int, tuple] = {}
    for year in years:
        flows = year_flows(trade, year)
        period = int(flows["period"][0])
        if period not in prepared:
            flows = flows.filter(pl.col("partner").is_in(sorted(keep)))
            prods = flows["product"].unique().sort().to_list()
            parts = flows["partner"].unique().sort().to_list()
            sec_of = dict(zip(prods, system.groups.sector_of(prods)))
            flows = flows.with_columns(pl.col("product").replace_strict(sec_of).alias("sector"))
            pidx = {p: i for i, p in enumerate(prods)}
            cidx = {c: i for i, c in enumerate(parts)}
            pi = np.array([pidx[p] for p in flows["product"].to_list()], dtype=np.int64)
            ci = np.array([cidx[c] for c in flows["partner"].to_list()], dtype=np.int64)
            base = e_with.grid(prods, parts, base_date) if response is not None else None
            prepared[period] = (flows, prods, parts, pi, ci, base)
        flows, prods, parts, pi, ci, base_rates = prepared[period]
        pieces_w = _year_pieces(e_with, year, project_after_coverage, parts)
        pieces_o = _year_pieces(e_without, year, project_after_coverage, parts)
        basis = "projected" if any(b == "projected" for _, _, b in pieces_w) else "in_force"
        acc: dict[str, pl.DataFrame] = {}
        for label, engine, pieces in (("with", e_with, pieces_w), ("without", e_without, pieces_o)):
            total = None
            for d, w, _b in pieces:
                part = duties(label, engine, d, flows, period, prods, parts, pi, ci, base_rates).with_columns(
                    pl.col("duty") * w, pl.col("value") * w, pl.col("diversion") * w)
                total = part if total is None else pl.concat([total, part]).group_by("partner", "sector").agg(
                    pl.col("duty").sum(), pl.col("value").sum(), pl.col("diversion").sum())
            assert total is not None
            acc[label] = total
        bn = 1e-9
        for label in ("with", "without"):
            t = acc[label].filter(pl.col("partner") == partner)
            add(year, f"tariff_bill_{label}_deal_usd_bn", t["duty"].sum() * bn, "usd_bn", basis)
            v = t["value"].sum()
            add(year, f"etr_{label}_deal", t["duty"].sum() / v if v else float("nan"), "fraction", basis)
            for sec, grp in t.group_by("sector"):
                add(year, f"tariff_bill_{label}_deal_usd_bn", grp["duty"].sum() * bn, "usd_bn", basis,
                    sector=sec[0])
        kw = acc["with"].filter(pl.col("partner") == partner)
        ko = acc["without"].filter(pl.col("partner") == partner)
        savings = (ko["duty"].sum() - kw["duty"].sum()) * bn
        add(year, "tariff_savings_usd_bn", savings, "usd_bn", basis)
        by_sec = ko.group_by("sector").agg(pl.col("duty").sum()).join(
            kw.group_by("sector").agg(pl.col("duty").sum().alias("duty_w")), on="sector")
        for sec, dwo, dw in by_sec.select("sector", "duty", "duty_w").iter_rows():
            add(year, "tariff_savings_usd_bn", (dwo - dw) * bn, "usd_bn", basis, sector=sec)
        car_sav = float(by_sec.filter(pl.col("sector").is_in(CAR_SECTORS))
                        .select((pl.col("duty") - pl.col("duty_w")).sum()).item() or 0.0) * bn
        car_bill = float(kw.filter(pl.col("sector").is_in(CAR_SECTORS))["duty"].sum()) * bn
        for firm, share in shares.items():
            add(year, f"{firm}_tariff_savings_usd_bn", share * car_sav, "usd_bn", basis, sector="cars_and_parts")
            add(year, f"{firm}_tariff_bill_with_deal_usd_bn", share * car_bill, "usd_bn", basis,
                sector="cars_and_parts")
        for firm, (cost_year, cost) in (disclosed_costs_usd_bn or {}).items():
            if cost_year == year:
                add(year, f"{firm}_disclosed_tariff_cost_usd_bn", cost, "usd_bn", "reported",
                    sector="cars_and_parts")
        rev_w, rev_o = acc["with"]["duty"].sum(), acc["without"]["duty"].sum()
        add(year, "us_revenue_forgone_usd_bn", (rev_o - rev_w) * bn, "usd_bn", basis, who="ALL")
        if response is not None:
            vw = acc["with"].group_by("partner").agg(pl.col("value").sum(), pl.col("diversion").sum())
            vo = acc["without"].group_by("partner").agg(pl.col("value").sum().alias("value_o"),
                                                        pl.col("diversion").sum().alias("div_o"))
            for who, val, div, val_o, div_o in vw.join(vo, on="partner").select(
                    "partner", "value", "diversion", "value_o", "div_o").iter_rows():
                add(year, "export_value_change_usd_bn", (val - val_o) * bn, "usd_bn", basis, who=who)
                add(year, "trade_diversion_usd_bn", (div - div_o) * bn, "usd_bn", basis, who=who)
    columns = {c: np.array([r[c] for r in rows], dtype=float if c == "value" else object) for c in COLUMNS}
    columns["year"] = columns["year"].astype(np.int64)
    notes = (f"trade values: {trade.source}; rates before {base_date} are not covered",)
    return TariffRelief.from_columns(columns, years, (with_deal.regime, without_deal.regime), partner, notes)


@dataclass(frozen=True, eq=False)
class ReliefInputs:
    """Everything :func:`tariff_relief` needs besides the years (loaded objects).

    Compared and hashed by identity, so results can be cached per inputs.
    """

    with_deal: MeasureSet
    without_deal: MeasureSet
    trade: ImportFrame
    system: TariffSystem
    schedule: Column1Schedule
    partner: str = "KOR"
    firm_shares: Mapping[str, float] | None = None
    disclosed_costs_usd_bn: Mapping[str, tuple[int, float]] | None = None
    response: ResponseParams | None = None
    method: str = "legal"

    def kwargs(self) -> dict:
        """Keyword arguments of :func:`tariff_relief` (all but ``years``)."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def measures_used(self) -> list[tuple[TariffMeasure, tuple[str, ...]]]:
        """Measures in force in either regime that can apply to ``partner``,
        each with the regimes it is in force in (``with_deal``/``without_deal``)."""
        groups = self.system.partners.groups
        mine = {g for g, members in groups.items() if self.partner in members}
        out: dict[str, tuple[TariffMeasure, list[str]]] = {}
        for label, mset in (("with_deal", self.with_deal), ("without_deal", self.without_deal)):
            for m in mset:
                ps = m.partner_scope
                excluded = self.partner in ps.exclude or mine & set(ps.except_groups)
                covers = ps.all or self.partner in ps.include or mine & set(ps.groups)
                if m.in_effect and covers and not excluded:
                    out.setdefault(m.id, (m, []))[1].append(label)
        return [(m, tuple(labels)) for m, labels in out.values()]

    def provenance(self) -> tuple[ParameterUse, ...]:
        """Each measure used, as a provenance record with its references."""
        uses = []
        for m, regimes in self.measures_used():
            refs = self.with_deal.references(m) if "with_deal" in regimes else self.without_deal.references(m)
            until = f", until {m.ends.isoformat()}" if m.ends else ""
            uses.append(ParameterUse(
                f"us.tariffs.{m.authority}.{m.id}.rate", m.legal_effective, m.rate,
                "fraction" if m.rate is not None else "", m.legal_effective, m.status,
                f"{m.title} ({m.authority}, {m.kind}{until}); regimes: {', '.join(regimes)}", refs))
        return tuple(uses)

    def run(self, years: Sequence[int]) -> TariffRelief:
        return tariff_relief(years=years, **self.kwargs())
