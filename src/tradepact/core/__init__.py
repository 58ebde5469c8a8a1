"""Policy-free core: dates, references, parameters, scenarios, errors."""

from .dates import Interval, parse_date
from .errors import TradepactError
from .parameters import (
    DatedValue, Parameter, ParameterNode, ParameterReader, ParameterUse, default_parameters,
    load_parameters,
)
from .references import Reference
from .scenario import Scenario, ScenarioSpec, load_scenario, shipped_scenario, shipped_scenarios

__all__ = [
    "DatedValue", "Interval", "Parameter", "ParameterNode", "ParameterReader", "ParameterUse",
    "Reference", "Scenario", "ScenarioSpec", "TradepactError", "default_parameters",
    "load_parameters", "load_scenario", "parse_date", "shipped_scenario", "shipped_scenarios",
]
