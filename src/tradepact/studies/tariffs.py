"""The tariff engine on the shipped data: one rate with its sources, effective rates by group.

:class:`TariffEngine` is the engine of :mod:`tradepact.tariffs.engine` with
the shipped measures, regimes, code tables, the dated HTS schedule and the
2024 trade data loaded for it; :meth:`TariffEngine.rate` and
:meth:`TariffEngine.effective_rates` return results of the family
(:mod:`tradepact.results.tariffs`).

Weights. A code shorter than an HTS10 line is the mean over its lines weighted
by the partner's 2024 imports (US Census, customs value). Rest-of-world rule:
a partner with no 2024 imports of those lines (or not among the 51 partners
of the data) takes the weights of all partners' imports; with no trade at
all, the simple mean. The basis used is in the result.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from ..io.frame import ImportFrame, polars_to_pandas
from ..resolve.tariff_files import AGGREGATES, default_schedule, default_tariff_system, load_trade_table
from ..results.tariffs import EffectiveRates, TariffRate
from ..tariffs.engine import TariffEngine as _Engine
from ..tariffs.engine import etr_table
from ..tariffs.measures import MeasureSet

#: The country whose tariffs the shipped measures are (it faces none of them).
HOST = "USA"
#: Groupings of ``effective_rates``.
BY = ("partner", "sector", "hs2", "authority", "product")


class TariffEngine(_Engine):
    """The tariff engine on the shipped measures and schedule.

    ``TariffEngine()`` applies the default regime (``enacted``) with the legal
    stacking rules; ``regime=`` names another (``tradepact tariffs regimes``).
    """

    def __init__(self, system=None, schedule=None, *, regime: str | MeasureSet | None = None,
                 method: str = "legal") -> None:
        super().__init__(system or default_tariff_system(), schedule or default_schedule(), regime=regime,
                         method=method)

    def _weights(self, partner: str, hs: str) -> dict[str, float]:
        import polars as pl
        data = load_trade_table().imports.data
        h = hs.strip().replace(".", "")
        sub = data.filter(pl.col("product").str.starts_with(h[:10]))
        mine = sub.filter(pl.col("partner") == partner)
        use = mine if mine["customs_value"].sum() > 0 else sub.filter(~pl.col("partner").is_in(list(AGGREGATES)))
        agg = use.group_by("product").agg(pl.col("customs_value").sum())
        weights = dict(zip(agg["product"].to_list(), agg["customs_value"].to_list()))
        # An HTS8 line without statistical suffixes carries the value of the codes under it.
        for code in list(weights):
            weights[code[:8]] = weights.get(code[:8], 0.0) + weights[code]
        return weights

    def rate(self, partner: str, hs: str, on: _dt.date | str) -> TariffRate:
        """The rate of one HS code from one partner on one date, by authority, cited."""
        p = self.system.partners.check(partner, where=_loc("partner"))
        if p == HOST:
            from ..core.errors import with_value
            raise with_value("the United States does not levy its tariffs on its own goods",
                             location=_loc("partner"), value=partner,
                             expected="an exporting partner other than USA, such as KOR or JPN")
        return TariffRate(self.explain(p, hs, on, weights=self._weights(p, hs)))

    def effective_rates(self, on: _dt.date | str, *, by: str = "partner", partners: Sequence[str] | None = None,
                        imports: ImportFrame | None = None) -> EffectiveRates:
        """Duties and effective tariff rates on ``imports`` (default: the shipped
        2024 trade data) at the rates in force on ``on``, grouped ``by`` partner,
        sector, hs2, authority or product, for ``partners`` (default all) plus a
        row ``ALL`` (every partner once: the EU aggregate ``EUN`` is never added
        to members that have their own rows)."""
        import polars as pl
        if by not in BY:
            from ..core.errors import with_value
            raise with_value("cannot group effective rates by this key", location=_loc("by"), value=by,
                             expected="one of " + ", ".join(BY))
        table = imports if imports is not None else load_trade_table().imports
        data = table.data
        if partners:
            wanted = [self.system.partners.check(x, where=_loc("partner")) for x in partners]
            data = data.filter(pl.col("partner").is_in(wanted))
        result = self.apply(ImportFrame(data, table.source), on)
        frame = result.frame
        if by == "hs2":
            frame = frame.with_columns(pl.col("product").str.slice(0, 2).alias("hs2"))
        if by == "authority":
            out = _by_authority(frame)
        else:
            key = "sector" if by == "sector" else by
            out = etr_table(frame.with_columns(pl.col(key).cast(pl.Utf8)) if by == "sector" else frame, [key])
            out = out.select(key, "customs_value", "duty", "etr")
            if by == "partner":
                out = pl.concat([out, _all_row(frame)])
        return EffectiveRates(polars_to_pandas(out), by, result.on, result.regime, result.method, table.source)


def _all_row(frame):
    """Every partner once: members of an aggregate present in their own rows are dropped."""
    import polars as pl
    members = {m for agg, grp in AGGREGATES.items() if agg in set(frame["partner"].unique().to_list())
               for m in default_tariff_system().partners.groups.get(grp, ())}
    sub = frame.filter(~pl.col("partner").is_in(sorted(members - set(AGGREGATES))))
    v, dsum = sub["customs_value"].sum(), sub["duty"].sum()
    return pl.DataFrame({"partner": ["ALL"], "customs_value": [float(v)], "duty": [float(dsum)],
                         "etr": [float(dsum / v) if v else None]})


def _by_authority(frame):
    """Duties by legal authority (rows) on the whole table, as a share of its value."""
    import polars as pl

    from ..tariffs.measures import AUTHORITIES
    v = float(frame["customs_value"].sum())
    rows = []
    for a in AUTHORITIES:
        duty = float((frame[f"rate_{a}"] * frame["customs_value"]).sum())
        rows.append({"authority": a, "customs_value": v, "duty": duty, "etr": duty / v if v else None})
    return pl.DataFrame(rows)


def _loc(field_name: str):
    from ..core.errors import Location
    return Location(field=field_name)
