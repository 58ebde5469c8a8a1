"""Tariff engine: measures as data → rates by authority → duties, ETRs, relief.

Public API (flat, so internals can move):

* data: :class:`TariffMeasure`, :class:`MeasureSet`, :class:`TariffSystem`,
  :func:`default_tariff_system`, :func:`load_tariff_system`
* engine: :class:`TariffEngine` (``grid``, ``apply``, ``etr``, ``explain``),
  :class:`TariffResult`, :class:`RatePanel`, :func:`apply_stacking`
* response: :class:`ResponseParams`, :func:`import_response`
* assessment: :func:`tariff_relief`, :class:`TariffRelief`, :func:`shipped_relief_inputs`
* report: :func:`rate_timeline` (ETR by partner and sector, interval by interval)
* shipped data: :func:`load_trade_table`, :func:`load_elasticities`, :func:`load_firm_parameters`,
  :func:`default_schedule`
"""

from .data import TradeTable, load_elasticities, load_firm_parameters, load_trade_table
from .engine import RateExplanation, RateGrid, TariffEngine, TariffResult, default_schedule
from .measures import (AUTHORITIES, MeasureSet, Regime, TariffError, TariffMeasure, TariffSystem,
                       default_tariff_system, load_measures, load_tariff_system)
from .panel import RatePanel
from .relief import ReliefInputs, TariffRelief, shipped_relief, shipped_relief_inputs, shipped_tariff_data, tariff_relief
from .response import ResponseParams, import_response, summarise_response
from .stacking import STACKING_RULES, apply_stacking
from .timeline import rate_timeline

__all__ = [
    "AUTHORITIES", "MeasureSet", "Regime", "TariffError", "TariffMeasure", "TariffSystem",
    "default_tariff_system", "load_measures", "load_tariff_system",
    "RateExplanation", "RateGrid", "TariffEngine", "TariffResult", "default_schedule", "RatePanel",
    "STACKING_RULES", "apply_stacking", "ResponseParams", "import_response", "summarise_response",
    "ReliefInputs", "TariffRelief", "shipped_relief", "shipped_relief_inputs", "shipped_tariff_data", "tariff_relief",
    "TradeTable", "load_elasticities", "load_firm_parameters", "load_trade_table",
    "rate_timeline",
]
