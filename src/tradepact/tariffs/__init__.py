"""Tariff engine: measures as data → rates by authority → duties, ETRs, relief.

* data: :class:`TariffMeasure`, :class:`MeasureSet`, :class:`TariffSystem`
  (loaded by :mod:`tradepact.resolve.tariff_files`)
* engine: :class:`TariffEngine` (``grid``, ``apply``, ``etr``, ``explain``),
  :class:`TariffResult`, :class:`RatePanel`, :func:`apply_stacking`
* response: :class:`ResponseParams`, :func:`import_response`
* assessment: :func:`tariff_relief`, :class:`TariffRelief`, :class:`ReliefInputs`
* report: :func:`rate_timeline` (ETR by partner and sector, interval by interval)
"""

from ..core.lazy import lazy

_EXPORTS = {
    **dict.fromkeys(("RateExplanation", "RateGrid", "TariffEngine", "TariffResult", "etr_table"), ".engine"),
    **dict.fromkeys(("AUTHORITIES", "MeasureSet", "Regime", "TariffError", "TariffMeasure", "TariffSystem"),
                    ".measures"),
    "RatePanel": ".panel",
    **dict.fromkeys(("ReliefInputs", "TariffRelief", "tariff_relief"), ".relief"),
    **dict.fromkeys(("ResponseParams", "import_response", "summarise_response"), ".response"),
    **dict.fromkeys(("STACKING_RULES", "apply_stacking"), ".stacking"),
    "rate_timeline": ".timeline",
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
