"""One results family: every study returns a :class:`~tradepact.results.base.Result`.

:class:`Assessment` (and :class:`ScenarioAssessment`), :class:`SimulationResult`
(and :class:`SimulationSet`), :class:`ZoneOfAgreement`, the tariff results
(:class:`TariffRate`, :class:`EffectiveRates`) and :class:`Verdict` share
``to_dict``, ``frame``, ``compare``, ``summary``, ``_repr_html_`` and
``provenance`` (see :mod:`.base`).
"""

from ..core.lazy import lazy

_EXPORTS = {
    **dict.fromkeys(("Result", "ResultSet", "provenance_frame"), ".base"),
    **dict.fromkeys(("HEADLINE", "Assessment", "ScenarioAssessment"), ".assessment"),
    **dict.fromkeys(("SimulationResult", "SimulationSet"), ".simulation"),
    "ZoneOfAgreement": ".zone",
    **dict.fromkeys(("TariffRate", "EffectiveRates"), ".tariffs"),
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
