"""The tariff engine's inputs for a scenario: regimes, measures, trade data, firms.

A scenario names two regimes (``tariffs.with_deal`` and ``tariffs.without_deal``);
the measures come from the shipped files (:mod:`tradepact.resolve.tariff_files`),
the automakers' shares and disclosed costs from the ``trade.firms`` node (one
folder per firm), and the import-response elasticities from
``trade.response``. Inputs are built once per distinct set of values, so the
relief and timeline caches of the studies hold across scenarios that share
their regimes and across Monte Carlo chunks.
"""

from __future__ import annotations

import datetime as _dt
import functools

from typing import Any

from ..core.errors import ParameterError, ScenarioError, with_value
from ..core.parameters import Parameter, ParameterNode, ParameterReader, ParameterUse
from ..core.scenario import Scenario
from .tariff_files import default_schedule, default_tariff_system, load_trade_table
from ..tariffs.relief import ReliefInputs
from ..tariffs.response import ResponseParams
from .measures import FIELDS, ROOT, apply_measure_parameters, policy_parameters

FIRMS = "trade.firms"
RESPONSE = "trade.response"


@functools.lru_cache(maxsize=1)
def _shipped():
    return default_tariff_system(), default_schedule(), load_trade_table()


@functools.lru_cache(maxsize=64)
def _inputs(with_deal: str, without_deal: str, partner: str, firm_shares: tuple, disclosed: tuple,
            response: tuple | None, method: str, measure_values: tuple = ()) -> ReliefInputs:
    """One :class:`ReliefInputs` per distinct set of values (``measure_values``: the
    scenario's or a draw's values of tariff-measure parameters, as (path, value) pairs)."""
    system, schedule, table = _shipped()
    values = dict(measure_values)
    tree = policy_parameters()
    w = apply_measure_parameters(system.regime(with_deal), tree, values)
    wo = apply_measure_parameters(system.regime(without_deal), tree, values)
    out = ReliefInputs(w, wo, table.imports, system, schedule, partner=partner, firm_shares=dict(firm_shares),
                       disclosed_costs_usd_bn=dict(disclosed),
                       response=ResponseParams(*response) if response else None, method=method)
    _KEY_OF[id(out)] = (with_deal, without_deal, partner, firm_shares, disclosed, response, method, measure_values)
    return out


#: The arguments each cached :class:`ReliefInputs` was built from (by object id).
_KEY_OF: dict[int, tuple] = {}


def scenario_measure_values(tree: ParameterNode) -> tuple[tuple[str, Any], ...]:
    """The tariff-measure parameters a scenario set in ``tree`` (its overlay), with their values."""
    out = []
    try:
        node = tree.get(ROOT)
    except ParameterError:
        return ()
    for param in node.walk():
        if param.path.rsplit(".", 1)[-1] in FIELDS and any(
                dv.references and dv.references[0].kind == "scenario" for dv in param.values):
            out.append((param.path, param.values[-1].value))
    return tuple(sorted(out))


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
        uses.append(ParameterUse(
            f"trade.us_imports_{table.year}.{r['partner']}", _dt.date(table.year, 12, 31),
            round(r["customs_value_usd_bn"], 3), "usd_bn", _dt.date(table.year, 1, 1), r["status"],
            f"imports for consumption, customs value, {r['note']}", (table.sources[r["source"]],)))
    return tuple(uses)


def relief_inputs(scenario: Scenario, reader: ParameterReader, *, start_year: int | None = None,
                  ) -> tuple[ReliefInputs, tuple[ParameterUse, ...]]:
    """The tariff engine's inputs for ``scenario`` and the provenance of the trade data.
    ``start_year`` (the resolved first year) must not precede the trade data: the
    relief of a year is weighted by that year's flows or the latest earlier ones."""
    spec = scenario.spec.tariffs
    system, _, table = _shipped()
    first = min(table.imports.periods)
    if start_year is not None and start_year < first:
        raise with_value("the scenario starts before the trade data that weight the tariff relief",
                         location=scenario.locate(("start_year",)), value=start_year,
                         expected=f"a start year of {first} or later (the shipped US imports are for {first})",
                         cls=ScenarioError)
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
                     tuple(sorted(costs.items())), response, spec.method, scenario_measure_values(reader.tree))
    return inputs, trade_provenance()


def relief_variant(base: ReliefInputs, values: dict[str, Any]) -> ReliefInputs:
    """``base`` with tariff-measure parameters set to ``values`` (one Monte Carlo node)."""
    key = _KEY_OF.get(id(base))
    if key is None:
        raise ValueError("relief inputs not built by relief_inputs")
    merged = dict(key[-1])
    merged.update(values)
    return _inputs(*key[:-1], tuple(sorted(merged.items())))


def shipped_relief_inputs(tree: ParameterNode, on: str = "2026-06-30") -> dict:
    """Keyword arguments of :func:`tradepact.tariffs.relief.tariff_relief` for
    the shipped ``enacted`` and ``no_kor_deal`` regimes and the automakers'
    parameters as known on ``on`` (all but ``years``)."""
    shares, costs = firm_inputs(ParameterReader(tree, on))
    return _inputs("enacted", "no_kor_deal", "KOR", tuple(sorted(shares.items())),
                   tuple(sorted(costs.items())), None, "legal").kwargs()
