"""Plain names for people: scenario titles, sector and partner labels, parameter labels.

Internal keys (``us_kr_2025/final``, ``car_parts``, ``KOR``) stay in JSON and
CSV; the report and the web app show these names instead. The labels come
from the shipped data (scenario titles, ``policy/codes/sectors.csv``,
``partners.csv``, parameter labels), not from a second list here.
"""

from __future__ import annotations

from functools import lru_cache

from ..results.verdict import party_name


@lru_cache(maxsize=1)
def _sector_labels() -> dict[str, str]:
    from ..resolve.tariff_files import default_tariff_system
    labels = dict(default_tariff_system().groups.sector_labels)
    labels.setdefault("all", "All sectors")
    labels.setdefault("cars_and_parts", "Cars and car parts")
    return labels


def sector_label(key: str) -> str:
    """``car_parts`` → "Car parts and tires" (the label in sectors.csv)."""
    try:
        labels = _sector_labels()
    except Exception:  # noqa: BLE001 - a label is never worth an error
        labels = {}
    return labels.get(key, key.replace("_", " ").capitalize())


@lru_cache(maxsize=64)
def scenario_title(name: str) -> str:
    """A shipped scenario's title ("Final deal (MOU of 14 November 2025)"); the name if not shipped."""
    from ..core.scenario import Scenario
    try:
        return Scenario.load(name).spec.title
    except Exception:  # noqa: BLE001
        return name


@lru_cache(maxsize=1)
def _partner_names() -> dict[str, str]:
    from ..resolve.tariff_files import default_tariff_system
    frame = default_tariff_system().partners.partners
    return dict(zip(frame["iso3"].to_list(), frame["name"].to_list()))


def partner_label(code: str) -> str:
    """``KOR`` → "Korea" (plain names of the parties, else the partner table's name)."""
    name = party_name(code)
    if name != code:
        return name[4:] if name.startswith("the ") else name
    try:
        return _partner_names().get(code, code)
    except Exception:  # noqa: BLE001
        return code


__all__ = ["partner_label", "scenario_title", "sector_label"]
