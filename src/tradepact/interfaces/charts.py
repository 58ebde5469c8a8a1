"""Charts of an Assessment as SVG text.

The report's own charts (outflow, reserves, waterfall, the tariff rate
timeline, the evidence timeline) are drawn as SVG directly by
:mod:`.svgplot`, in milliseconds and without importing matplotlib; the
Monte Carlo and negotiation charts (fan, payoffs, frontier) use matplotlib,
imported when one of them is drawn.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np

from ..results.assessment import Assessment
from .svgplot import Figure, Legend, days, line_entry

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    import pandas as pd

    from ..macro.montecarlo import SimulationResult
    from ..negotiation.zopa import ZoneOfAgreement

_COLORS = ["#1f5fa8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#66a182", "#8d96a3"]


def _plt() -> Any:
    """matplotlib's pyplot on the Agg backend (imported on first use)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _svg(fig: Any, *, integer_x: bool = True) -> str:
    """A matplotlib figure as SVG text (closes it). ``integer_x``: whole-number x
    ticks (years); pass False for date axes, which keep their date locator."""
    from matplotlib.ticker import MaxNLocator
    plt = _plt()
    if integer_x:
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


def _window(d: pd.DataFrame, lo: int, hi: int) -> pd.DataFrame:
    return d[(d["year"] >= lo) & (d["year"] <= hi)]


def outflow_chart(a: Assessment) -> str:
    """Left: the outflow paid from reserves by scenario against the stated USD
    supply capacity (the test the verdict applies). Right, apart: the total
    cash outflow, which also counts borrowing-funded and company money that
    the capacity does not bound."""
    lo, hi = _active_years(a, "cash_outflow_usd_bn")
    fig = Figure(11, 4)
    (left, right), = fig.grid(1, 2, xaxis="integer", grid="y", ylabel="USD bn per year")
    n = len(a.scenarios)
    width = 0.8 / max(n, 1)
    entries = []
    for i, s in enumerate(a.scenarios):
        d = _window(s.annual, lo, hi)
        x = d["year"] + (i - (n - 1) / 2) * width
        c = _COLORS[i % len(_COLORS)]
        left.bar(x, d["reserve_funded_outflow_usd_bn"], width, color=c, label=s.title)
        right.bar(x, d["cash_outflow_usd_bn"], width, color=c, opacity=0.55, label=s.title)
        entries.append((s.title, {"kind": "patch", "color": c}))
    d0 = _window(a.scenarios[0].annual, lo, hi)
    cap = d0["usd_supply_capacity_usd_bn"]
    cap_line = left.plot(d0["year"], cap, color="black", dash="--", width=1.2, step="mid",
                         label=f"stated USD supply capacity ({cap.iloc[0]:g} USD bn/yr)")
    left.title = "Outflow paid from reserves against capacity"
    right.title = "Total cash outflow (all instruments; not bound by the capacity)"
    left.legend = Legend([(cap_line.label, line_entry(cap_line))] + entries, size=7)
    top = max(left.auto_limits()[1][1], right.auto_limits()[1][1])
    xlim = left.auto_limits()[0]
    for ax in (left, right):
        ax.ylim = (0.0, top)
        ax.xlim = xlim
    return fig.svg()


def reserves_chart(a: Assessment) -> str:
    """Reserves path by scenario, and state-funded outflow against capacity and reserve income."""
    lo, hi = _active_years(a, "reserve_funded_outflow_usd_bn", pad=5)
    fig = Figure(11, 4)
    (left, right), = fig.grid(1, 2, xaxis="integer", grid="both")
    le, re_ = [], []
    for i, s in enumerate(a.scenarios):
        c = _COLORS[i % len(_COLORS)]
        d = _window(s.annual, lo, hi)
        line = left.plot(d["year"], d["reserves_usd_bn"], color=c, label=s.title)
        le.append((s.title, line_entry(line)))
        line = right.plot(d["year"], d["reserve_funded_outflow_usd_bn"], color=c, label=s.title, step="mid")
        re_.append((s.title, line_entry(line)))
        right.plot(d["year"], d["reserve_income_usd_bn"], color=c, dash=":", width=1)
    d0 = _window(a.scenarios[0].annual, lo, hi)
    line = left.plot(d0["year"], d0["baseline_reserves_usd_bn"], color="grey", dash=":", label="without the pledge")
    le.append((line.label, line_entry(line)))
    line = right.plot(d0["year"], d0["usd_supply_capacity_usd_bn"], color="black", dash="--", label="stated capacity")
    re_.append((line.label, line_entry(line)))
    re_.append(("reserve income (dotted, by scenario)", {"kind": "line", "color": "grey", "dash": ":", "width": 1}))
    left.title, left.ylabel = "FX reserves, end of year", "USD bn"
    right.title, right.ylabel = "Outflow paid from reserves against capacity", "USD bn per year"
    left.title_size = right.title_size = 12
    left.legend, right.legend = Legend(le, size=7), Legend(re_, size=7)
    return fig.svg()


