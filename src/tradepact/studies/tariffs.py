"""The tariff engine on the shipped data: one rate with its sources, effective rates by group.

:class:`TariffEngine` is the engine of :mod:`tradepact.tariffs.engine` with
the shipped measures, regimes, code tables, column-1 schedule and trade data
loaded for it; :meth:`TariffEngine.rate` and :meth:`TariffEngine.effective_rates`
return results of the family (:mod:`tradepact.results.tariffs`).
"""

from __future__ import annotations

import datetime as _dt

from ..io.frame import ImportFrame, polars_to_pandas
from ..io.tariff_data import default_schedule, default_tariff_system, load_trade_table
from ..results.tariffs import EffectiveRates, TariffRate
from ..tariffs.engine import TariffEngine as _Engine
from ..tariffs.measures import MeasureSet


class TariffEngine(_Engine):
    """The tariff engine on the shipped measures and schedule.

    ``TariffEngine()`` applies the default regime (``enacted``) with the legal
    stacking rules; ``regime=`` names another (``tradepact tariffs regimes``).
    """

    def __init__(self, system=None, schedule=None, *, regime: str | MeasureSet | None = None,
                 method: str = "legal") -> None:
        super().__init__(system or default_tariff_system(), schedule or default_schedule(), regime=regime,
                         method=method)

    def rate(self, partner: str, hs: str, on: _dt.date | str) -> TariffRate:
        """The rate of one HS code from one partner on one date, by authority, cited."""
        return TariffRate(self.explain(partner, hs, on))

    def effective_rates(self, on: _dt.date | str, *, by: str = "partner",
                        imports: ImportFrame | None = None) -> EffectiveRates:
        """Duties and effective tariff rates on ``imports`` (default: the shipped
        trade data) at the rates in force on ``on``, grouped ``by`` a column."""
        data = imports if imports is not None else load_trade_table().imports
        result = self.apply(data, on)
        return EffectiveRates(polars_to_pandas(result.etr(by)), by, result.on, result.regime, result.method,
                              data.source)
