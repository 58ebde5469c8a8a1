"""How numbers are written for people: one place for every interface (terminal, report, web)."""

from __future__ import annotations

import math
from typing import Any

#: Headline figures whose missing value means "not within the horizon".
NEVER_KEYS = ("recoup_year", "profit_split_switch_year")


def format_value(key: str, value: Any) -> str:
    """A headline figure as text, with the format its key declares."""
    from ..results.assessment import HEADLINE
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "never" if key in NEVER_KEYS else "n/a"
    if value == math.inf:
        return "never"
    if value == -math.inf:
        return "none"
    return HEADLINE[key][2].format(value) if key in HEADLINE else f"{value:,.2f}" if isinstance(value, float) \
        else f"{value}"


def format_quantile(v: float, key: str = "") -> str:
    """A quantile of a simulated figure ("never" for an infinite year, "n/a" for no value)."""
    if v == math.inf:
        return "never"
    if v == -math.inf or v != v:
        return "n/a"
    if key.endswith("_year"):
        return f"{v:.0f}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}"


def pct(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or x != x else f"{x * 100:.{digits}f} %"
