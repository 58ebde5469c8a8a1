"""Small entry points of the public API: loading scenarios, reading parameters, simulating."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.parameters import Parameter, ParameterNode
from ..core.scenario import Scenario
from ..results.simulation import SimulationSet
from .assess import DEFAULT_SCENARIOS


def load_scenario(item: str | Path | Scenario) -> Scenario:
    """A scenario from a shipped name (``us_kr_2025/final``) or a file path."""
    return Scenario.load(item)


def params(path: str | None = None) -> ParameterNode | Parameter:
    """The shipped parameter tree, or the node or parameter at a dotted ``path``."""
    from ..resolve.measures import policy_parameters
    tree = policy_parameters()
    return tree if path is None else tree.get(path)


def one_parameter(node: ParameterNode | Parameter, path: str, field: str) -> Parameter:
    """``node`` if it is one parameter; a folder is an error naming ``field`` and
    a few of the parameters inside it (the CLI's ``PATH``, the web's ``path``)."""
    if isinstance(node, ParameterNode):
        from ..core.errors import Location, with_value
        names = [p.path for p in node.walk()]
        raise with_value("path names a folder of parameters", location=Location(field=field), value=path,
                         expected="one parameter, such as " + ", ".join(names[:5]))
    return node


def simulate(scenarios: str | Path | Scenario | Iterable[str | Path | Scenario] = DEFAULT_SCENARIOS,
             n_draws: int = 10_000, seed: int = 0, **kwargs: Any) -> SimulationSet:
    """Monte Carlo of one or several scenarios with the same seed (see
    :func:`tradepact.studies.simulate.simulate_many` for the options)."""
    from .simulate import simulate_many
    items = [scenarios] if isinstance(scenarios, (str, Path, Scenario)) else list(scenarios)
    return simulate_many(items, n_draws, seed, **kwargs)