def waterfall_chart(a: Assessment) -> str:
    """Cumulative cash out against cumulative receipts (the recoup race)."""
    fig = Figure(8, 4)
    (ax,), = fig.grid(1, 1, xaxis="integer", grid="both", ylabel="USD bn, cumulative")
    entries = []
    for i, s in enumerate(a.scenarios):
        c = _COLORS[i % len(_COLORS)]
        d = s.annual
        ax.plot(d["year"], d["cumulative_cash_outflow_usd_bn"], color=c, dash="--", width=1)
        line = ax.plot(d["year"], d["investor_cumulative_receipts_usd_bn"], color=c, label=s.title)
        entries.append((s.title, line_entry(line)))
        ry = s.headline.get("recoup_year")
        if ry is not None:
            y = float(d.loc[d["year"] == ry, "investor_cumulative_receipts_usd_bn"].iloc[0])
            ax.plot([ry], [y], color=c, marker=True, show_line=False)
    entries += [("cumulative cash out", {"kind": "line", "color": "black", "dash": "--", "width": 1}),
                ("cumulative receipts (dot: recouped)", {"kind": "line", "color": "black"})]
    ax.title, ax.title_size = "Investor's cash out and cash back", 12
    ax.legend = Legend(entries, size=8)
    return fig.svg()


def all_charts(a: Assessment) -> dict[str, str]:
    return {"outflow": outflow_chart(a), "reserves": reserves_chart(a),
            "waterfall": waterfall_chart(a)}


__all__ = ["all_charts", "outflow_chart", "reserves_chart", "waterfall_chart"]


# ---------------------------------------------------------------- uncertainty and negotiation
_FAN_TITLES = {"reserves_usd_bn": "FX reserves, end of year (USD bn)",
               "reserve_funded_outflow_usd_bn": "Outflow paid from reserves (USD bn/yr)",
               "cash_outflow_usd_bn": "All cash outflow (USD bn/yr)"}


def fan_chart(results: "Sequence[SimulationResult]",
              keys: tuple[str, ...] = ("reserves_usd_bn", "reserve_funded_outflow_usd_bn",
                                       "cash_outflow_usd_bn")) -> str:
    """Fan charts (median, 25-75 % and 5-95 % bands by year): one row per
    scenario, one column per series."""
    keys = tuple(k for k in keys if all(k in r.fan_keys for r in results))
    rows = max(len(results), 1)
    plt = _plt()
    fig, axes = plt.subplots(rows, len(keys), figsize=(4.2 * len(keys), 2.6 * rows), squeeze=False,
                             sharex=True)
    for i, r in enumerate(results):
        c = _COLORS[i % len(_COLORS)]
        for j, key in enumerate(keys):
            ax = axes[i][j]
            f = r.fan(key)
            active = f.index[(f["p95"].abs() > 1e-9)] if key != "reserves_usd_bn" else f.index
            hi = int(min(f.index.max(), (active.max() if len(active) else f.index.max()) + 3))
            f = f.loc[:hi]
            ax.fill_between(f.index, f["p5"], f["p95"], color=c, alpha=0.15, lw=0, label="5-95 %")
            ax.fill_between(f.index, f["p25"], f["p75"], color=c, alpha=0.35, lw=0, label="25-75 %")
            ax.plot(f.index, f["p50"], color=c, lw=1.5, label="median")
            caps = [v for k, v in r.inputs.items() if k.endswith("usd_supply_capacity_usd_bn")]
            if key == "reserve_funded_outflow_usd_bn" and caps:
                lo_c, hi_c = float(caps[0].min()), float(caps[0].max())
                ax.axhspan(lo_c, hi_c, color="black", alpha=0.08, lw=0, label="capacity range (drawn)")
            ax.set_title(f"{r.name}: {_FAN_TITLES.get(key, key)}", fontsize=8)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            if i == 0:
                ax.legend(fontsize=6, frameon=False)
    fig.tight_layout()
    return _svg(fig)


