"""Tariff measures as parameters: ``us.tariffs.<authority>.<measure id>.<field>``.

Every shipped measure is also a node of the parameter tree, with the
parameters ``rate`` (if it has one), ``share``, ``in_effect`` (a flag),
``legal_effective`` and ``ends`` (dates; ``ends`` is ``null`` while open),
each dated on the measure's legal effective date and citing the measure's
references (its ``cite:`` keys resolved into :class:`Reference`). So a
scenario's ``parameters:`` can change a measure's rate or end date, and its
``uncertainty:`` can draw a measure's rate, exactly as for any parameter::

    parameters:
      us.tariffs.s232.s232_autos_kor_floor_15.ends: "2026-12-31"
    uncertainty:
      us.tariffs.s232.s232_autos_kor_floor_15.rate: {dist: triangular, low: 0.15, high: 0.25}

A named regime (``tariffs.with_deal`` / ``without_deal``) applies first;
the scenario's values of these parameters then apply to both regimes.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..core.dates import MIN_DATE
from ..core.parameters import DatedValue, Parameter, ParameterNode, default_parameters
from ..tariffs.measures import MeasureSet, TariffMeasure, TariffSystem

ROOT = "us.tariffs"
#: Measure fields exposed as parameters, with their units.
FIELDS = {"rate": "fraction", "share": "fraction", "in_effect": "bool", "legal_effective": "date",
          "ends": "date"}


def measure_path(m: TariffMeasure, field: str = "") -> str:
    base = f"{ROOT}.{m.authority}.{m.id}"
    return f"{base}.{field}" if field else base


def _value(m: TariffMeasure, field: str) -> Any:
    v = getattr(m, field)
    return v.isoformat() if isinstance(v, _dt.date) else v


def measure_node(system: TariffSystem) -> ParameterNode:
    """The ``us.tariffs`` node: one folder per authority, one per measure."""
    authorities: dict[str, dict[str, ParameterNode]] = {}
    for m in system.measures:
        refs = system.measures.references(m)
        where = system.measures.where.get(m.id)
        params: dict[str, Parameter] = {}
        for field, unit in FIELDS.items():
            if field == "rate" and m.rate is None:
                continue
            dv = DatedValue(m.legal_effective, _value(m, field), refs, m.status if m.status != "official" else
                            "official", m.note if m.status == "assumption" else None)
            params[field] = Parameter(measure_path(m, field), f"{m.title}: {field.replace('_', ' ')}", unit,
                                      (dv,), None, where.file if where else None)
        authorities.setdefault(m.authority, {})[m.id] = ParameterNode(measure_path(m), m.title, params)
    children = {a: ParameterNode(f"{ROOT}.{a}", f"Measures under {a}", ms) for a, ms in authorities.items()}
    return ParameterNode(ROOT, "US tariff measures as parameters (one folder per authority and measure)",
                         children)


_POLICY: dict[int, ParameterNode] = {}


def _policy(system: TariffSystem) -> ParameterNode:
    key = id(system)
    if key not in _POLICY:
        _POLICY[key] = _graft(system)
    return _POLICY[key]


def _graft(system: TariffSystem) -> ParameterNode:
    tree = default_parameters()
    us = tree.children.get("us")
    node = measure_node(system)
    tariffs = us.children.get("tariffs") if isinstance(us, ParameterNode) else None
    merged_tariffs = (ParameterNode(ROOT, tariffs.description, {**tariffs.children, **node.children},
                                    tariffs.documentation) if isinstance(tariffs, ParameterNode) else node)
    us_node = ParameterNode("us", us.description if isinstance(us, ParameterNode) else "United States",
                            {**(us.children if isinstance(us, ParameterNode) else {}), "tariffs": merged_tariffs})
    return ParameterNode(tree.path, tree.description, {**tree.children, "us": us_node}, tree.documentation)


def policy_parameters() -> ParameterNode:
    """The shipped parameter tree with the tariff measures grafted in at ``us.tariffs``."""
    from .tariff_files import default_tariff_system
    return _policy(default_tariff_system())


def _latest(param: Parameter) -> Any:
    return param.values[-1].value if param.values else None


def apply_measure_parameters(measures: MeasureSet, tree: ParameterNode,
                             values: dict[str, Any] | None = None) -> MeasureSet:
    """``measures`` with the values their parameters hold in ``tree`` where a
    scenario changed them (a value set by a scenario carries its reference),
    and with ``values`` (parameter path -> value, e.g. one Monte Carlo draw)."""
    values = dict(values or {})
    out: list[TariffMeasure] = []
    changed = False
    for m in measures:
        update: dict[str, Any] = {}
        for field in FIELDS:
            path = measure_path(m, field)
            if path in values:
                update[field] = values[path]
                continue
            try:
                param = tree.parameter(path)
            except Exception:  # noqa: BLE001 - a tree without the measure nodes
                continue
            if any(dv.references and dv.references[0].kind == "scenario" for dv in param.values):
                update[field] = _latest(param)
        if update:
            for k in ("legal_effective", "ends"):
                if isinstance(update.get(k), str):
                    update[k] = _dt.date.fromisoformat(update[k])
            if "rate" in update and update["rate"] is not None:
                update["rate"] = float(update["rate"])
            data = m.model_dump()
            data.update(update)
            m = TariffMeasure.model_validate(data)
            changed = True
        out.append(m)
    if not changed:
        return measures
    return MeasureSet(tuple(out), measures.sources, measures.where, measures.regime)


def measure_paths_in(paths: Any) -> list[str]:
    """The paths among ``paths`` that are tariff-measure parameters."""
    return [p for p in paths if str(p).startswith(ROOT + ".") and str(p).rsplit(".", 1)[-1] in FIELDS]


__all__ = ["FIELDS", "ROOT", "apply_measure_parameters", "measure_node", "measure_path", "measure_paths_in",
           "policy_parameters", "MIN_DATE"]
