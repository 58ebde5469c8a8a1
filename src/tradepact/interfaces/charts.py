"""Charts of an Assessment as SVG text (matplotlib, no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..results import Assessment  # noqa: E402

_COLORS = ["#1f5fa8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#66a182", "#8d96a3"]


def _svg(fig: plt.Figure) -> str:
    for ax in fig.axes:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _active_years(a: Assessment, column: str, pad: int = 2) -> tuple[int, int]:
    years = [int(y) for s in a.scenarios for y, v in zip(s.annual["year"], s.annual[column]) if v > 1e-9]
    first = min(s.annual["year"].min() for s in a.scenarios)
    last = max(years) + pad if years else max(s.annual["year"].max() for s in a.scenarios)
    return int(first), int(last)


def outflow_chart(a: Assessment) -> str:
    """Annual cash outflow by scenario, with the stated USD supply capacity."""
    lo, hi = _active_years(a, "cash_outflow_usd_bn")
    fig, ax = plt.subplots(figsize=(8, 4))
    n = len(a.scenarios)
    width = 0.8 / max(n, 1)
    for i, s in enumerate(a.scenarios):
        d = s.annual[(s.annual["year"] >= lo) & (s.annual["year"] <= hi)]
        ax.bar(d["year"] + (i - (n - 1) / 2) * width, d["cash_outflow_usd_bn"], width,
               label=s.name, color=_COLORS[i % len(_COLORS)])
    cap = a.scenarios[0].annual["usd_supply_capacity_usd_bn"].iloc[0]
    ax.axhline(cap, color="black", ls="--", lw=1, label=f"stated capacity ({cap:g} USD bn/yr)")
    ax.set_ylabel("USD bn per year")
    ax.set_title("Annual cash outflow of the pledge")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return _svg(fig)


def reserves_chart(a: Assessment) -> str:
    """Reserves path by scenario, and state-funded outflow against capacity and reserve income."""
    lo, hi = _active_years(a, "reserve_funded_outflow_usd_bn", pad=5)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for i, s in enumerate(a.scenarios):
        c = _COLORS[i % len(_COLORS)]
        d = s.annual[(s.annual["year"] >= lo) & (s.annual["year"] <= hi)]
        left.plot(d["year"], d["reserves_usd_bn"], color=c, label=s.name)
        right.plot(d["year"], d["reserve_funded_outflow_usd_bn"], color=c, label=s.name, drawstyle="steps-mid")
        right.plot(d["year"], d["reserve_income_usd_bn"], color=c, ls=":", lw=1)
    d0 = a.scenarios[0].annual
    d0 = d0[(d0["year"] >= lo) & (d0["year"] <= hi)]
    left.plot(d0["year"], d0["baseline_reserves_usd_bn"], color="grey", ls=":", label="without the pledge")
    right.plot(d0["year"], d0["usd_supply_capacity_usd_bn"], color="black", ls="--", label="stated capacity")
    right.plot([], [], color="grey", ls=":", lw=1, label="reserve income (dotted, by scenario)")
    left.set_title("FX reserves, end of year")
    left.set_ylabel("USD bn")
    right.set_title("Outflow paid from reserves against capacity")
    right.set_ylabel("USD bn per year")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, frameon=False)
    return _svg(fig)


def waterfall_chart(a: Assessment) -> str:
    """Cumulative cash out against cumulative receipts (the recoup race)."""
    fig, ax = plt.subplots(figsize=(8, 4))
    for i, s in enumerate(a.scenarios):
        c = _COLORS[i % len(_COLORS)]
        d = s.annual
        ax.plot(d["year"], d["cumulative_cash_outflow_usd_bn"], color=c, ls="--", lw=1)
        ax.plot(d["year"], d["investor_cumulative_receipts_usd_bn"], color=c, label=s.name)
        ry = s.headline.get("recoup_year")
        if ry is not None:
            y = float(d.loc[d["year"] == ry, "investor_cumulative_receipts_usd_bn"].iloc[0])
            ax.plot([ry], [y], "o", color=c)
    ax.plot([], [], color="black", ls="--", lw=1, label="cumulative cash out")
    ax.plot([], [], color="black", label="cumulative receipts (dot: recouped)")
    ax.set_ylabel("USD bn, cumulative")
    ax.set_title("Investor's cash out and cash back")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    return _svg(fig)


def all_charts(a: Assessment) -> dict[str, str]:
    return {"outflow": outflow_chart(a), "reserves": reserves_chart(a),
            "waterfall": waterfall_chart(a)}


__all__ = ["all_charts", "outflow_chart", "reserves_chart", "waterfall_chart"]
