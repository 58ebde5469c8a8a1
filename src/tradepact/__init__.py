"""tradepact: price, stress-test and negotiate investment-for-tariff-relief deals.

The public API is flat (the modules behind it may move)::

    import tradepact as tp
    a = tp.assess()                              # the shipped US–Korea scenarios
    a["final"].headline                          # short names work when unambiguous
    s = tp.simulate(["us_kr_2025/final"], n_draws=10_000, seed=1)
    z = tp.find_zopa("us_kr_2025/final")
    tp.TariffEngine().rate("KOR", "870323", "2025-10-01")
    tp.params("kr.macro.fx_reserves_usd_bn").at("2025-11-14")
    sc = tp.load_scenario("my_deal.yaml")

Nothing heavy is imported until a name is used (PEP 562).
"""

from .core.lazy import lazy

__version__ = "0.2.0"

_EXPORTS = {
    "assess": ".studies.assess",
    "simulate": ".studies.api",
    "find_zopa": ".studies.zopa",
    "load_scenario": ".studies.api",
    "params": ".studies.api",
    "TariffEngine": ".studies.tariffs",
    "Assessment": ".results.assessment",
    "SimulationSet": ".results.simulation",
    "ZoneOfAgreement": ".results.zone",
    "TradepactError": ".core.errors",
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
