"""Results of the tariff engine: one cited rate (:class:`TariffRate`) and effective rates (:class:`EffectiveRates`).

Their JSON is the contract of ``tradepact tariffs rate --json`` and
``tradepact tariffs etr --json``.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..tariffs.engine import RateExplanation
from ..tariffs.measures import AUTHORITIES, AUTHORITY_LABELS
from .base import PROVENANCE_COLUMNS, Result, records


@dataclass(frozen=True)
class TariffRate(Result):
    """The rate of one HS code from one partner on one date, each authority's part and its sources."""

    explanation: RateExplanation
    SCHEMA = "tariff_rate/1"

    @property
    def name(self) -> str:
        x = self.explanation
        return f"{x.partner}:{x.hs}:{x.on.isoformat()}"

    @property
    def total_rate(self) -> float:
        return self.explanation.total_rate

    def to_dict(self, *, lines: bool = False) -> dict[str, Any]:
        """The JSON of ``tariffs rate --json``; ``lines=True`` adds each HTS line's
        weight and total rate (a code shorter than HTS10 is their weighted mean)."""
        return self.explanation.to_dict(lines=lines)

    def frame(self) -> pd.DataFrame:
        """One row per authority with a non-zero part (rates as fractions)."""
        by = self.explanation.by_authority
        rows = [{"authority": a, "label": AUTHORITY_LABELS[a], "rate": by[a], "unit": "fraction"}
                for a in AUTHORITIES if by.get(a, 0.0) != 0.0]
        rows.append({"authority": "total", "label": "Total", "rate": self.total_rate, "unit": "fraction"})
        import pandas as pd
        return pd.DataFrame(rows)

    def compare(self) -> pd.DataFrame:
        return self.frame().set_index("authority")

    def provenance(self) -> pd.DataFrame:
        x = self.explanation
        rows = []
        for m in x.measures:
            rows.append({"path": f"us.tariffs.{m['authority']}.{m['id']}.rate", "date": x.on.isoformat(),
                         "value": m["rate"], "unit": "fraction", "valid_from": m["legal_effective"],
                         "status": m["status"], "note": m["title"], "reference": ", ".join(m["cite"]),
                         "href": "", "pinpoint": ""})
        for ref in x.references:
            rows.append({"path": "reference", "date": x.on.isoformat(), "value": None, "unit": "",
                         "valid_from": "", "status": "", "note": "", "reference": ref.short(), "href": ref.href,
                         "pinpoint": ref.pinpoint})
        import pandas as pd
        return pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS))

    def summary(self) -> str:
        x = self.explanation
        return (f"{x.partner} HS {x.hs} on {x.on}: {x.total_rate:.2%} ("
                + ", ".join(f"{a} {v:.2%}" for a, v in x.by_authority.items() if v) + ")")


def _finite_or_none(x: Any) -> float | None:
    """A rate for JSON: ``None`` where it is undefined (no trade, so no ETR)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class EffectiveRates(Result):
    """Duties and effective tariff rates (duties / customs value) grouped by one key."""

    table: pd.DataFrame          # key column, customs_value, duty, etr
    by: str
    on: _dt.date
    regime: str
    method: str
    source: str = ""
    SCHEMA = "effective_rates/1"

    def to_dict(self) -> dict[str, Any]:
        rows = [{self.by: r[self.by], "customs_value_usd": float(r["customs_value"]), "duty_usd": float(r["duty"]),
                 "etr": _finite_or_none(r["etr"])}
                for r in records(self.table)]
        return {"date": self.on.isoformat(), "regime": self.regime, "by": self.by, "rows": rows}

    def frame(self) -> pd.DataFrame:
        return self.table

    def compare(self) -> pd.DataFrame:
        out = self.table.set_index(self.by)[["customs_value", "duty", "etr"]].copy()
        out.attrs["units"] = {"customs_value": "USD", "duty": "USD", "etr": "fraction"}
        return out

    def provenance(self) -> pd.DataFrame:
        import pandas as pd
        return pd.DataFrame([{"path": f"trade data ({self.source})", "date": self.on.isoformat(), "value": None,
                              "unit": "USD", "valid_from": "", "status": "reported",
                              "note": f"regime {self.regime}, stacking {self.method}", "reference": self.source,
                              "href": "", "pinpoint": ""}], columns=list(PROVENANCE_COLUMNS))
