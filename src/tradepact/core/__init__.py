"""Policy-free core: dates, references, units, parameters, scenarios, instruments, errors."""

from .lazy import lazy

_EXPORTS = {
    **dict.fromkeys(("Interval", "parse_date"), ".dates"),
    "TradepactError": ".errors",
    **dict.fromkeys(("DatedValue", "Parameter", "ParameterNode", "ParameterReader", "ParameterUse",
                     "default_parameters", "load_parameters"), ".parameters"),
    "Reference": ".references",
    **dict.fromkeys(("Scenario", "ScenarioSpec", "load_scenario", "shipped_scenario", "shipped_scenarios"),
                    ".scenario"),
    **dict.fromkeys(("INSTRUMENTS", "InstrumentSpec"), ".instruments"),
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
