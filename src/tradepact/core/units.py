"""Units of parameter values and the checks each implies.

A parameter declares one unit; every value it holds is checked against it
when the file is loaded (a fraction must lie in [0, 1], a year must be a
whole number, ...). A parameter whose name states a unit (``..._usd_bn``,
``..._share``) must declare a matching one, so that the name a user reads
never disagrees with the number.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .dates import parse_date


def _is_number(v: object) -> bool:
    """A finite int or float, never a bool (``true`` is not 1) nor NaN/infinity."""
    return not isinstance(v, bool) and (isinstance(v, int) or (isinstance(v, float) and math.isfinite(v)))


@dataclass(frozen=True)
class Unit:
    """A unit: its name, what a value must be, the check, a short label, and the
    range a drawn value may take (``None``: not a quantity that can carry a
    distribution, e.g. dates, years, flags)."""

    name: str
    expected: str
    check: Callable[[object], bool]
    label: str
    range: tuple[float, float] | None = None


def _date_ok(v: object) -> bool:
    try:
        parse_date(v)
    except ValueError:
        return False
    return True


_INF = float("inf")


def _per_usd(ccy: str, name: str) -> Unit:
    return Unit(f"{ccy.lower()}_per_usd", f"a positive number ({name} per US dollar)",
                lambda v: _is_number(v) and v > 0, f"{ccy}/USD", (0.0, _INF))


#: Currencies an investor's exchange rate may be given in (``exchange_rate_<ccy>_per_usd``).
CURRENCIES = {"KRW": "won", "JPY": "yen", "TWD": "New Taiwan dollars", "CHF": "Swiss francs",
              "EUR": "euros", "CNY": "yuan", "GBP": "pounds"}

UNITS: dict[str, Unit] = {u.name: u for u in [
    Unit("usd_bn", "a number (USD billions, nominal)", _is_number, "USD bn", (-_INF, _INF)),
    Unit("usd_bn_per_year", "a number (USD billions per calendar year)", _is_number, "USD bn/yr", (-_INF, _INF)),
    *[_per_usd(c, n) for c, n in CURRENCIES.items()],
    Unit("fraction", "a number from 0 to 1 (a share, not a percent)",
         lambda v: _is_number(v) and 0 <= v <= 1, "fraction", (0.0, 1.0)),
    Unit("fraction_per_year", "a number from -1 to 1 (an annual rate as a fraction, not a percent)",
         lambda v: _is_number(v) and -1 <= v <= 1, "fraction/yr", (-1.0, 1.0)),
    Unit("elasticity", "a non-negative number (an elasticity entered as positive)",
         lambda v: _is_number(v) and 0 <= v <= 50, "elasticity", (0.0, 50.0)),
    Unit("year", "a calendar year (a whole number from 1900 to 2200)",
         lambda v: isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2200, "year"),
    Unit("years", "a non-negative number of years", lambda v: _is_number(v) and v >= 0, "years", (0.0, _INF)),
    Unit("business_days", "a non-negative whole number of business days",
         lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "business days"),
    Unit("date", "an ISO date (YYYY-MM-DD)", _date_ok, "date"),
    Unit("bool", "true or false", lambda v: isinstance(v, bool), "true/false"),
]}

#: Name suffix -> units a parameter with that suffix may declare.
SUFFIX_UNITS: dict[str, tuple[str, ...]] = {
    "_usd_bn": ("usd_bn", "usd_bn_per_year"),
    "_share": ("fraction",),
    "_probability": ("fraction", "fraction_per_year"),
    "_rate": ("fraction", "fraction_per_year"),
    "_year": ("year",),
    "_years": ("years",),
    "_business_days": ("business_days",),
    "_date": ("date",),
    "_deadline": ("date",),
    "_elasticity": ("elasticity",),
    **{f"_{c.lower()}_per_usd": (f"{c.lower()}_per_usd",) for c in CURRENCIES},
}


def units_for_name(name: str) -> tuple[str, ...] | None:
    """Units a parameter called ``name`` may declare, or None if any."""
    for suffix, units in SUFFIX_UNITS.items():
        if name.endswith(suffix):
            return units
    return None
