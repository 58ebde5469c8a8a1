"""The tariff engine's inputs for a scenario: regimes, measures, trade data, firms.

A scenario names two regimes (``tariffs.with_deal`` and ``tariffs.without_deal``);
the measures come from the shipped files (:mod:`tradepact.io.tariff_data`),
the automakers' shares and disclosed costs from the ``trade.firms`` node (one
folder per firm), and the import-response elasticities from
``trade.response``. Inputs are built once per distinct set of values, so the
relief and timeline caches of the studies hold across scenarios that share
their regimes and across Monte Carlo chunks.
"""

from __future__ import annotations

import datetime as _dt
import functools

from ..core.errors import ParameterError, ScenarioError, with_value
from ..core.parameters import Parameter, ParameterNode, ParameterReader, ParameterUse
from ..core.scenario import Scenario
from ..io.tariff_data import default_schedule, default_tariff_system, load_trade_table
from ..tariffs.relief import ReliefInputs
from ..tariffs.response import ResponseParams

FIRMS = "trade.firms"
RESPONSE = "trade.response"


@functools.lru_cache(maxsize=1)
def _shipped():
    return default_tariff_system(), default_schedule(), load_trade_table()


@functools.lru_cache(maxsize=32)
def _inputs(with_deal: str, without_deal: str, partner: str, firm_shares: tuple, disclosed: tuple,
            response: tuple | None, method: str) -> ReliefInputs:
    system, schedule, table = _shipped()
    return ReliefInputs(system.regime(with_deal), system.regime(without_deal), table.imports, system, schedule,
                        partner=partner, firm_shares=dict(firm_shares), disclosed_costs_usd_bn=dict(disclosed),
                        response=ResponseParams(*response) if response else None, method=method)


def firm_inputs(reader: ParameterReader) -> tuple[dict[str, float], dict[str, tuple[int, float]]]:
    """Each automaker's share of the investor's car exports (read on the
    reader's date) and the tariff cost it disclosed for the latest calendar
    year (``{firm: (year, USD bn)}``; values are dated on 1 January of the
    year they cover, and a cost is a comparison, not an input)."""
    shares: dict[str, float] = {}
    costs: dict[str, tuple[int, float]] = {}
    try:
        node = reader.tree.get(FIRMS)
    except ParameterError:
        return shares, costs
    for firm, sub in node.children.items():
        if isinstance(sub, Parameter):
            continue
        share = sub.children.get("car_export_share")
        if isinstance(share, Parameter):
            shares[firm] = reader.number(share.path)
        cost = sub.children.get("disclosed_tariff_cost_usd_bn")
        if isinstance(cost, Parameter) and cost.values[-1].value is not None:
            last = cost.values[-1]
            costs[firm] = (last.start.year, reader.number(cost.path, on=last.start))
    return shares, costs


def response_params(reader: ParameterReader) -> tuple[float, float, float]:
    return (reader.number(f"{RESPONSE}.import_demand_elasticity"),
            reader.number(f"{RESPONSE}.substitution_elasticity"),
            reader.number(f"{RESPONSE}.border_pass_through_share"))


def trade_provenance() -> tuple[ParameterUse, ...]:
    """Each cell of the shipped trade table, with its reference."""
    _, _, table = _shipped()
    uses = []
    for r in table.cells.iter_rows(named=True):
        status = r["status"] if r["status"] in ("reported", "derived", "assumption") else "assumption"
        uses.append(ParameterUse(
            f"trade.us_imports_{table.year}.{r['partner']}.{r['sector']}", _dt.date(table.year, 12, 31),
            r["customs_value_usd_bn"], "usd_bn", _dt.date(table.year, 1, 1), status, r["note"] or None,
            (table.sources[r["source"]],)))
    return tuple(uses)


def relief_inputs(scenario: Scenario, reader: ParameterReader) -> tuple[ReliefInputs, tuple[ParameterUse, ...]]:
    """The tariff engine's inputs for ``scenario`` and the provenance of the trade data."""
    spec = scenario.spec.tariffs
    system, _, table = _shipped()
    for key in ("with_deal", "without_deal"):
        name = getattr(spec, key)
        if name not in system.regimes:
            raise with_value("unknown tariff regime", location=scenario.locate(("tariffs", key)), value=name,
                             expected="one of " + ", ".join(sorted(system.regimes)), cls=ScenarioError)
    partner = scenario.spec.investor
    if partner not in set(table.imports.data["partner"].unique().to_list()):
        raise with_value("the shipped trade table has no exports of the investor",
                         location=scenario.locate(("investor",)), value=partner,
                         expected="a partner of the shipped trade table, e.g. KOR", cls=ScenarioError)
    shares, costs = firm_inputs(reader)
    response = response_params(reader) if spec.response else None
    inputs = _inputs(spec.with_deal, spec.without_deal, partner, tuple(sorted(shares.items())),
                     tuple(sorted(costs.items())), response, spec.method)
    return inputs, trade_provenance()


def shipped_relief_inputs(tree: ParameterNode, on: str = "2026-06-30") -> dict:
    """Keyword arguments of :func:`tradepact.tariffs.relief.tariff_relief` for
    the shipped ``enacted`` and ``no_kor_deal`` regimes and the automakers'
    parameters as known on ``on`` (all but ``years``)."""
    shares, costs = firm_inputs(ParameterReader(tree, on))
    return _inputs("enacted", "no_kor_deal", "KOR", tuple(sorted(shares.items())),
                   tuple(sorted(costs.items())), None, "legal").kwargs()
