"""Deals side by side: :func:`peer_comparison` (Korea's deal against Japan's and the others).

One row per assessed scenario, one column per figure, all read from the
scenario's own results (its headline and annual table), so the comparison
is only as good as each scenario's assessment and adds no model of its own.

Figures
-------
``pledge_usd_bn``
    The headline pledge (every tranche, cash or not).
``peak_reserve_outflow_usd_bn``
    The largest yearly outflow paid from the investor's FX reserves
    (state-funded cash; company FDI and borrowing excluded).
``reserve_outflow_to_reserve_income``
    max over years t of reserve-funded outflow(t) / reserve income(t): the
    strain in the worst year, > 1 when reserves must be drawn down.
``tariff_relief_usd_bn_per_year``
    The investor's tariff savings a year, mean over the modelled horizon
    (bill without the deal − bill with it, before incidence).
``tariff_relief_per_usd_pledged``
    That relief a year divided by the pledge: USD of duty saved each year
    per USD pledged.
``tariff_relief_pv_per_usd_pledged``
    Present value of the investor's tariff savings (after incidence and any
    withdrawal) divided by the pledge.
``deal_npv_investor_usd_bn``, ``deal_npv_host_usd_bn``
    Each side's payoff against no deal (present value).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .assessment import Assessment, ScenarioAssessment

#: Numeric columns: key -> (label, unit, format); interfaces format with the third.
PEER_COLUMNS: dict[str, tuple[str, str, str]] = {
    "pledge_usd_bn": ("Pledge", "USD bn", "{:,.0f}"),
    "peak_reserve_outflow_usd_bn": ("Peak cash a year from reserves", "USD bn a year", "{:,.1f}"),
    "reserve_outflow_to_reserve_income": ("Cash from reserves / reserve income (worst year)", "ratio",
                                          "{:.2f}"),
    "tariff_relief_usd_bn_per_year": ("Tariff relief a year (mean over horizon)", "USD bn a year",
                                      "{:,.2f}"),
    "tariff_relief_per_usd_pledged": ("Tariff relief a year per dollar pledged", "USD per USD pledged",
                                      "{:.4f}"),
    "tariff_relief_pv_per_usd_pledged": ("Tariff relief (PV) per dollar pledged", "USD per USD pledged",
                                         "{:.3f}"),
    "deal_npv_investor_usd_bn": ("Deal NPV for the investor (vs no deal)", "USD bn", "{:+,.1f}"),
    "deal_npv_host_usd_bn": ("Deal NPV for the host (vs no deal)", "USD bn", "{:+,.1f}"),
}


def _head(s: "ScenarioAssessment", key: str) -> float:
    v = s.headline.get(key)
    return float("nan") if v is None else float(v)


def _annual(s: "ScenarioAssessment", key: str) -> np.ndarray:
    if key not in s.annual.columns:
        return np.array([], dtype=float)
    return s.annual[key].to_numpy(dtype=float)


def _investor(s: "ScenarioAssessment") -> str | None:
    """The investor's partner code, as the tariff engine booked its bill (``ALL`` is the total)."""
    if s.tariffs.empty or "partner" not in s.tariffs.columns:
        return None
    codes = sorted(set(s.tariffs["partner"].astype(str)) - {"ALL"})
    return codes[0] if len(codes) == 1 else None


def _peak_reserve_outflow(s: "ScenarioAssessment") -> float:
    v = _head(s, "peak_annual_reserve_funded_outflow_usd_bn")
    if np.isnan(v):
        flows = _annual(s, "reserve_funded_outflow_usd_bn")
        v = float(np.nanmax(flows)) if flows.size else float("nan")
    return v


def _reserve_strain(s: "ScenarioAssessment") -> float:
    v = _head(s, "max_outflow_to_reserve_income")
    if np.isnan(v):
        out, inc = _annual(s, "reserve_funded_outflow_usd_bn"), _annual(s, "reserve_income_usd_bn")
        ok = inc > 0
        if out.size and ok.any():
            v = float(np.max(out[ok] / inc[ok]))
    return v


def _relief_per_year(s: "ScenarioAssessment") -> float:
    v = _head(s, "tariff_savings_usd_bn_per_year")
    if np.isnan(v):
        savings = _annual(s, "tariff_savings_usd_bn")
        v = float(np.nanmean(savings)) if savings.size else float("nan")
    return v


def _per(x: float, pledge: float) -> float:
    return x / pledge if pledge and not np.isnan(pledge) else float("nan")


def peer_row(s: "ScenarioAssessment") -> dict[str, object]:
    """One scenario's comparison figures (see the module docstring)."""
    pledge = _head(s, "pledge_usd_bn")
    relief = _relief_per_year(s)
    return {
        "investor": _investor(s),
        "pledge_usd_bn": pledge,
        "peak_reserve_outflow_usd_bn": _peak_reserve_outflow(s),
        "reserve_outflow_to_reserve_income": _reserve_strain(s),
        "tariff_relief_usd_bn_per_year": relief,
        "tariff_relief_per_usd_pledged": _per(relief, pledge),
        "tariff_relief_pv_per_usd_pledged": _per(_head(s, "investor_tariff_savings_usd_bn"), pledge),
        "deal_npv_investor_usd_bn": _head(s, "deal_npv_investor_usd_bn"),
        "deal_npv_host_usd_bn": _head(s, "deal_npv_host_usd_bn"),
    }


def peer_comparison(assessment: "Assessment | Iterable[ScenarioAssessment]") -> pd.DataFrame:
    """Deals side by side: one row per scenario (index ``scenario``), the
    column ``investor`` (partner code) and the numeric columns of
    :data:`PEER_COLUMNS` (NaN where a scenario has no such figure)."""
    scenarios = list(getattr(assessment, "scenarios", assessment))
    rows = {s.name: peer_row(s) for s in scenarios}
    cols = ["investor", *PEER_COLUMNS]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=cols)
    out.index.name = "scenario"
    return out.astype({k: float for k in PEER_COLUMNS})
