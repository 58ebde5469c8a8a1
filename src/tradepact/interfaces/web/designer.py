"""The deal designer's terms, written as a scenario on top of a shipped base.

A design is the handful of numbers the designer's sliders move; it becomes a
scenario YAML text (``base:`` the shipped scenario, the tranches and
parameters it changes), so what the page shows is exactly what ``tradepact
assess`` gives for the downloaded file. Nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import yaml

from ...core.errors import Location, TradepactError, with_value

#: Designer fields: key -> (label, low, high, step); the values of the shipped final deal are the defaults.
FIELDS: dict[str, tuple[str, float, float, float]] = {
    "annual_cap_usd_bn": ("Annual cash cap (USD bn a year)", 5.0, 120.0, 1.0),
    "years": ("Years to commit the non-cash part", 1.0, 10.0, 1.0),
    "cash_share": ("Cash share of the pledge", 0.0, 1.0, 0.01),
    "guarantee_share": ("Guarantee share of the non-cash part", 0.0, 1.0, 0.01),
    "fdi_share": ("Company FDI share of the non-cash part", 0.0, 1.0, 0.01),
    "investor_share_before_recoup": ("Investor share of distributions before recoup", 0.0, 1.0, 0.01),
    "investor_share_after_recoup": ("Investor share of distributions after recoup", 0.0, 1.0, 0.01),
    "project_cash_yield_rate": ("Projects' cash yield (a year)", 0.0, 0.2, 0.005),
    "exchange_rate_krw_per_usd": ("Exchange rate (KRW per USD)", 900.0, 2000.0, 5.0),
}
BASE = "us_kr_2025/final"
#: Parameters the designer overrides (design key -> parameter path).
PARAMETERS = {"project_cash_yield_rate": "assumptions.vehicle.project_cash_yield_rate",
              "exchange_rate_krw_per_usd": "kr.macro.exchange_rate_krw_per_usd"}
#: Non-cash tranches of the base, by instrument.
NON_CASH = {"guarantee": "shipbuilding_guarantees", "company_fdi": "shipbuilding_fdi", "loan": "ship_finance"}


@dataclass(frozen=True)
class Design:
    """The designer's numbers (shares as fractions, money in USD bn)."""

    pledge_usd_bn: float
    annual_cap_usd_bn: float
    years: float
    cash_share: float
    guarantee_share: float
    fdi_share: float
    investor_share_before_recoup: float
    investor_share_after_recoup: float
    project_cash_yield_rate: float
    exchange_rate_krw_per_usd: float
    as_of: str = "2025-11-14"

    @classmethod
    def from_query(cls, values: Mapping[str, Any], default: "Design") -> "Design":
        """A design from form or query values; missing keys keep ``default``'s; bad ones raise."""
        out = asdict(default)
        for key, (label, lo, hi, _) in FIELDS.items():
            if key not in values or values[key] in ("", None):
                continue
            try:
                v = float(values[key])
            except (TypeError, ValueError):
                raise with_value("not a number", location=Location(field=key), value=values[key],
                                 expected=f"{label}: a number from {lo:g} to {hi:g}") from None
            if not lo <= v <= hi or v != v:
                raise with_value("out of range", location=Location(field=key), value=v,
                                 expected=f"{label}: a number from {lo:g} to {hi:g}")
            out[key] = v
        d = cls(**out)
        if d.guarantee_share + d.fdi_share > 1 + 1e-9:
            raise with_value("the guarantee and FDI shares add up to more than 1", location=Location(
                field="fdi_share"), value=round(d.guarantee_share + d.fdi_share, 4),
                expected="guarantee_share + fdi_share of at most 1 (ship-finance loans take the rest)")
        return d

    def query(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in FIELDS}

    def amounts(self) -> dict[str, float]:
        """USD bn by instrument: cash, then the non-cash part split by the shares."""
        cash = self.pledge_usd_bn * self.cash_share
        rest = self.pledge_usd_bn - cash
        guar = rest * self.guarantee_share
        fdi = rest * self.fdi_share
        return {"cash_equity": cash, "guarantee": guar, "company_fdi": fdi, "loan": max(rest - guar - fdi, 0.0)}

    def scenario(self, name: str = "user/designed") -> dict[str, Any]:
        """The scenario mapping (to dump as YAML)."""
        a = self.amounts()
        tranches: list[dict[str, Any]] = []
        if a["cash_equity"] > 0:
            tranches.append({"name": "cash", "amount_usd_bn": round(a["cash_equity"], 6),
                             "schedule": {"kind": "capped_annual", "cap_usd_bn": self.annual_cap_usd_bn}})
        else:
            tranches.append({"name": "cash", "remove": True})
        for instrument, tranche in NON_CASH.items():
            amount = round(a[instrument], 6)
            if amount <= 0:
                tranches.append({"name": tranche, "remove": True})
                continue
            tranches.append({"name": tranche, "amount_usd_bn": amount,
                             "schedule": {"kind": "capped_annual",
                                          "cap_usd_bn": round(amount / self.years * (1 + 1e-9), 9)}})
        return {
            "name": name, "title": "Designed deal", "status": "user", "base": BASE, "as_of": self.as_of,
            "description": "Made with the tradepact deal designer from the final deal.",
            "profit_split": {"investor_share_before_recoup": self.investor_share_before_recoup,
                             "investor_share_after_recoup": self.investor_share_after_recoup},
            "tranches": tranches,
            "parameters": {path: getattr(self, key) for key, path in PARAMETERS.items()},
        }

    def yaml(self) -> str:
        return yaml.safe_dump(self.scenario(), sort_keys=False, allow_unicode=True)


def default_design(assessment: Any, tree: Any) -> Design:
    """The final deal's terms as a design (from its assessment and the parameters on its date)."""
    s = assessment
    by = {t.name: t for t in s.tranches}
    pledge = float(sum(t.amount_usd_bn for t in s.tranches))
    cash = sum(t.amount_usd_bn for t in s.tranches if t.instrument == "cash_equity")
    rest = pledge - cash
    guar = sum(t.amount_usd_bn for t in s.tranches if t.instrument == "guarantee")
    fdi = sum(t.amount_usd_bn for t in s.tranches if t.instrument == "company_fdi")
    uses = {u.path: u.value for u in s.sources}
    cap = uses.get("deals.us_kr_2025.cash.annual_cap_usd_bn", 20.0)
    ann = s.annual
    non_cash_years = int(((ann["guarantee_exposure_issued_usd_bn"] + ann["company_fdi_usd_bn"]) > 1e-9).sum()) \
        if "company_fdi_usd_bn" in ann else 3
    on = s.as_of.isoformat()
    try:
        yield_rate = float(tree.parameter(PARAMETERS["project_cash_yield_rate"]).at(on))
        fx = float(tree.parameter(PARAMETERS["exchange_rate_krw_per_usd"]).at(on))
    except TradepactError:
        yield_rate, fx = 0.07, 1400.0
    del by
    return Design(pledge, float(cap), float(max(1, min(10, non_cash_years))), cash / pledge if pledge else 0.0,
                  guar / rest if rest else 0.0, fdi / rest if rest else 0.0,
                  float(uses.get("deals.us_kr_2025.profit_split.investor_share_before_recoup", 0.5)),
                  float(uses.get("deals.us_kr_2025.profit_split.investor_share_after_recoup", 0.1)),
                  yield_rate, fx, on)