def payoff_chart(results: "Sequence[SimulationResult]") -> str:
    """Distribution of each side's payoff against no deal, by scenario (box: 25-75 %,
    whiskers: 5-95 %)."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for ax, key, title in ((axes[0], "deal_npv_investor_usd_bn", "Investor payoff vs no deal (PV, USD bn)"),
                           (axes[1], "deal_npv_host_usd_bn", "Host payoff vs no deal (PV, USD bn)")):
        data = [r.headline[key] for r in results]
        bp = ax.boxplot(data, whis=(5, 95), showfliers=False, patch_artist=True, orientation="horizontal")
        for k, patch in enumerate(bp["boxes"]):
            patch.set_facecolor(_COLORS[k % len(_COLORS)])
            patch.set_alpha(0.6)
        ax.set_yticks(range(1, len(results) + 1), [r.name.split("/")[-1] for r in results], fontsize=8)
        ax.axvline(0, color="black", lw=1, ls="--")
        ax.set_title(title, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def frontier_chart(zone: "ZoneOfAgreement") -> str:
    """Payoffs of every design on the grid, the zone of possible agreement, the
    Pareto frontier (grid and optimiser points), the Nash bargaining solution
    and each proposal."""
    plt = _plt()
    p = zone.payoffs
    fig, ax = plt.subplots(figsize=(10, 5.5))
    bad = ~zone.feasible
    ax.scatter(p.investor[bad], p.host[bad], s=3, color="#d9d9d9", label="infeasible (over capacity or horizon)",
               rasterized=True)
    ok = zone.feasible & ~zone.in_zone
    ax.scatter(p.investor[ok], p.host[ok], s=3, color="#9fb8d6", label="feasible, outside the zone", rasterized=True)
    ax.scatter(p.investor[zone.in_zone], p.host[zone.in_zone], s=3, color="#66a182",
               label="zone of possible agreement", rasterized=True)
    front = zone.frontier_points()
    if front:
        ax.plot([q.investor for q in front], [q.host for q in front], color="black", lw=1.4,
                drawstyle="steps-post", label="Pareto frontier")
        opt = [q for q in front if q.source == "optimiser"]
        if opt:
            ax.scatter([q.investor for q in opt], [q.host for q in opt], marker="D", s=22, color="black",
                       zorder=5, label="frontier, optimiser")
    ax.axvline(zone.investor_reservation, color="#d1495b", ls=":", lw=1)
    ax.axhline(zone.host_reservation, color="#1f5fa8", ls=":", lw=1)
    nash = zone.nash
    if nash is not None:
        ax.scatter([nash.investor], [nash.host], marker="*", s=180, color="#edae49", edgecolor="black",
                   zorder=6, label="Nash bargaining solution")
    markers = ["o", "s", "^", "v", "P", "X", "h"]
    for i, pr in enumerate(zone.proposals):
        ax.scatter([pr.investor], [pr.host], marker=markers[i % len(markers)], s=70,
                   color=_COLORS[i % len(_COLORS)], edgecolor="black", zorder=7,
                   label=f"{pr.name.split('/')[-1]}{'' if pr.feasible else ' (over capacity)'}")
    ax.set_xlabel("Investor payoff vs no deal (PV, USD bn)")
    ax.set_ylabel("Host payoff vs no deal (PV, USD bn)")
    ax.set_title(f"Designs around {zone.base}: zone of agreement and frontier"
                 + (f" (expected over {zone.n_draws:,} draws)" if zone.n_draws > 1 else ""), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), markerscale=1.5)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", dpi=110)
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


__all__ += ["fan_chart", "frontier_chart", "payoff_chart"]


# ---------------------------------------------------------------- tariffs
_TIMELINE_FIRST = ("all", "cars", "car_parts", "steel")
_SECTOR_TITLES = {"all": "All sectors", "car_parts": "Car parts"}


def rate_timeline_chart(frame: pd.DataFrame, *, sectors: Sequence[str] | None = None,
                        columns: int = 4) -> str:
    """Effective tariff rates over time as small multiples: one panel per sector
    (``all``, cars, car parts, steel first, then the other sectors with trade), one
    step line per partner (KOR bold), and KOR without the deal dashed when the
    frame holds the counterfactual. ``frame`` is the output of
    :func:`tradepact.tariffs.rate_timeline` (columns ``start, stop, case,
    partner, sector, etr``; without ``case``, the first regime is the deal and
    any other the counterfactual). Each line's SVG group id is
    ``rt-<sector>-<partner>-<case>``; a partner with no trade in a sector gets no
    line and is named in the panel's title."""
    import pandas as pd

    need = {"start", "stop", "partner", "sector", "etr"} | ({"regime"} if "case" not in frame else set())
    missing = sorted(need - set(frame.columns))
    if missing:
        raise ValueError(f"the rate timeline frame lacks column(s) {', '.join(missing)}. "
                         "Expected the output of tradepact.tariffs.rate_timeline.")
    f = frame.copy()
    if "case" not in f:
        main = f["regime"].iloc[0]
        f["case"] = f["regime"].eq(main).map({True: "with_deal", False: "without_deal"})
    f["start"], f["stop"] = pd.to_datetime(f["start"]), pd.to_datetime(f["stop"])
    traded = set(f.loc[f["etr"].notna(), "sector"])
    order = list(sectors) if sectors is not None else (
        [s for s in _TIMELINE_FIRST if s in set(f["sector"])]
        + sorted(s for s in traded if s not in _TIMELINE_FIRST))
    partners = sorted(set(f["partner"]), key=lambda p: (p != "KOR", p))
    colour = {p: _COLORS[i % len(_COLORS)] for i, p in enumerate(partners)}
    ncols = max(1, min(columns, len(order)))
    nrows = max(1, -(-len(order) // ncols))
    fig = Figure(3.4 * ncols, 2.5 * nrows + 0.6)
    axes = fig.grid(nrows, ncols, top=24, bottom=22, xaxis="date", grid="both", title_size=8, tick_size=7,
                    yfmt_suffix="%", yscale=1.0)
    groups = _step_groups(f)
    x_lo, x_hi = f["start"].min(), f["stop"].max()
    for k, sector in enumerate(order):
        ax = axes[k // ncols][k % ncols]
        idle = []
        for p in partners:
            for case in ("with_deal", "without_deal"):
                if case == "without_deal" and p != "KOR":
                    continue
                d = groups.get((sector, p, case))
                if d is None or np.isnan(d[2]).all():
                    if case == "with_deal":
                        idle.append(p)
                    continue
                y = (d[2] * 100).tolist()
                ax.plot(d[0].tolist() + [float(d[1][-1])], y + y[-1:], step="post", color=colour[p],
                        width=2.4 if p == "KOR" else 1.1, dash="--" if case == "without_deal" else None,
                        gid=f"rt-{sector}-{p}-{case}")
        title = _SECTOR_TITLES.get(sector, sector.replace("_", " ").capitalize())
        ax.title = title + ("\nno trade: " + ", ".join(idle) if idle else "")
        (_, ylim) = ax.auto_limits()
        ax.ylim = (0.0, max(ylim[1], 5.0))
    xlim = axes[0][0].auto_limits()[0]
    if len(f):                                   # every panel spans the whole range, with 5 % margins
        lo, hi = days(x_lo), days(x_hi)
        xlim = (lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)) if hi > lo else xlim
    for k in range(nrows * ncols):
        ax = axes[k // ncols][k % ncols]
        ax.xlim = xlim
        if k >= len(order):
            ax.visible = False
        ax.show_xlabels = k + ncols >= len(order)     # no panel below it
    entries = [(p, {"kind": "line", "color": colour[p], "width": 2.4 if p == "KOR" else 1.1}) for p in partners]
    if (f["case"] == "without_deal").any():
        entries.append(("KOR without the deal", {"kind": "line", "color": colour.get("KOR", "black"), "width": 2.4,
                                                 "dash": "--"}))
    fig.legend(entries, size=8)
    fig.suptitle("Effective tariff rate by partner and sector (duties / customs value)", size=10)
    return fig.svg()


__all__ += ["rate_timeline_chart"]


def _step_groups(f: pd.DataFrame) -> dict[tuple[str, str, str], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each (sector, partner, case) line's starts and stops (days since 1970) and
    rates, in time order: one sort of the whole frame, then slices."""
    f = f.sort_values(["sector", "partner", "case", "start"], kind="stable")
    keys = list(zip(f["sector"].tolist(), f["partner"].tolist(), f["case"].tolist()))
    start = f["start"].to_numpy("datetime64[ns]").astype("int64") / 86_400e9
    stop = f["stop"].to_numpy("datetime64[ns]").astype("int64") / 86_400e9
    etr = f["etr"].to_numpy(float, na_value=np.nan)
    out = {}
    first = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[first]:
            out[keys[first]] = (start[first:i], stop[first:i], etr[first:i])
            first = i
    return out


def evidence_timeline_chart(timeline: Any) -> str:
    """Each party's stated position over time as a step chart, the final value dashed."""
    fig = Figure(8, 3.5)
    (ax,), = fig.grid(1, 1, xaxis="date", grid="both",
                      ylabel=timeline.rows[0].claim.unit if timeline.rows else "")
    entries = []
    for i, (party, pts) in enumerate(sorted(timeline.series.items())):
        xs = [d for d, _ in pts]
        ys = [v for _, v in pts]
        line = ax.plot(xs, ys, step="post", marker=True, color=_COLORS[i % len(_COLORS)], label=party)
        entries.append((party, line_entry(line)))
    if timeline.final is not None:
        ax.hline(timeline.final["value"], dash="--", color="black", width=1)
        entries.append(("final (in force)", {"kind": "line", "color": "black", "dash": "--", "width": 1}))
    ax.title, ax.title_size = f"Stated positions: {timeline.kind} ({timeline.partner or 'all'})", 12
    ax.legend = Legend(entries, size=8)
    return fig.svg()
